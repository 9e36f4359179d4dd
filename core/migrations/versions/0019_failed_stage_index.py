"""Indexes for progress at a million pages: failed stage rows, ZIP entries by parent

Revision ID: 0019_failed_stage_index
Revises: 0018_batch_change

The failed-page lists of the dashboard looked for ``status = 'failed'`` among every stage
row of the asked batches (3 per page) and checked each one's file; a partial index holds
only the failed rows. A file's ZIP entries were found by a scan of source_file (SQLite built
an automatic index per query): ``parent_id`` gets its own.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_failed_stage_index"
down_revision = "0018_batch_change"
branch_labels = None
depends_on = None

FAILED = sa.text("status = 'failed'")


def upgrade() -> None:
    op.create_index(
        "ix_page_stage_failed",
        "page_stage",
        ["page_id"],
        sqlite_where=FAILED,
        postgresql_where=FAILED,
    )
    op.create_index("ix_source_file_parent_id", "source_file", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_source_file_parent_id", table_name="source_file")
    op.drop_index("ix_page_stage_failed", table_name="page_stage")
