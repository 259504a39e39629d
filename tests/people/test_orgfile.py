import datetime as dt
from pathlib import Path

import pytest
import tablib

from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.kernel.models import SecurityEvent
from ecotone.people.models import ApiToken, Person, RoleGrant, Team, User
from ecotone.people.orgfile import (
    ImportInvalid,
    commit_org_import,
    export_org,
    preview_org_import,
    read_org_file,
)
from ecotone.people.orgfile.report import Change
from tests.factories import PersonFactory

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "org-small.csv"

HEADERS = [
    "employee_id",
    "email",
    "display_name",
    "title",
    "team",
    "manager_email",
    "location",
    "time_zone",
    "start_date",
    "status",
    "roles",
]

# Reports come before their managers on purpose.
GOOD_ROWS = [
    ["N3", "nia@example.com", "Nia Report", "Engineer", "Acme/Engineering/Payments",
     "noa@example.com", "Paris", "Europe/Paris", "2024-01-15", "active", ""],
    ["N2", "noa@example.com", "Noa Lead", "Lead", "Acme/Engineering/Payments",
     "nat@example.com", "Paris", "Europe/Paris", "2022-03-01", "active", "ld"],
    ["N1", "nat@example.com", "Nat Top", "Director", "Sales/EMEA",
     "", "London", "Europe/London", "", "active", "executive"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The org fixture sets passwords; Argon2 makes that slow, and it is not under test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def org_file(rows, headers=HEADERS, file_format="csv"):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    exported = dataset.export(file_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def snapshot():
    """Everything an import may change, to compare before and after."""
    return (
        sorted(
            Person.objects.values_list(
                "pk", "user__email", "user__is_active", "employee_id", "display_name", "title",
                "team_id", "manager_id", "manager_path", "location", "time_zone", "start_date",
                "status", "left_on",
            )
        ),
        sorted(Team.objects.values_list("pk", "name", "parent_id", "path", "depth", "slug")),
        sorted(RoleGrant.objects.values_list("person_id", "role")),
    )  # fmt: skip


def person(email):
    return Person.objects.select_related("user", "team", "manager").get(user__email=email)


# --- Good files ------------------------------------------------------------------------------


def test_preview_lists_what_will_happen_and_writes_nothing(org):
    before = snapshot()
    preview = preview_org_import(
        actor=org.users["admin"], file=org_file(GOOD_ROWS), filename="org.csv"
    )
    assert preview.counts == {
        "rows": 3, "create": 3, "update": 0, "unchanged": 0, "error": 0,
        "deactivate": 0, "teams": 3, "moved_up": 0,
    }  # fmt: skip
    assert preview.teams_to_create == ["Acme/Engineering/Payments", "Sales", "Sales/EMEA"]
    assert [row.action for row in preview.rows] == ["create", "create", "create"]
    assert preview.is_valid
    assert preview.format == "csv"
    assert preview.ignored_columns == []
    assert snapshot() == before


def test_commit_creates_people_teams_managers_and_roles_in_any_row_order(org):
    result = commit_org_import(
        actor=org.users["admin"], file=org_file(GOOD_ROWS), filename="org.csv"
    )
    assert (result.created, result.updated, result.unchanged, result.teams_created) == (3, 0, 0, 3)
    nat, noa, nia = person("nat@example.com"), person("noa@example.com"), person("nia@example.com")
    assert nat.manager is None
    assert nat.manager_path == "/"
    assert noa.manager == nat
    assert noa.manager_path == f"/{nat.pk}/"
    assert nia.manager == noa
    assert nia.manager_path == f"/{nat.pk}/{noa.pk}/"
    assert nia.employee_id == "N3"
    assert nia.time_zone == "Europe/Paris"
    assert nia.start_date == dt.date(2024, 1, 15)
    assert nia.title == "Engineer"
    assert nia.user.is_active is True
    assert not nia.user.has_usable_password()
    payments = nia.team
    assert payments.name == "Payments"
    assert payments.parent == org.teams["engineering"]
    assert payments.path == f"{org.teams['engineering'].path}{payments.pk}/"
    assert payments.depth == 2
    emea = nat.team
    assert emea.parent.name == "Sales"
    assert emea.parent.parent is None
    assert emea.path == f"/{emea.parent.pk}/{emea.pk}/"
    assert (emea.slug, emea.parent.slug) == ("emea", "sales")
    assert set(RoleGrant.objects.filter(person__in=[nat, noa]).values_list("role", flat=True)) == {
        "executive",
        "ld",
    }
    event = SecurityEvent.objects.get(action="people.org_imported")
    assert event.actor == org.users["admin"]
    assert event.detail == {
        "filename": "org.csv", "rows": 3, "created": 3, "updated": 0, "unchanged": 0,
        "deactivated": 0, "teams_created": 3, "moved_up": 0, "deactivate_missing": False,
    }  # fmt: skip


def test_xlsx_file_imports_the_same_as_csv(org):
    result = commit_org_import(
        actor=org.users["admin"],
        file=org_file(GOOD_ROWS, file_format="xlsx"),
        filename="org.xlsx",
    )
    assert result.preview.format == "xlsx"
    assert result.created == 3
    assert person("nia@example.com").manager == person("noa@example.com")
    assert person("nia@example.com").start_date == dt.date(2024, 1, 15)


def test_xlsx_cells_typed_by_the_spreadsheet_are_read_as_text(org):
    rows = [[1001, "num@example.com", "Num Ber", "", "", "", "", "UTC", dt.date(2023, 5, 2),
             "active", ""]]  # fmt: skip
    commit_org_import(
        actor=org.users["admin"], file=org_file(rows, file_format="xlsx"), filename="o.xlsx"
    )
    created = person("num@example.com")
    assert (created.employee_id, created.start_date) == ("1001", dt.date(2023, 5, 2))


def test_importing_the_same_file_twice_changes_nothing_the_second_time(org):
    data = org_file(GOOD_ROWS)
    commit_org_import(actor=org.users["admin"], file=data, filename="org.csv")
    before = snapshot()
    preview = preview_org_import(actor=org.users["admin"], file=data, filename="org.csv")
    assert [row.action for row in preview.rows] == ["unchanged"] * 3
    assert preview.teams_to_create == []
    assert not preview.has_changes
    result = commit_org_import(actor=org.users["admin"], file=data, filename="org.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_sample_file_imports_fifteen_people(org):
    data = SAMPLE.read_bytes()
    preview = preview_org_import(actor=org.users["admin"], file=data, filename=SAMPLE.name)
    assert preview.counts["create"] == 15
    assert preview.is_valid
    commit_org_import(actor=org.users["admin"], file=data, filename=SAMPLE.name)
    tomas = person("tomas.reyes@example.com")
    assert tomas.team.name == "Support"
    assert tomas.manager.user.email == "amara.okafor@example.com"
    assert person("hannah.moreau@example.com").status == "left"
    assert person("hannah.moreau@example.com").user.is_active is False
    again = preview_org_import(actor=org.users["admin"], file=data, filename=SAMPLE.name)
    assert again.counts["unchanged"] == 15


# --- Updates of existing people --------------------------------------------------------------


def test_update_matches_by_employee_id_then_email_and_lists_changed_fields(org):
    learner, manager, outsider = (
        org.people["learner"],
        org.people["manager"],
        org.people["outsider"],
    )
    learner.employee_id = "L1"
    learner.save()
    rows = [
        ["L1", "leo.new@example.com", "Leo Learner", "Senior Engineer", "Acme/Engineering/Platform",
         manager.user.email, "Lyon", "UTC", "", "active", ""],
        ["", manager.user.email, "Mia Manager", "Engineering Manager", "Acme/Engineering",
         outsider.user.email, "Lyon", "UTC", "", "active", ""],
    ]  # fmt: skip
    preview = preview_org_import(actor=org.users["admin"], file=org_file(rows), filename="o.csv")
    assert [row.action for row in preview.rows] == ["update", "update"]
    assert preview.rows[0].changes == {
        "email": Change(learner.user.email, "leo.new@example.com"),
        "title": Change("Engineer", "Senior Engineer"),
    }
    assert preview.rows[1].changes == {
        "manager": Change(org.people["ceo"].user.email, outsider.user.email),
    }
    commit_org_import(actor=org.users["admin"], file=org_file(rows), filename="o.csv")
    learner = person("leo.new@example.com")
    manager.refresh_from_db()
    ceo = org.people["ceo"]
    assert learner.title == "Senior Engineer"
    assert manager.manager == outsider
    assert manager.manager_path == f"/{ceo.pk}/{outsider.pk}/"
    # The move rewrote the chain of everyone below the manager, even people not in the file.
    org.people["peer"].refresh_from_db()
    assert learner.manager_path == f"/{ceo.pk}/{outsider.pk}/{manager.pk}/"
    assert org.people["peer"].manager_path == f"/{ceo.pk}/{outsider.pk}/{manager.pk}/"


def test_columns_left_out_are_not_touched(org):
    learner = org.people["learner"]
    rows = [[learner.user.email, "Leo L."]]
    commit_org_import(
        actor=org.users["admin"], file=org_file(rows, headers=["E-mail", "Full Name"]),
        filename="o.csv",
    )  # fmt: skip
    learner.refresh_from_db()
    assert learner.display_name == "Leo L."
    assert (learner.title, learner.team, learner.manager) == (
        "Engineer", org.teams["platform"], org.people["manager"],
    )  # fmt: skip


def test_status_left_deactivates_and_moves_reports_outside_the_file_up(org):
    manager = org.people["manager"]
    ApiToken.objects.create(user=manager.user, name="cli", prefix="abc", digest="x")
    rows = [[manager.user.email, "Mia Manager", "left"]]
    preview = preview_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "status"]),
        filename="o.csv",
    )
    assert preview.rows[0].changes == {"status": Change("active", "left")}
    assert sorted(ref.email for ref in preview.moved_up) == sorted(
        [org.people["learner"].user.email, org.people["peer"].user.email]
    )
    commit_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "status"]),
        filename="o.csv",
    )
    manager.refresh_from_db()
    assert manager.status == "left"
    assert manager.left_on is not None
    assert User.objects.get(pk=manager.user_id).is_active is False
    assert ApiToken.objects.get(prefix="abc").revoked_at is not None
    assert Team.objects.get(pk=org.teams["platform"].pk).lead is None
    learner = person(org.people["learner"].user.email)
    assert learner.manager == org.people["ceo"]
    assert learner.manager_path == f"/{org.people['ceo'].pk}/"


