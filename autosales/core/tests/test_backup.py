import os
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def run(cmd, env, check=True):
    return subprocess.run(
        [sys.executable, "-m", "autosales.cli", *cmd],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def count(path, table):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - table names are literal


@pytest.fixture
def sqlite_env(tmp_path):
    db = tmp_path / "live.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "AUTOSALES_VAR_DIR": str(tmp_path / "var")}
    run(["migrate", "-v0"], env)
    return db, env


def test_restore_brings_back_every_row(sqlite_env, tmp_path):
    db, env = sqlite_env
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO core_store (code, name, city, address, phone, time_zone, is_active, created_at,"
            " updated_at) VALUES ('BK01', '备份店', '', '', '', 'Asia/Shanghai', 1, '2026-01-01', '2026-01-01')"
        )
    stores_before = count(db, "core_store")
    backup = tmp_path / "b.sqlite3"
    out = run(["backup", str(backup)], env)
    assert str(backup) in out.stdout
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM core_store")
    assert count(db, "core_store") == 0
    run(["restore", str(backup), "--yes"], env)
    assert count(db, "core_store") == stores_before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM core_store WHERE code='BK01'").fetchone()[0] == "备份店"
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    with sqlite3.connect(backup) as conn:
        for table in tables:
            if table.startswith("sqlite_"):
                continue
            assert count(db, table) == conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_env, tmp_path):
    _db, env = sqlite_env
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    result = run(["restore", str(junk), "--yes"], env, check=False)
    assert result.returncode != 0
    assert "backup" in result.stderr.lower() or "备份" in result.stderr


def test_backup_refuses_to_overwrite(sqlite_env, tmp_path):
    _db, env = sqlite_env
    target = tmp_path / "exists.sqlite3"
    target.write_text("x")
    result = run(["backup", str(target)], env, check=False)
    assert result.returncode != 0
    assert target.read_text() == "x"
