"""Permissions of the skills app. See ecotone/authz/README.md for the vocabulary.

Privacy (README.md): self-ratings, interests and the full evidence trail are visible to the
person, their management chain, L&D and admins; colleagues see validated levels and
endorsements; a hidden interest is visible to the person alone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ecotone.authz import predicate, register
from ecotone.people.models import Person, Team, User
from ecotone.people.policies import (
    all_or_nothing,
    everyone,
    is_admin,
    is_executive,
    is_learning_facilitator,
    is_manager_of,
    is_member,
    is_self,
    private_scope,
    private_who,
    role_users,
)
from ecotone.people.roles import ADMIN, EXECUTIVE, LEARNING, person_of
from ecotone.skills.models import Interest, ValidationRequest


def _self_scope(user: Any) -> Q:
    viewer = person_of(user)
    return Q(pk=viewer.pk) if viewer else Q(pk__in=[])


def _others_scope(user: Any) -> Q:
    viewer = person_of(user)
    return ~Q(pk=viewer.pk) if viewer else Q(pk__in=[])


def _chain_who(person: Person) -> QuerySet[User]:
    return User.objects.filter(person__pk__in=person.chain_ids)


def _framework_who(_: Any = None) -> QuerySet[User]:
    return role_users(LEARNING, ADMIN)


def _org_who(_: Any = None) -> QuerySet[User]:
    return role_users(LEARNING, EXECUTIVE, ADMIN)


def _reviewer_scope(user: Any) -> Q:
    viewer = person_of(user)
    return Q(reviewer_id=viewer.pk) if viewer else Q(pk__in=[])


# --- The framework -------------------------------------------------------------------------------

register(
    "skills.view_framework",
    is_member,
    scope=everyone,
    description="See skills, categories, the proficiency scale and role profiles.",
)
register(
    "skills.manage_framework",
    is_learning_facilitator | is_admin,
    scope=all_or_nothing(is_learning_facilitator | is_admin),
    who=_framework_who,
    description="Create, edit, deprecate, merge, import and export skills and role profiles.",
)

# --- Levels and evidence of a person -------------------------------------------------------------

register(
    "skills.view_levels",
    is_member,
    scope=everyone,
    description="See someone's validated levels and endorsements.",
)
register(
    "skills.view_private",
    is_self | is_manager_of | is_learning_facilitator | is_admin,
    scope=private_scope,
    who=private_who,
    hidden_unless="skills.view_levels",
    description="See someone's self-ratings, derived levels, evidence trail and interests.",
)


register(
    "skills.rate_self",
    is_self,
    scope=_self_scope,
    hidden_unless="skills.view_levels",
    description="Rate oneself in a skill and ask for validation or endorsement.",
)


@predicate
def is_colleague(user: Any, person: Person | None) -> bool:
    viewer = person_of(user)
    return person is not None and viewer is not None and viewer.pk != person.pk


def _manages_scope(user: Any) -> Q:
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    return Q(manager_path__startswith=viewer.subtree_prefix)


register(
    "skills.assess",
    is_manager_of,
    scope=_manages_scope,
    who=_chain_who,
    hidden_unless="skills.view_levels",
    description="Assess and validate the skill levels of the people one manages.",
)
register(
    "skills.endorse",
    is_colleague,
    scope=_others_scope,
    hidden_unless="skills.view_levels",
    description="Endorse a colleague's skill.",
)
register(
    "skills.record_evidence",
    is_learning_facilitator | is_admin,
    scope=all_or_nothing(is_learning_facilitator | is_admin),
    who=_framework_who,
    description="Record evidence from other sources (results, talks, events) by hand.",
)
register(
    "skills.assign_role",
    is_manager_of | is_learning_facilitator | is_admin,
    hidden_unless="skills.view_levels",
    description="Assign a role profile to a person.",
)

# --- Interests -----------------------------------------------------------------------------------


@predicate
def owns_interest(user: Any, interest: Interest | None) -> bool:
    viewer = person_of(user)
    return interest is not None and viewer is not None and viewer.pk == interest.person_id


@predicate
def sees_person_of_interest(user: Any, interest: Interest | None) -> bool:
    if interest is None or interest.hidden:
        return False
    if is_learning_facilitator(user) or is_admin(user):
        return True
    return bool(is_manager_of(user, interest.person))


def _interest_scope(user: Any) -> Q:
    viewer = person_of(user)
    own = Q(person_id=viewer.pk) if viewer else Q(pk__in=[])
    if is_learning_facilitator(user) or is_admin(user):
        return own | Q(hidden=False)
    if viewer is None:
        return own
    return own | Q(hidden=False, person__manager_path__startswith=viewer.subtree_prefix)


register(
    "skills.view_interest",
    owns_interest | sees_person_of_interest,
    scope=_interest_scope,
    description="See that someone wants to learn, teach or mentor a skill.",
)

# --- Validation requests -------------------------------------------------------------------------


@predicate
def is_reviewer(user: Any, request: ValidationRequest | None) -> bool:
    viewer = person_of(user)
    return request is not None and viewer is not None and viewer.pk == request.reviewer_id


@predicate
def is_requester(user: Any, request: ValidationRequest | None) -> bool:
    viewer = person_of(user)
    return request is not None and viewer is not None and viewer.pk == request.person_id


def _request_scope(user: Any) -> Q:
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    return Q(reviewer_id=viewer.pk) | Q(person_id=viewer.pk)


register(
    "skills.view_request",
    is_reviewer | is_requester,
    scope=_request_scope,
    hidden_unless="skills.view_request",
    description="See a validation or endorsement request one made or received.",
)
register(
    "skills.resolve_request",
    is_reviewer,
    scope=_reviewer_scope,
    hidden_unless="skills.view_request",
    description="Validate, adjust, endorse or decline a request one received.",
)

# --- Gaps ----------------------------------------------------------------------------------------


@predicate
def leads_team(user: Any, team: Team | None) -> bool:
    """Lead of the team or of a team above it."""
    viewer = person_of(user)
    if team is None or viewer is None:
        return False
    ids = [*team.ancestor_ids, team.pk]
    return Team.objects.filter(pk__in=ids, lead_id=viewer.pk).exists()


def _team_gap_scope(user: Any) -> Q:
    if is_learning_facilitator(user) or is_executive(user) or is_admin(user):
        return Q()
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    led = list(Team.objects.filter(lead_id=viewer.pk).values_list("path", flat=True))
    query = Q(pk__in=[])
    for path in led:
        query |= Q(path__startswith=path)
    return query


register(
    "skills.view_team_gaps",
    leads_team | is_learning_facilitator | is_executive | is_admin,
    scope=_team_gap_scope,
    description="See a team's skill matrix and gap analysis (with its sub-teams).",
)
register(
    "skills.view_org_gaps",
    is_learning_facilitator | is_executive | is_admin,
    who=_org_who,
    description="See the organisation's skill heatmap, gaps and bus factor.",
)
