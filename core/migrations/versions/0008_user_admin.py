"""app_user: administrator's lock, and the collections and departments a user works on

Revision ID: 0008
Revises: 0002
Depends on: 0004 (app_user)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0002"
branch_labels = None
depends_on = "0004"


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("collections", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("departments", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("departments")
        batch_op.drop_column("collections")
        batch_op.drop_column("locked")
