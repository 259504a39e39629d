from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from ecotone.people import services
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


class PersonAdminForm(forms.ModelForm[Person]):
    """Refuses a manager who would close a reporting cycle, before anything is saved."""

    class Meta:
        model = Person
        fields = [
            "user",
            "employee_id",
            "display_name",
            "title",
            "team",
            "manager",
            "location",
            "time_zone",
            "start_date",
            "status",
            "left_on",
            "bio",
        ]

    def clean_manager(self) -> Person | None:
        manager: Person | None = self.cleaned_data.get("manager")
        person = self.instance
        if (
            manager is not None
            and person.pk is not None
            and (manager.pk == person.pk or person.pk in manager.chain_ids)
        ):
            raise forms.ValidationError(
                f"{manager} reports to {person}, so {person} cannot report to {manager}."
            )
        if manager is not None and manager.status == Person.Status.LEFT:
            raise forms.ValidationError(f"{manager} has left the company.")
        return manager


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    """Changes of manager and team go through people.services, which keep manager_path right
    (for the person and everyone below them) and write the audit trail."""

    form = PersonAdminForm
    list_display = ["display_name", "title", "team", "manager", "location", "status"]
    list_filter = ["status", "location"]
    search_fields = ["display_name", "user__email", "employee_id", "title"]
    list_select_related = ["team", "manager"]
    raw_id_fields = ["user", "manager", "team"]
    readonly_fields = ["manager_path"]
    inlines = [RoleGrantInline]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        changed = set(form.changed_data)
        new_manager, new_team = obj.manager, obj.team
        if change:
            stored = Person.objects.get(pk=obj.pk)
            obj.manager, obj.team = stored.manager, stored.team
        else:
            obj.manager = None
            obj.manager_path = "/"
        super().save_model(request, obj, form, change)
        if "team" in changed or (not change and new_team is not None):
            services.move_team(actor=request.user, person=obj, team=new_team)
        if "manager" in changed or (not change and new_manager is not None):
            services.change_manager(actor=request.user, person=obj, manager=new_manager)
        obj.refresh_from_db()


class TeamAdminForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ["name", "slug", "description", "parent", "lead"]

    def clean_parent(self) -> Team | None:
        parent: Team | None = self.cleaned_data.get("parent")
        team = self.instance
        if (
            parent is not None
            and team.pk is not None
            and (parent.pk == team.pk or f"/{team.pk}/" in parent.path)
        ):
            raise forms.ValidationError(f"{parent} is inside {team}.")
        return parent


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    """A change of parent goes through people.services, which re-roots the sub-tree's paths."""

    form = TeamAdminForm
    list_display = ["name", "parent", "lead", "depth"]
    search_fields = ["name"]
    list_select_related = ["parent", "lead"]
    raw_id_fields = ["parent", "lead"]
    readonly_fields = ["path", "depth"]
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        new_parent = obj.parent
        if change and "parent" in form.changed_data:
            obj.parent = Team.objects.get(pk=obj.pk).parent
            super().save_model(request, obj, form, change)
            services.update_team(actor=request.user, team=obj, parent=new_parent)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)
        if not change:
            obj.path = f"{new_parent.path if new_parent else '/'}{obj.pk}/"
            obj.depth = obj.path.count("/") - 2
            obj.save(update_fields=["path", "depth"])


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
