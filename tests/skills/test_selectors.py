from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ecotone.kernel.errors import Forbidden, NotFound
from ecotone.people.models import Person
from ecotone.skills import selectors, services
from ecotone.skills.models import Interest, RoleAssignment, SkillLevel
from ecotone.skills.services import SYSTEM
from tests.factories import PersonFactory


def rate(person, skill, level, source="self", days=0, author=None):
    return services.record_evidence(
        actor=SYSTEM,
        person=person,
        skill=skill,
        source=source,
        level=level,
        occurred_at=timezone.now() - dt.timedelta(days=days),
        author=author,
        link_type="test",
        link_id=f"{person.pk}-{skill.pk}-{source}-{days}",
    )


@pytest.fixture
def rated(engineers, framework):
    org, s = engineers, framework.skills
    learner, peer, manager = org.people["learner"], org.people["peer"], org.people["manager"]
    rate(learner, s["python"], 5)  # self only: private
    rate(learner, s["kubernetes"], 2, source="manager", author=manager.user)
    rate(peer, s["python"], 3, source="manager", author=manager.user)
    rate(peer, s["kubernetes"], 4, source="manager", author=manager.user, days=30)
    rate(peer, s["sql"], 2, source="peer", author=learner.user)
    return org


def test_person_levels_show_private_data_only_to_those_allowed(rated, framework):
    learner = rated.people["learner"]
    own = {row.skill.slug: row for row in selectors.person_levels(rated.users["learner"], learner)}
    assert [
        (k, r.level, r.validated_level, r.self_level, r.target_level) for k, r in own.items()
    ] == [
        ("kubernetes", 2, 2, None, 3),
        ("python", 5, None, 5, 3),
        ("sql", None, None, None, 2),
    ]
    assert own["python"].gap == 0
    assert own["kubernetes"].gap == 1
    seen_by_peer = selectors.person_levels(rated.users["peer"], learner)
    assert [(r.skill.slug, r.level, r.self_level) for r in seen_by_peer] == [
        ("kubernetes", 2, None),
        ("python", None, None),
        ("sql", None, None),
    ]
    gaps = selectors.person_gaps(rated.users["manager"], learner)
    assert [(r.skill.slug, r.gap) for r in gaps] == [("sql", 2), ("kubernetes", 1), ("python", 0)]


def test_person_levels_query_count(rated, django_assert_num_queries):
    learner, viewer = rated.people["learner"], rated.users["manager"]
    selectors.person_levels(viewer, learner)
    with django_assert_num_queries(4):
        selectors.person_levels(viewer, learner)


def test_evidence_trail_privacy(rated, framework):
    learner = rated.people["learner"]
    assert selectors.evidence_for(rated.users["manager"], learner).count() == 2
    assert [e.source for e in selectors.evidence_for(rated.users["peer"], learner)] == ["manager"]


def test_team_and_org_gaps(rated, framework, django_assert_num_queries):
    platform = rated.teams["platform"]
    analysis = selectors.team_gaps(rated.users["manager"], platform)
    by_skill = {gap.skill.slug: gap for gap in analysis.gaps}
    assert analysis.people == 2
    python = by_skill["python"]
    assert (python.target_level, python.needed, python.qualified, python.required) == (
        3,
        2,
        2,
        True,
    )
    assert (python.coverage, python.average_level, python.bus_factor_risk) == (1.0, 4.0, False)
    assert [e.person.display_name for e in python.experts] == ["Pia Peer"]
    kubernetes = by_skill["kubernetes"]
    assert (kubernetes.qualified, kubernetes.shortfall, kubernetes.coverage) == (1, 1, 0.5)
    # Experts are practitioners (validated 3) or better: the learner's validated 2 is not.
    assert [(e.person.display_name, e.validated_level) for e in kubernetes.experts] == [
        ("Pia Peer", 4)
    ]
    sql = by_skill["sql"]
    assert (sql.required, sql.needed, sql.qualified, sql.bus_factor_risk) == (False, 2, 0, True)
    assert [gap.skill.slug for gap in analysis.bus_factor] == ["sql", "kubernetes"]
    assert [gap.skill.slug for gap in analysis.gaps] == ["sql", "kubernetes", "python"]
    with pytest.raises(Forbidden):
        selectors.team_gaps(rated.users["learner"], platform)
    org_view = selectors.org_gaps(rated.users["executive"])
    assert org_view.people == 8
    assert {gap.skill.slug for gap in org_view.gaps} == {"python", "kubernetes", "sql"}
    selectors.team_gaps(rated.users["ld"], platform)  # the viewer's roles are cached from here
    # Seven for role profiles (see the selectors' docstrings), two for objective demand.
    with django_assert_num_queries(9):
        selectors.team_gaps(rated.users["ld"], platform)
    with django_assert_num_queries(9):
        selectors.org_gaps(rated.users["ld"], category=framework.categories["data"])


def test_gap_queries_do_not_grow_with_people(rated, framework, django_assert_num_queries):
    for n in range(5):
        person = PersonFactory(team=rated.teams["platform"], manager=rated.people["manager"])
        RoleAssignment.objects.create(person=person, role=framework.roles["engineer"])
        rate(person, framework.skills["python"], 1 + n % 5, source="manager")
    selectors.team_gaps(rated.users["ld"], rated.teams["engineering"])
    with django_assert_num_queries(9):
        analysis = selectors.team_gaps(rated.users["ld"], rated.teams["engineering"])
    assert analysis.people == 8


