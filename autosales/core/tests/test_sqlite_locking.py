"""On SQLite a writer that finds the write lock taken waits for it (and only up to the timeout)."""

import threading
import time

import pytest
from django.db import OperationalError, connections

from autosales.core.sqlite_backend.base import DatabaseWrapper


def _wrapper(path, alias, timeout):
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "autosales.core.sqlite_backend",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": timeout,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
    wrapper = DatabaseWrapper(settings_dict, alias=alias)
    wrapper.ensure_connection()
    return wrapper


@pytest.fixture
def pair(tmp_path, django_db_blocker):
    """Two connections to a file of their own (not the test database)."""
    path = tmp_path / "lock.sqlite3"
    with django_db_blocker.unblock():
        holder, writer = _wrapper(path, "holder", 20), _wrapper(path, "writer", 0.3)
        holder.connection.execute("CREATE TABLE t (n integer)")
        yield holder, writer
        for wrapper in (holder, writer):
            wrapper.close()


def _busy_timeout(wrapper) -> int:
    return wrapper.connection.execute("PRAGMA busy_timeout").fetchone()[0]


def test_a_writer_waits_for_the_lock_and_then_writes(pair):
    holder, writer = pair
    holder.connection.execute("BEGIN IMMEDIATE")
    holder.connection.execute("INSERT INTO t VALUES (1)")
    release = threading.Timer(0.15, holder.connection.commit)
    release.start()
    started = time.monotonic()
    writer._start_transaction_under_autocommit()
    waited = time.monotonic() - started
    release.join()
    assert writer.connection.in_transaction
    writer.connection.execute("INSERT INTO t VALUES (2)")
    writer.connection.commit()
    assert 0.1 <= waited < 0.3
    assert holder.connection.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    # Statements outside BEGIN keep SQLite's own wait.
    assert _busy_timeout(writer) == 300


def test_a_writer_gives_up_after_its_timeout(pair):
    holder, writer = pair
    holder.connection.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked"):
        writer._start_transaction_under_autocommit()
    assert 0.3 <= time.monotonic() - started < 2
    assert not writer.connection.in_transaction
    assert _busy_timeout(writer) == 300
    holder.connection.rollback()
    writer._start_transaction_under_autocommit()
    assert writer.connection.in_transaction
    writer.connection.rollback()
