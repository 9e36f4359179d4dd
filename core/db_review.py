"""Review records: every field or page-text correction and every document boundary change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class FieldCorrection(Base):
    """One change made by a reviewer: a field of a document, or the text of one page."""

    __tablename__ = "field_correction"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    # A field name, or "page_text" with page_id set.
    field: Mapped[str] = mapped_column(String(50))
    page_id: Mapped[int | None] = mapped_column(ForeignKey("page.id"))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BoundaryChange(Base):
    """A split or merge of documents, with the page ids that moved."""

    __tablename__ = "boundary_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(20))  # "split" | "merge"
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    other_document_id: Mapped[int | None] = mapped_column(Integer)
    page_ids: Mapped[list[Any]] = mapped_column(default=list)
    user: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
