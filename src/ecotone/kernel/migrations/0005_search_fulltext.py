"""The full-text side of the search index, one per database (see ecotone/kernel/search.py).

SQLite: an external-content FTS5 table over kernel_searchdocument, kept in step by triggers,
with prefix indexes for two- and three-letter prefixes (type-ahead). Its ``scope`` column holds
the filter tokens (source, audience, facets), so filters are part of the MATCH.
PostgreSQL: a generated, weighted tsvector column with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE kernel_searchdocument_fts USING fts5(
        title, tags, body, scope,
        content='kernel_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER kernel_searchdocument_fts_insert AFTER INSERT ON kernel_searchdocument BEGIN
        INSERT INTO kernel_searchdocument_fts(rowid, title, tags, body, scope)
        VALUES (new.id, new.title, new.tags, new.body, new.scope);
    END
    """,
    """
    CREATE TRIGGER kernel_searchdocument_fts_delete AFTER DELETE ON kernel_searchdocument BEGIN
        INSERT INTO kernel_searchdocument_fts(kernel_searchdocument_fts, rowid, title, tags, body, scope)
        VALUES ('delete', old.id, old.title, old.tags, old.body, old.scope);
    END
    """,
    """
    CREATE TRIGGER kernel_searchdocument_fts_update AFTER UPDATE ON kernel_searchdocument BEGIN
        INSERT INTO kernel_searchdocument_fts(kernel_searchdocument_fts, rowid, title, tags, body, scope)
        VALUES ('delete', old.id, old.title, old.tags, old.body, old.scope);
        INSERT INTO kernel_searchdocument_fts(rowid, title, tags, body, scope)
        VALUES (new.id, new.title, new.tags, new.body, new.scope);
    END
    """,
    "INSERT INTO kernel_searchdocument_fts(kernel_searchdocument_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS kernel_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS kernel_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS kernel_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS kernel_searchdocument_fts",
]

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE kernel_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(tags, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'D')
    ) STORED
    """,
    "CREATE INDEX kernel_searchdocument_vector ON kernel_searchdocument USING gin (vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS kernel_searchdocument_vector",
    "ALTER TABLE kernel_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"Full-text search supports SQLite and PostgreSQL, not "
                f"{schema_editor.connection.vendor}."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("kernel", "0004_search_index")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