def test_status_active_brings_someone_back(org):
    learner = org.people["learner"]
    learner.status = "left"
    learner.left_on = dt.date(2025, 1, 1)
    learner.save()
    learner.user.is_active = False
    learner.user.save()
    rows = [[learner.user.email, "Leo Learner", "active"]]
    commit_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "status"]),
        filename="o.csv",
    )
    learner = person(learner.user.email)
    assert (learner.status, learner.left_on, learner.user.is_active) == ("active", None, True)


def test_roles_column_sets_exactly_the_granted_roles(org):
    ld = org.people["ld"]
    rows = [[ld.user.email, "Lena L&D", "executive; admin"]]
    headers = ["email", "display_name", "roles"]
    preview = preview_org_import(
        actor=org.users["admin"], file=org_file(rows, headers=headers), filename="o.csv"
    )
    assert preview.rows[0].changes == {"roles": Change("ld", "admin, executive")}
    commit_org_import(
        actor=org.users["admin"], file=org_file(rows, headers=headers), filename="o.csv"
    )
    assert sorted(RoleGrant.objects.filter(person=ld).values_list("role", flat=True)) == [
        "admin",
        "executive",
    ]


def test_deactivate_missing_is_off_by_default_and_shown_in_the_preview(org):
    rows = [
        [p.user.email, p.display_name] for p in org.people.values() if p is not org.people["peer"]
    ]
    data = org_file(rows, headers=["email", "display_name"])
    preview = preview_org_import(actor=org.users["admin"], file=data, filename="o.csv")
    assert preview.to_deactivate == []
    preview = preview_org_import(
        actor=org.users["admin"], file=data, filename="o.csv", deactivate_missing=True
    )
    assert [ref.email for ref in preview.to_deactivate] == [org.people["peer"].user.email]
    assert preview.counts["deactivate"] == 1
    result = commit_org_import(
        actor=org.users["admin"], file=data, filename="o.csv", deactivate_missing=True
    )
    assert result.deactivated == 1
    assert person(org.people["peer"].user.email).status == "left"
    assert Person.objects.filter(status="left").count() == 1


