"""Skills and people by skill in the global search, kept in step by the skills services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ecotone.kernel.models import SearchDocument
from ecotone.kernel.search import reindex, search
from ecotone.people.models import Person
from ecotone.skills import services
from ecotone.skills.services import SYSTEM


def titles(page) -> list[str]:
    return [hit.title for hit in page.items]


def rate(person, skill, level, source="self", author=None):
    return services.record_evidence(
        actor=SYSTEM,
        person=person,
        skill=skill,
        source=source,
        level=level,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        author=author,
        link_type="test",
        link_id=f"{person.pk}-{skill.pk}-{source}",
    )


@pytest.fixture
def ld(org):
    return org.people["ld"].user


def test_a_created_skill_is_found_by_name_alias_description_and_category(org, ld, framework):
    services.create_skill(
        actor=ld,
        name="Terraform",
        category=framework.categories["engineering"],
        aliases=["HCL", "infrastructure as code"],
        description="Declaring cloud infrastructure in versioned files.",
    )
    viewer = org.users["learner"]

    for query in ("terraform", "terra", "hcl", "declaring cloud", "engineering terraform"):
        assert titles(search(viewer, query, sources=["skills"])) == ["Terraform"], query
    hit = search(viewer, "terraform", sources=["skills"]).items[0]
    assert hit.url == "/skills/terraform/"
    assert hit.title_html == "<mark>Terraform</mark>"
    filtered = search(viewer, "terraform", sources=["skills"], facets={"category": "Data"})
    assert filtered.total == 0


def test_edits_deprecation_and_merges_keep_the_index_in_step(org, ld, framework):
    skill = services.create_skill(actor=ld, name="Excel", description="Spreadsheets.")
    other = services.create_skill(actor=ld, name="Spreadsheets")
    viewer = org.users["learner"]

    services.update_skill(actor=ld, skill=skill, name="Microsoft Excel", aliases=["xlsx"])
    assert titles(search(viewer, "xlsx")) == ["Microsoft Excel"]

    services.update_skill(actor=ld, skill=skill, status="deprecated")
    assert search(viewer, "xlsx").total == 0

    services.update_skill(actor=ld, skill=skill, status="active")
    services.merge_skill(actor=ld, skill=skill, into=other)
    assert titles(search(viewer, "excel")) == ["Spreadsheets"]  # the old name became an alias
    assert list(SearchDocument.objects.filter(source="skills").values_list("key", flat=True)) == [
        "spreadsheets"
    ]


def test_a_framework_import_reindexes_the_skills(org, ld):
    from ecotone.skills.importers import import_framework, read_framework

    text = (
        "uri,label,alternative labels,description,type,broader\n"
        "urn:x:1,Pottery,ceramics,Clay.,skill,\n"
    )
    format, rows = read_framework(text, "skills.csv")
    import_framework(actor=ld, rows=rows, format=format)

    assert titles(search(org.users["learner"], "ceramics")) == ["Pottery"]


def test_people_by_skill_lists_validated_levels_only(org, framework):
    s = framework.skills
    learner, peer, manager = org.people["learner"], org.people["peer"], org.people["manager"]
    rate(learner, s["python"], 5)  # a self-rating: private, never listed
    rate(peer, s["python"], 4, source="manager", author=manager.user)
    rate(peer, s["kubernetes"], 3, source="manager", author=manager.user)

    page = search(org.users["outsider"], "python")
    experts = page.live["skills.experts"]

    assert [(hit.title, hit.detail) for hit in experts] == [
        ("Pia Peer", "Python: validated level 4 · Advanced")
    ]
    assert experts[0].url == f"/people/{peer.pk}/"
    assert experts[0].source_label == "People by skill"
    assert ("skills.experts", 1) in [(c.name, c.count) for c in page.counts]
    only = search(org.users["outsider"], "k8s", sources=["skills.experts"])
    assert [hit.title for hit in only.items] == ["Pia Peer"]
    Person.objects.filter(pk=peer.pk).update(status=Person.Status.LEFT)
    assert search(org.users["outsider"], "python").live == {}


def test_anonymous_viewers_find_no_skills_nor_experts(org, ld, framework):
    services.create_skill(actor=ld, name="Terraform")

    page = search(AnonymousUser(), "terraform")

    assert (page.total, page.counts, page.live) == (0, [], {})


def test_reindex_builds_the_skills_index_from_the_framework(org, framework):
    assert reindex("skills") == 4

    assert titles(search(org.users["learner"], "cpython")) == ["Python"]
    assert search(org.users["learner"], "postgres").items[0].facets == {"category": "Data"}


def test_searching_skills_and_experts_runs_a_constant_number_of_queries(
    org, framework, django_assert_num_queries
):
    reindex("skills")
    s = framework.skills
    rate(org.people["peer"], s["python"], 4, source="manager", author=org.people["manager"].user)
    viewer = org.users["learner"]
    search(viewer, "python")  # the viewer's person and roles are cached from here on

    # counts, page, and for people by skill: skills to match, levels, the scale's names
    with django_assert_num_queries(5):
        page = search(viewer, "python")
    assert titles(page) == ["Python"]
    assert [hit.title for hit in page.live["skills.experts"]] == ["Pia Peer"]
