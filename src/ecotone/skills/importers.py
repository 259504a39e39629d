"""Import and export of skills frameworks: CSV and JSON with generic columns.

Generic columns: ``uri, label, alternative labels, description, type, broader``. ``type`` is
``category`` for a node of the category tree, anything else (``skill``, ``knowledge``, ...) for a
skill; ``broader`` is the uri of the parent category (a skill under another skill goes to that
skill's category). Alternative labels are separated by ``|`` or new lines.

Also read as they are downloaded:

* ESCO: ``skills_en.csv`` and ``skillGroups_en.csv`` (conceptType, conceptUri, skillType,
  preferredLabel, altLabels, description) and ``broaderRelationsSkillPillar_en.csv``
  (conceptType, conceptUri, broaderType, broaderUri), imported in that order;
* O*NET: ``Content Model Reference.txt`` (tab-separated Element ID, Element Name, Description);
  an element with children becomes a category, ``2.A.1`` is the parent of ``2.A.1.a``.

An import is previewed first (what each row would do, and row-by-row errors), then applied in
one transaction, all or nothing. It is idempotent: the uri identifies a concept, so importing a
file twice, or importing Ecotone's own export, changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ecotone import authz
from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError
from ecotone.skills import search as skills_search
from ecotone.skills.models import Skill, SkillCategory
from ecotone.skills.services import _clean_aliases, _unique_slug, _user

MAX_BYTES = 10 * 1024 * 1024
GENERIC_COLUMNS = ["uri", "label", "alternative labels", "description", "type", "broader"]
CATEGORY = "category"
SKILL_URN = "urn:ecotone:skill:"
CATEGORY_URN = "urn:ecotone:category:"


@dataclass
class FrameworkRow:
    line: int
    uri: str
    label: str = ""
    alternative_labels: list[str] = field(default_factory=list)
    description: str = ""
    type: str = "skill"
    broader: str = ""
    # Relation-only rows (ESCO broader relations) change the parent and nothing else.
    relation_only: bool = False
    # Files without a broader column (ESCO skills and groups) leave the parent as it is.
    broader_given: bool = True

    @property
    def is_category(self) -> bool:
        return self.type == CATEGORY


@dataclass
class RowResult:
    line: int
    uri: str
    label: str
    type: str
    action: str  # create, update, unchanged, error
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    format: str
    rows: list[RowResult]

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(row.action for row in self.rows)
        return {
            action: counts.get(action, 0) for action in ("create", "update", "unchanged", "error")
        }

    @property
    def errors(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading -------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def _split_labels(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value or "")
    parts = text.replace("\r", "\n").replace("|", "\n").split("\n")
    return [part.strip() for part in parts if part.strip()]


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    if len(content) > MAX_BYTES:
        raise DomainError("file_too_large", "Files are limited to 10 MB.", field="file")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("not_utf8", "Save the file as UTF-8.", field="file") from None


def read_text(content: bytes | str) -> str:
    """An uploaded file as text (UTF-8, at most 10 MB)."""
    return _decode(content)


def _records(text: str, filename: str) -> tuple[list[dict[str, str]], int]:
    """Rows as dicts keyed by normalised column names, and the line of the first row."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise DomainError(
                "invalid_json",
                f"The JSON is invalid: {error.msg} (line {error.lineno}).",
                field="file",
            ) from None
        if isinstance(data, dict):
            data = data.get("concepts", data.get("skills", []))
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise DomainError(
                "invalid_json",
                'Expected a list of objects (or {"concepts": [...]}).',
                field="file",
            )
        return [{_key(k): v for k, v in item.items()} for item in data], 1
    first_line = text.split("\n", 1)[0]
    delimiter = (
        "\t" if filename.endswith(".txt") or first_line.count("\t") > first_line.count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames:
        raise DomainError("empty_file", "The file is empty.", field="file")
    rows = [{_key(k or ""): (v or "") for k, v in row.items()} for row in reader]
    return rows, 2


def _esco(records: list[dict[str, str]], start: int) -> list[FrameworkRow]:
    rows = []
    for offset, record in enumerate(records):
        concept_type = record.get("concepttype", "").strip()
        is_group = concept_type.lower() in {"skillgroup", "conceptscheme"}
        if "broaderuri" in record:
            rows.append(
                FrameworkRow(
                    line=start + offset,
                    uri=record.get("concepturi", "").strip(),
                    type=CATEGORY if is_group else "skill",
                    broader=record.get("broaderuri", "").strip(),
                    relation_only=True,
                )
            )
            continue
        skill_type = record.get("skilltype", "").strip().lower()
        rows.append(
            FrameworkRow(
                line=start + offset,
                uri=record.get("concepturi", "").strip(),
                label=record.get("preferredlabel", "").strip(),
                alternative_labels=_split_labels(record.get("altlabels", "")),
                description=(record.get("description") or record.get("definition") or "").strip(),
                type=CATEGORY
                if is_group
                else ("knowledge" if skill_type == "knowledge" else "skill"),
                broader_given=False,
            )
        )
    return rows


def onet_uri(element_id: str) -> str:
    return f"onet:{element_id}"


def _onet(records: list[dict[str, str]], start: int) -> list[FrameworkRow]:
    ids = {record.get("element_id", "").strip() for record in records}
    parents = {element.rsplit(".", 1)[0] for element in ids if "." in element}
    rows = []
    for offset, record in enumerate(records):
        element = record.get("element_id", "").strip()
        parent = element.rsplit(".", 1)[0] if "." in element else ""
        rows.append(
            FrameworkRow(
                line=start + offset,
                uri=onet_uri(element) if element else "",
                label=record.get("element_name", "").strip(),
                description=record.get("description", "").strip(),
                type=CATEGORY if element in parents else "skill",
                broader=onet_uri(parent) if parent in ids else "",
            )
        )
    return rows


def _generic(records: list[dict[str, Any]], start: int) -> list[FrameworkRow]:
    rows = []
    for offset, record in enumerate(records):
        kind = str(record.get("type") or "skill").strip().lower() or "skill"
        rows.append(
            FrameworkRow(
                line=start + offset,
                uri=str(record.get("uri") or "").strip(),
                label=str(record.get("label") or "").strip(),
                alternative_labels=_split_labels(
                    record.get("alternative_labels", record.get("altlabels", ""))
                ),
                description=str(record.get("description") or "").strip(),
                type=CATEGORY if kind in {"category", "skillgroup", "skill group"} else kind,
                broader=str(record.get("broader") or "").strip(),
            )
        )
    return rows


def read_framework(content: bytes | str, filename: str = "") -> tuple[str, list[FrameworkRow]]:
    """Parse a file into rows, recognising the format from its columns."""
    records, start = _records(_decode(content), filename.lower())
    columns = set(records[0]) if records else set()
    if "concepturi" in columns:
        return "esco", _esco(records, start)
    if {"element_id", "element_name"} <= columns:
        return "onet", _onet(records, start)
    if {"uri", "label"} <= columns or not records:
        return "generic", _generic(records, start)
    raise DomainError(
        "unknown_format",
        "Unknown columns: expected uri, label, alternative labels, description, type, broader "
        "(or an ESCO or O*NET download).",
        field="file",
    )


# --- Checking and applying -----------------------------------------------------------------------


@dataclass
class _Existing:
    categories: dict[str, SkillCategory]
    skills: dict[str, Skill]
    skill_names: dict[str, str]  # lower name -> uri

    @classmethod
    def load(cls) -> _Existing:
        categories = {uri_of_category(c): c for c in SkillCategory.objects.all()}
        skills = {uri_of_skill(s): s for s in Skill.objects.exclude(status=Skill.Status.MERGED)}
        return cls(
            categories=categories,
            skills=skills,
            skill_names={s.name.lower(): uri for uri, s in skills.items()},
        )


def uri_of_skill(skill: Skill) -> str:
    return skill.external_id or f"{SKILL_URN}{skill.slug}"


def uri_of_category(category: SkillCategory) -> str:
    return category.external_id or f"{CATEGORY_URN}{category.slug}"


def _check(rows: list[FrameworkRow], existing: _Existing) -> list[RowResult]:
    in_file = {row.uri: row for row in rows if row.uri and not row.relation_only}
    category_uris = {uri for uri, row in in_file.items() if row.is_category} | {
        uri for uri in existing.categories if uri not in in_file
    }
    skill_uris = {uri for uri, row in in_file.items() if not row.is_category} | {
        uri for uri in existing.skills if uri not in in_file
    }
    parents = _skill_parents(rows)
    seen: Counter[str] = Counter()
    names_in_file: dict[str, str] = {}
    results = []
    for row in rows:
        errors: list[str] = []
        seen[row.uri] += 1
        old_category = existing.categories.get(row.uri)
        old_skill = existing.skills.get(row.uri)
        if not row.uri:
            errors.append("The uri is missing.")
        elif seen[row.uri] > 1 and not row.relation_only:
            errors.append("This uri appears twice in the file.")
        if row.relation_only:
            if row.uri not in category_uris | skill_uris:
                errors.append("Unknown concept: import its skills or groups first.")
        elif not row.label and old_category is None and old_skill is None:
            errors.append("The label is missing.")
        if len(row.label) > 160:
            errors.append("The label is longer than 160 characters.")
        if row.is_category and old_skill is not None:
            errors.append("This uri is a skill here; it cannot become a category.")
        if not row.is_category and old_category is not None:
            errors.append("This uri is a category here; it cannot become a skill.")
        if row.broader:
            if row.broader == row.uri:
                errors.append("A concept cannot be its own broader concept.")
            elif row.broader not in category_uris and row.broader not in skill_uris:
                errors.append(f"Unknown broader concept {row.broader}.")
            elif row.is_category and row.broader not in category_uris:
                errors.append("A category's broader concept must be a category.")
        if not row.is_category and row.label and not row.relation_only:
            lower = row.label.lower()
            other = existing.skill_names.get(lower)
            if (other is not None and other != row.uri) or names_in_file.get(
                lower, row.uri
            ) != row.uri:
                errors.append(f"Another skill is already called {row.label!r}.")
            names_in_file[lower] = row.uri
        action = "error" if errors else _action(row, old_category, old_skill, existing, parents)
        results.append(RowResult(row.line, row.uri, row.label, row.type, action, errors))
    return results


def _skill_parents(rows: list[FrameworkRow]) -> dict[str, str]:
    """The broader concept each skill of the file names (skills only)."""
    return {row.uri: row.broader for row in rows if row.broader_given and not row.is_category}


def _category_for(uri: str, parents: dict[str, str], existing: _Existing, depth: int = 0) -> str:
    """The category uri a broader concept stands for: a skill stands for its own category."""
    if depth > 32:
        return ""
    if uri in parents:
        parent = parents[uri]
        return _category_for(parent, parents, existing, depth + 1) if parent else ""
    if uri in existing.skills:
        category = existing.skills[uri].category
        return uri_of_category(category) if category else ""
    return uri


def _action(
    row: FrameworkRow,
    old_category: SkillCategory | None,
    old_skill: Skill | None,
    existing: _Existing,
    parents: dict[str, str],
) -> str:
    if row.is_category:
        if old_category is None:
            return "create"
        parent = uri_of_category(old_category.parent) if old_category.parent else ""
        same = (not row.broader_given or row.broader == parent) and (
            row.relation_only
            or (row.label == old_category.name and row.description == old_category.description)
        )
        return "unchanged" if same else "update"
    if old_skill is None:
        return "create"
    category = uri_of_category(old_skill.category) if old_skill.category else ""
    broader = _category_for(row.broader, parents, existing) if row.broader else ""
    same = (not row.broader_given or broader == category) and (
        row.relation_only
        or (
            row.label == old_skill.name
            and row.description == old_skill.description
            and _clean_aliases(row.alternative_labels) == old_skill.aliases
            and row.type == old_skill.kind
        )
    )
    return "unchanged" if same else "update"


def preview_framework(
    *, actor: Any, rows: list[FrameworkRow], format: str = "generic"
) -> ImportReport:
    """What importing ``rows`` would do, row by row, without writing anything."""
    authz.require(actor, "skills.manage_framework")
    return ImportReport(format=format, rows=_check(rows, _Existing.load()))


@transaction.atomic
def import_framework(
    *, actor: Any, rows: list[FrameworkRow], format: str = "generic"
) -> ImportReport:
    """Apply an import in one transaction; any row error refuses the whole file."""
    authz.require(actor, "skills.manage_framework")
    existing = _Existing.load()
    report = ImportReport(format=format, rows=_check(rows, existing))
    if not report.ok:
        raise DomainError(
            "import_errors",
            f"{len(report.errors)} row(s) have errors; nothing was imported.",
            field="file",
            errors={f"line {r.line}": r.errors for r in report.errors},
        )
    parents = _skill_parents(rows)
    actions = {result.uri: result.action for result in report.rows}
    categories = dict(existing.categories)
    # Categories first, then their parents (the tree may come in any order).
    for row in rows:
        if not row.is_category or actions.get(row.uri) == "unchanged":
            continue
        category = categories.get(row.uri)
        if category is None:
            category = SkillCategory(
                slug=_unique_slug(SkillCategory, row.label),
                external_id=None if row.uri.startswith(CATEGORY_URN) else row.uri,
            )
        if not row.relation_only:
            category.name = row.label or category.name
            category.description = row.description
        category.save()
        categories[row.uri] = category
    for row in rows:
        if row.is_category and row.broader_given and actions.get(row.uri) != "unchanged":
            category = categories[row.uri]
            category.parent = categories[row.broader] if row.broader else None
            category.save(update_fields=["parent"])
    skills = dict(existing.skills)
    for row in rows:
        if row.is_category or actions.get(row.uri) == "unchanged":
            continue
        skill = skills.get(row.uri)
        if skill is None:
            skill = Skill(
                slug=_unique_slug(Skill, row.label),
                external_id=None if row.uri.startswith(SKILL_URN) else row.uri,
            )
        if not row.relation_only:
            skill.name = row.label or skill.name
            skill.description = row.description
            skill.aliases = _clean_aliases(row.alternative_labels)
            skill.kind = row.type[:40]
        if row.broader_given:
            broader = _category_for(row.broader, parents, existing) if row.broader else ""
            skill.category = categories.get(broader) if broader else None
        skill.save()
        skills[row.uri] = skill
    skills_search.index_skills(Skill.objects.all())  # names, aliases and categories may change
    audit.record(
        actor=_user(actor),
        action="skills.framework_imported",
        detail={"format": format, **report.counts},
    )
    return report


# --- Export --------------------------------------------------------------------------------------


def export_rows(viewer: Any) -> list[dict[str, Any]]:
    """The framework as generic rows: categories (parents first), then skills (merged left out)."""
    authz.require(viewer, "skills.view_framework")
    categories = list(SkillCategory.objects.select_related("parent"))
    depth: dict[int, int] = {}

    def level(category: SkillCategory) -> int:
        if category.pk not in depth:
            depth[category.pk] = 0 if category.parent is None else level(category.parent) + 1
        return depth[category.pk]

    rows: list[dict[str, Any]] = []
    for category in sorted(categories, key=lambda c: (level(c), c.name, c.pk)):
        rows.append(
            {
                "uri": uri_of_category(category),
                "label": category.name,
                "alternative_labels": [],
                "description": category.description,
                "type": CATEGORY,
                "broader": uri_of_category(category.parent) if category.parent else "",
            }
        )
    skills = Skill.objects.exclude(status=Skill.Status.MERGED).select_related("category")
    for skill in skills.order_by("name", "pk"):
        rows.append(
            {
                "uri": uri_of_skill(skill),
                "label": skill.name,
                "alternative_labels": list(skill.aliases),
                "description": skill.description,
                "type": skill.kind or "skill",
                "broader": uri_of_category(skill.category) if skill.category else "",
            }
        )
    return rows


def export_csv(viewer: Any) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GENERIC_COLUMNS)
    for row in export_rows(viewer):
        writer.writerow(
            [
                row["uri"],
                row["label"],
                " | ".join(row["alternative_labels"]),
                row["description"],
                row["type"],
                row["broader"],
            ]
        )
    return buffer.getvalue()


def export_json(viewer: Any) -> str:
    return json.dumps({"concepts": export_rows(viewer)}, ensure_ascii=False, indent=2)
