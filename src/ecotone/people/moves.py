"""Hooks for apps above people that keep a copy of where people are: their team, and whether
they are still here.

People cannot import those apps, so an app registers a listener (in its ``AppConfig.ready``), and
people's services call ``people_moved(person_ids)`` in the same transaction whenever they change
someone's team or status: a move, a deactivation, a return, an org import. Explicit calls, not
signals. The skills app uses it to keep each skill level's team for the org heatmap.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

MoveListener = Callable[[Collection[int]], object]

_listeners: dict[str, MoveListener] = {}


def register_move_listener(name: str, listener: MoveListener) -> None:
    """Call ``listener(person_ids)`` after people change team or status (same name replaces)."""
    _listeners[name] = listener


def people_moved(person_ids: Collection[int]) -> None:
    """Tell the listeners that these people changed team or status. Inside the transaction."""
    if not person_ids:
        return
    for listener in _listeners.values():
        listener(person_ids)
