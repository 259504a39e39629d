"""Every write of the skills app. Each function is one transaction.

``record_evidence`` is the one entry point for evidence of every source: self-ratings, manager
assessments, endorsements, course and quiz results, talks, events, opportunity outcomes and
external xAPI statements. It rewrites the person's derived level (the ``SkillLevel`` read model)
in the same transaction, so gap queries read one row per person and skill.

Other apps whose own service already checked permission (a quiz attempt, an LRS statement) call
it with ``actor=SYSTEM`` and name the human ``author`` if there is one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ecotone import authz
from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError
from ecotone.notifications.services import notify
from ecotone.people.models import Person
from ecotone.skills import levels
from ecotone.skills import search as skills_search
from ecotone.skills.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    Evidence,
    EvidenceSource,
    Interest,
    LevelDescriptor,
    ProficiencyLevel,
    RoleAssignment,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLevel,
    ValidationRequest,
)


class SystemActor:
    """A trusted caller: another app's service that has already checked its own permission."""

    pk = None
    is_authenticated = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()

NOTE_MAX = 2000
SOURCE_PERMISSION: dict[str, str] = {
    EvidenceSource.SELF: "skills.rate_self",
    EvidenceSource.MANAGER: "skills.assess",
    EvidenceSource.PEER: "skills.endorse",
}
LEVEL_REQUIRED = frozenset({EvidenceSource.SELF, EvidenceSource.MANAGER})


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) else actor


def _clean_level(level: Any, *, field: str = "level", required: bool = True) -> int | None:
    if level is None or level == "":
        if required:
            raise DomainError("level_required", "Choose a level.", field=field)
        return None
    try:
        value = int(level)
    except (TypeError, ValueError):
        raise DomainError("invalid_level", "A level is a whole number.", field=field) from None
    if not MIN_LEVEL <= value <= MAX_LEVEL:
        raise DomainError(
            "level_out_of_range",
            f"A level is between {MIN_LEVEL} and {MAX_LEVEL}.",
            field=field,
        )
    return value


def _clean_text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", "This field is required.", field=field)
    if len(value) > limit:
        raise DomainError("too_long", f"Keep it under {limit} characters.", field=field)
    return value


def _level(level: Any, *, field: str = "level") -> int:
    value = _clean_level(level, field=field)
    assert value is not None
    return value


def _active_skill(skill: Skill) -> Skill:
    """Evidence for a merged skill lands on the skill it became; deprecated skills take none."""
    seen = {skill.pk}
    while skill.status == Skill.Status.MERGED and skill.merged_into_id is not None:
        skill = Skill.objects.get(pk=skill.merged_into_id)
        if skill.pk in seen:
            break
        seen.add(skill.pk)
    if skill.status != Skill.Status.ACTIVE:
        raise DomainError("skill_not_active", f"{skill.name} is no longer in use.", field="skill")
    return skill


# --- Evidence and levels -------------------------------------------------------------------------


@transaction.atomic
def record_evidence(
    *,
    actor: Any,
    person: Person,
    skill: Skill,
    source: str,
    level: int | None = None,
    occurred_at: dt.datetime | None = None,
    note: str = "",
    link_type: str = "",
    link_id: str = "",
    author: Any = None,
) -> Evidence:
    """Record one piece of evidence and rewrite the person's derived level in that skill.

    ``actor`` is the user acting (permission depends on ``source``: oneself for self-ratings,
    the management chain for manager assessments, any colleague for endorsements, L&D and
    admins for the other sources), or ``SYSTEM`` for a trusted service of another app.
    ``author`` defaults to the acting user. ``link_type``/``link_id`` name what the evidence
    came from ("content.course", "42").
    """
    if source not in EvidenceSource.values:
        raise DomainError("invalid_source", f"Unknown evidence source {source!r}.", field="source")
    if not isinstance(actor, SystemActor):
        authz.require(actor, SOURCE_PERMISSION.get(source, "skills.record_evidence"), person)
    if not person.is_active:
        raise DomainError("person_inactive", f"{person} has left.", field="person")
    skill = _active_skill(skill)
    clean_level = _clean_level(level, required=source in LEVEL_REQUIRED)
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + dt.timedelta(minutes=5):
        raise DomainError(
            "in_the_future", "Evidence cannot come from the future.", field="occurred_at"
        )
    evidence = Evidence.objects.create(
        person=person,
        skill=skill,
        source=source,
        level=clean_level,
        occurred_at=occurred_at,
        author=author if author is not None else _user(actor),
        note=_clean_text(note, field="note", limit=NOTE_MAX),
        link_type=_clean_text(link_type, field="link_type", limit=60),
        link_id=_clean_text(str(link_id), field="link_id", limit=120),
    )
    refresh_level(person_id=person.pk, skill_id=skill.pk, as_of=now)
    if source == EvidenceSource.MANAGER:
        audit.record(
            actor=_user(actor),
            action="skills.level_assessed",
            target=evidence,
            detail={"skill": skill.name, "level": clean_level},
        )
    return evidence


