"""Storage of the LRS: statements with their filter keys, activities, documents, clients.

Every filter of the statements resource is answered from one index: ``StatementKey`` holds one row
per (statement, filter value), where the value is a 128-bit digest of a kind and an identity
(``agent`` + an inverse functional identifier, ``verb`` + an IRI, ...). A query for ``verb=X`` reads
the rows with ``key = digest("verb", X)`` in ``stored`` order and stops at the page size.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Statement(models.Model):
    """One statement, as stored (JSON text), with the columns its reads need.

    ``stored`` is unique per statement within a process (``services.next_stored``); ``seq`` breaks
    ties between processes and is the second half of the paging cursor ``(stored, seq)``. A
    statement is never edited except to mark it voided.
    """

    seq = models.BigAutoField(primary_key=True)
    statement_id = models.UUIDField(unique=True)
    stored = models.DateTimeField()
    timestamp = models.DateTimeField()
    verb_id = models.CharField(max_length=2048)
    actor_key = models.UUIDField(help_text="Digest of the actor's identity (agent or group).")
    # The statement this one targets through a StatementRef (voiding statements included).
    ref_target = models.UUIDField(null=True, blank=True)
    is_voiding = models.BooleanField(default=False)
    voided = models.BooleanField(default=False)
    voided_by = models.UUIDField(null=True, blank=True)
    version = models.CharField(max_length=16)
    client = models.ForeignKey(
        "LrsClient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never queried by client; one index less on every insert
    )
    payload = models.TextField(help_text="The statement as stored, compact JSON.")
    has_attachments = models.BooleanField(default=False)

    class Meta:
        ordering = ["-stored", "-seq"]
        indexes = [
            models.Index(fields=["stored", "seq"], name="lrs_statement_stored"),
            models.Index(
                fields=["ref_target"],
                name="lrs_statement_ref",
                condition=models.Q(ref_target__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementKey(models.Model):
    """One filter value of one statement: ``key`` is ``filter_key(kind, value)``.

    The primary key ``(key, stored, statement)`` is the only index: a filter reads one range of it
    in ``stored`` order, and a combination of filters probes the others by their full primary key
    (the driving row's ``stored`` and statement are known). On SQLite the table is ``WITHOUT
    ROWID``, so a key row is one B-tree entry. Rows of a voided statement are deleted, and queries
    also skip voided statements through the join they make anyway. A statement targeting another
    through a StatementRef also carries the target's keys (the StatementRef-aware filters).
    """

    pk = models.CompositePrimaryKey("key", "stored", "statement")
    statement = models.ForeignKey(
        Statement,
        on_delete=models.DO_NOTHING,
        related_name="keys",
        to_field="statement_id",
        db_column="statement_id",
        # Written in the same transaction as its statement and never alone: no database-level
        # check (it costs a look-up per key at commit) and no index of its own.
        db_constraint=False,
        db_index=False,
    )
    key = models.UUIDField()
    stored = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.statement_id} {self.key}"


class Activity(models.Model):
    """The canonical definition of an activity, merged from the statements that mention it."""

    key = models.UUIDField(unique=True, help_text="filter_key('activity', iri)")
    iri = models.TextField()
    definition = models.JSONField(default=dict, blank=True)
    updated = models.DateTimeField()

    class Meta:
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.iri


class AttachmentContent(models.Model):
    """The bytes of a statement attachment, stored once per hash."""

    sha2 = models.CharField(max_length=128, primary_key=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.sha2


class Document(models.Model):
    """A state, activity profile or agent profile document."""

    class Kind(models.TextChoices):
        STATE = "state", "State"
        ACTIVITY_PROFILE = "activity_profile", "Activity profile"
        AGENT_PROFILE = "agent_profile", "Agent profile"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    activity_key = models.UUIDField(null=True, blank=True)
    agent_key = models.UUIDField(null=True, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    document_id = models.CharField(max_length=1024)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["kind", "activity_key", "agent_key", "registration", "updated"],
                name="lrs_document_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id}"


class LrsClient(models.Model):
    """Credentials an outside tool uses to talk to the LRS (HTTP Basic ``key:secret``).

    Only ``HMAC-SHA256(server secret, secret)`` is stored: the secret is 256 random bits, so a keyed
    hash is as safe as a slow password hash and costs microseconds per request.
    """

    class Scope(models.TextChoices):
        STATEMENTS_WRITE = "statements/write", "Write statements"
        STATEMENTS_READ_MINE = "statements/read/mine", "Read its own statements"
        STATEMENTS_READ = "statements/read", "Read all statements"
        STATE = "state", "Read and write state documents"
        PROFILE = "profile", "Read and write profiles, agents and activities"
        ALL_READ = "all/read", "Read everything"
        ALL = "all", "Everything"

    name = models.CharField(max_length=120)
    key = models.CharField(max_length=40, unique=True)
    secret_digest = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    authority = models.JSONField(help_text="The agent recorded as authority of its statements.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ActivityMapping(models.Model):
    """An external activity an admin declared as evidence of skills.

    ``skill_refs`` are skill identifiers (URIs or slugs) resolved by the skills app.
    """

    activity_iri = models.CharField(max_length=2048)
    activity_key = models.UUIDField(unique=True)
    label = models.CharField(max_length=200, blank=True)
    skill_refs = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity_iri"]

    def __str__(self) -> str:
        return self.label or self.activity_iri


class ConsumerCursor(models.Model):
    """How far an app above the LRS has consumed the statements (``evidence.lock_cursor``)."""

    name = models.CharField(max_length=60, unique=True)
    seq = models.BigIntegerField(default=0, help_text="Every statement up to it was examined.")
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.seq}"
