"""HTML forms: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from ecotone.goals.models import Cycle, KeyResult, LearningGoal, Objective, Priority
from ecotone.kernel.errors import DomainError
from ecotone.people.models import Person, Team
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Skill

LEVEL_CHOICES = [(level, str(level)) for level in range(MIN_LEVEL, MAX_LEVEL + 1)]
DATE = forms.DateInput(attrs={"type": "date"})


class NamedChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "display_name", None) or getattr(obj, "name", None) or obj)


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, KeyResult):
            return f"{obj.objective.title} → {obj.title}"
        return str(getattr(obj, "title", None) or obj)


def active_skills() -> Any:
    return Skill.objects.filter(status=Skill.Status.ACTIVE).order_by("name")


def active_people() -> Any:
    return Person.objects.filter(status=Person.Status.ACTIVE).order_by("display_name")


def attach(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    for field, messages in error.field_errors().items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class GoalForm(forms.Form):
    kind = forms.ChoiceField(choices=LearningGoal.Kind.choices, label="Kind of goal")
    title = forms.CharField(
        max_length=200, required=False, help_text="Left empty, a title is written for you."
    )
    skill = NamedChoiceField(queryset=active_skills(), required=False)
    target_level = forms.TypedChoiceField(
        choices=[("", "—"), *LEVEL_CHOICES], coerce=int, empty_value=None, required=False
    )
    target_ref = forms.CharField(
        label="Course or path", max_length=120, required=False, help_text="For completion goals."
    )
    target_value = forms.FloatField(
        label="Target", required=False, help_text="Talks, mentees or your own metric."
    )
    unit = forms.CharField(max_length=30, required=False)
    due_on = forms.DateField(label="Due", required=False, widget=DATE)
    motivation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(choices=LearningGoal.Visibility.choices, label="Who sees it")
    objectives = NamedMultipleChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        label="Contributes to objectives",
        widget=forms.CheckboxSelectMultiple,
    )
    key_results = NamedMultipleChoiceField(
        queryset=KeyResult.objects.none(),
        required=False,
        label="Contributes to key results",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, objectives: Any = (), key_results: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        objective_ids = [o.pk for o in objectives]
        key_result_ids = [k.pk for k in key_results]
        objectives_field = self.fields["objectives"]
        key_results_field = self.fields["key_results"]
        assert isinstance(objectives_field, forms.ModelMultipleChoiceField)
        assert isinstance(key_results_field, forms.ModelMultipleChoiceField)
        objectives_field.queryset = Objective.objects.filter(pk__in=objective_ids).order_by("title")
        key_results_field.queryset = (
            KeyResult.objects.filter(pk__in=key_result_ids)
            .select_related("objective")
            .order_by("objective__title", "pk")
        )


class CheckInForm(forms.Form):
    value = forms.FloatField(required=False, label="New value")
    confidence = forms.ChoiceField(choices=KeyResult.Confidence.choices)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    done = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Milestones done", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, key_result: KeyResult | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        done = self.fields["done"]
        assert isinstance(done, forms.TypedMultipleChoiceField)
        if key_result is not None and key_result.metric == KeyResult.Metric.MILESTONES:
            done.choices = [(i, item["title"]) for i, item in enumerate(key_result.milestones)]
            self.initial.setdefault(
                "done", [i for i, item in enumerate(key_result.milestones) if item.get("done")]
            )
            del self.fields["value"]
        else:
            del self.fields["done"]
            if key_result is not None:
                self.initial.setdefault("value", key_result.current_value)
                if key_result.metric == KeyResult.Metric.BOOLEAN:
                    self.fields["value"] = forms.TypedChoiceField(
                        label="Done?", choices=[(0, "Not yet"), (1, "Yes")], coerce=int
                    )
        if key_result is not None and key_result.confidence:
            self.initial.setdefault("confidence", key_result.confidence)


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class ObjectiveForm(forms.Form):
    cycle = NamedChoiceField(queryset=Cycle.objects.all())
    level = forms.ChoiceField(choices=Objective.Level.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = NamedChoiceField(queryset=active_people())
    team = NamedChoiceField(
        queryset=Team.objects.order_by("path"), required=False, help_text="For team objectives."
    )
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int, initial=Priority.MEDIUM)
    parent = NamedChoiceField(
        queryset=Objective.objects.none(), required=False, label="Contributes to"
    )

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        if parents is not None:
            field.queryset = parents


class ObjectiveEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(choices=Objective.Status.choices)
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int)


class KeyResultForm(forms.Form):
    title = forms.CharField(max_length=200)
    metric = forms.ChoiceField(choices=KeyResult.Metric.choices)
    start_value = forms.FloatField(initial=0, required=False)
    target_value = forms.FloatField(initial=1, required=False)
    direction = forms.ChoiceField(choices=KeyResult.Direction.choices)
    unit = forms.CharField(max_length=12, required=False)
    milestones = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One milestone per line (milestone results only).",
    )
    due_on = forms.DateField(required=False, widget=DATE)
    owner = NamedChoiceField(queryset=active_people(), required=False)


class DemandForm(forms.Form):
    skill = NamedChoiceField(queryset=active_skills())
    min_level = forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=int, label="Minimum level")
    needed = forms.IntegerField(min_value=1, initial=1, label="People needed")
    team = NamedChoiceField(
        queryset=Team.objects.order_by("path"),
        required=False,
        label="Supplied by",
        help_text="Empty: anyone in the company.",
    )


class AlignForm(forms.Form):
    parent = NamedChoiceField(queryset=Objective.objects.none(), label="Contributes to")

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        if parents is not None:
            field.queryset = parents


class CycleForm(forms.Form):
    name = forms.CharField(max_length=80)
    kind = forms.ChoiceField(choices=Cycle.Kind.choices)
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE)