def refresh_level(*, person_id: int, skill_id: int, as_of: dt.datetime | None = None) -> None:
    """Rewrite one row of the read model from the evidence, inside the caller's transaction."""
    as_of = as_of or timezone.now()
    rows = Evidence.objects.filter(person_id=person_id, skill_id=skill_id)
    derived = levels.derive(levels.pieces_of(rows), as_of)
    if derived.last_evidence_at is None:
        SkillLevel.objects.filter(person_id=person_id, skill_id=skill_id).delete()
        return
    SkillLevel.objects.update_or_create(
        person_id=person_id,
        skill_id=skill_id,
        defaults={
            "level": derived.level,
            "validated_level": derived.validated_level,
            "self_level": derived.self_level,
            "confidence": derived.confidence,
            "endorsements": derived.endorsements,
            "last_evidence_at": derived.last_evidence_at,
            "validated_at": derived.validated_at,
            "computed_at": as_of,
        },
    )


def refresh_levels(*, person_ids: Sequence[int] | None = None, batch: int = 2000) -> int:
    """Recompute the read model (confidence decays with time); a nightly task. Returns rows."""
    now = timezone.now()
    pairs = SkillLevel.objects.all()
    if person_ids is not None:
        pairs = pairs.filter(person_id__in=person_ids)
    count = 0
    keys = list(pairs.values_list("person_id", "skill_id"))
    for start in range(0, len(keys), batch):
        with transaction.atomic():
            for person_id, skill_id in keys[start : start + batch]:
                refresh_level(person_id=person_id, skill_id=skill_id, as_of=now)
                count += 1
    return count


# --- Validation and endorsement requests ---------------------------------------------------------


@transaction.atomic
def request_validation(
    *,
    actor: Any,
    person: Person,
    skill: Skill,
    level: int,
    reviewer: Person | None = None,
    kind: str = ValidationRequest.Kind.VALIDATION,
    message: str = "",
) -> ValidationRequest:
    """Ask one's manager to validate a level (or ``reviewer``, a colleague, to endorse it).

    Asking records the level as a self-rating too, unless it is already the newest one.
    """
    authz.require(actor, "skills.rate_self", person)
    skill = _active_skill(skill)
    clean_level = _level(level)
    if kind == ValidationRequest.Kind.VALIDATION:
        reviewer = reviewer or person.manager
        if reviewer is None:
            raise DomainError(
                "no_manager", "You have no manager to validate this.", field="reviewer"
            )
        if reviewer.pk not in person.chain_ids:
            raise DomainError(
                "not_your_manager", "Only your management chain validates levels.", field="reviewer"
            )
    elif kind == ValidationRequest.Kind.ENDORSEMENT:
        if reviewer is None:
            raise DomainError("required", "Choose a colleague.", field="reviewer")
        if reviewer.pk == person.pk:
            raise DomainError("self_endorsement", "Ask someone else.", field="reviewer")
    else:
        raise DomainError("invalid_kind", "Unknown kind of request.", field="kind")
    if not reviewer.is_active:
        raise DomainError("reviewer_inactive", f"{reviewer} has left.", field="reviewer")
    if ValidationRequest.objects.filter(
        person=person, skill=skill, reviewer=reviewer, status=ValidationRequest.Status.PENDING
    ).exists():
        raise DomainError(
            "already_requested", f"{reviewer} already has a request for this skill.", field="skill"
        )
    current = SkillLevel.objects.filter(person=person, skill=skill).first()
    if current is None or current.self_level != clean_level:
        record_evidence(
            actor=actor,
            person=person,
            skill=skill,
            source=EvidenceSource.SELF,
            level=clean_level,
            note=message,
        )
    request = ValidationRequest.objects.create(
        person=person,
        skill=skill,
        level=clean_level,
        kind=kind,
        reviewer=reviewer,
        message=_clean_text(message, field="message", limit=NOTE_MAX),
    )
    verb = "validate" if kind == ValidationRequest.Kind.VALIDATION else "endorse"
    notify(
        recipient=reviewer.user,
        kind=f"skills.{kind}_requested",
        title=f"{person} asks you to {verb} {skill.name} at level {clean_level}",
        url="/skills/reviews/",
        actor=_user(actor),
    )
    return request


