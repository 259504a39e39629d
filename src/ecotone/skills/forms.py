"""HTML forms: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from ecotone.kernel.forms import Form
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Interest, Skill, SkillCategory

LEVEL_CHOICES = [(level, str(level)) for level in range(MIN_LEVEL, MAX_LEVEL + 1)]


class SkillChoiceField(forms.ModelChoiceField[Skill]):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.name


def active_skills() -> Any:
    return Skill.objects.filter(status=Skill.Status.ACTIVE).order_by("name")


class RateForm(Form):
    skill = SkillChoiceField(queryset=active_skills())
    level = forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=int)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    ask = forms.ChoiceField(
        label="Then",
        choices=[
            ("", "Only rate myself"),
            ("validation", "Ask my manager to validate it"),
            ("endorsement", "Ask a colleague to endorse it"),
        ],
        required=False,
    )
    reviewer = forms.TypedChoiceField(
        label="Colleague (for an endorsement)", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, colleagues: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *((p.pk, p.display_name) for p in colleagues)]


class ResolveForm(Form):
    decision = forms.ChoiceField(
        choices=[
            ("validated", "Validate"),
            ("adjusted", "Adjust"),
            ("endorsed", "Endorse"),
            ("declined", "Decline"),
        ]
    )
    level = forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=int, required=False)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InterestForm(Form):
    skill = SkillChoiceField(queryset=active_skills())
    kind = forms.ChoiceField(choices=Interest.Kind.choices)
    wanted = forms.BooleanField(required=False, initial=True)


class SkillForm(Form):
    name = forms.CharField(max_length=160)
    category = forms.ModelChoiceField(queryset=SkillCategory.objects.all(), required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    aliases = forms.CharField(
        required=False, help_text="Other names, separated by commas (typos welcome too)."
    )
    external_id = forms.CharField(required=False, label="External id (ESCO or O*NET uri)")

    def alias_list(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get("aliases", "").split(",")]


class ImportForm(Form):
    file = forms.FileField(
        help_text="CSV or JSON with uri, label, alternative labels, description, type, broader; "
        "or an ESCO or O*NET download."
    )


class RoleProfileForm(Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequirementForm(Form):
    skill = SkillChoiceField(queryset=active_skills())
    target_level = forms.TypedChoiceField(
        choices=[("", "Not required"), *LEVEL_CHOICES], coerce=int, required=False, empty_value=None
    )
    required = forms.BooleanField(
        required=False, initial=True, label="Required (not only nice to have)"
    )
