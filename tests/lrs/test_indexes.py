"""Every statements filter is served by an index; same-id writers are safe."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecotone.lrs import services
from ecotone.lrs.models import Statement
from tests.lrs.conftest import new_id, statement

LEO = json.dumps({"mbox": "mailto:leo@example.com"})
FILTERS = [
    {},
    {"agent": LEO},
    {"agent": LEO, "related_agents": "true"},
    {"verb": "http://adlnet.gov/expapi/verbs/completed"},
    {"activity": "http://example.com/courses/xapi-101"},
    {"activity": "http://example.com/courses/xapi-101", "related_activities": "true"},
    {"registration": "6fbd600f-d17c-4c74-801a-2ec2e53231e7"},
    {"since": "2020-01-01T00:00:00Z", "until": "2999-01-01T00:00:00Z"},
    {"verb": "http://adlnet.gov/expapi/verbs/completed", "agent": LEO, "ascending": "true"},
]


def _explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())


@pytest.mark.parametrize("params", FILTERS)
def test_each_filter_query_is_one_indexed_query(xapi, params):
    xapi.post("statements", [statement() for _ in range(3)])
    with CaptureQueriesContext(connection) as captured:
        response = xapi.get("statements", {**params, "limit": 2})
    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if "lrs_statement" in q["sql"]]
    filters = sum(name in params for name in ("agent", "verb", "activity", "registration"))
    # the page, plus one capped count per filter when several are combined
    assert len(reads) == 1 + (filters if filters > 1 else 0)
    for sql in reads:
        plan = _explain(sql)
        if connection.vendor == "postgresql":
            assert "Seq Scan" not in plan, plan
        else:
            assert "SCAN lrs_statementkey" not in plan, plan
            assert "SCAN lrs_statement " not in plan or "lrs_statement_stored" in plan, plan
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_query_count_does_not_grow_with_the_page(xapi, django_assert_num_queries):
    xapi.post("statements", [statement() for _ in range(30)])
    with django_assert_num_queries(2):
        assert len(xapi.get("statements", {"limit": 25}).json()["statements"]) == 25


def test_a_batch_of_statements_costs_a_constant_number_of_queries(xapi):
    xapi.post("statements", [statement()])
    counts = []
    for size in (1, 50, 200):
        with CaptureQueriesContext(connection) as captured:
            assert xapi.post("statements", [statement() for _ in range(size)]).status_code == 200
        counts.append(len(captured.captured_queries))
    # PostgreSQL writes statements and keys with COPY, which the query log does not show.
    assert counts == [8 if connection.vendor == "sqlite" else 6] * 3


def _race(count: int, make) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = services.store_statements(statements=[make(index)])
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time (IMMEDIATE transactions) and its shared-cache "
    "in-memory test database refuses concurrent writers instead of queueing them",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_the_same_statement_store_it_once():
    statement_id = new_id()
    body = statement(id=statement_id)
    results = _race(6, lambda _: dict(body))
    assert results == [[statement_id]] * 6
    assert Statement.objects.filter(statement_id=uuid.UUID(statement_id)).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_different_statements_with_one_id_conflict():
    statement_id = new_id()
    results = _race(
        4, lambda index: statement(id=statement_id, verb={"id": f"http://example.com/v/{index}"})
    )
    stored = [result for result in results if isinstance(result, list)]
    conflicts = [r for r in results if isinstance(r, services.StatementConflict)]
    assert len(stored) == 1
    assert len(conflicts) == 3
    assert Statement.objects.count() == 1
