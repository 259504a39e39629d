"""HTML adapters of the LRS: the statement browser, LRS clients and activity mappings."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecotone.kernel.errors import DomainError
from ecotone.kernel.forms import add_domain_error
from ecotone.lrs import evidence, profile, selectors, services
from ecotone.lrs.forms import BrowseForm, ClientForm, MappingForm
from ecotone.lrs.selectors import StatementQuery
from ecotone.people.models import Person

type View = Callable[..., HttpResponse]


@require_GET
@login_required
def browse(request: HttpRequest) -> HttpResponse:
    filters = request.GET.copy()
    token = filters.pop("more", [""])[-1]
    form = BrowseForm(filters or None)
    query = selectors.browse_query()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = selectors.browse_query(
            agent_email=data["agent"],
            verb=data["verb"].strip(),
            activity=data["activity"].strip(),
            registration=data["registration"],
            since=data["since"],
            until=data["until"],
        )
    if token:
        # A damaged or forged link shows the first page of the same filters.
        with contextlib.suppress(signing.BadSignature, KeyError, TypeError, ValueError):
            query = StatementQuery.from_token(token)
    rows, more = selectors.browse_statements(request.user, query)
    return render(
        request,
        "lrs/browse.html",
        {
            "form": form,
            "rows": rows,
            "more": more.token() if more else "",
            "filters": filters.urlencode(),
            "filtered": any(value for value in filters.values()),
            "verbs": [(iri, display) for iri, display in profile.VERBS.values()],
        },
    )


@require_GET
@login_required
def statement_detail(request: HttpRequest, statement_id: uuid.UUID) -> HttpResponse:
    found = selectors.browsed_statement(request.user, statement_id)
    return render(
        request,
        "lrs/statement.html",
        {"statement": found, "pretty": json.dumps(found.raw, indent=2, ensure_ascii=False)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def clients(request: HttpRequest) -> HttpResponse:
    listed = list(selectors.clients(request.user))
    form = ClientForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.create_client(
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                authority_email=form.cleaned_data["authority_email"] or None,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            listed = list(selectors.clients(request.user))
            form = ClientForm()
    return render(
        request,
        "lrs/clients.html",
        {"clients": listed, "form": form, "issued": issued, "endpoint": "/xapi/"},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def revoke_client(request: HttpRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for(request.user, client_id)
    services.revoke_client(actor=request.user, client=client)
    messages.success(request, f"“{client.name}” can no longer use the LRS.")
    return redirect("lrs:clients")


@require_http_methods(["GET", "POST"])
@login_required
def mappings(request: HttpRequest) -> HttpResponse:
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = services.map_activity(
                actor=request.user,
                activity_iri=form.cleaned_data["activity_iri"],
                skill_refs=form.skill_list(),
                label=form.cleaned_data["label"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Mapped: its completions now count as skill evidence.")
            unknown = evidence.unknown_skill_refs(mapping.skill_refs)
            if unknown:
                messages.warning(
                    request,
                    f"No skill is called {', '.join(unknown)} yet: statements count for it "
                    "once a skill with that slug, external id or name exists.",
                )
            return redirect("lrs:mappings")
    listed = list(selectors.mappings(request.user))
    unknown_refs = set(
        evidence.unknown_skill_refs([ref for item in listed for ref in item.skill_refs])
    )
    return render(
        request,
        "lrs/mappings.html",
        {"mappings": listed, "unknown_refs": unknown_refs, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def delete_mapping(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = selectors.mapping_for(request.user, mapping_id)
    services.unmap_activity(actor=request.user, mapping=mapping)
    messages.success(request, "Mapping removed.")
    return redirect("lrs:mappings")


@require_GET
@login_required
def person_activity(request: HttpRequest, person_id: int) -> HttpResponse:
    """A page of a person's timeline: the rows alone for htmx ("Older activity"), else a page."""
    person = get_object_or_404(Person.objects.select_related("user"), pk=person_id)
    timeline = selectors.person_timeline(request.user, person, more=request.GET.get("more", ""))
    template = (
        "lrs/_timeline_entries.html"
        if getattr(request, "htmx", False)
        else "lrs/person_activity.html"
    )
    return render(request, template, {"person": person, "timeline": timeline})
