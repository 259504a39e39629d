"""``{% unread_notifications as count %}``: the signed-in user's unread count, in one query."""

from __future__ import annotations

from typing import Any

from django import template

from ecotone.notifications.selectors import BADGE_LIMIT, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    return unread_count(viewer=user, limit=BADGE_LIMIT)
