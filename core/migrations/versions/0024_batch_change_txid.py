"""batch_change.txid: which transaction wrote each change (PostgreSQL)

Revision ID: 0024_batch_change_txid
Revises: 0023_duplicate_index

PostgreSQL commits sequence ids out of order: a change can become visible under an id below
the newest one a reader already saw, so progress kept at that revision would stay stale until
the batch's next change (forever for a finished batch). progress.cache notes the transactions
in progress when it reads a revision and, once one of them has committed, asks this column
whether it wrote any of the batch's changes. SQLite commits one writer at a time, in id
order: nothing to add there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_batch_change_txid"
down_revision = "0023_duplicate_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Added without a default, then given one: a volatile default in ADD COLUMN would rewrite
    # every change row under an exclusive lock. Older rows (NULL) were all committed before.
    # The default covers the triggers' inserts, so the trigger function stays as it is.
    op.add_column("batch_change", sa.Column("txid", sa.BigInteger(), nullable=True))
    op.execute(
        "ALTER TABLE batch_change ALTER COLUMN txid SET DEFAULT pg_current_xact_id()::text::bigint"
    )
    # With batch_id: a transaction's batches are found by one probe each (progress.cache).
    op.create_index("ix_batch_change_txid", "batch_change", ["txid", "batch_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_batch_change_txid", table_name="batch_change")
    op.drop_column("batch_change", "txid")
