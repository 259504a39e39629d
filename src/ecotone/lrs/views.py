"""HTML adapters of the LRS: the statement browser, clients, activity mappings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def browse(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


statement_detail = clients = revoke_client = mappings = delete_mapping = browse
