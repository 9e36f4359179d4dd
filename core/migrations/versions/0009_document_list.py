"""document: list columns (date, type, symbol, issuer, lowest confidence) with their indexes

The documents list sorts and filters 280,000 documents on these copies of record fields; the
records already there are back-filled in chunks with the same function that keeps new ones in
step (core.db.list_columns).

Revision ID: 0009_document_list
Revises: 0002
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from core.db import list_columns

revision = "0009_document_list"
down_revision = "0002"
branch_labels = None
depends_on = None

def _columns() -> tuple[sa.Column, ...]:
    return (
    sa.Column("doc_date", sa.String(length=10), nullable=False, server_default=""),
    sa.Column("doc_type", sa.String(length=200), nullable=False, server_default=""),
    sa.Column("symbol", sa.String(length=200), nullable=False, server_default=""),
    sa.Column("issuer", sa.String(length=300), nullable=False, server_default=""),
    sa.Column("min_confidence", sa.Float(), nullable=False, server_default="0"),
    )


COLUMNS = _columns()
# (sort column, id, classification, batch_id): ordered pages, and clearance/scope checks and
# facet counts answered from the index alone (see core.db.Document).
INDEXES = {
    "ix_document_list_date": ["doc_date", "id", "classification", "batch_id"],
    "ix_document_list_type": ["doc_type", "id", "classification", "batch_id"],
    "ix_document_list_symbol": ["symbol", "id", "classification", "batch_id"],
    "ix_document_list_issuer": ["issuer", "id", "classification", "batch_id"],
    "ix_document_list_status": ["status", "id", "classification", "batch_id"],
    "ix_document_list_conf": ["min_confidence", "id", "classification", "batch_id"],
    "ix_document_list_batch": ["batch_id", "id", "classification"],
    "ix_document_list_kind": ["kind", "id", "classification", "batch_id"],
}
CHUNK = 2000


def _json(value: object) -> dict:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value if isinstance(value, dict) else {}


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        for col in _columns():
            batch_op.add_column(col)
    conn = op.get_bind()
    doc = sa.table(
        "document",
        sa.column("id", sa.Integer),
        sa.column("fields", sa.JSON),
        sa.column("field_confidence", sa.JSON),
        *(sa.column(c.name) for c in COLUMNS),
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(doc.c.id, doc.c.fields, doc.c.field_confidence)
            .where(doc.c.id > last)
            .order_by(doc.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        for row in rows:
            values = list_columns(_json(row.fields), _json(row.field_confidence))
            conn.execute(sa.update(doc).where(doc.c.id == row.id).values(**values))
        last = rows[-1].id
    for name, cols in INDEXES.items():
        op.create_index(name, "document", cols)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="document")
    with op.batch_alter_table("document", schema=None) as batch_op:
        for col in reversed(COLUMNS):
            batch_op.drop_column(col.name)
