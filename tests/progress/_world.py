"""Set-ups several progress tests share."""

from __future__ import annotations

from typing import Any

from core.context import AppContext
from core.db import Document, Page, SourceFile
from core.migrate import alembic_config


def repeated_file(ctx: AppContext) -> int:
    """Add a file of batch 1 (one page in a thường document) repeated by a file of batch 3.

    Returns the document's id: changing it changes what batch 3 shows.
    """
    with ctx.session() as s:
        original = SourceFile(batch_id=1, original_name="goc.pdf", status="ready")
        doc = Document(batch_id=1, classification="thuong", status="reviewed")
        s.add_all([original, doc])
        s.flush()
        s.add(Page(batch_id=1, source_file_id=original.id, page_index=0, document_id=doc.id))
        s.add(
            SourceFile(
                batch_id=3, original_name="lai.pdf", status="duplicate", duplicate_of_id=original.id
            )
        )
        return doc.id


def migrate(ctx: AppContext, step: Any, target: str) -> None:
    """Run an Alembic command (``command.upgrade``/``downgrade``) on the test's database."""
    cfg = alembic_config(ctx.engine.url.render_as_string(hide_password=False))
    with ctx.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        step(cfg, target)