def test_deactivate_missing_never_deactivates_the_importer(org):
    data = org_file([[org.people["ceo"].user.email, "Cora CEO"]], headers=["email", "name"])
    preview = preview_org_import(
        actor=org.users["admin"], file=data, filename="o.csv", deactivate_missing=True
    )
    emails = {ref.email for ref in preview.to_deactivate}
    assert org.people["admin"].user.email not in emails
    assert len(emails) == 6


# --- Bad rows: a clear report, nothing written ------------------------------------------------


def test_bad_rows_are_reported_per_column_and_nothing_is_written(org):
    rows = [
        ["B1", "not-an-email", "Bad Mail", "", "", "", "", "UTC", "", "active", ""],
        ["B2", "tz@example.com", "Bad Zone", "", "", "", "", "Mars/Olympus", "", "active", ""],
        ["B3", "date@example.com", "Bad Date", "", "", "", "", "UTC", "15/01/2024", "active", ""],
        ["B4", "role@example.com", "Bad Role", "", "", "", "", "UTC", "", "active", "wizard"],
        ["B5", "boss@example.com", "No Boss", "", "", "ghost@example.com", "", "UTC", "", "active",
         ""],
        ["B6", "twice@example.com", "Twice A", "", "", "", "", "UTC", "", "active", ""],
        ["B7", "twice@example.com", "Twice B", "", "", "", "", "UTC", "", "active", ""],
        ["B6", "same-id@example.com", "Same Id", "", "", "", "", "UTC", "", "gone", ""],
        ["B9", "noname@example.com", "", "", "", "", "", "UTC", "", "active", ""],
        ["B10", "fine@example.com", "Fine Person", "", "", "", "", "UTC", "", "active", ""],
    ]  # fmt: skip
    data = org_file(rows)
    before = snapshot()
    preview = preview_org_import(actor=org.users["admin"], file=data, filename="bad.csv")
    errors = {row.number: row.errors for row in preview.rows}
    assert errors == {
        2: {"email": ["'not-an-email' is not a valid e-mail address."]},
        3: {"time_zone": ["Unknown time zone 'Mars/Olympus'; use a name like Europe/Paris."]},
        4: {"start_date": ["'15/01/2024' is not a date; write it as YYYY-MM-DD."]},
        5: {"roles": ["Unknown role 'wizard': use ld, executive or admin."]},
        6: {
            "manager_email": [
                "No one has the e-mail ghost@example.com, in the file or in Ecotone."
            ]
        },
        7: {
            "email": ["twice@example.com appears on rows 7, 8."],
            "employee_id": ["B6 appears on rows 7, 9."],
        },
        8: {"email": ["twice@example.com appears on rows 7, 8."]},
        9: {
            "status": ["Unknown status 'gone': use active or left."],
            "employee_id": ["B6 appears on rows 7, 9."],
        },
        10: {"display_name": ["A display name is required."]},
        11: {},
    }  # fmt: skip
    assert preview.counts["error"] == 9
    assert preview.rows_by_importance()[-1].number == 11
    with pytest.raises(ImportInvalid) as caught:
        commit_org_import(actor=org.users["admin"], file=data, filename="bad.csv")
    assert caught.value.message == "9 rows of the file have errors; nothing was imported."
    assert caught.value.errors["row 2: email"] == ["'not-an-email' is not a valid e-mail address."]
    assert snapshot() == before
    assert not SecurityEvent.objects.filter(action="people.org_imported").exists()


