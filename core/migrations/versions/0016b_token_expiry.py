"""api_token.expires_at: tokens expire (existing ones 90 days after this upgrade)

Revision ID: 0016b
Revises: 0002
Depends on: 0004 (api_token)
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0016b"
down_revision = "0002"
branch_labels = None
depends_on = "0004"


def upgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    # Tokens issued before expiry existed keep working for the default lifetime, then stop.
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=90)
    if op.get_bind().dialect.name == "sqlite":
        until = until.replace(tzinfo=None)  # naive UTC, as core.db.UTCDateTime stores it
    op.execute(sa.text("UPDATE api_token SET expires_at = :until").bindparams(until=until))


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
