from __future__ import annotations

from django.conf import settings
from django.db import models


class SecurityEvent(models.Model):
    """One sensitive action, appended and never edited (role grants, imports, tokens, ...)."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["action", "-occurred_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class SearchDocument(models.Model):
    """One searchable thing of one source (a skill, a person, a course, ...): the search index.

    Written only by ``kernel.search.index_document`` / ``remove_document`` / ``reindex``. The
    full-text index lives beside it and is kept in step by the database itself: an FTS5 table
    with triggers on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL
    (migration 0004). ``restricted`` documents are visible only through a ``SearchGrant``.
    """

    source = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    facets = models.JSONField(default=dict, blank=True)
    restricted = models.BooleanField(default=False)
    # Filter words for the SQLite full-text index: the source, the audience and the facet values
    # as opaque tokens, so visibility and facet filters are part of the MATCH (search/query.py).
    scope = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["source", "key"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="search_document_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.key} {self.title}"


class SearchFacet(models.Model):
    """One facet value of a document ("category" = "data"), for filters and facet counts."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)
    value = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["name", "value", "document"])]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "value"], name="search_facet_unique_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchGrant(models.Model):
    """Who may find a restricted document: viewers holding ``token`` ("person:12", ...)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["token", "document"])]
        constraints = [
            models.UniqueConstraint(fields=["document", "token"], name="search_grant_unique_token"),
        ]

    def __str__(self) -> str:
        return self.token