def test_a_reporting_cycle_inside_the_file_names_the_rows(org):
    rows = [
        ["C1", "a@example.com", "Ann", "", "", "c@example.com", "", "UTC", "", "active", ""],
        ["C2", "b@example.com", "Ben", "", "", "a@example.com", "", "UTC", "", "active", ""],
        ["C3", "c@example.com", "Cat", "", "", "b@example.com", "", "UTC", "", "active", ""],
        ["C4", "d@example.com", "Dan", "", "", "c@example.com", "", "UTC", "", "active", ""],
    ]  # fmt: skip
    before = snapshot()
    preview = preview_org_import(actor=org.users["admin"], file=org_file(rows), filename="c.csv")
    message = (
        "Reporting cycle: row 2 (a@example.com) → row 4 (c@example.com) → "
        "row 3 (b@example.com) → row 2 (a@example.com)."
    )
    assert [row.errors for row in preview.rows] == [{"manager_email": [message]}] * 3 + [{}]
    with pytest.raises(ImportInvalid):
        commit_org_import(actor=org.users["admin"], file=org_file(rows), filename="c.csv")
    assert snapshot() == before


def test_a_cycle_through_people_outside_the_file_is_refused(org):
    ceo, learner = org.people["ceo"], org.people["learner"]
    rows = [[ceo.user.email, "Cora CEO", learner.user.email]]
    preview = preview_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "manager"]),
        filename="c.csv",
    )
    assert preview.rows[0].errors == {
        "manager_email": [
            f"Reporting cycle: row 2 ({ceo.user.email}) → {learner.user.email} → "
            f"{org.people['manager'].user.email} → row 2 ({ceo.user.email})."
        ]
    }


