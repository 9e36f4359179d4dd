"""Schema upgrades: once under a lock when many processes start on an empty database, a
refusal for a database migrated by newer code, and ``sohoa db status/upgrade``."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import inspect, text

from cli.main import main
from core.context import open_context
from core.db import make_engine
from core.errors import ConfigError
from core.migrate import schema_state, upgrade
from tests.conftest import REPO

# Each process sleeps until the same instant, then opens (and so migrates) the database.
_OPEN_AT = """
import sys, time
from core.context import open_context
from core.settings import Settings
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
open_context(Settings(data_dir=sys.argv[1], database_url=sys.argv[2] or None))
print("opened")
"""


def _open_together(data_dir, url: str, n: int) -> list[subprocess.CompletedProcess[str]]:
    at = time.time() + 3  # past every interpreter's start-up
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN_AT, str(data_dir), url, str(at)],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def _assert_all_opened(runs, engine) -> None:
    failed = [r.stderr[-1500:] for r in runs if r.returncode or "opened" not in r.stdout]
    assert not failed, failed
    assert schema_state(engine).up_to_date
    assert {"batch", "page_stage", "app_user"} <= set(inspect(engine).get_table_names())


@pytest.mark.sqlite_only(reason="an empty SQLite data directory, its own file lock")
def test_concurrent_starts_on_empty_sqlite_migrate_once(tmp_path):
    runs = _open_together(tmp_path / "data", "", 4)
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'sohoa.db'}")
    _assert_all_opened(runs, engine)
    engine.dispose()


def test_concurrent_starts_on_empty_postgresql_migrate_once(tmp_path, pg_url):
    runs = _open_together(tmp_path / "data", pg_url, 4)
    engine = make_engine(pg_url)
    try:
        _assert_all_opened(runs, engine)
        with engine.connect() as c:  # one row per applied head, written once
            rows = c.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        assert sorted(rows) == sorted(set(rows)) == sorted(schema_state(engine).current)
    finally:
        engine.dispose()


def test_a_head_another_depends_on_counts_as_applied(tmp_path, empty_db_url):
    engine = make_engine(empty_db_url or f"sqlite:///{tmp_path / 'x.db'}")
    before = schema_state(engine)
    assert before.current == frozenset() and "0001" in before.pending
    after = upgrade(engine)
    # 0008 depends on 0004, so alembic_version no longer lists 0004; it is applied all the same.
    assert "0004" not in after.current and after.up_to_date and not after.pending
    engine.dispose()


def test_database_migrated_by_newer_code_is_refused(settings):
    ctx = open_context(settings)
    with ctx.engine.begin() as c:
        c.execute(text("INSERT INTO alembic_version (version_num) VALUES ('9999')"))
    ctx.engine.dispose()
    with pytest.raises(ConfigError) as e:
        open_context(settings)
    assert e.value.code == "schema_newer"


def test_db_status_and_upgrade_commands(tmp_path, empty_db_url, monkeypatch, capsys):
    from core.settings import get_settings

    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert main(["db", "status"]) == 1  # nothing applied, and status did not migrate
        assert "Cần chạy: sohoa db upgrade" in capsys.readouterr().out
        assert main(["db", "upgrade"]) == 0
        assert "Đã nâng cấp cơ sở dữ liệu" in capsys.readouterr().out
        assert main(["db", "status", "--json"]) == 0
        assert '"up_to_date": true' in capsys.readouterr().out
        assert main(["db", "upgrade"]) == 0
        assert "đã ở phiên bản mới nhất" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
