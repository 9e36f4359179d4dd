"""batch.grouping: how the batch's files become documents (auto, file, dossier)

Revision ID: 0009_batch_grouping
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_batch_grouping"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("grouping", sa.String(length=20), nullable=False, server_default="auto")
        )


def downgrade() -> None:
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_column("grouping")