def test_own_manager_and_leaving_manager_are_refused(org):
    manager, learner = org.people["manager"], org.people["learner"]
    rows = [
        [manager.user.email, "Mia Manager", manager.user.email, "active"],
        [org.people["outsider"].user.email, "Otto", org.people["ld"].user.email, "left"],
        [learner.user.email, "Leo", org.people["outsider"].user.email, "active"],
    ]
    preview = preview_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "manager_email", "status"]),
        filename="m.csv",
    )
    assert preview.rows[0].errors == {"manager_email": ["Someone cannot be their own manager."]}
    assert preview.rows[1].errors == {}
    assert preview.rows[2].errors == {
        "manager_email": ["Otto leaves in this import; give this person another manager."]
    }


def test_an_email_of_someone_else_is_refused(org):
    org.people["learner"].employee_id = "L1"
    org.people["learner"].save()
    rows = [["L1", org.people["peer"].user.email, "Leo"]]
    preview = preview_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["employee_id", "email", "name"]),
        filename="e.csv",
    )
    assert preview.rows[0].errors == {
        "email": [
            f"{org.people['peer'].user.email} belongs to Pia Peer, not to the person with "
            "employee id L1 (Leo Learner)."
        ]
    }


def test_the_importer_cannot_remove_their_own_admin_role_or_leave(org):
    admin = org.people["admin"]
    rows = [[admin.user.email, "Ada Admin", "ld", "left"]]
    preview = preview_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "roles", "status"]),
        filename="a.csv",
    )
    assert preview.rows[0].errors == {
        "roles": ["You cannot remove your own admin role."],
        "status": ["You cannot deactivate yourself."],
    }


def test_a_team_name_shared_by_two_teams_needs_a_path(org):
    Team.objects.create(name="Platform", slug="platform-2", parent=org.teams["people"])
    rows = [["x@example.com", "Xavier", "Platform"], ["y@example.com", "Yan", "Engineering"]]
    preview = preview_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "department"]),
        filename="t.csv",
    )
    assert preview.rows[0].errors["team"][0].startswith("Several teams are called Platform")
    assert preview.rows[1].errors == {}
    assert preview.teams_to_create == []


# --- Reading files ---------------------------------------------------------------------------


def test_headers_are_case_insensitive_with_aliases_and_extra_columns_are_ignored(org):
    data = "\ufeffE-Mail;Full Name;Department;Reports To;Hire Date;Shoe size\n".encode() + (
        "zoe@example.com;Zoé Zed;Acme;;2020-02-02;42\n".encode()
    )
    table = read_org_file(data, "people.csv")
    assert table.columns == ["email", "display_name", "team", "manager_email", "start_date"]
    assert table.ignored_columns == ["Shoe size"]
    assert table.rows == [
        (2, {"email": "zoe@example.com", "display_name": "Zoé Zed", "team": "Acme",
             "manager_email": "", "start_date": "2020-02-02"}),
    ]  # fmt: skip