def test_team_matrix(rated, framework, django_assert_num_queries):
    manager = rated.users["manager"]
    matrix = selectors.team_matrix(manager)
    assert [p.display_name for p in matrix.people] == ["Leo Learner", "Pia Peer"]
    assert [s.slug for s in matrix.skills] == ["sql", "kubernetes", "python"]
    learner_row = matrix.row(rated.people["learner"])
    assert [(c.level, c.self_level, c.target_level) for c in learner_row] == [
        (None, None, 2),
        (2, None, 3),
        (5, 5, 3),
    ]
    by_python = selectors.team_matrix(manager, sort="python")
    assert [p.display_name for p in by_python.people] == ["Leo Learner", "Pia Peer"]
    by_kubernetes = selectors.team_matrix(manager, sort="kubernetes")
    assert [p.display_name for p in by_kubernetes.people] == ["Pia Peer", "Leo Learner"]
    data_only = selectors.team_matrix(manager, category=framework.categories["data"])
    assert [s.slug for s in data_only.skills] == ["sql"]
    # An executive sees the team, but not self-ratings.
    seen_by_exec = selectors.team_matrix(rated.users["executive"], team=rated.teams["platform"])
    assert [c.level for c in seen_by_exec.row(rated.people["learner"])] == [None, 2, None]
    with django_assert_num_queries(6):
        selectors.team_matrix(manager, team=rated.teams["platform"])


def test_org_heatmap_rolls_sub_teams_up(rated, framework, django_assert_num_queries):
    heatmap = selectors.org_heatmap(rated.users["ld"])
    assert heatmap.parent == rated.teams["company"]
    assert [(row.team.name, row.people, row.has_children) for row in heatmap.rows] == [
        ("Engineering", 3, True),
        ("People", 3, False),
    ]
    engineering = heatmap.rows[0]
    cells = dict(zip([s.slug for s in heatmap.skills], engineering.cells, strict=True))
    assert (cells["python"].needed, cells["python"].qualified) == (2, 2)
    assert (cells["kubernetes"].needed, cells["kubernetes"].qualified) == (2, 1)
    assert heatmap.rows[1].cells == [None, None, None]
    drill = selectors.org_heatmap(rated.users["ld"], team=rated.teams["engineering"])
    assert [row.team.name for row in drill.rows] == ["Platform"]
    with pytest.raises(Forbidden):
        selectors.org_heatmap(rated.users["manager"])
    with django_assert_num_queries(17):
        selectors.org_heatmap(rated.users["ld"], team=rated.teams["company"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kubernetes", ["kubernetes"]),
        ("kubernets", ["kubernetes"]),
        ("k8s", ["kubernetes"]),
        ("pyhton", ["python"]),
        ("postgres", ["sql"]),
        ("Statistcs", ["statistics"]),
        ("cooking", []),
        ("", []),
    ],
)
def test_match_skills_tolerates_typos(framework, org, query, expected):
    assert [s.slug for s, _ in selectors.match_skills(org.users["peer"], query)] == expected


def test_find_experts_ranks_validated_levels_and_hides_self_ratings(
    rated, framework, django_assert_num_queries
):
    experts = selectors.find_experts(rated.users["outsider"], "kubernets")
    assert [(e.person.display_name, e.level) for e in experts] == [
        ("Pia Peer", 4),
        ("Leo Learner", 2),
    ]
    # The learner's 5 in Python is a self-rating: not an expert until validated.
    assert [e.person.display_name for e in selectors.find_experts(rated.users["ld"], "python")] == [
        "Pia Peer"
    ]
    Person.objects.filter(pk=rated.people["peer"].pk).update(status=Person.Status.LEFT)
    with django_assert_num_queries(2):
        experts = selectors.find_experts(rated.users["outsider"], "k8s")
    assert [e.person.display_name for e in experts] == ["Leo Learner"]
    assert selectors.find_experts(rated.users["anonymous"], "k8s") == []


def test_recency_breaks_ties_between_equal_levels(org, framework):
    python = framework.skills["python"]
    rate(org.people["outsider"], python, 4, source="assessment", days=300)
    rate(org.people["admin"], python, 4, source="assessment", days=3)
    experts = selectors.find_experts(org.users["peer"], "python")
    assert [e.person.display_name for e in experts] == ["Ada Admin", "Otto Outsider"]


def test_interests_respect_privacy(engineers, framework):
    learner, python = engineers.people["learner"], framework.skills["python"]
    services.set_interest(actor=learner.user, person=learner, skill=python, kind="learn")
    assert len(selectors.people_interested(engineers.users["manager"], python)) == 1
    assert selectors.people_interested(engineers.users["peer"], python) == []
    services.hide_interests(actor=learner.user, person=learner, hidden=True)
    assert selectors.people_interested(engineers.users["ld"], python) == []
    assert list(selectors.interests_of(learner.user, learner).values_list("kind", flat=True)) == [
        "learn"
    ]
    assert Interest.objects.count() == 1


def test_skill_lookups(org, framework):
    assert selectors.skill_for(org.users["peer"], "python") == framework.skills["python"]
    with pytest.raises(NotFound):
        selectors.skill_for(org.users["peer"], "cooking")
    with pytest.raises(NotFound):
        selectors.skill_for(org.users["anonymous"], "python")
    assert SkillLevel.objects.count() == 0
