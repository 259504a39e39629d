from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.kernel.models import SecurityEvent
from ecotone.skills.importers import (
    export_csv,
    export_json,
    import_framework,
    preview_framework,
    read_framework,
)
from ecotone.skills.models import Skill, SkillCategory

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
ESCO = "http://data.europa.eu/esco/"


def load(name: str):
    return read_framework((SAMPLES / name).read_bytes(), name)


def run(actor, name: str):
    format, rows = load(name)
    return import_framework(actor=actor, rows=rows, format=format)


def test_esco_groups_skills_and_relations(org, db):
    ld = org.users["ld"]
    assert run(ld, "esco-skill-groups.csv").counts == {
        "create": 3,
        "update": 0,
        "unchanged": 0,
        "error": 0,
    }
    report = run(ld, "esco-skills.csv")
    assert (report.format, report.counts["create"]) == ("esco", 4)
    python = Skill.objects.get(external_id=f"{ESCO}skill/0b1f2c6a-0000-4a8e-9d11-ecotone00001")
    assert (python.name, python.aliases, python.kind, python.category) == (
        "Python (computer programming)",
        ["Python", "Python programming"],
        "knowledge",
        None,
    )
    assert run(ld, "esco-broader-relations.csv").counts == {
        "create": 0,
        "update": 5,
        "unchanged": 0,
        "error": 0,
    }
    python.refresh_from_db()
    software = SkillCategory.objects.get(external_id=f"{ESCO}isced-f/0613")
    assert python.category == software
    assert software.parent.name == "information and communication technologies (ICT)"
    # A skill under a skill lands in that skill's category.
    testing = Skill.objects.get(name="perform software unit testing")
    assert testing.category == software
    # Importing the skills again keeps the categories the relations set.
    assert run(ld, "esco-skills.csv").counts["unchanged"] == 4
    assert run(ld, "esco-broader-relations.csv").counts["unchanged"] == 5
    testing.refresh_from_db()
    assert testing.category == software


def test_onet_content_model(org, db):
    report = run(org.users["admin"], "onet-content-model.txt")
    assert (report.format, report.counts["create"]) == ("onet", 9)
    assert sorted(SkillCategory.objects.values_list("name", flat=True)) == [
        "Basic Skills",
        "Content",
        "Cross-Functional Skills",
        "Process",
        "Technical Skills",
    ]
    programming = Skill.objects.get(external_id="onet:2.B.3.e")
    assert (programming.name, programming.category.name) == ("Programming", "Technical Skills")
    assert SkillCategory.objects.get(name="Content").parent.name == "Basic Skills"
    assert run(org.users["admin"], "onet-content-model.txt").counts["unchanged"] == 9


def test_generic_import_then_export_round_trips(org, framework):
    ld = org.users["ld"]
    run(ld, "generic-framework.csv")
    go = Skill.objects.get(external_id="urn:example:skill:go")
    assert (go.aliases, go.category.name, go.category.parent.name) == (
        ["golang", "Go language"],
        "Backend",
        "Engineering",
    )
    for text, name in ((export_csv(ld), "export.csv"), (export_json(ld), "export.json")):
        format, rows = read_framework(text.encode(), name)
        report = preview_framework(actor=ld, rows=rows, format=format)
        assert report.counts == {
            "create": 0,
            "update": 0,
            "unchanged": len(rows),
            "error": 0,
        }, [r for r in report.rows if r.action != "unchanged"]
        import_framework(actor=ld, rows=rows, format=format)
    assert Skill.objects.count() == 6
    assert SkillCategory.objects.count() == 4


def test_the_export_imports_into_an_empty_framework(org, framework):
    ld = org.users["ld"]
    exported = json.loads(export_json(ld))["concepts"]
    assert exported[0] == {
        "uri": "urn:ecotone:category:data",
        "label": "Data",
        "alternative_labels": [],
        "description": "",
        "type": "category",
        "broader": "",
    }
    assert {"uri": "urn:ecotone:skill:python", "label": "Python"}.items() <= next(
        row for row in exported if row["label"] == "Python"
    ).items()


def test_import_is_previewed_without_writing(org, db):
    format, rows = load("generic-framework.csv")
    report = preview_framework(actor=org.users["ld"], rows=rows, format=format)
    assert [(r.line, r.action) for r in report.rows] == [
        (2, "create"),
        (3, "create"),
        (4, "create"),
        (5, "create"),
    ]
    assert Skill.objects.count() == 0


def test_bad_rows_are_reported_row_by_row_and_nothing_is_written(org, framework):
    text = (
        "uri,label,alternative labels,description,type,broader\n"
        "urn:x:1,Fine,,,skill,\n"
        ",No uri,,,skill,\n"
        "urn:x:3,,,,skill,\n"
        "urn:x:1,Twice,,,skill,\n"
        "urn:x:5,Orphan,,,skill,urn:x:nowhere\n"
        "urn:x:6,Python,,,skill,\n"
        "urn:x:7,Loop,,,category,urn:x:7\n"
        "urn:ecotone:skill:python,Python,,,category,\n"
        "urn:x:9,Under a skill,,,category,urn:x:1\n"
        f"urn:x:10,{'L' * 161},,,skill,\n"
    )
    format, rows = read_framework(text, "bad.csv")
    with pytest.raises(DomainError) as error:
        import_framework(actor=org.users["ld"], rows=rows, format=format)
    assert error.value.code == "import_errors"
    assert error.value.errors == {
        "line 3": ["The uri is missing."],
        "line 4": ["The label is missing."],
        "line 5": ["This uri appears twice in the file."],
        "line 6": ["Unknown broader concept urn:x:nowhere."],
        "line 7": ["Another skill is already called 'Python'."],
        "line 8": ["A concept cannot be its own broader concept."],
        "line 9": ["This uri is a skill here; it cannot become a category."],
        "line 10": ["A category's broader concept must be a category."],
        "line 11": ["The label is longer than 160 characters."],
    }
    assert not Skill.objects.filter(name="Fine").exists()
    assert not SecurityEvent.objects.filter(action="skills.framework_imported").exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"name,colour\nx,red\n", "unknown_format"),
        (b"[{", "invalid_json"),
        (b'{"concepts": 3}', "invalid_json"),
        (b"\xff\xfe\x00", "not_utf8"),
        (b"", "empty_file"),
    ],
)
def test_unreadable_files(content, code):
    with pytest.raises(DomainError) as error:
        read_framework(content, "upload.csv")
    assert error.value.code == code


def test_only_framework_managers_import(org, db):
    format, rows = load("generic-framework.csv")
    with pytest.raises(Forbidden):
        preview_framework(actor=org.users["manager"], rows=rows, format=format)
    with pytest.raises(Forbidden):
        import_framework(actor=org.users["executive"], rows=rows, format=format)
