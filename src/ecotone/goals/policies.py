"""Permissions of the goals app. See ecotone/authz/README.md for the vocabulary.

OKRs are transparent: every member sees every cycle, objective and key result. Learning goals
are personal: the person, their management chain, L&D and admins always see them; the team sees
them when shared with the team, everyone when shared with everyone. Drafts stay with the person
and their chain whatever the visibility.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ecotone.authz import predicate, register
from ecotone.goals.models import KeyResult, LearningGoal, Objective
from ecotone.people.models import Person, Team, User
from ecotone.people.policies import (
    all_or_nothing,
    everyone,
    is_admin,
    is_executive,
    is_learning_facilitator,
    is_manager_of,
    is_member,
    role_users,
)
from ecotone.people.roles import ADMIN, EXECUTIVE, LEARNING, person_of


def _okr_staff_who(_: Any = None) -> QuerySet[User]:
    return role_users(LEARNING, EXECUTIVE, ADMIN)


# --- OKRs ----------------------------------------------------------------------------------------

register(
    "goals.view_okrs",
    is_member,
    scope=everyone,
    description="See cycles, objectives, key results, check-ins and skill demand.",
)
register(
    "goals.manage_cycles",
    is_learning_facilitator | is_executive | is_admin,
    scope=all_or_nothing(is_learning_facilitator | is_executive | is_admin),
    who=_okr_staff_who,
    description="Create and edit OKR cycles.",
)


def _leads(viewer: Person, team_id: int | None) -> bool:
    if team_id is None:
        return False
    team = Team.objects.filter(pk=team_id).only("path").first()
    if team is None:
        return False
    ids = [*team.ancestor_ids, team.pk]
    return Team.objects.filter(pk__in=ids, lead_id=viewer.pk).exists()


@predicate
def may_change_objective(user: Any, objective: Objective | None) -> bool:
    """Company objectives: executives and admins. Team: the lead of the team or above,
    executives, and the owner's managers. Personal: the owner and their managers. Once created,
    the owner of any objective may edit it."""
    viewer = person_of(user)
    if objective is None:
        return False
    if is_admin(user):
        return True
    if objective.level == Objective.Level.COMPANY:
        return bool(is_executive(user)) or (
            viewer is not None and objective.owner_id == viewer.pk and objective.pk is not None
        )
    if viewer is None:
        return False
    if objective.owner_id == viewer.pk and (
        objective.pk is not None or objective.level == Objective.Level.PERSONAL
    ):
        return True
    if objective.level == Objective.Level.TEAM and (
        is_executive(user) or _leads(viewer, objective.team_id)
    ):
        return True
    owner = Person.objects.filter(pk=objective.owner_id).only("manager_path").first()
    return owner is not None and viewer.pk in owner.chain_ids


register(
    "goals.change_objective",
    may_change_objective,
    hidden_unless="goals.view_okrs",
    description="Create and edit an objective, its key results and its skill demand.",
)


@predicate
def may_check_in(user: Any, key_result: KeyResult | None) -> bool:
    viewer = person_of(user)
    if key_result is None:
        return False
    if viewer is not None and key_result.owner_id == viewer.pk:
        return True
    return bool(may_change_objective(user, key_result.objective))


register(
    "goals.check_in",
    may_check_in,
    hidden_unless="goals.view_okrs",
    description="Check in on a key result (its owner, or whoever may change the objective).",
)
register(
    "goals.view_readiness",
    is_learning_facilitator | is_executive | is_admin,
    who=_okr_staff_who,
    description="See the organisation-wide capability readiness of every objective.",
)

# --- Learning goals ------------------------------------------------------------------------------


@predicate
def owns_goal(user: Any, goal: LearningGoal | None) -> bool:
    viewer = person_of(user)
    return goal is not None and viewer is not None and viewer.pk == goal.person_id


@predicate
def manages_goal_owner(user: Any, goal: LearningGoal | None) -> bool:
    return goal is not None and bool(is_manager_of(user, goal.person))


@predicate
def goal_shared_with(user: Any, goal: LearningGoal | None) -> bool:
    viewer = person_of(user)
    if goal is None or viewer is None or goal.status == LearningGoal.Status.DRAFT:
        return False
    if goal.visibility == LearningGoal.Visibility.EVERYONE:
        return True
    if goal.visibility == LearningGoal.Visibility.TEAM:
        return viewer.team_id is not None and viewer.team_id == goal.person.team_id
    return False


def _goal_scope(user: Any) -> Q:
    if is_admin(user) or is_learning_facilitator(user):
        return Q()
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    shared = Q(visibility=LearningGoal.Visibility.EVERYONE)
    if viewer.team_id is not None:
        shared |= Q(visibility=LearningGoal.Visibility.TEAM, person__team_id=viewer.team_id)
    return (
        Q(person_id=viewer.pk)
        | Q(person__manager_path__startswith=viewer.subtree_prefix)
        | (shared & ~Q(status=LearningGoal.Status.DRAFT))
    )


def _goal_who(goal: LearningGoal) -> QuerySet[User]:
    query = (
        Q(person__pk=goal.person_id)
        | Q(person__pk__in=goal.person.chain_ids)
        | Q(person__role_grants__role__in=[ADMIN, LEARNING])
        | Q(is_superuser=True)
    )
    if goal.status != LearningGoal.Status.DRAFT:
        if goal.visibility == LearningGoal.Visibility.EVERYONE:
            query |= Q(person__isnull=False)
        elif goal.visibility == LearningGoal.Visibility.TEAM and goal.person.team_id:
            query |= Q(person__team_id=goal.person.team_id)
    return User.objects.filter(query).distinct()


register(
    "goals.view_goal",
    owns_goal | manages_goal_owner | is_learning_facilitator | is_admin | goal_shared_with,
    scope=_goal_scope,
    who=_goal_who,
    hidden_unless="goals.view_goal",
    description="See a learning goal: the person, their managers, L&D, and whom it is shared with.",
)


def _own_scope(user: Any) -> Q:
    viewer = person_of(user)
    return Q(person_id=viewer.pk) if viewer else Q(pk__in=[])


register(
    "goals.change_goal",
    owns_goal,
    scope=_own_scope,
    hidden_unless="goals.view_goal",
    description="Edit, accept, check in on, achieve or abandon one's own learning goal.",
)


def _managed_goal_scope(user: Any) -> Q:
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    return Q(person__manager_path__startswith=viewer.subtree_prefix)


register(
    "goals.coach_goal",
    manages_goal_owner,
    scope=_managed_goal_scope,
    hidden_unless="goals.view_goal",
    description="Comment on and co-sign the learning goals of the people one manages.",
)


@predicate
def is_self_or_manager(user: Any, person: Person | None) -> bool:
    viewer = person_of(user)
    if person is None or viewer is None:
        return False
    return viewer.pk == person.pk or viewer.pk in person.chain_ids


def _self_or_managed(user: Any) -> Q:
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    return Q(pk=viewer.pk) | Q(manager_path__startswith=viewer.subtree_prefix)


register(
    "goals.create_goal",
    is_self_or_manager,
    scope=_self_or_managed,
    hidden_unless="people.view_person",
    description="Create a learning goal for oneself, or propose one to someone one manages.",
)
register(
    "goals.view_team_goals",
    is_manager_of,
    hidden_unless="people.view_person",
    description="See the goals of the people one manages, stalled and overdue ones highlighted.",
)
