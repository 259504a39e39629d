"""Permissions of the notifications app: a notification belongs to its recipient alone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from ecotone.authz import predicate, register


@predicate
def is_recipient(user: Any, notification: Any) -> bool:
    return notification is not None and notification.recipient_id == user.pk


def own_notifications(user: Any) -> Q:
    return Q(recipient_id=user.pk)


def recipient_only(notification: Any) -> QuerySet[Any]:
    return get_user_model().objects.filter(pk=notification.recipient_id)


register(
    "notifications.view",
    is_recipient,
    scope=own_notifications,
    who=recipient_only,
    hidden_unless="notifications.view",
    description="See one's own notifications.",
)
register(
    "notifications.mark_read",
    is_recipient,
    scope=own_notifications,
    who=recipient_only,
    hidden_unless="notifications.view",
    description="Mark one's own notifications as read.",
)