def test_windows_1252_and_tab_separated_files_are_read():
    data = "email\tname\nzoe@example.com\tZo\xe9\n".encode("cp1252")
    assert read_org_file(data, "people.tsv").rows == [
        (2, {"email": "zoe@example.com", "display_name": "Zoé"})
    ]


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "empty.csv", "empty_file"),
        (b"name,title\nA,B\n", "x.csv", "missing_column"),
        (b"email,name,full name\na@example.com,A,B\n", "x.csv", "duplicate_column"),
        (b"email,name\na@example.com,A,extra\n", "x.csv", "ragged_row"),
        (b"email,name\n", "x.csv", "empty_file"),
        (b"\xd0\xcf\x11\xe0", "old.xls", "unsupported_format"),
        (b"not a zip", "x.xlsx", "unreadable_file"),
        (b"PK\x03\x04broken", "x.xlsx", "unreadable_file"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(data, filename, code):
    with pytest.raises(DomainError) as caught:
        read_org_file(data, filename)
    assert caught.value.code == code
    assert caught.value.field == "file"


def test_files_over_the_row_limit_are_refused(monkeypatch):
    monkeypatch.setattr("ecotone.people.orgfile.columns.MAX_ROWS", 2)
    with pytest.raises(DomainError) as caught:
        read_org_file(b"email,name\na@x.org,A\nb@x.org,B\nc@x.org,C\n", "x.csv")
    assert (caught.value.code, caught.value.status) == ("too_many_rows", 413)


def test_files_over_the_size_limit_are_refused(monkeypatch):
    monkeypatch.setattr("ecotone.people.orgfile.columns.MAX_BYTES", 10)
    with pytest.raises(DomainError) as caught:
        read_org_file(b"email,name\na@example.com,A\n", "x.csv")
    assert (caught.value.code, caught.value.status) == ("file_too_large", 413)


# --- Export and round trip -------------------------------------------------------------------


def test_export_writes_every_person_in_the_import_format(org, django_assert_num_queries):
    org.people["learner"].employee_id = "L1"
    org.people["learner"].save()
    for _ in range(4):
        PersonFactory(team=org.teams["people"], manager=org.people["ld"])
    # Whatever the size of the org: the exporter's roles (2), teams, grants, people, audit row,
    # and one query for the column the skills app registers (role_profile).
    with django_assert_num_queries(7):
        data = export_org(actor=org.users["ld"], file_format="csv")
    dataset = tablib.Dataset().load(data.decode(), format="csv")
    assert dataset.headers[:3] == ["employee_id", "email", "display_name"]
    assert len(dataset) == 12
    learner = next(row for row in dataset.dict if row["employee_id"] == "L1")
    assert learner["team"] == "Acme/Engineering/Platform"
    assert learner["manager_email"] == org.people["manager"].user.email
    assert learner["status"] == "active"
    admin = next(row for row in dataset.dict if row["display_name"] == "Ada Admin")
    assert admin["roles"] == "admin"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(org, file_format):
    org.people["peer"].employee_id = "P-7"
    org.people["peer"].start_date = dt.date(2021, 4, 1)
    org.people["peer"].title = "=HYPERLINK(1)"
    org.people["peer"].save()
    org.people["outsider"].status = "left"
    org.people["outsider"].save()
    data = export_org(actor=org.users["admin"], file_format=file_format)
    before = snapshot()
    preview = preview_org_import(actor=org.users["admin"], file=data, filename=f"org.{file_format}")
    assert {row.action for row in preview.rows} == {"unchanged"}
    assert preview.counts["rows"] == 8
    commit_org_import(actor=org.users["admin"], file=data, filename=f"org.{file_format}")
    assert snapshot() == before


def test_formula_like_cells_are_escaped_in_the_export(org):
    org.people["peer"].title = "=HYPERLINK(1)"
    org.people["peer"].save()
    data = export_org(actor=org.users["admin"], file_format="csv").decode()
    assert "'=HYPERLINK(1)" in data


# --- Permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["ld", "manager", "learner", "executive"])
def test_only_admins_may_import(org, actor):
    data = org_file(GOOD_ROWS)
    with pytest.raises(Forbidden):
        preview_org_import(actor=org.users[actor], file=data, filename="o.csv")
    with pytest.raises(Forbidden):
        commit_org_import(actor=org.users[actor], file=data, filename="o.csv")


@pytest.mark.parametrize(
    ("actor", "allowed"), [("admin", True), ("ld", True), ("executive", False), ("learner", False)]
)
def test_admins_and_learning_facilitators_may_export(org, actor, allowed):
    if allowed:
        assert export_org(actor=org.users[actor], file_format="xlsx").startswith(b"PK")
    else:
        with pytest.raises(Forbidden):
            export_org(actor=org.users[actor], file_format="csv")


# --- More matching rules ---------------------------------------------------------------------


def test_manager_employee_id_resolves_and_must_agree_with_manager_email(org):
    ceo = org.people["ceo"]
    ceo.employee_id = "C1"
    ceo.save()
    headers = ["email", "name", "manager_employee_id", "manager_email"]
    rows = [
        ["new1@example.com", "New One", "C1", ""],
        ["new2@example.com", "New Two", "C1", ceo.user.email],
        ["new3@example.com", "New Three", "C1", org.people["peer"].user.email],
        ["new4@example.com", "New Four", "NOPE", ""],
    ]
    preview = preview_org_import(
        actor=org.users["admin"], file=org_file(rows, headers=headers), filename="m.csv"
    )
    assert [row.errors for row in preview.rows] == [
        {},
        {},
        {"manager_email": [f"{org.people['peer'].user.email} is Pia Peer but manager employee id "
                           "C1 is Cora CEO."]},
        {"manager_employee_id": ["No one has employee id NOPE, in the file or in Ecotone."]},
    ]  # fmt: skip


def test_someone_new_can_be_imported_as_having_left(org):
    rows = [["gone@example.com", "Gone Already", "left"]]
    commit_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "status"]),
        filename="o.csv",
    )
    gone = person("gone@example.com")
    assert gone.status == "left"
    assert gone.left_on is not None
    assert gone.user.is_active is False


