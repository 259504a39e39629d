"""Every read of people and teams, starting from what the viewer may see.

Lists run a constant number of queries whatever the size of the org (tests assert it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ecotone import authz
from ecotone.kernel.errors import NotFound
from ecotone.kernel.models import SecurityEvent
from ecotone.people.models import Person, Team


def people(viewer: Any) -> QuerySet[Person]:
    """Everyone the viewer may see, with what a list row shows."""
    return authz.scope(viewer, "people.view_person", Person.objects.all()).select_related(
        "team", "user"
    )


def with_report_counts(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate ``report_count``: active direct reports, in the same query."""
    reports = (
        Person.objects.filter(manager=OuterRef("pk"), status=Person.Status.ACTIVE)
        .order_by()
        .values("manager")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(report_count=Coalesce(Subquery(reports), 0))


def directory(
    viewer: Any,
    *,
    query: str = "",
    team: Team | None = None,
    title: str = "",
    location: str = "",
    include_left: bool = False,
) -> QuerySet[Person]:
    """The directory: search by name, e-mail, title or employee id; filter; sort by name."""
    queryset = people(viewer)
    if not include_left:
        queryset = queryset.filter(status=Person.Status.ACTIVE)
    for word in query.split()[:6]:
        queryset = queryset.filter(
            Q(display_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(title__icontains=word)
            | Q(employee_id__iexact=word)
        )
    if team is not None:
        queryset = queryset.filter(team__path__startswith=team.path)
    if title:
        queryset = queryset.filter(title=title)
    if location:
        queryset = queryset.filter(location=location)
    return queryset.order_by("display_name", "pk")


def filter_options(viewer: Any) -> dict[str, list[str]]:
    """Distinct titles and locations for the directory filters (two queries)."""
    active = people(viewer).filter(status=Person.Status.ACTIVE).order_by()
    return {
        "titles": sorted(t for t in active.values_list("title", flat=True).distinct() if t),
        "locations": sorted(
            loc for loc in active.values_list("location", flat=True).distinct() if loc
        ),
    }


def person_for(viewer: Any, pk: int) -> Person:
    """One person the viewer may see, or NotFound."""
    person = people(viewer).select_related("manager", "team__lead").filter(pk=pk).first()
    if person is None:
        raise NotFound("No such person.")
    return person


@dataclass
class Profile:
    person: Person
    chain: list[Person]  # top of the company first, direct manager last
    direct_reports: list[Person]
    indirect_report_count: int
    teams_led: list[Team]
    roles: list[str]


def profile(viewer: Any, person: Person) -> Profile:
    """What a profile page shows. Five queries whatever the org size."""
    chain_ids = person.chain_ids
    by_id = {p.pk: p for p in people(viewer).filter(pk__in=chain_ids)} if chain_ids else {}
    reports = list(
        with_report_counts(
            people(viewer).filter(manager=person, status=Person.Status.ACTIVE)
        ).order_by("display_name")
    )
    indirect = (
        people(viewer)
        .filter(manager_path__startswith=person.subtree_prefix, status=Person.Status.ACTIVE)
        .count()
    )
    return Profile(
        person=person,
        chain=[by_id[pk] for pk in chain_ids if pk in by_id],
        direct_reports=reports,
        indirect_report_count=indirect,
        teams_led=list(Team.objects.filter(lead=person).order_by("name")),
        roles=[grant.get_role_display() for grant in person.role_grants.all()],
    )


def teams(viewer: Any) -> QuerySet[Team]:
    return authz.scope(viewer, "people.view_team", Team.objects.all())


def team_for(viewer: Any, slug: str) -> Team:
    team = teams(viewer).select_related("parent", "lead").filter(slug=slug).first()
    if team is None:
        raise NotFound("No such team.")
    return team


@dataclass
class TeamPage:
    team: Team
    ancestors: list[Team]
    sub_teams: list[Team]
    members: list[Person]


def team_page(viewer: Any, team: Team) -> TeamPage:
    ancestors = {t.pk: t for t in teams(viewer).filter(pk__in=team.ancestor_ids)}
    sub_teams = list(teams(viewer).filter(parent=team).select_related("lead").order_by("name"))
    with_rolled_up_counts(viewer, sub_teams, within=team)
    return TeamPage(
        team=team,
        ancestors=[ancestors[pk] for pk in team.ancestor_ids if pk in ancestors],
        sub_teams=sub_teams,
        members=list(
            people(viewer).filter(team=team, status=Person.Status.ACTIVE).order_by("display_name")
        ),
    )


def rolled_up_member_counts(viewer: Any, *, within: Team | None = None) -> dict[int, int]:
    """Active members of every team and all its sub-teams, by team id.

    One GROUP BY query over people (inside ``within``'s sub-tree when given), rolled up the
    materialized team paths in Python: fast for thousands of teams, where a correlated count
    per team would scan the people table once per team.
    """
    rows = authz.scope(viewer, "people.view_person", Person.objects.all()).filter(
        status=Person.Status.ACTIVE, team__isnull=False
    )
    if within is not None:
        rows = rows.filter(team__path__startswith=within.path)
    totals: dict[int, int] = {}
    grouped = rows.order_by().values_list("team__path").annotate(n=Count("pk"))
    for path, count in grouped:
        for part in path.strip("/").split("/"):
            if part:
                totals[int(part)] = totals.get(int(part), 0) + count
    return totals


def with_rolled_up_counts(
    viewer: Any, team_list: list[Team], *, within: Team | None = None
) -> list[Team]:
    """Set ``member_count`` on each team of an already fetched list (one query)."""
    counts = rolled_up_member_counts(viewer, within=within)
    for team in team_list:
        team.member_count = counts.get(team.pk, 0)  # type: ignore[attr-defined]
    return team_list


def org_chart_roots(viewer: Any) -> list[Person]:
    """The top of the org chart: active people with no manager, with their report counts."""
    return list(
        with_report_counts(
            people(viewer).filter(manager__isnull=True, status=Person.Status.ACTIVE)
        ).order_by("-report_count", "display_name")[:50]  # type: ignore[misc]
    )


def org_chart_children(viewer: Any, person: Person) -> list[Person]:
    """One branch of the org chart, loaded on demand: direct reports with their report counts."""
    return list(
        with_report_counts(
            people(viewer).filter(manager=person, status=Person.Status.ACTIVE)
        ).order_by("display_name")
    )


# --- Pickers, home page and audit reads (HTML adapters) ------------------------------------------

PICKER_LIMIT = 20


def pick_people(viewer: Any, query: str, *, limit: int = PICKER_LIMIT) -> list[Person]:
    """Up to ``limit`` active people matching a search, for search-as-you-type pickers."""
    if not query.strip():
        return []
    return list(directory(viewer, query=query)[:limit])


def pick_teams(viewer: Any, query: str, *, limit: int = PICKER_LIMIT) -> list[Team]:
    """Up to ``limit`` teams whose name contains every word of the search."""
    words = query.split()[:6]
    if not words:
        return []
    queryset = teams(viewer).select_related("parent")
    for word in words:
        queryset = queryset.filter(name__icontains=word)
    return list(queryset.order_by("depth", "name")[:limit])


def team_by_id(viewer: Any, pk: int) -> Team:
    team = teams(viewer).filter(pk=pk).first()
    if team is None:
        raise NotFound("No such team.")
    return team


def team_list(viewer: Any) -> QuerySet[Team]:
    """Every team with its lead, in tree order (parents before children)."""
    return teams(viewer).select_related("lead").order_by("path")


def top_level_teams(viewer: Any) -> list[Team]:
    """Org size by team: the top teams, biggest first, with member counts.

    When one team holds the whole company, its sub-teams are the top level that says something.
    """
    roots = list(teams(viewer).filter(parent__isnull=True).values_list("pk", flat=True)[:2])
    level = Q(parent_id=roots[0]) if len(roots) == 1 else Q(parent__isnull=True)
    top = with_rolled_up_counts(viewer, list(teams(viewer).filter(level).select_related("lead")))
    return sorted(top, key=lambda team: (-team.member_count, team.name))  # type: ignore[attr-defined]


def teammates(viewer: Any, person: Person, *, limit: int = 12) -> list[Person]:
    """Active members of the person's own team, the person excluded."""
    if person.team_id is None:
        return []
    return list(
        people(viewer)
        .filter(team_id=person.team_id, status=Person.Status.ACTIVE)
        .exclude(pk=person.pk)
        .order_by("display_name")[:limit]
    )


@dataclass
class OrgCounts:
    people: int
    teams: int
    left_this_month: int


def org_counts(viewer: Any) -> OrgCounts:
    """Head count, team count and leavers this month (admins). Two queries."""
    authz.require(viewer, "people.manage_people")
    today = timezone.localdate()
    totals = Person.objects.aggregate(
        active=Count("pk", filter=Q(status=Person.Status.ACTIVE)),
        left=Count(
            "pk",
            filter=Q(status=Person.Status.LEFT, left_on__gte=today.replace(day=1)),
        ),
    )
    return OrgCounts(
        people=totals["active"], teams=Team.objects.count(), left_this_month=totals["left"]
    )


def recent_audit_events(viewer: Any) -> QuerySet[SecurityEvent]:
    """The audit trail, newest first, with the actor (admins only)."""
    authz.require(viewer, "people.view_audit")
    return SecurityEvent.objects.select_related("actor").order_by("-occurred_at", "-id")


def org_chart_focus(viewer: Any, person: Person) -> dict[int, list[Person]]:
    """Direct reports of everyone on the path from the top down to ``person``, by manager id.

    One query whatever the depth: the org chart opens at ``person`` with each level expanded.
    """
    managers = [*person.chain_ids, person.pk]
    branches: dict[int, list[Person]] = {pk: [] for pk in managers}
    reports = with_report_counts(
        people(viewer).filter(manager_id__in=managers, status=Person.Status.ACTIVE)
    ).order_by("display_name", "pk")
    for report in reports:
        assert report.manager_id is not None
        branches[report.manager_id].append(report)
    return branches
