"""The global search page ``/search/``: one box, results by source, snippets, pages.

The page knows no app: it renders what the registered sources return for the viewer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ecotone.kernel.search.registry import get_source
from ecotone.kernel.search.service import SearchPage, search

PAGE_SIZE = 20


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, min(int(value or default), 10_000))
    except ValueError:
        return default


def facet_filters(values: list[str]) -> dict[str, list[str]]:
    """``["colour:red", "colour:blue"]`` (the ``facet`` parameter) as ``{"colour": [...]}``."""
    facets: dict[str, list[str]] = {}
    for item in values[:20]:
        name, _, value = item.partition(":")
        if name and value:
            facets.setdefault(name, []).append(value)
    return facets


def _link(params: dict[str, Any]) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v}, doseq=True)


def no_results_links(page: SearchPage) -> list[dict[str, str]]:
    """The "request this content" links of a search that found nothing (label, url)."""
    links = []
    for action in page.no_results:
        try:
            url = reverse(action.url_name)
        except NoReverseMatch:
            continue
        query = urlencode({action.query_param: page.query.text})
        links.append({"label": action.label, "url": f"{url}?{query}"})
    return links


def page_context(request: HttpRequest, params: QueryDict) -> dict[str, Any]:
    query = params.get("q", "")[:200]
    source = params.get("source", "")[:40]
    facet_values = params.getlist("facet")
    facets = facet_filters(facet_values)
    page = search(
        request.user,
        query,
        sources=[source] if source else None,
        facets=facets,
        page=_int(params.get("page")),
        size=PAGE_SIZE,
    )
    base = {"q": page.query.text, "source": source, "facet": facet_values}
    tabs = [
        {
            "label": "All",
            "count": sum(c.count for c in page.counts),
            "url": _link({"q": page.query.text}),
            "selected": not source,
        }
    ] + [
        {
            "label": count.label,
            "count": count.count,
            "url": _link({"q": page.query.text, "source": count.name}),
            "selected": count.selected,
        }
        for count in page.counts
    ]
    facet_groups: list[dict[str, Any]] = []
    if page.facets and source:
        labels = get_source(source).facets
        for value in page.facets:
            token = f"{value.name}:{value.value}"
            toggled = (
                [v for v in facet_values if v != token]
                if value.selected
                else [*facet_values, token]
            )
            if not facet_groups or facet_groups[-1]["name"] != value.name:
                facet_groups.append(
                    {"name": value.name, "label": labels.get(value.name, value.name), "values": []}
                )
            facet_groups[-1]["values"].append(
                {
                    "value": value.value,
                    "count": value.count,
                    "selected": value.selected,
                    "url": _link({**base, "facet": toggled, "page": None}),
                }
            )
    labels_by_name = {count.name: count.label for count in page.counts}
    return {
        "page": page,
        "query": page.query.text,
        "source": source,
        "tabs": tabs if page.query else [],
        "facet_groups": facet_groups,
        "live_groups": [
            {"label": labels_by_name.get(name, name), "name": name, "hits": hits}
            for name, hits in page.live.items()
        ],
        "no_results_links": no_results_links(page),
        "previous_url": _link({**base, "page": page.number - 1}) if page.has_previous else "",
        "next_url": _link({**base, "page": page.number + 1}) if page.has_next else "",
    }


@require_GET
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    context = page_context(request, request.GET)
    htmx = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "kernel/search.html#results" if htmx else "kernel/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
