"""Writes of the notifications app. Feature apps call ``notify`` / ``notify_many``.

``notify`` is called by other services, inside their transaction: it is not itself a user action,
so it checks no permission (the calling service already did). The inbox row is written in the
caller's transaction; an immediate e-mail is enqueued only once that transaction commits, so a
rolled-back action never e-mails anyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecotone.authz import require
from ecotone.kernel.errors import DomainError
from ecotone.notifications.models import EmailMode, Notification, NotificationPreference

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
TITLE_MAX = 200
URL_MAX = 500


def _validate(*, kind: str, title: str, url: str) -> None:
    if not KIND_PATTERN.match(kind) or len(kind) > 80:
        raise DomainError(
            "invalid_kind", 'A kind is a dotted name such as "people.role_granted".', field="kind"
        )
    if not title.strip():
        raise DomainError("title_required", "A notification needs a title.", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            "title_too_long", f"Keep the title under {TITLE_MAX} characters.", field="title"
        )
    if (
        url
        and not (url.startswith("/") and not url.startswith("//"))
        and not (url.startswith(("https://", "http://")))
    ):
        raise DomainError(
            "invalid_url", "A link is a path on this site or an http(s) address.", field="url"
        )
    if len(url) > URL_MAX:
        raise DomainError("url_too_long", f"Keep links under {URL_MAX} characters.", field="url")


def _email_modes(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's e-mail mode for ``kind``, in one query (the default when they never chose)."""
    ids = list(user_ids)
    modes = dict.fromkeys(ids, EmailMode.DAILY_DIGEST.value)
    for preference in NotificationPreference.objects.filter(user_id__in=ids):
        modes[preference.user_id] = preference.mode_for(kind)
    return modes


def _email_after_commit(notification_ids: list[int]) -> None:
    if not notification_ids:
        return
    from ecotone.notifications.tasks import send_notification_emails

    transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids))


def notify(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor: Any = None,
) -> Notification | None:
    """Put a notification in ``recipient``'s inbox; e-mail it after commit if they want that now.

    Returns ``None`` (and writes nothing) for an inactive recipient: people who left cannot sign
    in, so they get nothing. ``url`` is a path on this site (``/people/42/``) or an http(s) link.
    """
    _validate(kind=kind, title=title, url=url)
    if not recipient.is_active:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title.strip(),
        body=body,
        url=url,
        actor=actor,
    )
    if _email_modes([recipient.pk], kind)[recipient.pk] == EmailMode.IMMEDIATE:
        _email_after_commit([notification.pk])
    return notification


def notify_many(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor: Any = None,
) -> list[Notification]:
    """``notify`` for many recipients: one bulk insert, one preference query, one e-mail task.

    Inactive recipients and duplicates are skipped.
    """
    _validate(kind=kind, title=title, url=url)
    unique: dict[int, Any] = {}
    for recipient in recipients:
        if recipient.is_active:
            unique.setdefault(recipient.pk, recipient)
    if not unique:
        return []
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=recipient,
                kind=kind,
                title=title.strip(),
                body=body,
                url=url,
                actor=actor,
                created_at=now,
            )
            for recipient in unique.values()
        ]
    )
    modes = _email_modes(unique, kind)
    _email_after_commit([n.pk for n in created if modes[n.recipient_id] == EmailMode.IMMEDIATE])
    return created


def mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of one's own notifications read (idempotent: the first read time stays)."""
    require(actor, "notifications.mark_read", notification)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark all of one's unread notifications read; returns how many changed."""
    if actor is None or not actor.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def update_preferences(
    *,
    actor: Any,
    email_mode: str,
    kind_overrides: Mapping[str, str] | None = None,
) -> NotificationPreference:
    """Set how the actor hears about notifications by e-mail. Only for oneself.

    ``kind_overrides`` (when given) replaces the per-kind map entirely.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise DomainError("forbidden", "Sign in to change your preferences.", status=403)
    valid = set(EmailMode.values)
    if email_mode not in valid:
        raise DomainError(
            "invalid_email_mode", "Choose immediately, daily digest or never.", field="email_mode"
        )
    overrides: dict[str, str] | None = None
    if kind_overrides is not None:
        overrides = {}
        for kind, mode in kind_overrides.items():
            if not KIND_PATTERN.match(kind) or mode not in valid:
                raise DomainError(
                    "invalid_override",
                    f"Unknown kind or e-mail mode: {kind!r} → {mode!r}.",
                    field="kind_overrides",
                )
            overrides[kind] = mode
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
            user_id=actor.pk
        )
        preference.email_mode = email_mode
        if overrides is not None:
            preference.kind_overrides = overrides
        preference.save()
    return preference
