"""Notifications: one inbox row per recipient, e-mail preferences and the scheduler's run log.

The recipient is the login (``settings.AUTH_USER_MODEL``), not the person: notifications sit below
every feature app, people included, and must not import them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    """Something that happened which the recipient should know about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=80, help_text='A dotted name, e.g. "people.role_granted".')
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                name="notification_inbox",
            ),
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(read_at__isnull=True, digest_sent_at__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.title}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    DAILY_DIGEST = "daily_digest", "In a daily digest"
    OFF = "off", "Never"


class NotificationPreference(models.Model):
    """How one user wants to hear about notifications by e-mail. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        max_length=20, choices=EmailMode.choices, default=EmailMode.DAILY_DIGEST
    )
    kind_overrides: models.JSONField[dict[str, str], Any] = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per-kind e-mail modes over email_mode, e.g. {"people.role_granted": "off"}.',
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(email_mode__in=["immediate", "daily_digest", "off"]),
                name="notification_preference_mode_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"

    def mode_for(self, kind: str) -> str:
        return str(self.kind_overrides.get(kind, self.email_mode))


class RecurringJobRun(models.Model):
    """The last time each recurring job was claimed. One row per job name."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at}"
