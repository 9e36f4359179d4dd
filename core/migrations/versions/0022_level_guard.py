"""Level guard: batch and document classifications can only be known level codes

Revision ID: 0022_level_guard
Revises: 0021_document_seq_index

Counting for a caller whose clearance allows every known level is then provably counting
everything, so progress can skip its per-row clearance checks (progress.visibility
``counting_scope``). An unknown code ranks above every clearance (core.levels.rank: fail
closed); without the guard such a row would have become visible to the top clearance by that
shortcut. The guard only exists where it holds for every row:

- PostgreSQL: a CHECK constraint, added NOT VALID (so new writes are checked from now on)
  and then validated; rows already holding an unknown code leave it not validated, which
  the shortcut reads as "not provable" (``VALIDATE CONSTRAINT`` later, once they are fixed);
- SQLite (no ALTER TABLE ADD CONSTRAINT; rebuilding the tables would drop their triggers):
  triggers that abort an insert or update writing an unknown code, created only when no row
  holds one (else none, and a warning says why).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0022_level_guard"
down_revision = "0021_document_seq_index"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
# Frozen here as migrations are: a new level needs a migration that widens the guard.
LEVELS = ("thuong", "mat", "toi_mat", "tuyet_mat")
TABLES = ("batch", "document")


def constraint_name(table: str) -> str:
    """Return the name of the guard of ``table`` (PostgreSQL constraint, SQLite triggers)."""
    return f"ck_{table}_level_known"


def sqlite_triggers(table: str, levels: tuple[str, ...] = LEVELS) -> dict[str, str]:
    """Return the guard triggers of ``table`` on SQLite: {name: CREATE TRIGGER statement}.

    progress.visibility compares the stored statements with these, so keep them one line.
    """
    allowed = ", ".join(f"'{lv}'" for lv in levels)
    out = {}
    for event in ("INSERT", "UPDATE OF classification"):
        name = f"tr_{table}_level_known_{event.split()[0].lower()}"
        out[name] = (
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
            f"WHEN NEW.classification IS NULL OR NEW.classification NOT IN ({allowed}) "
            "BEGIN SELECT RAISE(ABORT, 'classification is not a known level'); END"
        )
    return out


def _unknown(table: str) -> int:
    allowed = ", ".join(f"'{lv}'" for lv in LEVELS)
    return int(
        op.get_bind().scalar(
            sa.text(
                f"SELECT count(*) FROM {table} "
                f"WHERE classification IS NULL OR classification NOT IN ({allowed})"
            )
        )
        or 0
    )


def upgrade() -> None:
    conn = op.get_bind()
    allowed = ", ".join(f"'{lv}'" for lv in LEVELS)
    for table in TABLES:
        if conn.dialect.name == "postgresql":
            name = constraint_name(table)
            op.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                f"CHECK (classification IN ({allowed})) NOT VALID"
            )
            bad = _unknown(table)
            if bad:
                log.warning(
                    "%d %s rows hold an unknown classification: %s stays not validated",
                    bad,
                    table,
                    name,
                )
            else:
                op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
            continue
        # SQLite: this transaction writes, so no other writer runs between check and create.
        for sql in sqlite_triggers(table).values():
            op.execute(sql)
        bad = _unknown(table)
        if bad:
            log.warning(
                "%d %s rows hold an unknown classification: no level guard on %s",
                bad,
                table,
                table,
            )
            for name in sqlite_triggers(table):
                op.execute(f"DROP TRIGGER {name}")


def downgrade() -> None:
    for table in TABLES:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {constraint_name(table)}")
        else:
            for name in sqlite_triggers(table):
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
