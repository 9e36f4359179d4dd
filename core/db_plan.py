"""Digitization plan: collections with their estimated size, owner and deadline.

A batch belongs to a collection by name: ``batch.collection`` (free text given at ingest) is
matched, after NFC and surrounding-space trimming, against ``collection.name``. The batch table
is left as it is, so batches registered before their collection was planned resolve as soon as
the collection is added.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow
from core.mission import DEADLINE

# The date the office is judged on: everything in scope digitized by then.
DEFAULT_DEADLINE = DEADLINE


class Collection(Base):
    """A collection of the plan (e.g. ``Hồ sơ đảng viên``) that batches are delivered into."""

    __tablename__ = "collection"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    estimated_pages: Mapped[int] = mapped_column(Integer, default=0)
    owner_department: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[dt.date] = mapped_column(Date, default=DEFAULT_DEADLINE)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
