from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ecotone.content.models import Course, Lesson
from ecotone.content.services import authoring
from ecotone.content.services.authoring import ChoiceInput
from ecotone.skills.models import Skill, SkillCategory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Library:
    skills: dict[str, Skill]
    course: Course
    lesson: Lesson
    quiz: Lesson


@pytest.fixture
def skills(db) -> dict[str, Skill]:
    data = SkillCategory.objects.create(name="Data", slug="data")
    return {
        "sql": Skill.objects.create(name="SQL", slug="sql", category=data),
        "python": Skill.objects.create(name="Python", slug="python", category=data),
    }


def write_course(author: Any, skills: dict[str, Skill], *, title: str = "SQL basics") -> Course:
    course = authoring.create_course(
        actor=author.user,
        title=title,
        summary="Query data with SQL.",
        estimated_minutes=45,
        tags=["data"],
        skills=[(skills["sql"], 2)],
    )
    authoring.add_lesson(actor=author.user, course=course, title="Select", body="# Select\n\nRows.")
    quiz = authoring.add_lesson(
        actor=author.user, course=course, title="Check", kind="quiz", pass_mark=50, max_attempts=2
    )
    authoring.add_question(
        actor=author.user,
        lesson=quiz,
        kind="single",
        prompt="Which keyword reads rows?",
        choices=[ChoiceInput("SELECT", True, "Right."), ChoiceInput("DROP", False, "No!")],
    )
    authoring.add_question(
        actor=author.user,
        lesson=quiz,
        kind="true_false",
        prompt="SQL is declarative.",
        choices=[ChoiceInput("True", True), ChoiceInput("False", False)],
    )
    return course


@pytest.fixture
def library(org, skills) -> Library:
    """A published course by the peer: one lesson and a two-question quiz."""
    course = write_course(org.people["peer"], skills)
    authoring.publish_course(actor=org.people["peer"].user, course=course)
    course.refresh_from_db()
    lesson, quiz = list(course.lessons.order_by("position"))
    return Library(skills=skills, course=course, lesson=lesson, quiz=quiz)