def test_reports_move_up_past_every_manager_who_leaves(org):
    manager, ceo = org.people["manager"], org.people["ceo"]
    rows = [[manager.user.email, "Mia", "left"], [ceo.user.email, "Cora", "active"]]
    commit_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name", "status"]),
        filename="o.csv",
    )
    learner = person(org.people["learner"].user.email)
    assert (learner.manager, learner.manager_path) == (ceo, f"/{ceo.pk}/")


def test_deactivating_missing_managers_of_people_in_the_file_is_refused(org):
    learner = org.people["learner"]
    rows = [[p.user.email, p.display_name] for p in (learner, org.people["admin"])]
    preview = preview_org_import(
        actor=org.users["admin"],
        file=org_file(rows, headers=["email", "name"]),
        filename="o.csv",
        deactivate_missing=True,
    )
    assert preview.rows[0].errors == {
        "row": ["Mia Manager leaves in this import; give this person another manager."]
    }
    assert preview.rows[0].action == "error"
    assert preview.rows[0].row_errors == [
        "Mia Manager leaves in this import; give this person another manager."
    ]


def test_a_superuser_without_a_person_may_import(org):
    root = User.objects.create_superuser("root@example.com")
    result = commit_org_import(actor=root, file=org_file(GOOD_ROWS), filename="org.csv")
    assert result.created == 3
    assert RoleGrant.objects.get(person__user__email="nat@example.com").granted_by == root


def test_commit_runs_the_same_queries_whatever_the_number_of_rows(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def commit(people, title, new):
        rows = [[p.user.email, p.display_name, title, f"Acme/{title}"] for p in people]
        rows += [
            [f"new{title}{i}@example.com", f"New {i}", title, f"Acme/{title}"] for i in range(new)
        ]
        data = org_file(rows, headers=["email", "name", "title", "team"])
        with CaptureQueriesContext(connection) as queries:
            commit_org_import(actor=org.users["admin"], file=data, filename="o.csv")
        return len(queries)

    people = list(org.people.values())
    few = commit(people[:2], "A", new=1)
    many = commit(people, "B", new=30)
    assert few == many
