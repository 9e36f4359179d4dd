"""Test databases for the two passes of the suite, and fault injection for both dialects.

``SOHOA_TEST_DATABASE`` names the pass (tests/conftest.py reads it). On the PostgreSQL pass a
test's database is copied from a template migrated once per run (``CREATE DATABASE …
TEMPLATE``: a fraction of a second, against seconds for migrating each one) and dropped
afterwards with every engine the product opened on it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

TEST_DATABASE = os.environ.get("SOHOA_TEST_DATABASE", "").strip().lower()
ON_POSTGRESQL = TEST_DATABASE == "postgresql"
PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN = f"postgresql+psycopg://root@{PG_HOST}:{PG_PORT}/postgres"
_RUN = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"  # names this run's databases
_numbers = itertools.count(1)
_template: list[str] = []  # the run's migrated template, once made


def drop_leftovers() -> None:
    """Drop the databases of earlier runs on this machine that were killed before cleaning."""
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            names = c.execute(text("SELECT datname FROM pg_database")).scalars().all()
    finally:
        admin.dispose()
    for name in names:
        m = re.fullmatch(r"sohoa_(?:t|tpl)_(\d+)_[0-9a-f]{6}(?:_\w+)?", name)
        if m and not _pid_alive(int(m.group(1))):
            drop_database(name)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def admin_execute(sql: str) -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(sql))
    finally:
        admin.dispose()


_engines: dict[str, list[Engine]] = {}  # database name -> engines opened on it


def _tracked_create_engine(url: Any, *args: Any, **kwargs: Any) -> Engine:
    engine = _create_engine(url, *args, **kwargs)
    _engines.setdefault(engine.url.database or "", []).append(engine)
    return engine


if ON_POSTGRESQL:
    # Every engine the product makes (core.db.make_engine) is closed before its database is
    # dropped; a pooled connection left to the garbage collector warns (and warnings fail).
    import core.db

    _create_engine = core.db.create_engine
    core.db.create_engine = _tracked_create_engine


def drop_database(name: str) -> None:
    for engine in _engines.pop(name, ()):
        engine.dispose()
    # FORCE ends the connections still open elsewhere (subprocesses, killed workers).
    admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg(name: str) -> str:
    return f"postgresql+psycopg://root@{PG_HOST}:{PG_PORT}/{name}"


def _migrated_template() -> str:
    if not _template:
        from core.db import make_engine
        from core.migrate import upgrade

        name = f"sohoa_tpl_{_RUN}"
        admin_execute(f'CREATE DATABASE "{name}"')
        _template.append(name)
        engine = make_engine(pg(name))
        try:
            upgrade(engine)
        finally:
            engine.dispose()  # a template must have no connection when it is copied
    return _template[0]


@contextlib.contextmanager
def fresh_database() -> Iterator[str | None]:
    """Yield the URL of a fresh, migrated database of its own, dropped afterwards.

    On the SQLite pass it yields None: ``Settings(database_url=None)`` is SQLite in the data
    directory, which is already fresh per test.
    """
    if not ON_POSTGRESQL:
        yield None
        return
    name = f"sohoa_t_{_RUN}_{next(_numbers)}"
    admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{_migrated_template()}"')
    try:
        yield pg(name)
    finally:
        drop_database(name)


@contextlib.contextmanager
def empty_database() -> Iterator[str]:
    """Yield the URL of a new, empty (unmigrated) PostgreSQL database, dropped afterwards."""
    name = f"sohoa_t_{_RUN}_{next(_numbers)}_empty"
    admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg(name)
    finally:
        drop_database(name)


def drop_template() -> None:
    """Drop this run's template database (at the end of the session)."""
    if _template:
        drop_database(_template.pop())


def drop_audit_guards(engine: Engine) -> None:
    """Remove the append-only triggers of ``audit_log``: what an attacker would do first."""
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
            c.execute(text("DROP TRIGGER audit_log_no_truncate ON audit_log"))
        else:
            c.execute(text("DROP TRIGGER audit_log_no_update"))
            c.execute(text("DROP TRIGGER audit_log_no_delete"))


def break_audit_log(engine: Engine) -> None:
    """Make every insert into ``audit_log`` fail with 'audit unavailable' (a full disk, say)."""
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(
                text(
                    "CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$"
                )
            )
            c.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log "
                    "FOR EACH ROW EXECUTE FUNCTION audit_down()"
                )
            )
        else:
            c.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log "
                    "BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END"
                )
            )
