"""Markdown written by people, rendered to safe HTML.

CommonMark plus tables and strikethrough (markdown-it-py) with raw HTML turned off, then an
allow-list sanitiser (nh3) over the result: whatever the parser lets through, only the tags,
attributes and URL schemes below reach the page. Links get ``rel="noopener nofollow"``.
Templates wrap the output in an element with ``hx-disable`` so htmx ignores it.
"""

from __future__ import annotations

import html as html_module
from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_SOURCE = 200_000


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def render(source: str) -> SafeString:
    """Sanitised HTML for Markdown ``source`` (raw HTML in it is shown as text)."""
    html = _parser().render((source or "")[:MAX_SOURCE])
    # Table alignment arrives as style="..."; the strict CSP forbids inline style, so it goes.
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)


def plain_text(source: str, *, limit: int = 300) -> str:
    """The text of Markdown ``source`` without markup, cut at ``limit`` characters."""
    text = nh3.clean(_parser().render(source or ""), tags=set())
    text = " ".join(html_module.unescape(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
