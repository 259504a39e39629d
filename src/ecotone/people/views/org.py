"""The interactive org chart: the top, then one branch per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ecotone import authz
from ecotone.kernel.errors import NotFound
from ecotone.people import selectors
from ecotone.people.models import Person
from ecotone.people.views.common import int_param


@dataclass
class Node:
    """A person in the chart; ``reports`` is None while their branch is not loaded."""

    person: Person
    reports: list[Node] | None = None
    focused: bool = False
    on_path: bool = field(default=False)


def _grow(people: list[Person], branches: dict[int, list[Person]], focus: Person) -> list[Node]:
    nodes = []
    for person in people:
        node = Node(person=person, focused=person.pk == focus.pk)
        if person.pk in branches:
            node.on_path = True
            node.reports = _grow(branches[person.pk], branches, focus)
        nodes.append(node)
    return nodes


@require_GET
@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    """The top of the org; with ``?focus=<id>``, opened down to that person."""
    viewer = request.user
    authz.require(viewer, "people.view_person")
    roots = selectors.org_chart_roots(viewer)
    focus: Person | None = None
    if "focus" in request.GET:
        try:
            focus = selectors.person_for(viewer, int_param(request.GET.get("focus"), 0))
        except NotFound:
            focus = None
    context: dict[str, Any] = {"focus": focus, "chain": []}
    if focus is None:
        nodes = [Node(person=root) for root in roots]
        if len(nodes) == 1 and nodes[0].person.report_count:  # type: ignore[attr-defined]
            # One person at the top: open their branch straight away.
            nodes[0].reports = [
                Node(person=report)
                for report in selectors.org_chart_children(viewer, nodes[0].person)
            ]
        context["nodes"] = nodes
    else:
        branches = selectors.org_chart_focus(viewer, focus)
        top_id = focus.chain_ids[0] if focus.chain_ids else focus.pk
        if not any(root.pk == top_id for root in roots):
            top = selectors.with_report_counts(selectors.people(viewer).filter(pk=top_id)).first()
            roots = [top, *roots] if top is not None else roots
        context["nodes"] = _grow(roots, branches, focus)
    return render(request, "people/org_chart.html", context)


@require_GET
@login_required
def org_branch(request: HttpRequest, pk: int) -> HttpResponse:
    """The direct reports of one person, as a fragment of the chart."""
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    nodes = [Node(person=report) for report in selectors.org_chart_children(viewer, person)]
    return render(request, "people/_org_branch.html", {"nodes": nodes, "manager": person})
