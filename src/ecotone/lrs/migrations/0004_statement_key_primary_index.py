"""The filter-key table keeps one index: its primary key ``(key, stored, statement_id)``.

Before, each key row was a table row plus two indexes (``(key, stored, statement)`` and the unique
``(statement, key)``). Now a filter reads the primary key's range, combinations probe it by full
key, and voiding deletes by full key. On SQLite the table is ``WITHOUT ROWID`` (one B-tree in
all), which Django cannot express, hence the hand-written tables; the model state is the usual one.
"""

import django.db.models.deletion
from django.db import migrations, models

_SQL = {
    "sqlite": [
        "ALTER TABLE lrs_statementkey RENAME TO lrs_statementkey_old",
        'CREATE TABLE lrs_statementkey ("key" char(32) NOT NULL, "stored" datetime NOT NULL, '
        '"statement_id" char(32) NOT NULL, PRIMARY KEY ("key", "stored", "statement_id")) '
        "WITHOUT ROWID",
        'INSERT OR IGNORE INTO lrs_statementkey ("key", "stored", "statement_id") '
        'SELECT "key", "stored", "statement_id" FROM lrs_statementkey_old',
        "DROP TABLE lrs_statementkey_old",
    ],
    "postgresql": [
        "ALTER TABLE lrs_statementkey RENAME TO lrs_statementkey_old",
        'CREATE TABLE lrs_statementkey ("key" uuid NOT NULL, "stored" timestamptz NOT NULL, '
        '"statement_id" uuid NOT NULL, CONSTRAINT lrs_statementkey_pk '
        'PRIMARY KEY ("key", "stored", "statement_id"))',
        'INSERT INTO lrs_statementkey ("key", "stored", "statement_id") '
        'SELECT "key", "stored", "statement_id" FROM lrs_statementkey_old ON CONFLICT DO NOTHING',
        "DROP TABLE lrs_statementkey_old",
    ],
}


def rebuild(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in _SQL[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("lrs", "0003_consumer_cursor"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="StatementKey"),
                migrations.CreateModel(
                    name="StatementKey",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "key",
                                "stored",
                                "statement",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("key", models.UUIDField()),
                        ("stored", models.DateTimeField()),
                        (
                            "statement",
                            models.ForeignKey(
                                db_column="statement_id",
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="keys",
                                to="lrs.statement",
                                to_field="statement_id",
                            ),
                        ),
                    ],
                ),
            ],
            database_operations=[migrations.RunPython(rebuild)],
        ),
    ]