@transaction.atomic
def resolve_request(
    *,
    actor: Any,
    request: ValidationRequest,
    decision: str,
    level: int | None = None,
    comment: str = "",
) -> ValidationRequest:
    """Validate, adjust (with a comment), endorse or decline a request one received."""
    authz.require(actor, "skills.resolve_request", request)
    request = (
        ValidationRequest.objects.select_for_update()
        .select_related("person__user", "skill", "reviewer")
        .get(pk=request.pk)
    )
    if request.status != ValidationRequest.Status.PENDING:
        raise DomainError(
            "already_resolved", "This request was already answered.", field="decision"
        )
    comment = _clean_text(comment, field="comment", limit=NOTE_MAX)
    Status = ValidationRequest.Status
    is_validation = request.kind == ValidationRequest.Kind.VALIDATION
    allowed = (
        {Status.VALIDATED, Status.ADJUSTED, Status.DECLINED}
        if is_validation
        else {Status.ENDORSED, Status.DECLINED}
    )
    if decision not in allowed:
        raise DomainError(
            "invalid_decision",
            "Choose one of: " + ", ".join(sorted(allowed)) + ".",
            field="decision",
        )
    resolved_level: int | None = None
    evidence = None
    if decision == Status.ADJUSTED:
        resolved_level = _clean_level(level)
        if not comment:
            raise DomainError("comment_required", "Say why you adjust the level.", field="comment")
    elif decision in (Status.VALIDATED, Status.ENDORSED):
        resolved_level = request.level
    if decision != Status.DECLINED:
        evidence = record_evidence(
            actor=actor,
            person=request.person,
            skill=request.skill,
            source=EvidenceSource.MANAGER if is_validation else EvidenceSource.PEER,
            level=resolved_level,
            note=comment,
            link_type="skills.validation_request",
            link_id=str(request.pk),
        )
    request.status = decision
    request.resolved_level = resolved_level
    request.comment = comment
    request.resolved_at = timezone.now()
    request.evidence = evidence
    request.save(update_fields=["status", "resolved_level", "comment", "resolved_at", "evidence"])
    level_text = f" at level {resolved_level}" if resolved_level else ""
    notify(
        recipient=request.person.user,
        kind=f"skills.request_{decision}",
        title=f"{request.reviewer} {decision} your {request.skill.name}{level_text}",
        body=comment,
        url="/skills/me/",
        actor=_user(actor),
    )
    return request


@transaction.atomic
def cancel_request(*, actor: Any, request: ValidationRequest) -> ValidationRequest:
    """Withdraw one's own pending request."""
    authz.require(actor, "skills.view_request", request)
    authz.require(actor, "skills.rate_self", request.person)
    if request.status != ValidationRequest.Status.PENDING:
        raise DomainError("already_resolved", "This request was already answered.")
    request.status = ValidationRequest.Status.CANCELLED
    request.resolved_at = timezone.now()
    request.save(update_fields=["status", "resolved_at"])
    return request


# --- Interests -----------------------------------------------------------------------------------


@transaction.atomic
def set_interest(
    *, actor: Any, person: Person, skill: Skill, kind: str, wanted: bool = True
) -> Interest | None:
    """Say (or stop saying) that one wants to learn, teach or mentor a skill."""
    authz.require(actor, "skills.rate_self", person)
    if kind not in Interest.Kind.values:
        raise DomainError("invalid_kind", "Choose learn, teach or mentor.", field="kind")
    if not wanted:
        Interest.objects.filter(person=person, skill=skill, kind=kind).delete()
        return None
    skill = _active_skill(skill)
    hidden = Interest.objects.filter(person=person, hidden=True).exists()
    interest, _ = Interest.objects.get_or_create(
        person=person, skill=skill, kind=kind, defaults={"hidden": hidden}
    )
    return interest


@transaction.atomic
def hide_interests(*, actor: Any, person: Person, hidden: bool) -> int:
    """Hide all one's interests from everyone else (or show them again)."""
    authz.require(actor, "skills.rate_self", person)
    return Interest.objects.filter(person=person).update(hidden=hidden)


# --- The framework -------------------------------------------------------------------------------


