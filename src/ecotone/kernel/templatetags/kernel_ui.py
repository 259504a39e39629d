"""Template helpers every app may use."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ecotone.kernel.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: dict[str, Any], slot: str, subject: Any = None) -> SafeString:
    """``{% panels "profile" person %}``: the panels other apps registered for this page."""
    return render_panels(slot, context["request"], subject)


@register.filter(name="markdown")
def markdown_filter(value: str) -> SafeString:
    """``{{ lesson.body|markdown }}``: Markdown rendered without raw HTML and sanitised."""
    from ecotone.kernel.markdown import render

    return render(value)
