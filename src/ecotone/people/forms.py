"""Forms of the people pages. They parse input; rules live in ``people.services``."""

from __future__ import annotations

import zoneinfo

from django import forms

from ecotone.kernel.forms import Form
from ecotone.people.models import RoleGrant

TIME_ZONE_NAMES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


class ProfileForm(Form):
    """What everyone may change about themselves."""

    display_name = forms.CharField(label="Display name", max_length=150)
    location = forms.CharField(max_length=120, required=False)
    time_zone = forms.ChoiceField(
        label="Time zone", choices=[(name, name.replace("_", " ")) for name in TIME_ZONE_NAMES]
    )
    bio = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AdminPersonForm(ProfileForm):
    """What an admin may change about anyone, besides manager, team, status and roles."""

    email = forms.EmailField(label="E-mail")
    title = forms.CharField(max_length=150, required=False)
    employee_id = forms.CharField(max_length=64, required=False, label="Employee id")
    start_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    field_order = [
        "display_name",
        "email",
        "title",
        "employee_id",
        "start_date",
        "location",
        "time_zone",
        "bio",
    ]


class ChangeManagerForm(Form):
    """``manager`` is picked with the person picker; empty means "reports to nobody"."""

    manager = forms.IntegerField(required=False)


class MoveTeamForm(Form):
    """``team`` is picked with the team picker; empty means "no team"."""

    team = forms.IntegerField(required=False)


class DeactivateForm(Form):
    left_on = forms.DateField(
        label="Last day",
        required=False,
        help_text="Leave empty for today.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class GrantRoleForm(Form):
    role = forms.ChoiceField(choices=RoleGrant.Role.choices)


class TeamForm(Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False)
    lead = forms.IntegerField(required=False)
