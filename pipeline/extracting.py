"""One document's extraction as a job: what a pool worker runs, without the database.

``pipeline.documents`` groups pages into documents and stores them; the extraction of each
(region re-reads included) depends on its pages alone and may run in any process. Kept apart
so that a pool worker importing it does not import SQLAlchemy, the models or migrations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import extract
import ocr
from core.models import ExtractedFields, PageText
from core.settings import OcrSettings
from core.storage import Storage
from ocr import OcrEngine
from pipeline.rereaders import band_reader, line_reader, mark_reader


@dataclass(frozen=True, slots=True)
class ExtractJob:
    """One document's extraction, by value, for a worker process.

    With ``storage`` and ``ocr``, regions are read again from the stored page images by the
    engine ``ocr`` names (the one that read the pages).
    """

    pages: list[PageText]
    storage: Storage | None = None
    ocr: OcrSettings | None = None


def extract_document(job: ExtractJob) -> ExtractedFields:
    """Extract one document's fields (run in the parent or in a pool worker)."""
    engine = ocr.load_engine(job.ocr) if job.ocr is not None else None
    return extract_pages(job.pages, job.storage, engine)


def extract_pages(
    pages: Sequence[PageText], storage: Storage | None, engine: OcrEngine | None
) -> ExtractedFields:
    """Extract the fields of one document's pages, re-reading regions when it can."""
    readers: dict[str, Any] = (
        {}
        if storage is None or engine is None
        else {
            "mark_reader": mark_reader(storage, engine),
            "line_reader": line_reader(storage, engine),
            "band_reader": band_reader(storage, engine),
        }
    )
    return extract.extract_fields(pages, **readers)
