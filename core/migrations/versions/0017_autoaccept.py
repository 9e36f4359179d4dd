"""autoaccept_policy per collection; document.accepted_by_policy

Revision ID: 0017_autoaccept
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_autoaccept"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "autoaccept_policy",
        sa.Column("collection", sa.String(200), primary_key=True),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("set_by", sa.String(100), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("accepted_by_policy", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.create_index("ix_document_accepted_by_policy", ["accepted_by_policy"])


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_accepted_by_policy")
        batch_op.drop_column("accepted_by_policy")
    op.drop_table("autoaccept_policy")
