"""Org import and export through the pages, the API and the command line, thinly: the rules are
tested in test_orgfile.py."""

import io
import json
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from ecotone.kernel.models import SecurityEvent
from ecotone.people import services
from ecotone.people.models import Person, Team

API = "/api/v1"
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "org-small.csv"
GOOD = (
    b"email,display_name,team,manager_email\n"
    b"kim@example.com,Kim Report,Acme/Data,kai@example.com\n"
    b"kai@example.com,Kai Lead,Acme/Data,\n"
)
BAD = b"email,display_name,time_zone\nkim@example.com,Kim,Mars/Base\nnot-an-email,Kai,UTC\n"


@pytest.fixture(autouse=True)
def fast_passwords_and_a_data_dir(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path


def upload(data: bytes, name: str = "org.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def signed_in(client, org, name):
    client.force_login(org.people[name].user)
    return client


def bearer(user) -> dict[str, str]:
    secret = services.create_api_token(actor=user, name="test").secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def uploads(settings) -> list[Path]:
    directory = Path(settings.DATA_DIR) / "uploads"
    return sorted(directory.iterdir()) if directory.exists() else []


# --- HTML ------------------------------------------------------------------------------------


def test_upload_form_shows_the_file_input_and_export_links(client, org):
    response = signed_in(client, org, "admin").get(reverse("org_import"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page
    assert 'accept=".csv,.tsv,.txt,.xlsx,' in page
    assert reverse("org_export", args=["csv"]) == "/people/export.csv"
    assert 'href="/people/export.xlsx"' in page


def test_preview_then_confirm_imports_the_file_and_cleans_up(client, org, settings):
    signed_in(client, org, "admin")
    people_before = Person.objects.count()
    response = client.post(reverse("org_import_preview"), {"file": upload(GOOD)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<dt>New people</dt><dd>2</dd>" in page
    assert "<li>Acme/Data</li>" in page
    assert "Confirm and import" in page
    assert Person.objects.count() == people_before
    assert len(uploads(settings)) == 1
    token = response.context["token"]
    assert list(client.session["org_imports"]) == [token]

    response = client.post(reverse("org_import_commit"), {"token": token})
    assert response.status_code == 200
    assert "<dt>New people</dt><dd>2</dd>" in response.content.decode()
    assert Person.objects.count() == people_before + 2
    kim = Person.objects.get(user__email="kim@example.com")
    assert kim.manager.display_name == "Kai Lead"
    assert kim.team.name == "Data"
    assert uploads(settings) == []
    assert client.session["org_imports"] == {}
    assert SecurityEvent.objects.filter(action="people.org_imported").count() == 1
    # The token is spent: confirming again says the preview expired.
    again = client.post(reverse("org_import_commit"), {"token": token})
    assert again.status_code == 410
    assert "This preview has expired" in again.content.decode()


def test_preview_of_a_bad_file_shows_errors_next_to_cells_and_no_confirm(client, org):
    response = signed_in(client, org, "admin").post(
        reverse("org_import_preview"), {"file": upload(BAD)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<dt>Rows with errors</dt><dd>2</dd>" in page
    assert "Unknown time zone &#x27;Mars/Base&#x27;; use a name like Europe/Paris." in page
    assert "&#x27;not-an-email&#x27; is not a valid e-mail address." in page
    assert "Confirm and import" not in page
    assert 'role="alert"' in page


def test_an_unreadable_file_is_refused_next_to_the_file_input(client, org):
    response = signed_in(client, org, "admin").post(
        reverse("org_import_preview"), {"file": upload(b"name,title\nA,B\n")}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="file-errors"' in page
    assert "The file needs the column email" in page


def test_preview_page_runs_the_same_queries_whatever_the_file_size(
    client, org, django_assert_num_queries
):
    signed_in(client, org, "admin")
    small = b"email,name\n" + b"".join(f"p{i}@example.com,P {i}\n".encode() for i in range(3))
    large = b"email,name\n" + b"".join(f"p{i}@example.com,P {i}\n".encode() for i in range(300))
    client.post(reverse("org_import_preview"), {"file": upload(small)})  # warm the session
    # Session, sign-in and roles (5), people, teams, grants, the page's inbox count, session save.
    with django_assert_num_queries(12):
        client.post(reverse("org_import_preview"), {"file": upload(small)})
    with django_assert_num_queries(12):
        client.post(reverse("org_import_preview"), {"file": upload(large)})


def test_deactivate_missing_option_is_shown_on_the_preview(client, org):
    data = f"email,name\n{org.people['admin'].user.email},Ada Admin\n".encode()
    response = signed_in(client, org, "admin").post(
        reverse("org_import_preview"), {"file": upload(data), "deactivate_missing": "on"}
    )
    page = response.content.decode()
    assert "<dt>People marked as left (not in the file)</dt><dd>7</dd>" in page
    assert "Not in the file: will be marked as left" in page


@pytest.mark.parametrize("name", ["ld", "manager", "learner"])
def test_import_pages_refuse_non_admins(client, org, name):
    signed_in(client, org, name)
    assert client.get(reverse("org_import")).status_code == 403
    response = client.post(reverse("org_import_preview"), {"file": upload(GOOD)})
    assert response.status_code == 403
    assert client.post(reverse("org_import_commit"), {"token": "x"}).status_code == 403


def test_import_pages_send_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("org_import"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "file_format", "status"),
    [
        ("admin", "csv", 200),
        ("ld", "xlsx", 200),
        ("executive", "csv", 403),
        ("learner", "xlsx", 403),
        ("admin", "pdf", 404),
    ],
)
def test_export_links(client, org, name, file_format, status):
    response = signed_in(client, org, name).get(f"/people/export.{file_format}")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith('attachment; filename="ecotone-org-')
        assert response["Content-Disposition"].endswith(f'.{file_format}"')


def test_export_link_runs_the_same_queries_whatever_the_org_size(
    client, org, django_assert_num_queries
):
    signed_in(client, org, "admin")
    client.get("/people/export.csv")
    # Session, user, roles, teams, grants, people, audit row, ... and one for each column other
    # apps register (the skills app's role_profile).
    with django_assert_num_queries(10):
        client.get("/people/export.csv")
    for n in range(5):
        services.create_person(
            actor=org.users["admin"], email=f"n{n}@example.com", display_name=f"N {n}"
        )
    with django_assert_num_queries(10):
        response = client.get("/people/export.csv")
    assert len(response.content.decode().strip().splitlines()) == 1 + 8 + 5


# --- API -------------------------------------------------------------------------------------


def test_api_preview_reports_rows_and_writes_nothing(org):
    people_before = Person.objects.count()
    response = Client().post(
        f"{API}/people/import", {"file": upload(GOOD)}, **bearer(org.users["admin"])
    )
    assert response.status_code == 200
    body = response.json()
    assert body["committed"] is False
    assert body["valid"] is True
    assert body["counts"] == {
        "rows": 2, "create": 2, "update": 0, "unchanged": 0, "error": 0,
        "deactivate": 0, "teams": 1, "moved_up": 0,
    }  # fmt: skip
    assert body["teams_to_create"] == ["Acme/Data"]
    assert body["rows"][0] == {
        "row": 2,
        "action": "create",
        "email": "kim@example.com",
        "employee_id": "",
        "display_name": "Kim Report",
        "changes": {},
        "errors": {},
    }
    assert Person.objects.count() == people_before


def test_api_commit_applies_the_file(org):
    response = Client().post(
        f"{API}/people/import",
        {"file": upload(SAMPLE.read_bytes(), SAMPLE.name), "commit": "true"},
        **bearer(org.users["admin"]),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["committed"] is True
    assert body["counts"]["create"] == 15
    assert Person.objects.filter(user__email__endswith="@example.com").count() >= 15
    assert Team.objects.filter(name="Harbour Labs").exists()


def test_api_commit_of_a_bad_file_is_a_problem_and_writes_nothing(org):
    people_before = Person.objects.count()
    response = Client().post(
        f"{API}/people/import",
        {"file": upload(BAD), "commit": "true"},
        **bearer(org.users["admin"]),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "import_invalid"
    assert problem["errors"]["row 2: time_zone"] == [
        "Unknown time zone 'Mars/Base'; use a name like Europe/Paris."
    ]
    assert problem["errors"]["row 3: email"] == ["'not-an-email' is not a valid e-mail address."]
    assert Person.objects.count() == people_before


def test_api_preview_of_an_unreadable_file_is_a_problem(org):
    response = Client().post(
        f"{API}/people/import",
        {"file": upload(b"\x00\x01", "org.xls")},
        **bearer(org.users["admin"]),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "file": ["Old Excel files (.xls) are not supported; save the sheet as .xlsx or CSV."]
    }


@pytest.mark.parametrize("name", ["ld", "learner"])
def test_api_import_refuses_non_admins(org, name):
    response = Client().post(
        f"{API}/people/import", {"file": upload(GOOD)}, **bearer(org.users[name])
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("name", "file_format", "status"),
    [("admin", "csv", 200), ("ld", "xlsx", 200), ("learner", "csv", 403), ("admin", "pdf", 422)],
)
def test_api_export(org, name, file_format, status, django_assert_num_queries):
    headers = bearer(org.users[name])
    response = Client().get(f"{API}/people/export?format={file_format}", **headers)
    assert response.status_code == status
    if file_format == "xlsx" and status == 200:
        dataset = tablib.Dataset().load(response.content, format="xlsx")
        assert len(dataset) == 8
    if file_format == "csv" and status == 200:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        # Token, throttle cache, roles, teams, grants, role profiles (a column of skills), ...
        with django_assert_num_queries(15):
            Client().get(f"{API}/people/export?format=csv", **headers)


def test_api_export_then_import_changes_nothing(org):
    headers = bearer(org.users["admin"])
    exported = Client().get(f"{API}/people/export?format=xlsx", **headers).content
    response = Client().post(
        f"{API}/people/import", {"file": upload(exported, "org.xlsx")}, **headers
    )
    assert {row["action"] for row in response.json()["rows"]} == {"unchanged"}


# --- Command line ----------------------------------------------------------------------------


def test_cli_previews_without_writing_then_commits(org, tmp_path):
    path = tmp_path / "org.csv"
    path.write_bytes(GOOD)
    people_before = Person.objects.count()
    out = io.StringIO()
    call_command("import_org", str(path), stdout=out)
    assert "2 new" in out.getvalue()
    assert "kim@example.com" in out.getvalue()
    assert "Run again with --commit" in out.getvalue()
    assert Person.objects.count() == people_before
    out = io.StringIO()
    call_command("import_org", str(path), "--commit", stdout=out)
    assert "Imported org.csv: 2 created" in out.getvalue()
    assert Person.objects.count() == people_before + 2
    event = SecurityEvent.objects.get(action="people.org_imported")
    assert event.actor == org.users["admin"]


def test_cli_lists_row_errors_and_refuses_to_commit(org, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_org", str(path), "--commit", stdout=out)
    assert "Mars/Base" in out.getvalue()


def test_cli_acts_as_the_given_user_and_refuses_non_admins(org, tmp_path):
    path = tmp_path / "org.csv"
    path.write_bytes(GOOD)
    with pytest.raises(CommandError, match="You do not have permission"):
        call_command(
            "import_org", str(path), "--as", org.people["ld"].user.email, stdout=io.StringIO()
        )


def test_cli_export_writes_a_file_that_imports_back_unchanged(org, tmp_path):
    path = tmp_path / "org.xlsx"
    call_command("export_org", str(path), stdout=io.StringIO())
    assert path.read_bytes().startswith(b"PK")
    out = io.StringIO()
    call_command("import_org", str(path), stdout=out)
    assert "8 unchanged" in out.getvalue()
    assert "there is nothing to import" in out.getvalue()


def test_api_report_is_json_serialisable_for_a_big_preview(org):
    rows = "".join(f"p{i}@example.com,P {i}\n" for i in range(500))
    response = Client().post(
        f"{API}/people/import",
        {"file": upload(f"email,name\n{rows}".encode())},
        **bearer(org.users["admin"]),
    )
    assert len(json.loads(response.content)["rows"]) == 500


def test_confirming_after_the_org_changed_shows_the_new_report(client, org, settings):
    signed_in(client, org, "admin")
    outsider = org.people["outsider"]
    data = f"email,name,manager_email\nnew@example.com,New,{outsider.user.email}\n".encode()
    token = client.post(reverse("org_import_preview"), {"file": upload(data)}).context["token"]
    services.deactivate_person(actor=org.users["admin"], person=outsider)
    response = client.post(reverse("org_import_commit"), {"token": token})
    assert response.status_code == 422
    assert "Otto Outsider has left; give this person another manager." in (
        response.content.decode()
    )
    assert not Person.objects.filter(user__email="new@example.com").exists()
    assert len(uploads(settings)) == 1  # kept for another try until it expires
