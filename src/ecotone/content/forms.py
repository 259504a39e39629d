"""HTML forms: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from ecotone.content.models import ContentRequest, Course, Lesson, Question, Reaction
from ecotone.content.services.authoring import ChoiceInput
from ecotone.kernel.errors import DomainError
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Skill

LEVEL_CHOICES = [(level, str(level)) for level in range(MIN_LEVEL, MAX_LEVEL + 1)]
SKILL_ROWS = 4
CHOICE_ROWS = 5


class SkillChoiceField(forms.ModelChoiceField[Skill]):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.name


def active_skills() -> Any:
    return Skill.objects.filter(status=Skill.Status.ACTIVE).order_by("name")


def attach(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    for field, messages in error.field_errors().items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(choices=Course.Audience.choices)
    estimated_minutes = forms.IntegerField(min_value=1, max_value=6000, initial=30)
    tags = forms.CharField(required=False, help_text="Separated by commas.")
    review_by = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When an author should check it is still right (a year by default).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(SKILL_ROWS):
            self.fields[f"skill_{row}"] = SkillChoiceField(
                queryset=active_skills(), required=False, label=f"Skill {row + 1}"
            )
            self.fields[f"level_{row}"] = forms.TypedChoiceField(
                choices=LEVEL_CHOICES, coerce=int, initial=2, label="Level reached"
            )

    def skill_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"skill_{row}"], self[f"level_{row}"]) for row in range(SKILL_ROWS)]

    def skills(self) -> list[tuple[Skill, int]]:
        data = self.cleaned_data
        return [
            (data[f"skill_{row}"], data[f"level_{row}"])
            for row in range(SKILL_ROWS)
            if data.get(f"skill_{row}") is not None
        ]

    def tag_list(self) -> list[str]:
        return [
            part.strip() for part in self.cleaned_data.get("tags", "").split(",") if part.strip()
        ]

    @classmethod
    def initial_for(cls, course: Course, skills: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": course.title,
            "summary": course.summary,
            "audience": course.audience,
            "estimated_minutes": course.estimated_minutes,
            "tags": ", ".join(course.tags),
            "review_by": course.review_by,
        }
        for row, taught in enumerate(skills[:SKILL_ROWS]):
            initial[f"skill_{row}"] = taught.skill_id
            initial[f"level_{row}"] = taught.level
        return initial


class CoverForm(forms.Form):
    cover = forms.FileField(required=False, help_text="PNG, JPEG or GIF, up to 2 MB.")
    remove = forms.BooleanField(required=False, label="Remove the cover")


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Lesson.Kind.choices, initial=Lesson.Kind.TEXT)
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Markdown: # headings, **bold**, lists, [links](https://…), ![images](…), "
        "``` code blocks ```, | tables |.",
    )
    pass_mark = forms.IntegerField(min_value=0, max_value=100, initial=70, label="Pass mark (%)")
    max_attempts = forms.IntegerField(
        min_value=0, max_value=100, initial=0, label="Attempts allowed (0: unlimited)"
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=Question.Kind.choices)
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(CHOICE_ROWS):
            self.fields[f"choice_{row}"] = forms.CharField(
                required=False, max_length=500, label=f"Answer {row + 1}"
            )
            self.fields[f"correct_{row}"] = forms.BooleanField(required=False, label="Correct")
            self.fields[f"feedback_{row}"] = forms.CharField(
                required=False, max_length=2000, label="Feedback"
            )

    def choice_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"choice_{row}"], self[f"correct_{row}"], self[f"feedback_{row}"])
            for row in range(CHOICE_ROWS)
        ]

    def choices(self) -> list[ChoiceInput]:
        data = self.cleaned_data
        return [
            ChoiceInput(data[f"choice_{row}"], data[f"correct_{row}"], data[f"feedback_{row}"])
            for row in range(CHOICE_ROWS)
        ]


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)
    comment = forms.CharField(required=False, max_length=2000)


class AskForm(forms.Form):
    title = forms.CharField(max_length=200, label="Your question")
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Details"
    )


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(5, 0, -1)], coerce=int)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(forms.Form):
    topic = forms.CharField(max_length=200, label="What is missing?")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Describe what you need",
        help_text="What would you like to be able to do after learning it?",
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=active_skills(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    blocks_label = forms.CharField(
        required=False, max_length=200, label="Goal or key result it blocks (optional)"
    )
    blocks_url = forms.CharField(required=False, max_length=300, label="Link to that goal")
    blocks_priority = forms.TypedChoiceField(
        choices=[(0, "None"), (1, "Low"), (2, "High"), (3, "Critical")],
        coerce=int,
        initial=0,
        label="Priority of that objective",
    )
    origin = forms.ChoiceField(
        choices=ContentRequest.Origin.choices, initial="direct", widget=forms.HiddenInput
    )
