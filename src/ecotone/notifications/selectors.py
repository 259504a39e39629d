"""Reads of notifications, always scoped to the viewer: one sees only one's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ecotone.authz import scope
from ecotone.kernel.errors import NotFound
from ecotone.kernel.pagination import Page, paginate
from ecotone.notifications.models import EmailMode, Notification, NotificationPreference

# The badge shows "99+" beyond this; counting stops there so the query stays cheap.
BADGE_LIMIT = 99


def inbox(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications, newest first."""
    rows = scope(viewer, "notifications.view", Notification.objects.all())
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def inbox_page(
    *, viewer: Any, unread_only: bool = False, page: int = 1, size: int = 25
) -> Page[Notification]:
    """One page of the inbox: two queries (count, slice)."""
    return paginate(inbox(viewer=viewer, unread_only=unread_only), page=page, size=size)


def unread_count(*, viewer: Any, limit: int | None = None) -> int:
    """How many unread notifications the viewer has, in one query; at most ``limit + 1``."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return 0
    rows = Notification.objects.filter(recipient_id=viewer.pk, read_at__isnull=True)
    if limit is not None:
        return rows.order_by()[: limit + 1].count()
    return rows.count()


def notification_for(*, viewer: Any, notification_id: int) -> Notification:
    """One of the viewer's notifications; anyone else's is NotFound."""
    try:
        return inbox(viewer=viewer).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise NotFound("No such notification.") from None


def preferences_for(*, viewer: Any) -> NotificationPreference:
    """The viewer's preferences; an unsaved default row when they never chose."""
    found = NotificationPreference.objects.filter(user_id=viewer.pk).first()
    return found or NotificationPreference(
        user_id=viewer.pk, email_mode=EmailMode.DAILY_DIGEST, kind_overrides={}
    )
