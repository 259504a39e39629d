"""Each skill level keeps its person's team (for the org heatmap) through every kind of move."""

from __future__ import annotations

import tablib

from ecotone.people import services as people_services
from ecotone.people.orgfile import commit_org_import
from ecotone.skills import selectors, services
from ecotone.skills.models import SkillLevel
from ecotone.skills.services import SYSTEM


def teams_of(person):
    return set(SkillLevel.objects.filter(person=person).values_list("team__slug", flat=True))


def heatmap_cells(viewer, skill_slug):
    heatmap = selectors.org_heatmap(viewer)
    column = [skill.slug for skill in heatmap.skills].index(skill_slug)
    return {
        row.team.slug: (row.people, row.cells[column].qualified if row.cells[column] else None)
        for row in heatmap.rows
    }


def test_evidence_records_the_team_and_moves_follow_it(engineers, framework):
    learner, admin = engineers.people["learner"], engineers.users["admin"]
    for skill in ("python", "kubernetes"):
        services.record_evidence(
            actor=SYSTEM,
            person=learner,
            skill=framework.skills[skill],
            source="manager",
            level=4,
            author=engineers.users["manager"],
        )
    assert teams_of(learner) == {"platform"}
    assert heatmap_cells(engineers.users["ld"], "python") == {
        "engineering": (3, 1),
        "people": (3, None),
    }

    people_services.move_team(actor=admin, person=learner, team=engineers.teams["people"])
    assert teams_of(learner) == {"people"}
    # The learner takes their role profile, their need and their level along.
    assert heatmap_cells(engineers.users["ld"], "python") == {
        "engineering": (2, 0),
        "people": (4, 1),
    }

    people_services.deactivate_person(actor=admin, person=learner)
    assert teams_of(learner) == {None}
    people_services.reactivate_person(actor=admin, person=learner)
    assert teams_of(learner) == {"people"}


def test_an_org_import_moves_levels_with_people(engineers, framework):
    learner = engineers.people["learner"]
    services.record_evidence(
        actor=SYSTEM,
        person=learner,
        skill=framework.skills["python"],
        source="manager",
        level=3,
        author=engineers.users["manager"],
    )
    dataset = tablib.Dataset(headers=["email", "display_name", "team"])
    dataset.append([learner.user.email, learner.display_name, "Acme/People"])
    commit_org_import(
        actor=engineers.users["admin"], file=dataset.export("csv").encode(), filename="org.csv"
    )
    assert teams_of(learner) == {"people"}
    dataset = tablib.Dataset(headers=["email", "display_name", "status"])
    dataset.append([learner.user.email, learner.display_name, "left"])
    commit_org_import(
        actor=engineers.users["admin"], file=dataset.export("csv").encode(), filename="org.csv"
    )
    assert teams_of(learner) == {None}


def test_the_nightly_refresh_repairs_a_stale_team(engineers, framework):
    learner = engineers.people["learner"]
    services.record_evidence(
        actor=SYSTEM, person=learner, skill=framework.skills["python"], source="self", level=2
    )
    SkillLevel.objects.filter(person=learner).update(team=None)
    services.refresh_levels(person_ids=[learner.pk])
    assert teams_of(learner) == {"platform"}


def test_refresh_level_reads_the_team_when_not_given(engineers, framework):
    learner, python = engineers.people["learner"], framework.skills["python"]
    services.record_evidence(actor=SYSTEM, person=learner, skill=python, source="self", level=2)
    SkillLevel.objects.filter(person=learner).update(team=None)
    services.refresh_level(person_id=learner.pk, skill_id=python.pk)
    assert teams_of(learner) == {"platform"}
