"""Background tasks of the notifications app (Django's tasks API, run by ``ecotone worker``)."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone

from ecotone.notifications import emails
from ecotone.notifications.models import EmailMode, Notification, NotificationPreference
from ecotone.notifications.scheduler import recurring

logger = logging.getLogger(__name__)

DIGEST_WINDOW = timedelta(days=1)
# Slack so that a digest starting a little later than yesterday's misses nothing in between;
# claiming (digest_sent_at) keeps anything from being sent twice.
DIGEST_GRACE = timedelta(hours=1)
CLAIM_BATCH = 500  # ids per claiming UPDATE, well under every database's parameter limit
# The digest goes out once a day at this time of settings.TIME_ZONE.
DIGEST_TIME = time(7, 0)


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification once to its recipient; returns how many were sent.

    Skips those already e-mailed, already read, or whose recipient has left. Each row is claimed
    (``emailed_at`` set) before sending, so two workers never send the same one twice.
    """
    sent = 0
    rows = Notification.objects.filter(
        pk__in=notification_ids,
        emailed_at__isnull=True,
        read_at__isnull=True,
        recipient__is_active=True,
    ).select_related("recipient")
    for notification in rows:
        now = timezone.now()
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            continue
        try:
            emails.send_one(notification)
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise
        sent += 1
    logger.info("Sent %d notification e-mail(s)", sent)
    return sent


def _recipient_relations() -> list[str]:
    """``recipient``, and the person behind it when there is one (for name and time zone)."""
    relations = ["recipient"]
    user_fields = {field.name for field in get_user_model()._meta.get_fields()}
    if "person" in user_fields:
        relations.append("recipient__person")
    return relations


def _claim_for_digest(ids: list[int], now: datetime) -> set[int]:
    """Mark these notifications as digested now, unless another run already did; return the ids
    this run claimed. Two queries per batch, however many people."""
    claimed: set[int] = set()
    for start in range(0, len(ids), CLAIM_BATCH):
        batch = ids[start : start + CLAIM_BATCH]
        Notification.objects.filter(pk__in=batch, digest_sent_at__isnull=True).update(
            digest_sent_at=now
        )
        claimed.update(
            Notification.objects.filter(pk__in=batch, digest_sent_at=now).values_list(
                "pk", flat=True
            )
        )
    return claimed


def _wants_digest(preference: NotificationPreference | None, kind: str) -> bool:
    if preference is None:
        return True
    return preference.mode_for(kind) == EmailMode.DAILY_DIGEST


@recurring("notifications.daily_digest", daily_at=DIGEST_TIME)
@task()
def send_daily_digests() -> int:
    """E-mail each user who chose the daily digest their unread, not yet digested notifications
    of the last day, in one message; returns how many digests were sent.

    Idempotent: notifications are claimed (``digest_sent_at``) before the message goes out, so a
    second run, or a second worker, sends nothing twice.
    """
    now = timezone.now()
    candidates = list(
        Notification.objects.filter(
            created_at__gte=now - DIGEST_WINDOW - DIGEST_GRACE,
            read_at__isnull=True,
            digest_sent_at__isnull=True,
            emailed_at__isnull=True,
            recipient__is_active=True,
        )
        .select_related(*_recipient_relations())
        .order_by("recipient_id", "created_at", "pk")
    )
    preferences = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(
            user_id__in={n.recipient_id for n in candidates}
        )
    }
    wanted = [n for n in candidates if _wants_digest(preferences.get(n.recipient_id), n.kind)]
    claimed = _claim_for_digest([n.pk for n in wanted], now)
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in wanted:
        if notification.pk in claimed:
            by_user[notification.recipient_id].append(notification)
    sent = 0
    for user_id, notifications in by_user.items():
        try:
            emails.send_digest(notifications[0].recipient, notifications)
        except Exception:
            logger.exception(
                "Digest to user %s failed; its notifications are released for the next run", user_id
            )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                digest_sent_at=None
            )
            continue
        sent += 1
    logger.info("Sent %d daily digest(s)", sent)
    return sent
