"""SQLite connections leave planner statistics behind (``PRAGMA optimize`` before closing)."""

import sqlite3

import pytest
from django.db import connection

from autosales.core.sqlite_backend.base import DatabaseWrapper, statistics_after_migrate
from autosales.core.tests.factories import StoreFactory

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics")


def test_a_closing_connection_analyses_the_tables_it_used(tmp_path, django_db_blocker):
    path = tmp_path / "stats.sqlite3"
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="statistics")
    with django_db_blocker.unblock(), wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE quote (id integer PRIMARY KEY, customer_id int, store_id int)")
        cursor.execute("CREATE INDEX quote_customer ON quote (customer_id)")
        cursor.execute("CREATE INDEX quote_store ON quote (store_id)")
        cursor.executemany(
            "INSERT INTO quote (customer_id, store_id) VALUES (%s, %s)",
            [(n % 5000, n % 4) for n in range(20000)],
        )
        cursor.execute("SELECT id FROM quote WHERE customer_id = 7 AND store_id = 3 ORDER BY id DESC")
    assert wrapper.connection.execute("PRAGMA analysis_limit").fetchone() == (1000,)
    with django_db_blocker.unblock():
        wrapper.close()
    with sqlite3.connect(path) as plain:
        analysed = {row[0] for row in plain.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'quote'")}
        plan = " ".join(
            row[-1]
            for row in plain.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM quote WHERE customer_id = 7 AND store_id = 3 ORDER BY id DESC"
            )
        )
    assert analysed == {"quote_customer", "quote_store"}
    assert "quote_customer" in plan


@pytest.mark.django_db
def test_migrate_analyses_a_database_that_keeps_statistics():
    StoreFactory.create_batch(3)
    with connection.cursor() as cursor:
        statistics_after_migrate()  # none kept yet: nothing to do
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is None
        cursor.execute("ANALYZE")
        cursor.execute('CREATE INDEX store_name_test ON "core_store" ("name")')
        statistics_after_migrate()
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE idx = 'store_name_test'")
        assert cursor.fetchone() == ("store_name_test",)
