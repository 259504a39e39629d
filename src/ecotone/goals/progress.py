"""Where derived progress of completion goals comes from: a registry apps above goals fill.

A learning goal of kind ``course`` or ``path`` names what it completes in ``target_ref``
(``"course:12"``). The goals app cannot see courses (content sits above it), so content registers
a *completion source* per kind in its ``AppConfig.ready``::

    register_completion_source("course", course_completion)

where ``course_completion(pairs)`` receives ``(person_id, target_ref)`` pairs and returns the
share completed (0 to 1) of each, in one query. Content calls
``goals.services.refresh_goal_progress(person_id=...)`` when a completion changes. Until a
source is registered, completion goals stay at their current progress and say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

type Pair = tuple[int, str]
type CompletionSource = Callable[[Iterable[Pair]], dict[Pair, float]]

_sources: dict[str, CompletionSource] = {}


def register_completion_source(kind: str, source: CompletionSource) -> None:
    _sources[kind] = source


def unregister_completion_source(kind: str) -> None:
    _sources.pop(kind, None)


def completion_source(kind: str) -> CompletionSource | None:
    return _sources.get(kind)


def skill_progress(current: int | None, start: int, target: int) -> float:
    """The share of the way from the start level to the target level, 0 to 1."""
    reached = current or 0
    if reached >= target:
        return 1.0
    span = target - start
    if span <= 0:
        return 1.0
    return max(0.0, min(1.0, (reached - start) / span))


def metric_progress(current: float, target: float | None) -> float:
    if not target:
        return 0.0
    return max(0.0, min(1.0, current / target))
