"""Panels: sections that apps higher up contribute to pages that apps lower down own.

The profile page belongs to people, yet skills, goals, content and the LRS each have something to
show on it; the home page likewise. A lower app cannot import a higher one, so the page names a
*slot* and renders whatever has been registered for it::

    register_panel("profile", name="skills", template="skills/_profile_skills.html",
                   context=profile_skills_context, order=20)

``context(request, subject)`` returns the panel's template context, or ``None`` to leave the panel
out (nothing to show, or the viewer may not see it). Panels render in ``order``, then by name.
Registration happens in each app's ``AppConfig.ready``; registering a name twice replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

PanelContext = Callable[[HttpRequest, Any], dict[str, Any] | None]

SLOTS = frozenset({"profile", "home", "home.aside"})


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: PanelContext
    order: int = 100


_panels: dict[str, dict[str, Panel]] = {}


def register_panel(
    slot: str, *, name: str, template: str, context: PanelContext, order: int = 100
) -> Panel:
    if slot not in SLOTS:
        raise ValueError(f"Unknown panel slot {slot!r}; the slots are {sorted(SLOTS)}.")
    panel = Panel(slot=slot, name=name, template=template, context=context, order=order)
    _panels.setdefault(slot, {})[name] = panel
    return panel


def panels(slot: str) -> list[Panel]:
    return sorted(_panels.get(slot, {}).values(), key=lambda panel: (panel.order, panel.name))


def render_panels(slot: str, request: HttpRequest, subject: Any = None) -> SafeString:
    """The HTML of every panel of ``slot`` that has something to show about ``subject``."""
    parts: list[str] = []
    for panel in panels(slot):
        context = panel.context(request, subject)
        if context is None:
            continue
        parts.append(render_to_string(panel.template, context, request=request))
    return mark_safe("\n".join(parts))  # noqa: S308  (each part is an auto-escaped template)
