"""Bringing a database to the current schema with Alembic (SQLite or PostgreSQL), once.

Every process that opens the database (workers, ingest, the web app) calls :func:`upgrade` on
start. On an empty database they would all run the first migration at the same moment and
all but one would die (``UniqueViolation`` on ``alembic_version`` on PostgreSQL, "table
already exists" on SQLite). So the upgrade runs under one lock per database: a session
advisory lock held on a dedicated PostgreSQL connection, or an ``fcntl`` lock on a file next
to the SQLite database. The others wait, then re-read the revision and find nothing to do.
An up-to-date database is recognised without the lock, so a normal start takes no lock and a
read-only database can still be opened.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

from core.errors import ConfigError

log = logging.getLogger(__name__)
_HERE = Path(__file__).resolve().parent
# First key of the migration advisory lock; claims.py uses 0x50A with batch ids for batches.
_LOCK_NS, _LOCK_MIGRATE = 0x50A, -1
SQLITE_LOCK_SUFFIX = ".migrate.lock"  # beside the database file; backups skip it


def alembic_config(url: str) -> Config:
    """Return an Alembic config pointing at sohoa's migrations and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against this code's migrations."""

    current: frozenset[str]  # what alembic_version holds (heads of what was applied)
    pending: frozenset[str]  # revisions of this code not applied yet
    unknown: frozenset[str]  # revisions in the database this code has never heard of

    @property
    def up_to_date(self) -> bool:
        """Return True when every revision of this code is applied."""
        return not self.pending and not self.unknown


def _script(engine: Engine) -> ScriptDirectory:
    return ScriptDirectory.from_config(
        alembic_config(engine.url.render_as_string(hide_password=False))
    )


def schema_state(engine: Engine) -> SchemaState:
    """Read the database's revisions (no write, no lock) and compare them with the code's."""
    script = _script(engine)
    with engine.connect() as conn:
        current = frozenset(MigrationContext.configure(conn).get_current_heads())
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = current - known
    # A head that another depends on is no longer listed in alembic_version (0008 depends
    # on 0004), so what was applied is the ancestry of the listed heads, dependencies included.
    applied = {r.revision for r in script.iterate_revisions(tuple(current - unknown), "base")}
    return SchemaState(current, frozenset(known - applied), frozenset(unknown))


def _refuse_newer(state: SchemaState) -> None:
    if state.unknown:
        raise ConfigError(
            f"database has revisions {sorted(state.unknown)} unknown to this code",
            code="schema_newer",
            message_vi="Cơ sở dữ liệu đã được nâng cấp bởi phiên bản sohoa mới hơn phiên bản "
            "đang chạy; hãy cài cùng một phiên bản trên mọi máy.",
        )


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold the one lock under which this database's schema is changed.

    PostgreSQL: ``pg_advisory_lock`` on a connection of its own, in autocommit, so the
    migration's transaction is separate and the lock dies with the process if it is killed.
    SQLite: ``flock`` on ``<database>.migrate.lock`` (released when the file is closed, also
    by the kernel on a crash). An in-memory SQLite database has one user and needs none.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(
                text("SELECT pg_advisory_lock(:a, :b)"), {"a": _LOCK_NS, "b": _LOCK_MIGRATE}
            )
            try:
                yield
            finally:
                conn.execute(
                    text("SELECT pg_advisory_unlock(:a, :b)"), {"a": _LOCK_NS, "b": _LOCK_MIGRATE}
                )
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock = Path(database).with_name(Path(database).name + SQLITE_LOCK_SUFFIX)
    with lock.open("a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def upgrade(engine: Engine) -> SchemaState:
    """Apply every pending migration, once across concurrent starts; returns the new state.

    Raises:
        ConfigError: ``schema_newer`` when the database was migrated by a newer sohoa.
    """
    state = schema_state(engine)
    _refuse_newer(state)
    if state.up_to_date:
        return state
    with migration_lock(engine):
        state = schema_state(engine)  # whoever held the lock before us may have done it
        _refuse_newer(state)
        if state.up_to_date:
            return state
        log.info("migrating database: applying %s", sorted(state.pending))
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            # Features add migrations on their own branches from 0001; "heads" applies them all.
            command.upgrade(cfg, "heads")
    return schema_state(engine)
