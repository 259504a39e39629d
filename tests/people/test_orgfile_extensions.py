"""Columns other apps add to the org file, through a column made up for the test."""

import pytest
import tablib

from ecotone.people.models import Person
from ecotone.people.orgfile import (
    ImportInvalid,
    commit_org_import,
    export_org,
    extensions,
    preview_org_import,
)
from ecotone.people.orgfile.extensions import ExtraColumn
from ecotone.people.orgfile.report import Change

COLOURS = {"red", "green"}


@pytest.fixture
def colour_column(monkeypatch):
    """A ``badge_colour`` column whose values live in a dict, as another app's table would."""
    stored: dict[int, str] = {}
    applied: list[tuple[object, dict[int, str]]] = []

    def validate(state: set[str], cell: str) -> str:
        value = cell.strip().lower()
        if value and value not in state:
            raise ValueError(f"Unknown colour {cell!r}.")
        return value

    def apply(actor, state, values):
        applied.append((actor, dict(values)))
        for person_id, value in values.items():
            if value:
                stored[person_id] = value
            else:
                stored.pop(person_id, None)

    monkeypatch.setattr(extensions, "_columns", {})
    extensions.register_column(
        ExtraColumn(
            name="badge_colour",
            aliases=("colour",),
            load=lambda: COLOURS,
            validate=validate,
            current=lambda state: stored,
            apply=apply,
            export=lambda: stored,
        )
    )
    return stored, applied


def org_file(rows, headers=("email", "display_name", "colour")):
    dataset = tablib.Dataset(headers=list(headers))
    for row in rows:
        dataset.append(row)
    return dataset.export("csv").encode()


def test_an_extra_column_is_checked_applied_and_exported(org, colour_column):
    stored, applied = colour_column
    learner = org.people["learner"]
    rows = [
        [learner.user.email, learner.display_name, "Red"],
        ["new@example.com", "New Person", "green"],
        ["plain@example.com", "Plain Person", ""],
    ]
    preview = preview_org_import(actor=org.users["admin"], file=org_file(rows), filename="o.csv")
    assert preview.columns == ["email", "display_name", "badge_colour"]
    assert preview.rows[0].changes == {"badge_colour": Change("", "red")}
    assert applied == []

    commit_org_import(actor=org.users["admin"], file=org_file(rows), filename="o.csv")
    new = Person.objects.get(user__email="new@example.com")
    assert applied == [(org.users["admin"], {learner.pk: "red", new.pk: "green"})]
    assert stored == {learner.pk: "red", new.pk: "green"}

    dataset = tablib.Dataset().load(
        export_org(actor=org.users["admin"], file_format="csv").decode(), format="csv"
    )
    assert dataset.headers[-1] == "badge_colour"
    colours = {row["email"]: row["badge_colour"] for row in dataset.dict}
    assert colours[learner.user.email] == "red"
    assert colours["plain@example.com"] == ""


def test_a_bad_extra_cell_refuses_the_whole_file(org, colour_column):
    stored, applied = colour_column
    rows = [
        ["new@example.com", "New Person", "green"],
        [org.people["peer"].user.email, "Pia Peer", "mauve"],
    ]
    with pytest.raises(ImportInvalid) as caught:
        commit_org_import(actor=org.users["admin"], file=org_file(rows), filename="o.csv")
    assert caught.value.errors == {"row 3: badge_colour": ["Unknown colour 'mauve'."]}
    assert (applied, stored) == ([], {})
    assert not Person.objects.filter(user__email="new@example.com").exists()
