"""The role_profile column of the org file: import, preview, bad rows, export round trip."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ecotone.kernel.models import SecurityEvent
from ecotone.people.models import Person
from ecotone.people.orgfile import (
    ImportInvalid,
    all_columns,
    commit_org_import,
    export_org,
    preview_org_import,
)
from ecotone.people.orgfile.report import Change
from ecotone.people.services import create_api_token
from ecotone.skills.models import RoleAssignment, RoleProfile

HEADERS = ["email", "display_name", "role_profile"]


def org_file(rows, headers=HEADERS, file_format="csv"):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    exported = dataset.export(file_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def assignments():
    return dict(RoleAssignment.objects.values_list("person__user__email", "role__slug"))


def row_of(org, name, profile):
    person = org.people[name]
    return [person.user.email, person.display_name, profile]


@pytest.fixture
def analyst(framework):
    return RoleProfile.objects.create(name="Data analyst", slug="data-analyst")


def test_the_column_is_registered_after_people_columns():
    assert all_columns()[-1] == "role_profile"


def test_preview_shows_profile_changes_and_writes_nothing(engineers, analyst):
    rows = [
        row_of(engineers, "learner", "data-analyst"),  # by slug: a change
        row_of(engineers, "peer", "ENGINEER"),  # by name, any case: unchanged
        row_of(engineers, "manager", "Data analyst"),  # newly assigned
        ["new@example.com", "New Person", "Engineer"],
    ]
    before = assignments()
    preview = preview_org_import(
        actor=engineers.users["admin"], file=org_file(rows), filename="org.csv"
    )
    assert preview.is_valid
    assert [row.action for row in preview.rows] == ["update", "unchanged", "update", "create"]
    assert preview.rows[0].changes == {"role_profile": Change("Engineer", "Data analyst")}
    assert preview.rows[2].changes == {"role_profile": Change("", "Data analyst")}
    assert assignments() == before


def test_commit_assigns_changes_and_removes_profiles_in_one_go(engineers, analyst):
    rows = [
        row_of(engineers, "learner", "data-analyst"),
        row_of(engineers, "peer", ""),  # empty: removes the assignment
        row_of(engineers, "manager", "Engineer"),
        ["new@example.com", "New Person", "Data analyst"],
        ["blank@example.com", "Blank Person", ""],
    ]
    result = commit_org_import(
        actor=engineers.users["admin"], file=org_file(rows), filename="org.csv"
    )
    assert (result.created, result.updated, result.unchanged) == (2, 3, 0)
    assert assignments() == {
        engineers.people["learner"].user.email: "data-analyst",
        engineers.people["manager"].user.email: "engineer",
        "new@example.com": "data-analyst",
    }
    event = SecurityEvent.objects.get(action="skills.role_profiles_assigned")
    assert event.actor == engineers.users["admin"]
    assert event.detail == {"assigned": 3, "removed": 1}
    again = commit_org_import(
        actor=engineers.users["admin"], file=org_file(rows), filename="org.csv"
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert SecurityEvent.objects.filter(action="skills.role_profiles_assigned").count() == 1


def test_a_file_without_the_column_leaves_profiles_alone(engineers):
    rows = [[engineers.people["learner"].user.email, "Renamed Learner"]]
    commit_org_import(
        actor=engineers.users["admin"],
        file=org_file(rows, headers=["email", "display_name"]),
        filename="org.csv",
    )
    assert engineers.people["learner"].user.email in assignments()


@pytest.mark.parametrize("header", ["Role profile", "job role", "Role-Profile-Slug"])
def test_header_aliases(engineers, analyst, header):
    rows = [row_of(engineers, "learner", "data-analyst")]
    preview = preview_org_import(
        actor=engineers.users["admin"],
        file=org_file(rows, headers=["email", "display_name", header]),
        filename="org.csv",
    )
    assert preview.columns == ["email", "display_name", "role_profile"]
    assert preview.rows[0].changes["role_profile"] == Change("Engineer", "Data analyst")


def test_an_unknown_profile_is_an_error_on_its_row_and_nothing_is_written(engineers, analyst):
    rows = [
        row_of(engineers, "learner", "data-analyst"),
        row_of(engineers, "peer", "Astronaut"),
        ["new@example.com", "New Person", "Engineer"],
    ]
    before = assignments()
    people = Person.objects.count()
    preview = preview_org_import(
        actor=engineers.users["admin"], file=org_file(rows), filename="org.csv"
    )
    assert [row.action for row in preview.rows] == ["update", "error", "create"]
    message = (
        "Unknown role profile 'Astronaut': write the name or slug of a role profile "
        "(Data analyst, Engineer)."
    )
    assert preview.rows[1].errors == {"role_profile": [message]}
    assert [cell.errors for cell in preview.rows[1].cells if cell.column == "role_profile"] == [
        [message]
    ]
    with pytest.raises(ImportInvalid) as caught:
        commit_org_import(actor=engineers.users["admin"], file=org_file(rows), filename="org.csv")
    assert caught.value.errors == {"row 3: role_profile": [message]}
    assert assignments() == before
    assert Person.objects.count() == people


def test_without_any_profile_the_error_says_so(org):
    rows = [row_of(org, "learner", "Engineer")]
    preview = preview_org_import(actor=org.users["admin"], file=org_file(rows), filename="o.csv")
    assert preview.rows[0].errors == {
        "role_profile": ["Unknown role profile 'Engineer': no role profile exists yet."]
    }


def test_export_writes_the_profile_name(engineers, django_assert_num_queries):
    # The exporter's roles (2), teams, grants, role profiles, people, audit row.
    with django_assert_num_queries(7):
        data = export_org(actor=engineers.users["ld"], file_format="csv")
    dataset = tablib.Dataset().load(data.decode(), format="csv")
    assert dataset.headers[-1] == "role_profile"
    profiles = {row["email"]: row["role_profile"] for row in dataset.dict}
    assert profiles[engineers.people["learner"].user.email] == "Engineer"
    assert profiles[engineers.people["manager"].user.email] == ""


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(engineers, analyst, file_format):
    RoleAssignment.objects.create(person=engineers.people["manager"], role=analyst)
    data = export_org(actor=engineers.users["admin"], file_format=file_format)
    before = assignments()
    preview = preview_org_import(
        actor=engineers.users["admin"], file=data, filename=f"org.{file_format}"
    )
    assert {row.action for row in preview.rows} == {"unchanged"}
    commit_org_import(actor=engineers.users["admin"], file=data, filename=f"org.{file_format}")
    assert assignments() == before
    assert len(before) == 3


def test_an_edited_export_moves_one_person(engineers, analyst):
    data = export_org(actor=engineers.users["admin"], file_format="csv")
    dataset = tablib.Dataset().load(data.decode(), format="csv")
    learner_email = engineers.people["learner"].user.email
    edited = tablib.Dataset(headers=dataset.headers)
    for row in dataset.dict:
        if row["email"] == learner_email:
            row["role_profile"] = "Data analyst"
        edited.append([row[header] for header in dataset.headers])
    result = commit_org_import(
        actor=engineers.users["admin"], file=edited.export("csv").encode(), filename="org.csv"
    )
    assert (result.updated, result.unchanged) == (1, 7)
    assert assignments()[learner_email] == "data-analyst"


def test_the_preview_page_shows_the_row_error_and_no_confirm(client, engineers):
    client.force_login(engineers.users["admin"])
    rows = [row_of(engineers, "learner", "Astronaut")]
    response = client.post(
        reverse("org_import_preview"),
        {"file": SimpleUploadedFile("org.csv", org_file(rows), "text/csv")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown role profile &#x27;Astronaut&#x27;: no role profile" not in page
    assert "Unknown role profile &#x27;Astronaut&#x27;: write the name or slug" in page
    assert '<th scope="col">role_profile</th>' in page
    assert "Confirm and import" not in page


def test_the_api_refuses_a_commit_with_an_unknown_profile(engineers):
    secret = create_api_token(actor=engineers.users["admin"], name="import").secret
    rows = [row_of(engineers, "learner", "Astronaut")]
    response = Client().post(
        "/api/v1/people/import",
        {"file": SimpleUploadedFile("org.csv", org_file(rows), "text/csv"), "commit": "true"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"row 2: role_profile", "file"}
    assert assignments()[engineers.people["learner"].user.email] == "engineer"
