from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ecotone.people.models import ApiToken, Person, RoleGrant, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "is_superuser", "last_login"]
    search_fields = ["email"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]


class RoleGrantInline(admin.TabularInline[RoleGrant, Person]):
    model = RoleGrant
    fk_name = "person"
    extra = 0
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["display_name", "title", "team", "manager", "location", "status"]
    list_filter = ["status", "location"]
    search_fields = ["display_name", "user__email", "employee_id", "title"]
    list_select_related = ["team", "manager"]
    raw_id_fields = ["user", "manager", "team"]
    readonly_fields = ["manager_path"]
    inlines = [RoleGrantInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "parent", "lead", "depth"]
    search_fields = ["name"]
    list_select_related = ["parent", "lead"]
    raw_id_fields = ["parent", "lead"]
    readonly_fields = ["path", "depth"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin[RoleGrant]):
    list_display = ["person", "role", "granted_by", "granted_at"]
    list_filter = ["role"]
    raw_id_fields = ["person", "granted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest"]
    raw_id_fields = ["user"]
