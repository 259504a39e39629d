"""Small presentation helpers for people pages: avatars with initials."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

AVATAR_TONES = 6


@register.filter
def initials(name: str) -> str:
    """Up to two initials: "Ada Lovelace" → "AL", "Plato" → "P"."""
    words = [word for word in str(name or "").replace("-", " ").split() if word[0].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


@register.inclusion_tag("people/_avatar.html")
def avatar(person: Any, size: str = "") -> dict[str, Any]:
    """A round avatar with the person's initials, in a tone that stays the same for them."""
    left = getattr(person, "status", "active") == "left"
    tone = (getattr(person, "pk", 0) or 0) % AVATAR_TONES
    return {
        "initials": initials(getattr(person, "display_name", "")),
        "size": size,
        "tone": "left" if left else (f"tone-{tone}" if tone else ""),
    }
