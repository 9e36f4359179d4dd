"""Export: documents of a batch in (seq, id) order from an index

Revision ID: 0021_document_seq_index
Revises: 0020_type_date_index

The export reads a batch's documents 200 at a time by keyset on (seq, id). Without an index
in that order each chunk sorted the whole batch again: 6.9 s of a 13 s export of 50,779
documents at a million pages.
"""

from __future__ import annotations

from alembic import op

revision = "0021_document_seq_index"
down_revision = "0020_type_date_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_document_batch_seq", "document", ["batch_id", "seq", "id"])


def downgrade() -> None:
    op.drop_index("ix_document_batch_seq", table_name="document")
