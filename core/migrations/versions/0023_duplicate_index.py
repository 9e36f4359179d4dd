"""Progress revisions: duplicate files found from an index of them alone

Revision ID: 0023_duplicate_index
Revises: 0022_level_guard

Every progress call reads which other batches each batch depends on (a duplicate file is
shown or hidden by the file it repeats, progress.cache.revisions). That read scanned all of
source_file (9-17 ms at a million pages, 25,047 files on PostgreSQL) to find the few rows
with ``duplicate_of_id``; a partial index holds only those.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_duplicate_index"
down_revision = "0022_level_guard"
branch_labels = None
depends_on = None

DUPLICATES = sa.text("duplicate_of_id IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_source_file_duplicate_of",
        "source_file",
        ["duplicate_of_id", "batch_id"],
        sqlite_where=DUPLICATES,
        postgresql_where=DUPLICATES,
    )


def downgrade() -> None:
    op.drop_index("ix_source_file_duplicate_of", table_name="source_file")
