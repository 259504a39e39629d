"""Benchmark of the OKR tree, capability readiness and learning goals on a generated company.

    .venv/bin/python bench/goals.py [--size large] [--runs 10] [--seed 1]

Seeds the demo company (people, skills, and the goals seed steps: two quarters of OKRs with
skill demand, learning goals), then tops the current cycle up to ``--objectives`` objectives
(default 2,000, personal objectives aligned to team ones) and ``--skills`` distinct demanded
skills (default 200; the demo framework has 120, so the rest are added as benchmark skills with
validated levels for a few hundred people each). It times the selectors behind the goals pages
and the pages themselves, and prints the median time and the number of queries of each.
Figures only.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import configure, timed

ROOT = Path(__file__).resolve().parent.parent


def top_up(objectives: int, skills: int, seed: int) -> tuple[Any, int, int, int]:
    """Add personal objectives and demanded skills to the current cycle until the targets."""
    import random

    from django.utils import timezone

    from ecotone.goals.models import Alignment, Cycle, KeyResult, Objective, SkillDemand
    from ecotone.people.models import Person
    from ecotone.skills.models import Skill, SkillLevel

    rng = random.Random(seed)
    today = timezone.localdate()
    cycle = Cycle.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
    assert cycle is not None, "the goals seed steps wrote no current cycle"
    teams = list(Objective.objects.filter(cycle=cycle, level="team").values_list("pk", "team_id"))
    people = list(
        Person.objects.filter(status=Person.Status.ACTIVE).values_list("pk", "team_id")[:50000]
    )
    missing = objectives - Objective.objects.filter(cycle=cycle).count()
    if missing > 0:
        rows = []
        for index in range(missing):
            person_id, team_id = rng.choice(people)
            rows.append(
                Objective(
                    cycle=cycle,
                    level="personal",
                    title=f"Benchmark objective {index}",
                    owner_id=person_id,
                    team_id=team_id,
                )
            )
        Objective.objects.bulk_create(rows, batch_size=2000)
        Alignment.objects.bulk_create(
            [Alignment(child=row, parent_id=rng.choice(teams)[0]) for row in rows],
            batch_size=2000,
        )
        KeyResult.objects.bulk_create(
            [
                KeyResult(objective=row, title="Milestones", target_value=3, current_value=1)
                for row in rows
            ],
            batch_size=2000,
        )
    demanded = set(
        SkillDemand.objects.filter(objective__cycle=cycle).values_list("skill_id", flat=True)
    )
    pool = [pk for pk in Skill.objects.values_list("pk", flat=True) if pk not in demanded]
    extra = max(0, skills - len(demanded) - len(pool))
    now = timezone.now()
    for index in range(extra):
        skill = Skill.objects.create(name=f"Benchmark skill {index}", slug=f"bench-{index}")
        pool.append(skill.pk)
        SkillLevel.objects.bulk_create(
            [
                SkillLevel(
                    person_id=person_id,
                    skill=skill,
                    level=level,
                    validated_level=level,
                    validated_at=now,
                    last_evidence_at=now,
                    computed_at=now,
                )
                for person_id, _ in rng.sample(people, min(len(people), 300))
                for level in [rng.randint(1, 5)]
            ],
            ignore_conflicts=True,
        )
    need = max(0, skills - len(demanded))
    SkillDemand.objects.bulk_create(
        [
            SkillDemand(
                objective_id=rng.choice(teams)[0],
                skill_id=skill_id,
                min_level=rng.choice([3, 4]),
                needed=rng.randint(2, 10),
            )
            for skill_id in pool[:need]
        ],
        ignore_conflicts=True,
    )
    total = Objective.objects.filter(cycle=cycle).count()
    demands = SkillDemand.objects.filter(objective__cycle=cycle)
    return cycle, total, demands.count(), demands.values("skill_id").distinct().count()


def run(size: str, seed: int, runs: int, objectives: int, skills: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rich.console import Console
    from rich.table import Table

    from ecotone.goals import selectors
    from ecotone.goals.models import LearningGoal, Objective
    from ecotone.people.models import Person
    from ecotone.people.seeding import seed_company
    from ecotone.skills import selectors as skill_selectors

    console = Console()
    throwaway = connection.vendor != "sqlite"
    if throwaway:
        connection.settings_dict["TEST"]["NAME"] = f"ecotone_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        started = time.perf_counter()
        context = seed_company(size=size, seed=seed)
        cycle, total, demands, distinct = top_up(objectives, skills, seed)
        seed_seconds = time.perf_counter() - started
        logins = {login.role: login for login in context.logins}

        def person(role: str) -> Any:
            return Person.objects.select_related("user", "team").get(user__email=logins[role].email)

        executive, manager, learner = person("executive"), person("manager"), person("learner")
        people = Person.objects.filter(status=Person.Status.ACTIVE).count()
        goals = LearningGoal.objects.count()
        worst = next(
            row
            for row in selectors.org_readiness(executive.user, cycle)
            if row.objective.level == Objective.Level.COMPANY
        ).objective
        checks: list[tuple[str, Callable[[], Any]]] = [
            ("OKR tree, whole cycle (selector)", lambda: selectors.okr_tree(executive.user, cycle)),
            ("org readiness (selector)", lambda: selectors.org_readiness(executive.user, cycle)),
            (
                "objective page, worst company objective (selector)",
                lambda: selectors.objective_page(executive.user, worst),
            ),
            (
                "suggestions, learner (selector)",
                lambda: selectors.suggestions(learner.user, learner),
            ),
            ("team goals, manager (selector)", lambda: selectors.team_goals(manager.user)),
            (
                "skills org gaps incl. objective demand (selector)",
                lambda: skill_selectors.org_gaps(executive.user),
            ),
        ]
        as_exec, as_manager, as_learner = (Client(HTTP_HOST="localhost") for _ in range(3))
        as_exec.force_login(executive.user)
        as_manager.force_login(manager.user)
        as_learner.force_login(learner.user)
        pages = [
            ("page /goals/okrs/ (whole tree)", lambda: as_exec.get("/goals/okrs/")),
            ("page /goals/okrs/?level=company", lambda: as_exec.get("/goals/okrs/?level=company")),
            ("page /goals/readiness/", lambda: as_exec.get("/goals/readiness/")),
            (
                "page /goals/objectives/<worst>/",
                lambda: as_exec.get(f"/goals/objectives/{worst.pk}/"),
            ),
            ("page /goals/new/ (learner)", lambda: as_learner.get("/goals/new/")),
            ("page /goals/ (learner)", lambda: as_learner.get("/goals/")),
            ("page /goals/team/ (manager)", lambda: as_manager.get("/goals/team/")),
            ("page / (home, learner)", lambda: as_learner.get("/")),
        ]
        results = [(name, *timed(action, runs)) for name, action in checks + pages]
    finally:
        if throwaway:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    console.print(
        f"Database: {connection.vendor}; Python {platform.python_version()}; {size} company: "
        f"{people:,} active people; current cycle {cycle.name}: {total:,} objectives, "
        f"{demands:,} skill demands over {distinct:,} distinct skills; {goals:,} learning goals; "
        f"seeded in {seed_seconds:.1f} s"
    )
    table = Table(title=f"Goals, median of {runs} runs", title_justify="left")
    for column in ("what", "median ms", "queries"):
        table.add_column(column, justify="left" if column == "what" else "right")
    for name, median, queries in results:
        table.add_row(name, f"{median:.1f}", str(queries))
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "medium", "large", "huge"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--objectives", type=int, default=2000)
    parser.add_argument("--skills", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecotone-bench-") as data_dir:
        configure(data_dir)
        run(options.size, options.seed, options.runs, options.objectives, options.skills)


if __name__ == "__main__":
    main()
