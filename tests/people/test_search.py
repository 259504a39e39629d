"""People in the global search, kept in step by the people services."""

from __future__ import annotations

import pytest

from ecotone.kernel.search import reindex, search
from ecotone.people import services


def titles(page) -> list[str]:
    return [hit.title for hit in page.items]


@pytest.fixture
def admin(org):
    return org.users["admin"]


def test_a_new_person_is_found_by_name_title_and_team(org, admin):
    person = services.create_person(
        actor=admin,
        email="noor@example.com",
        display_name="Noor Haddad",
        title="Data Scientist",
        team=org.teams["platform"],
        location="Lisbon",
    )
    viewer = org.users["learner"]

    for query in ("noor", "haddad", "data scientist", "platform noor", "lisbon"):
        assert titles(search(viewer, query, sources=["people"])) == ["Noor Haddad"], query
    hit = search(viewer, "noor", sources=["people"]).items[0]
    assert hit.url == f"/people/{person.pk}/"
    assert hit.facets == {"team": "Platform", "location": "Lisbon"}


def test_profile_edits_moves_departures_and_returns_keep_the_index_in_step(org, admin):
    person = services.create_person(actor=admin, email="r@example.com", display_name="Ravi Rao")
    viewer = org.users["learner"]

    services.update_person(actor=admin, person=person, title="Pilot")
    assert titles(search(viewer, "pilot")) == ["Ravi Rao"]

    services.move_team(actor=admin, person=person, team=org.teams["people"])
    assert [
        hit.title
        for hit in search(viewer, "ravi", sources=["people"], facets={"team": "People"}).items
    ] == ["Ravi Rao"]

    services.deactivate_person(actor=admin, person=person)
    assert search(viewer, "ravi").total == 0

    services.reactivate_person(actor=admin, person=person)
    assert titles(search(viewer, "ravi")) == ["Ravi Rao"]


def test_renaming_a_team_reindexes_its_members(org, admin):
    reindex("people")

    services.update_team(actor=admin, team=org.teams["platform"], name="Runtime")

    assert sorted(titles(search(org.users["ceo"], "runtime", sources=["people"]))) == [
        "Leo Learner",
        "Pia Peer",
    ]


def test_an_org_import_reindexes_people(org, admin):
    from ecotone.people.orgfile.importing import commit_org_import

    reindex("people")
    csv = (
        "email,display_name,title,team,manager_email\n"
        f"{org.people['ceo'].user.email},Cora CEO,Chief Executive,Acme,\n"
        "zed@example.com,Zed Zhou,Welder,Acme,\n"
    ).encode()

    commit_org_import(actor=admin, file=csv, filename="org.csv")

    assert titles(search(org.users["learner"], "welder")) == ["Zed Zhou"]


def test_people_who_left_are_not_indexed(org):
    from ecotone.people.models import Person

    Person.objects.filter(pk=org.people["peer"].pk).update(status=Person.Status.LEFT)

    assert reindex("people") == 7
    assert search(org.users["learner"], "pia").total == 0
