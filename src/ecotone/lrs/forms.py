from __future__ import annotations

from django import forms

from ecotone.lrs.models import LrsClient


class ClientForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="What uses these credentials, e.g. “Moodle”.")
    scopes = forms.MultipleChoiceField(
        choices=LrsClient.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=["statements/write", "statements/read/mine", "state"],
    )
    authority_email = forms.EmailField(
        required=False,
        label="Authority e-mail",
        help_text="Optional: statements are vouched for by this agent instead of the client.",
    )


class MappingForm(forms.Form):
    activity_iri = forms.CharField(
        max_length=2048, label="Activity IRI", help_text="The activity id the tool sends."
    )
    label = forms.CharField(max_length=200, required=False)
    skill_refs = forms.CharField(
        label="Skills",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: a skill's slug, external id or exact name.",
    )

    def skill_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["skill_refs"].splitlines() if line.strip()
        ]


class BrowseForm(forms.Form):
    agent = forms.CharField(
        required=False,
        label="Actor e-mail",
        widget=forms.EmailInput(attrs={"placeholder": "name@example.com"}),
    )
    verb = forms.CharField(
        required=False,
        label="Verb",
        help_text="Pick one or paste any verb IRI",
        widget=forms.TextInput(attrs={"list": "lrs-verbs", "placeholder": "Any verb"}),
    )
    activity = forms.CharField(
        required=False,
        label="Activity IRI",
        widget=forms.TextInput(attrs={"placeholder": "https://…"}),
    )
    registration = forms.UUIDField(required=False)
    since = forms.DateTimeField(required=False, help_text="Stored after, e.g. 2026-01-31 09:00")
    until = forms.DateTimeField(required=False, help_text="Stored at or before")
