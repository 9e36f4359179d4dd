"""plan: collections with estimated pages, owner department and deadline.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ``collection`` table."""
    op.create_table(
        "collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("estimated_pages", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("owner_department", sa.String(length=200), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False, server_default="2026-12-31"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    """Drop the ``collection`` table."""
    op.drop_table("collection")
