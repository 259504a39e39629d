from django.contrib import admin
from django.http import HttpRequest

from ecotone.kernel.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin[SecurityEvent]):
    list_display = ["occurred_at", "action", "actor", "target_label"]
    list_filter = ["action"]
    search_fields = ["action", "target_label", "actor__email"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
