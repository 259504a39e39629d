"""Benchmark of the course catalogue on a large library.

    .venv/bin/python bench/content.py [--courses 20000] [--lessons 10] [--runs 15] [--seed 1]

Seeds the small demo company (people, skills, the demo library), then bulk-inserts ``--courses``
published courses with ``--lessons`` lessons each (200,000 lessons by default), a skill per
course and a frozen version, indexes courses and lessons for search, then times the catalogue
selector, page and API with their filters, and searches in courses and lessons, printing the
median time and the number of queries of each. Figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import configure, timed

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000
WORDS = [
    "practical",
    "guide",
    "data",
    "sql",
    "python",
    "kubernetes",
    "feedback",
    "interviews",
    "budgeting",
    "security",
    "design",
    "research",
    "testing",
    "review",
    "incident",
    "pipeline",
    "metrics",
    "cloud",
    "negotiation",
    "onboarding",
    "coaching",
]


def grow_library(courses: int, lessons: int, seed: int) -> None:
    """Bulk-insert published courses, their lessons, skills and versions."""
    import uuid

    from django.utils import timezone

    from ecotone.content.models import Course, CourseSkill, CourseVersion, Lesson
    from ecotone.people.models import Person
    from ecotone.skills.models import Skill

    rng = random.Random(seed)
    owners = list(Person.objects.filter(status=Person.Status.ACTIVE).values_list("pk", flat=True))
    skills = list(Skill.objects.filter(status=Skill.Status.ACTIVE).values_list("pk", flat=True))
    now = timezone.now()
    for start in range(0, courses, BATCH):
        count = min(BATCH, courses - start)
        rows = [
            Course(
                title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {start + i}",
                summary=" ".join(rng.choice(WORDS) for _ in range(20)),
                estimated_minutes=rng.choice([15, 30, 45, 60, 90, 150]),
                owner_id=rng.choice(owners),
                status=Course.Status.PUBLISHED,
                published_at=now - dt.timedelta(days=rng.randint(1, 900)),
                draft_changed_at=now - dt.timedelta(days=900),
                review_by=(now + dt.timedelta(days=rng.randint(-200, 300))).date(),
                lesson_count=lessons,
                enrolments=rng.randint(0, 400),
                completions=rng.randint(0, 200),
                rating=round(rng.uniform(2, 5), 2),
                ratings=rng.randint(1, 60),
                freshness=rng.choice(["fresh", "fresh", "fresh", "due", "stale"]),
            )
            for i in range(count)
        ]
        created = Course.objects.bulk_create(rows)
        versions = CourseVersion.objects.bulk_create(
            [
                CourseVersion(
                    course=course,
                    number=1,
                    snapshot={"title": course.title, "lessons": [], "skills": []},
                    changelog="First version.",
                    published_at=course.published_at or now,
                )
                for course in created
            ]
        )
        for course, version in zip(created, versions, strict=True):
            course.version = version
        Course.objects.bulk_update(created, ["version"], batch_size=1000)
        CourseSkill.objects.bulk_create(
            [
                CourseSkill(course=course, skill_id=rng.choice(skills), level=rng.randint(1, 5))
                for course in created
            ]
        )
        lesson_rows = Lesson.objects.bulk_create(
            [
                Lesson(
                    course=course,
                    key=uuid.uuid4(),
                    position=position,
                    title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)}",
                    body=" ".join(rng.choices(WORDS, k=40)) + f" topic{course.pk % 5000}",
                )
                for course in created
                for position in range(1, lessons + 1)
            ],
            batch_size=BATCH,
        )
        # The published snapshot holds the lessons (what the lesson search source indexes).
        by_course: dict[int, list[dict[str, Any]]] = {}
        for lesson in lesson_rows:
            by_course.setdefault(lesson.course_id, []).append(
                {"key": str(lesson.key), "kind": "text", "title": lesson.title, "body": lesson.body}
            )
        for version in versions:
            version.snapshot = {
                "title": version.snapshot["title"],
                "summary": "",
                "tags": [],
                "skills": [],
                "lessons": by_course.get(version.course_id, []),
            }
        CourseVersion.objects.bulk_update(versions, ["snapshot"], batch_size=1000)


def run(courses: int, lessons: int, seed: int, runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rich.console import Console
    from rich.table import Table

    from ecotone.content import selectors
    from ecotone.content.models import Course, Lesson
    from ecotone.kernel.pagination import paginate
    from ecotone.people.models import User
    from ecotone.people.seeding import seed_company
    from ecotone.skills.models import Skill

    console = Console()
    throwaway = connection.vendor != "sqlite"
    if throwaway:
        connection.settings_dict["TEST"]["NAME"] = f"ecotone_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        started = time.perf_counter()
        context = seed_company(size="small", seed=seed)
        grow_library(courses, lessons, seed)
        seed_seconds = time.perf_counter() - started
        started = time.perf_counter()
        from ecotone.kernel import search

        for source in ("content.courses", "content.lessons"):
            search.reindex(source)
        index_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        login = next(item for item in context.logins if item.role == "learner")
        learner = User.objects.get(email=login.email)
        skill = Skill.objects.filter(courses__isnull=False).first()
        assert skill is not None
        total_courses, total_lessons = Course.objects.count(), Lesson.objects.count()

        def page(filters: selectors.CatalogueFilters, number: int = 1) -> Any:
            result = paginate(selectors.catalogue(learner, filters), page=number, size=24)
            return [course.skills.all() for course in result.items]

        checks: list[tuple[str, Callable[[], Any]]] = [
            ("catalogue, popular (selector)", lambda: page(selectors.CatalogueFilters())),
            (
                "catalogue, page 40 (selector)",
                lambda: page(selectors.CatalogueFilters(sort="new"), 40),
            ),
            (
                "catalogue, title/summary words (selector)",
                lambda: page(selectors.CatalogueFilters(query="kubernetes review")),
            ),
            (
                "catalogue, skill + level (selector)",
                lambda: page(selectors.CatalogueFilters(skill=skill, level=3)),
            ),
            (
                "catalogue, short + fresh + 4 stars (selector)",
                lambda: page(
                    selectors.CatalogueFilters(
                        duration="short", freshness="fresh", min_rating=4, sort="rating"
                    )
                ),
            ),
        ]
        checks += [
            (
                "search 'kubernetes' in courses",
                lambda: search.search(learner, "kubernetes", sources=["content.courses"]),
            ),
            (
                "search 'kubernetes review' in lessons",
                lambda: search.search(learner, "kubernetes review", sources=["content.lessons"]),
            ),
            ("search 'topic1234', everything", lambda: search.search(learner, "topic1234")),
            ("search 'kube' (type-ahead), everything", lambda: search.search(learner, "kube")),
        ]
        client = Client(HTTP_HOST="localhost")
        client.force_login(learner)
        pages = [
            ("page /learn/", lambda: client.get("/learn/")),
            ("page /learn/?q=kubernetes", lambda: client.get("/learn/?q=kubernetes")),
            (f"page /learn/?skill={skill.slug}", lambda: client.get(f"/learn/?skill={skill.slug}")),
            ("page /search/?q=kubernetes", lambda: client.get("/search/?q=kubernetes")),
            ("api /api/v1/courses", lambda: client.get("/api/v1/courses")),
            (
                "api /api/v1/courses?q=data&sort=rating",
                lambda: client.get("/api/v1/courses?q=data&sort=rating"),
            ),
        ]
        for name, action in pages:
            status = action().status_code
            assert status == 200, (name, status)
        results = [(name, *timed(action, runs)) for name, action in checks + pages]
    finally:
        if throwaway:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    console.print(
        f"Database: {connection.vendor}; Python {platform.python_version()}; "
        f"{total_courses:,} courses, {total_lessons:,} lessons; built in {seed_seconds:.1f} s, "
        f"indexed for search in {index_seconds:.1f} s"
    )
    table = Table(title=f"Content, median of {runs} runs", title_justify="left")
    for column in ("what", "median ms", "queries"):
        table.add_column(column, justify="left" if column == "what" else "right")
    for name, median, queries in results:
        table.add_row(name, f"{median:.1f}", str(queries))
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=20_000)
    parser.add_argument("--lessons", type=int, default=10, help="Lessons per course.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecotone-bench-") as data_dir:
        configure(data_dir)
        run(options.courses, options.lessons, options.seed, options.runs)


if __name__ == "__main__":
    main()
