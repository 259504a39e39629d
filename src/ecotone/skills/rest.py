"""JSON adapters for skills, over the same services and selectors as the HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from ecotone.kernel.errors import DomainError
from ecotone.kernel.pagination import paginate
from ecotone.kernel.problems import ERRORS
from ecotone.people import selectors as people_selectors
from ecotone.skills import importers, selectors, services
from ecotone.skills.models import (
    EvidenceSource,
    Interest,
    RoleProfile,
    Skill,
    SkillCategory,
    ValidationRequest,
)

router = Router(tags=["skills"])


# --- Schemas -------------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    name: str
    slug: str
    parent_id: int | None
    external_id: str | None


class SkillOut(Schema):
    id: int
    name: str
    slug: str
    category_id: int | None
    description: str
    aliases: list[str]
    kind: str
    external_id: str | None
    status: str
    merged_into_id: int | None


class SkillPage(Schema):
    items: list[SkillOut]
    page: int
    pages: int
    total: int


class DescriptorOut(Schema):
    level: int
    name: str
    description: str


class SkillDetailOut(SkillOut):
    levels: list[DescriptorOut]


class SkillIn(Schema):
    name: str
    category_id: int | None = None
    description: str = ""
    aliases: list[str] = []
    kind: str = "skill"
    external_id: str | None = None


class SkillPatch(Schema):
    name: str | None = None
    category_id: int | None = None
    description: str | None = None
    aliases: list[str] | None = None
    kind: str | None = None
    external_id: str | None = None
    status: Literal["active", "deprecated"] | None = None


class MergeIn(Schema):
    into: str = Field(description="The slug of the skill that remains.")


class LevelOut(Schema):
    skill: SkillOut
    level: int | None = Field(description="Derived level (validated level for colleagues).")
    validated_level: int | None
    self_level: int | None = Field(description="Only for the person, their chain and L&D.")
    confidence: float
    endorsements: int
    last_evidence_at: dt.datetime | None
    target_level: int | None
    required: bool
    gap: int


class EvidenceIn(Schema):
    skill: str = Field(description="Skill slug.")
    source: EvidenceSource
    level: int | None = None
    occurred_at: dt.datetime | None = None
    note: str = ""
    link_type: str = ""
    link_id: str = ""


class EvidenceOut(Schema):
    id: int
    person_id: int
    skill_id: int
    source: str
    level: int | None
    occurred_at: dt.datetime
    author_id: int | None
    note: str
    link_type: str
    link_id: str


class LevelAtOut(Schema):
    on: dt.datetime
    level: int | None
    validated_level: int | None
    self_level: int | None
    confidence: float


class RequestIn(Schema):
    skill: str
    level: int
    kind: Literal["validation", "endorsement"] = "validation"
    reviewer_id: int | None = Field(
        default=None, description="A colleague for endorsements; the manager by default."
    )
    message: str = ""


class RequestOut(Schema):
    id: int
    person_id: int
    skill_id: int
    level: int
    kind: str
    reviewer_id: int
    message: str
    status: str
    resolved_level: int | None
    comment: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None


class ResolveIn(Schema):
    decision: Literal["validated", "adjusted", "endorsed", "declined"]
    level: int | None = None
    comment: str = ""


class InterestIn(Schema):
    skill: str
    kind: Literal["learn", "teach", "mentor"]
    wanted: bool = True


class InterestOut(Schema):
    skill_id: int
    kind: str
    hidden: bool


class HideIn(Schema):
    hidden: bool


class RequirementOut(Schema):
    skill_id: int
    target_level: int
    required: bool


class RoleOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    requirements: list[RequirementOut]


class RoleIn(Schema):
    name: str
    description: str = ""


class RequirementIn(Schema):
    target_level: int | None = Field(description="None removes the requirement.")
    required: bool = True


class AssignIn(Schema):
    role: str | None = Field(description="Role profile slug; None removes the assignment.")


class ExpertOut(Schema):
    person_id: int
    display_name: str
    skill: str
    level: int
    endorsements: int
    validated_at: dt.datetime | None
    match: float


class GapOut(Schema):
    skill_id: int
    skill: str
    target_level: int
    needed: int
    required: bool
    qualified: int
    coverage: float
    average_level: float | None
    bus_factor_risk: bool
    top_experts: list[int] = Field(description="Person ids, best first.")


class GapAnalysisOut(Schema):
    scope: str
    people: int
    gaps: list[GapOut]
    bus_factor: list[int] = Field(description="Skill ids held at target by one person or none.")


class MatrixOut(Schema):
    people: list[int]
    skills: list[int]
    levels: list[list[int | None]]
    targets: list[list[int | None]]


class ImportRowOut(Schema):
    line: int
    uri: str
    label: str
    type: str
    action: str
    errors: list[str]


class ImportOut(Schema):
    format: str
    applied: bool
    counts: dict[str, int]
    rows: list[ImportRowOut]


# --- Adapters ------------------------------------------------------------------------------------


def _skill(request: HttpRequest, slug: str) -> Skill:
    return selectors.skill_for(request.user, slug)


def _category(request: HttpRequest, pk: int | None) -> SkillCategory | None:
    if pk is None:
        return None
    category = next((c for c in selectors.categories(request.user) if c.pk == pk), None)
    if category is None:
        raise DomainError("unknown_category", "No such category.", field="category_id")
    return category


def _role(request: HttpRequest, slug: str) -> RoleProfile:
    return selectors.role_profile_for(request.user, slug)


def _level_out(row: selectors.LevelRow) -> dict[str, Any]:
    return {
        "skill": row.skill,
        "level": row.level,
        "validated_level": row.validated_level,
        "self_level": row.self_level,
        "confidence": row.confidence,
        "endorsements": row.endorsements,
        "last_evidence_at": row.last_evidence_at,
        "target_level": row.target_level,
        "required": row.required,
        "gap": row.gap,
    }


def _analysis_out(analysis: selectors.GapAnalysis) -> dict[str, Any]:
    return {
        "scope": analysis.scope,
        "people": analysis.people,
        "gaps": [
            {
                "skill_id": gap.skill.pk,
                "skill": gap.skill.name,
                "target_level": gap.target_level,
                "needed": gap.needed,
                "required": gap.required,
                "qualified": gap.qualified,
                "coverage": round(gap.coverage, 3),
                "average_level": gap.average_level,
                "bus_factor_risk": gap.bus_factor_risk,
                "top_experts": [row.person_id for row in gap.experts],
            }
            for gap in analysis.gaps
        ],
        "bus_factor": [gap.skill.pk for gap in analysis.bus_factor],
    }


# --- The framework -------------------------------------------------------------------------------


@router.get("/skill-categories", response={200: list[CategoryOut], **ERRORS}, summary="Categories")
def list_categories(request: HttpRequest) -> list[SkillCategory]:
    return selectors.categories(request.user)


@router.get("/skills", response={200: SkillPage, **ERRORS}, summary="Active skills")
def list_skills(
    request: HttpRequest, category: int | None = None, page: int = 1, size: int = 50
) -> dict[str, Any]:
    queryset = selectors.skills(request.user, category=_category(request, category))
    result = paginate(queryset, page=page, size=size)
    return {
        "items": result.items,
        "page": result.number,
        "pages": result.pages,
        "total": result.total,
    }


@router.get(
    "/skills/experts",
    response={200: list[ExpertOut], **ERRORS},
    summary="Who knows X? Typo-tolerant search by skill name or alias",
)
def find_experts(request: HttpRequest, q: str, limit: int = 20) -> list[dict[str, Any]]:
    return [
        {
            "person_id": e.person.pk,
            "display_name": e.person.display_name,
            "skill": e.skill.name,
            "level": e.level,
            "endorsements": e.endorsements,
            "validated_at": e.validated_at,
            "match": e.match,
        }
        for e in selectors.find_experts(request.user, q, limit=max(1, min(limit, 100)))
    ]


@router.get("/skills/export", response={200: None, **ERRORS}, summary="Export the framework")
def export_framework(request: HttpRequest, format: Literal["csv", "json"] = "json") -> HttpResponse:
    if format == "csv":
        response = HttpResponse(importers.export_csv(request.user), content_type="text/csv")
    else:
        response = HttpResponse(
            importers.export_json(request.user), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="skills-framework.{format}"'
    return response


@router.post(
    "/skills/import",
    response={200: ImportOut, **ERRORS},
    summary="Preview or import a framework (CSV, JSON, ESCO or O*NET file)",
)
def import_framework(
    request: HttpRequest, file: File[UploadedFile], apply: Form[bool] = False
) -> dict[str, Any]:
    format, rows = importers.read_framework(file.read(), file.name or "")
    if apply:
        report = importers.import_framework(actor=request.user, rows=rows, format=format)
    else:
        report = importers.preview_framework(actor=request.user, rows=rows, format=format)
    return {"format": report.format, "applied": apply, "counts": report.counts, "rows": report.rows}


@router.post("/skills", response={201: SkillOut, **ERRORS}, summary="Create a skill")
def create_skill(request: HttpRequest, payload: SkillIn) -> Status[Any]:
    skill = services.create_skill(
        actor=request.user,
        name=payload.name,
        category=_category(request, payload.category_id),
        description=payload.description,
        aliases=payload.aliases,
        kind=payload.kind,
        external_id=payload.external_id,
    )
    return Status(201, skill)


@router.get("/skills/{slug}", response={200: SkillDetailOut, **ERRORS}, summary="One skill")
def get_skill(request: HttpRequest, slug: str) -> dict[str, Any]:
    skill = _skill(request, slug)
    meaning = selectors.descriptors(skill)
    return {
        **SkillOut.model_validate(skill, from_attributes=True).model_dump(),
        "levels": [
            {"level": s.level, "name": s.name, "description": meaning.get(s.level, s.description)}
            for s in selectors.scale()
        ],
    }


@router.patch("/skills/{slug}", response={200: SkillOut, **ERRORS}, summary="Edit a skill")
def update_skill(request: HttpRequest, slug: str, payload: SkillPatch) -> Skill:
    changes = payload.model_dump(exclude_unset=True)
    if "category_id" in changes:
        changes["category"] = _category(request, changes.pop("category_id"))
    return services.update_skill(actor=request.user, skill=_skill(request, slug), **changes)


@router.post(
    "/skills/{slug}/merge", response={200: SkillOut, **ERRORS}, summary="Merge into another"
)
def merge_skill(request: HttpRequest, slug: str, payload: MergeIn) -> Skill:
    return services.merge_skill(
        actor=request.user, skill=_skill(request, slug), into=_skill(request, payload.into)
    )


# --- A person's skills ---------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/skills",
    response={200: list[LevelOut], **ERRORS},
    summary="A person's levels and role targets, as the viewer may see them",
)
def person_levels(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    person = people_selectors.person_for(request.user, person_id)
    return [_level_out(row) for row in selectors.person_levels(request.user, person)]


@router.get(
    "/people/{person_id}/skills/gaps",
    response={200: list[LevelOut], **ERRORS},
    summary="A person's gaps against their requirements",
)
def person_gaps(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    person = people_selectors.person_for(request.user, person_id)
    return [_level_out(row) for row in selectors.person_gaps(request.user, person)]


@router.post(
    "/people/{person_id}/skills/evidence",
    response={201: EvidenceOut, **ERRORS},
    summary="Record evidence: a self-rating, a manager assessment, an endorsement, ...",
)
def record_evidence(request: HttpRequest, person_id: int, payload: EvidenceIn) -> Status[Any]:
    person = people_selectors.person_for(request.user, person_id)
    evidence = services.record_evidence(
        actor=request.user,
        person=person,
        skill=_skill(request, payload.skill),
        source=payload.source,
        level=payload.level,
        occurred_at=payload.occurred_at,
        note=payload.note,
        link_type=payload.link_type,
        link_id=payload.link_id,
    )
    return Status(201, evidence)


@router.get(
    "/people/{person_id}/skills/{slug}/evidence",
    response={200: list[EvidenceOut], **ERRORS},
    summary="The evidence behind a level",
)
def list_evidence(request: HttpRequest, person_id: int, slug: str) -> list[Any]:
    person = people_selectors.person_for(request.user, person_id)
    return list(selectors.evidence_for(request.user, person, _skill(request, slug))[:200])


@router.get(
    "/people/{person_id}/skills/{slug}/history",
    response={200: list[LevelAtOut], **ERRORS},
    summary="Derived levels at past dates (for trends)",
)
def level_history(
    request: HttpRequest, person_id: int, slug: str, months: int = 12
) -> list[dict[str, Any]]:
    person = people_selectors.person_for(request.user, person_id)
    now = timezone.now()
    dates = [now - dt.timedelta(days=30 * n) for n in range(max(1, min(months, 60)), -1, -1)]
    history = selectors.level_history(request.user, person, _skill(request, slug), dates)
    return [
        {
            "on": on,
            "level": point.level,
            "validated_level": point.validated_level,
            "self_level": point.self_level,
            "confidence": point.confidence,
        }
        for on, point in zip(dates, history, strict=True)
    ]


@router.get(
    "/people/{person_id}/skill-interests",
    response={200: list[InterestOut], **ERRORS},
    summary="What a person wants to learn, teach or mentor (as the viewer may see)",
)
def list_interests(request: HttpRequest, person_id: int) -> list[Interest]:
    person = people_selectors.person_for(request.user, person_id)
    return list(selectors.interests_of(request.user, person))


@router.post(
    "/people/{person_id}/skill-interests",
    response={200: list[InterestOut], **ERRORS},
    summary="Add or remove an interest",
)
def set_interest(request: HttpRequest, person_id: int, payload: InterestIn) -> list[Interest]:
    person = people_selectors.person_for(request.user, person_id)
    services.set_interest(
        actor=request.user,
        person=person,
        skill=_skill(request, payload.skill),
        kind=payload.kind,
        wanted=payload.wanted,
    )
    return list(selectors.interests_of(request.user, person))


@router.post(
    "/people/{person_id}/skill-interests/visibility",
    response={200: list[InterestOut], **ERRORS},
    summary="Hide one's interests from everyone else, or show them again",
)
def hide_interests(request: HttpRequest, person_id: int, payload: HideIn) -> list[Interest]:
    person = people_selectors.person_for(request.user, person_id)
    services.hide_interests(actor=request.user, person=person, hidden=payload.hidden)
    return list(selectors.interests_of(request.user, person))


@router.put(
    "/people/{person_id}/role-profile",
    response={204: None, **ERRORS},
    summary="Assign a role profile",
)
def assign_role(request: HttpRequest, person_id: int, payload: AssignIn) -> Status[Any]:
    person = people_selectors.person_for(request.user, person_id)
    role = _role(request, payload.role) if payload.role else None
    services.assign_role_profile(actor=request.user, person=person, role=role)
    return Status(204, None)


# --- Validation requests -------------------------------------------------------------------------


@router.post("/skill-requests", response={201: RequestOut, **ERRORS}, summary="Ask for validation")
def create_request(request: HttpRequest, payload: RequestIn) -> Status[Any]:
    person = selectors.viewer_person(request.user)
    reviewer = (
        people_selectors.person_for(request.user, payload.reviewer_id)
        if payload.reviewer_id
        else None
    )
    created = services.request_validation(
        actor=request.user,
        person=person,
        skill=_skill(request, payload.skill),
        level=payload.level,
        reviewer=reviewer,
        kind=payload.kind,
        message=payload.message,
    )
    return Status(201, created)


@router.get(
    "/skill-requests/queue",
    response={200: list[RequestOut], **ERRORS},
    summary="Requests waiting for the viewer's answer",
)
def review_queue(request: HttpRequest) -> list[ValidationRequest]:
    return list(selectors.review_queue(request.user)[:200])


@router.get(
    "/skill-requests/mine", response={200: list[RequestOut], **ERRORS}, summary="My requests"
)
def my_requests(request: HttpRequest) -> list[ValidationRequest]:
    return list(selectors.my_requests(request.user)[:200])


@router.post(
    "/skill-requests/{request_id}/resolve",
    response={200: RequestOut, **ERRORS},
    summary="Validate, adjust, endorse or decline",
)
def resolve_request(request: HttpRequest, request_id: int, payload: ResolveIn) -> ValidationRequest:
    return services.resolve_request(
        actor=request.user,
        request=selectors.request_for(request.user, request_id),
        decision=payload.decision,
        level=payload.level,
        comment=payload.comment,
    )


@router.post(
    "/skill-requests/{request_id}/cancel",
    response={200: RequestOut, **ERRORS},
    summary="Withdraw a pending request",
)
def cancel_request(request: HttpRequest, request_id: int) -> ValidationRequest:
    return services.cancel_request(
        actor=request.user, request=selectors.request_for(request.user, request_id)
    )


# --- Role profiles -------------------------------------------------------------------------------


def _role_out(role: RoleProfile) -> dict[str, Any]:
    return {
        "id": role.pk,
        "name": role.name,
        "slug": role.slug,
        "description": role.description,
        "requirements": list(role.requirements.all()),
    }


@router.get("/role-profiles", response={200: list[RoleOut], **ERRORS}, summary="Role profiles")
def list_roles(request: HttpRequest) -> list[dict[str, Any]]:
    roles = selectors.role_profiles(request.user).prefetch_related("requirements")
    return [_role_out(role) for role in roles]


@router.post("/role-profiles", response={201: RoleOut, **ERRORS}, summary="Create a role profile")
def create_role(request: HttpRequest, payload: RoleIn) -> Status[Any]:
    role = services.create_role_profile(
        actor=request.user, name=payload.name, description=payload.description
    )
    return Status(201, _role_out(role))


@router.put(
    "/role-profiles/{slug}/requirements/{skill_slug}",
    response={200: RoleOut, **ERRORS},
    summary="Require a skill at a target level (or stop requiring it)",
)
def set_requirement(
    request: HttpRequest, slug: str, skill_slug: str, payload: RequirementIn
) -> dict[str, Any]:
    role = _role(request, slug)
    services.set_requirement(
        actor=request.user,
        role=role,
        skill=_skill(request, skill_slug),
        target_level=payload.target_level,
        required=payload.required,
    )
    return _role_out(role)


# --- Gaps ----------------------------------------------------------------------------------------


@router.get(
    "/teams/{slug}/skill-gaps",
    response={200: GapAnalysisOut, **ERRORS},
    summary="Gap analysis of a team with its sub-teams",
)
def team_gaps(request: HttpRequest, slug: str) -> dict[str, Any]:
    team = people_selectors.team_for(request.user, slug)
    return _analysis_out(selectors.team_gaps(request.user, team))


@router.get(
    "/teams/{slug}/skill-matrix",
    response={200: MatrixOut, **ERRORS},
    summary="People x skills of a team with its sub-teams",
)
def team_matrix(request: HttpRequest, slug: str) -> dict[str, Any]:
    team = people_selectors.team_for(request.user, slug)
    matrix = selectors.team_matrix(request.user, team=team)
    rows = [matrix.row(person) for person in matrix.people]
    return {
        "people": [person.pk for person in matrix.people],
        "skills": [skill.pk for skill in matrix.skills],
        "levels": [[cell.level for cell in row] for row in rows],
        "targets": [[cell.target_level for cell in row] for row in rows],
    }


@router.get(
    "/org/skill-gaps", response={200: GapAnalysisOut, **ERRORS}, summary="Org-wide gap analysis"
)
def org_gaps(request: HttpRequest) -> dict[str, Any]:
    return _analysis_out(selectors.org_gaps(request.user))