def _unique_slug(model: Any, name: str, *, exclude: int | None = None) -> str:
    base = slugify(name)[:120] or "skill"
    slug, counter = base, 2
    others = model.objects.exclude(pk=exclude) if exclude else model.objects.all()
    while others.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _clean_aliases(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        alias = (alias or "").strip()
        if alias and alias.lower() not in seen:
            seen[alias.lower()] = alias[:160]
    return list(seen.values())


def _clean_external_id(value: str | None, model: Any, *, exclude: int | None) -> str | None:
    value = (value or "").strip() or None
    if value and model.objects.exclude(pk=exclude).filter(external_id=value).exists():
        raise DomainError(
            "duplicate_external_id", "Another entry has this external id.", field="external_id"
        )
    return value


@transaction.atomic
def create_category(
    *,
    actor: Any,
    name: str,
    parent: SkillCategory | None = None,
    description: str = "",
    external_id: str | None = None,
) -> SkillCategory:
    authz.require(actor, "skills.manage_framework")
    name = _clean_text(name, field="name", limit=120, required=True)
    if SkillCategory.objects.filter(parent=parent, name__iexact=name).exists():
        raise DomainError("duplicate_name", "A category already has this name.", field="name")
    category = SkillCategory.objects.create(
        name=name,
        slug=_unique_slug(SkillCategory, name),
        parent=parent,
        description=description.strip(),
        external_id=_clean_external_id(external_id, SkillCategory, exclude=None),
    )
    audit.record(actor=_user(actor), action="skills.category_created", target=category)
    return category


@transaction.atomic
def create_skill(
    *,
    actor: Any,
    name: str,
    category: SkillCategory | None = None,
    description: str = "",
    aliases: Iterable[str] = (),
    kind: str = "skill",
    external_id: str | None = None,
) -> Skill:
    authz.require(actor, "skills.manage_framework")
    name = _clean_text(name, field="name", limit=160, required=True)
    if Skill.objects.filter(name__iexact=name).exclude(status=Skill.Status.MERGED).exists():
        raise DomainError("duplicate_name", "A skill already has this name.", field="name")
    skill = Skill.objects.create(
        name=name,
        slug=_unique_slug(Skill, name),
        category=category,
        description=description.strip(),
        aliases=_clean_aliases(aliases),
        kind=_clean_text(kind, field="kind", limit=40) or "skill",
        external_id=_clean_external_id(external_id, Skill, exclude=None),
    )
    skills_search.index_skill(skill)
    audit.record(actor=_user(actor), action="skills.skill_created", target=skill)
    return skill


EDITABLE_SKILL_FIELDS = frozenset(
    {"name", "category", "description", "aliases", "kind", "external_id", "status"}
)


@transaction.atomic
def update_skill(*, actor: Any, skill: Skill, **changes: Any) -> Skill:
    """Edit a skill; ``status="deprecated"`` retires it (its evidence and levels stay)."""
    authz.require(actor, "skills.manage_framework")
    unknown = set(changes) - EDITABLE_SKILL_FIELDS
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError("not_editable", f"You cannot change {field}.", field=field)
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    if "name" in changes:
        name = _clean_text(changes["name"], field="name", limit=160, required=True)
        if (
            Skill.objects.exclude(pk=skill.pk)
            .exclude(status=Skill.Status.MERGED)
            .filter(name__iexact=name)
            .exists()
        ):
            raise DomainError("duplicate_name", "A skill already has this name.", field="name")
        skill.name = name
    if "category" in changes:
        skill.category = changes["category"]
    if "description" in changes:
        skill.description = (changes["description"] or "").strip()
    if "aliases" in changes:
        skill.aliases = _clean_aliases(changes["aliases"])
    if "kind" in changes:
        skill.kind = _clean_text(changes["kind"], field="kind", limit=40) or "skill"
    if "external_id" in changes:
        skill.external_id = _clean_external_id(changes["external_id"], Skill, exclude=skill.pk)
    if "status" in changes:
        status = changes["status"]
        if status not in (Skill.Status.ACTIVE, Skill.Status.DEPRECATED):
            raise DomainError("invalid_status", "Use merge_skill to merge a skill.", field="status")
        if skill.status == Skill.Status.MERGED:
            raise DomainError("merged", "A merged skill cannot come back.", field="status")
        skill.status = status
    skill.save()
    skills_search.index_skill(skill)
    audit.record(
        actor=_user(actor),
        action="skills.skill_updated",
        target=skill,
        detail={"fields": sorted(changes)},
    )
    return skill


@transaction.atomic
def merge_skill(*, actor: Any, skill: Skill, into: Skill) -> Skill:
    """Merge ``skill`` into ``into``: all evidence, interests, requests and requirements move."""
    authz.require(actor, "skills.manage_framework")
    if skill.pk == into.pk:
        raise DomainError("merge_into_self", "Choose another skill.", field="into")
    into = _active_skill(into)
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    if skill.status == Skill.Status.MERGED:
        raise DomainError("merged", "This skill was already merged.", field="skill")
    moved = Evidence.objects.filter(skill=skill).update(skill=into)
    affected = set(SkillLevel.objects.filter(skill=skill).values_list("person_id", flat=True))
    SkillLevel.objects.filter(skill=skill).delete()
    for person_id in affected:
        refresh_level(person_id=person_id, skill_id=into.pk)
    for interest in Interest.objects.filter(skill=skill):
        if Interest.objects.filter(
            person_id=interest.person_id, skill=into, kind=interest.kind
        ).exists():
            interest.delete()
        else:
            Interest.objects.filter(pk=interest.pk).update(skill=into)
    for requirement in RoleRequirement.objects.filter(skill=skill):
        kept = RoleRequirement.objects.filter(role_id=requirement.role_id, skill=into).first()
        if kept is None:
            RoleRequirement.objects.filter(pk=requirement.pk).update(skill=into)
        else:
            if requirement.target_level > kept.target_level or requirement.required:
                kept.target_level = max(kept.target_level, requirement.target_level)
                kept.required = kept.required or requirement.required
                kept.save(update_fields=["target_level", "required"])
            requirement.delete()
    ValidationRequest.objects.filter(skill=skill, status=ValidationRequest.Status.PENDING).update(
        status=ValidationRequest.Status.CANCELLED, resolved_at=timezone.now()
    )
    into.aliases = _clean_aliases([*into.aliases, skill.name, *skill.aliases])
    into.save(update_fields=["aliases", "updated_at"])
    skill.status = Skill.Status.MERGED
    skill.merged_into = into
    skill.save(update_fields=["status", "merged_into", "updated_at"])
    skills_search.remove_skill(skill)
    skills_search.index_skill(into)
    audit.record(
        actor=_user(actor),
        action="skills.skill_merged",
        target=skill,
        detail={"into": into.pk, "evidence_moved": moved},
    )
    return into


@transaction.atomic
def set_level_descriptor(*, actor: Any, skill: Skill, level: int, description: str) -> None:
    """Say what a level means for a skill (an empty description removes it)."""
    authz.require(actor, "skills.manage_framework")
    clean_level = _level(level)
    description = _clean_text(description, field="description", limit=2000)
    if not description:
        LevelDescriptor.objects.filter(skill=skill, level=clean_level).delete()
        return
    LevelDescriptor.objects.update_or_create(
        skill=skill, level=clean_level, defaults={"description": description}
    )


@transaction.atomic
def rename_proficiency_level(
    *, actor: Any, level: int, name: str, description: str = ""
) -> ProficiencyLevel:
    authz.require(actor, "skills.manage_framework")
    clean_level = _level(level)
    step, _ = ProficiencyLevel.objects.update_or_create(
        level=clean_level,
        defaults={
            "name": _clean_text(name, field="name", limit=60, required=True),
            "description": description.strip(),
        },
    )
    return step


# --- Role profiles -------------------------------------------------------------------------------


@transaction.atomic
def create_role_profile(*, actor: Any, name: str, description: str = "") -> RoleProfile:
    authz.require(actor, "skills.manage_framework")
    name = _clean_text(name, field="name", limit=120, required=True)
    if RoleProfile.objects.filter(name__iexact=name).exists():
        raise DomainError("duplicate_name", "A role profile already has this name.", field="name")
    role = RoleProfile.objects.create(
        name=name, slug=_unique_slug(RoleProfile, name), description=description.strip()
    )
    audit.record(actor=_user(actor), action="skills.role_profile_created", target=role)
    return role


@transaction.atomic
def set_requirement(
    *, actor: Any, role: RoleProfile, skill: Skill, target_level: int | None, required: bool = True
) -> RoleRequirement | None:
    """Require a skill at a target level (``None`` removes the requirement)."""
    authz.require(actor, "skills.manage_framework")
    if target_level is None:
        RoleRequirement.objects.filter(role=role, skill=skill).delete()
        return None
    skill = _active_skill(skill)
    clean_level = _level(target_level, field="target_level")
    requirement, _ = RoleRequirement.objects.update_or_create(
        role=role, skill=skill, defaults={"target_level": clean_level, "required": required}
    )
    return requirement


@transaction.atomic
def assign_role_profile(
    *, actor: Any, person: Person, role: RoleProfile | None
) -> RoleAssignment | None:
    """Measure a person against a role profile (``None`` removes the assignment)."""
    if not isinstance(actor, SystemActor):
        authz.require(actor, "skills.assign_role", person)
    if role is None:
        RoleAssignment.objects.filter(person=person).delete()
        return None
    assignment, _ = RoleAssignment.objects.update_or_create(person=person, defaults={"role": role})
    return assignment
