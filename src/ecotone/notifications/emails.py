"""E-mails of the notifications app: one notification, or the daily digest of several.

Links are absolute, built from ``settings.SITE_URL``; times are shown in the recipient's time
zone when their person record has one (read lazily: notifications do not import people).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ecotone.notifications.models import Notification


def absolute(url: str) -> str:
    """``url`` as a full address: paths on this site get ``SITE_URL`` in front."""
    if not url:
        return ""
    if url.startswith("/"):
        return f"{settings.SITE_URL}{url}"
    return url


def person_of(user: Any) -> Any:
    try:
        return user.person
    except (AttributeError, ObjectDoesNotExist):
        return None


def display_name(user: Any) -> str:
    person = person_of(user)
    return str(getattr(person, "display_name", "") or user.email)


def time_zone_of(user: Any) -> tzinfo:
    name = getattr(person_of(user), "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _entries(notifications: Sequence[Notification]) -> list[dict[str, Any]]:
    return [
        {"title": n.title, "body": n.body, "link": absolute(n.url), "when": n.created_at}
        for n in notifications
    ]


def _send(user: Any, subject: str, template: str, context: dict[str, Any]) -> None:
    context = {
        **context,
        "name": display_name(user),
        "site_url": settings.SITE_URL,
        "inbox_link": absolute(reverse("notifications:inbox")),
        "preferences_link": absolute(reverse("notifications:preferences")),
    }
    with timezone.override(time_zone_of(user)):
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_one(notification: Notification) -> None:
    """E-mail one notification to its recipient."""
    _send(
        notification.recipient,
        notification.title,
        "notification",
        {"entry": _entries([notification])[0]},
    )


def send_digest(user: Any, notifications: Sequence[Notification]) -> None:
    """E-mail a digest of several notifications to ``user`` in one message."""
    count = len(notifications)
    subject = f"Your Ecotone digest: {count} new notification{'s' if count != 1 else ''}"
    _send(
        user,
        subject,
        "digest",
        {"entries": _entries(notifications), "count": count},
    )
