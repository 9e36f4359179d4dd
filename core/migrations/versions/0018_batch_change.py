"""batch_change: an append-only note of every write that can change a batch's counts

Revision ID: 0018_batch_change
Revises: every head before it (a merge point, so it runs after every table it watches exists)

Triggers on page_stage, page, document, source_file, field_correction and batch append the
batch's id; the newest id per batch is the batch's revision, so progress computed once can be
reused until the batch changes (progress.cache). Append-only on purpose: bumping a counter row
would make every worker of a batch queue on one row lock (and risk deadlocks on PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_batch_change"
down_revision = (
    "0003",
    "0006",
    "0007",
    "0008",
    "0009_batch_grouping",
    "0010_notes_views",
    "0016a",
    "0016b",
    "0017_autoaccept",
)
branch_labels = None
# 0004 is in by 0008's dependency on it (listing it here too makes Alembic drop it twice).
depends_on = "0005"

# table -> (events, how to find the batch of a row named r)
_SOURCES = {
    "page_stage": (
        "INSERT OR DELETE OR UPDATE OF status, started_at, finished_at, error_code, error",
        "SELECT batch_id FROM page WHERE id = {r}.page_id",
    ),
    "page": ("INSERT OR DELETE OR UPDATE", None),
    "document": ("INSERT OR DELETE OR UPDATE", None),
    "source_file": ("INSERT OR DELETE OR UPDATE", None),
    "field_correction": ("INSERT OR DELETE", "SELECT batch_id FROM document WHERE id = {r}.document_id"),
    "batch": ("UPDATE", "SELECT {r}.id"),
}


def sqlite_triggers() -> list[str]:
    out = []
    for table, (events, lookup) in _SOURCES.items():
        for event in events.split(" OR "):
            kind = event.split()[0]
            r = "OLD" if kind == "DELETE" else "NEW"
            body = "INSERT INTO batch_change (batch_id) " + (
                lookup.format(r=r) if lookup else f"SELECT {r}.batch_id"
            )
            if kind == "UPDATE" and lookup is None:  # a row moved to another batch: both
                body += (
                    "; INSERT INTO batch_change (batch_id) SELECT OLD.batch_id "
                    "WHERE OLD.batch_id IS NOT NEW.batch_id"
                )
            body += ";"
            out.append(
                f"CREATE TRIGGER tr_{table}_{kind.lower()}_batch_change AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN {body} END"
            )
    return out


_PG_FUNCTION = """
CREATE FUNCTION sohoa_note_batch_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'page_stage' THEN
    INSERT INTO batch_change (batch_id) SELECT batch_id FROM page WHERE id = r.page_id;
  ELSIF TG_TABLE_NAME = 'field_correction' THEN
    INSERT INTO batch_change (batch_id) SELECT batch_id FROM document WHERE id = r.document_id;
  ELSIF TG_TABLE_NAME = 'batch' THEN
    INSERT INTO batch_change (batch_id) VALUES (r.id);
  ELSE
    INSERT INTO batch_change (batch_id) VALUES (r.batch_id);
    IF TG_OP = 'UPDATE' AND OLD.batch_id IS DISTINCT FROM NEW.batch_id THEN
      INSERT INTO batch_change (batch_id) VALUES (OLD.batch_id);
    END IF;
  END IF;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "batch_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
    )
    op.create_index("ix_batch_change_batch", "batch_change", ["batch_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for table, (events, _lookup) in _SOURCES.items():
            op.execute(
                f"CREATE TRIGGER tr_{table}_batch_change AFTER {events} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sohoa_note_batch_change()"
            )
    else:
        for sql in sqlite_triggers():
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_batch_change ON {table}")
        op.execute("DROP FUNCTION IF EXISTS sohoa_note_batch_change()")
    else:
        for sql in sqlite_triggers():
            name = sql.split()[2]
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_batch_change_batch", table_name="batch_change")
    op.drop_table("batch_change")
