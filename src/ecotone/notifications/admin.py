from __future__ import annotations

from django.contrib import admin

from ecotone.notifications.models import Notification, NotificationPreference, RecurringJobRun


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "kind", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__email"]
    raw_id_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email_mode", "updated_at"]
    list_filter = ["email_mode"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(RecurringJobRun)
class RecurringJobRunAdmin(admin.ModelAdmin[RecurringJobRun]):
    list_display = ["name", "last_run_at", "runs"]
    readonly_fields = ["name", "last_run_at", "runs"]
