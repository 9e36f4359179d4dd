"""Searchable PDF per document, built from the stored scans and the saved word boxes."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import ingest
import ocr
from core.errors import InputError, SohoaError
from core.models import OcrWord, PageRef, SearchablePage
from core.settings import IngestSettings
from core.states import DocumentStatus
from core.storage import Storage, write_atomic

if TYPE_CHECKING:  # pool workers write PDFs: they import neither the database nor the context
    from core.context import AppContext
    from core.db import Document

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PdfPage:
    """One page of a document's PDF, by value: where its scan and its words are."""

    page_id: int
    sha256: str | None
    detected_type: str | None
    page_index: int
    text_layer: bool = False  # born digital: no scan to carry, the page is rendered again


# A page rendered again by poppler costs the PDF about ten scans carried as stored (dev's
# born-digital page: 0.37 s of CPU, its 20 other documents 0.3 s together).
_RENDERED_WEIGHT = 10


@dataclass(frozen=True, slots=True)
class PdfJob:
    """Everything needed to write one document's searchable PDF, in this or a worker process."""

    doc_id: int
    pages: tuple[PdfPage, ...]
    title: str
    pdfa: bool
    storage: Storage
    ingest: IngestSettings

    @property
    def weight(self) -> int:
        """How long writing it takes, in scans carried as stored (long ones are started first)."""
        return sum(_RENDERED_WEIGHT if p.text_layer else 1 for p in self.pages)


def pdf_job(ctx: AppContext, doc: Document) -> PdfJob:
    """Return the job of writing ``doc``'s PDF."""
    pages = tuple(
        PdfPage(
            p.id,
            p.source_file.sha256,
            p.source_file.detected_type,
            p.page_index,
            p.text_source == "text_layer",
        )
        for p in doc.pages
    )
    title = str(doc.fields.get("subject") or "")
    return PdfJob(doc.id, pages, title, ctx.settings.ocr.pdfa, ctx.storage, ctx.settings.ingest)


def _page_spec(job: PdfJob, page: PdfPage) -> SearchablePage:
    if page.sha256 is None or page.detected_type is None:
        raise InputError(
            f"page {page.page_id}: its source file was never stored", code="no_original"
        )
    ref = PageRef(str(job.storage.original_path(page.sha256)), page.detected_type, page.page_index)
    image = ingest.encoded_page_image(ref, job.ingest)
    words_file = job.storage.page_words(page.page_id)
    words: tuple[OcrWord, ...] = ()
    to_source: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    width, height = image.width, image.height
    if words_file.exists():
        data = json.loads(words_file.read_text(encoding="utf-8"))
        words = tuple(OcrWord(**w) for w in data.get("words", []))
        to_source = tuple(data.get("to_source", to_source))
        width, height = int(data.get("width", width)), int(data.get("height", height))
    return SearchablePage(image=image, width=width, height=height, words=words, to_source=to_source)


def write_pdf(job: PdfJob) -> Path | None:
    """Write a document's searchable PDF; returns its path, or None if it could not be built.

    A failure here never loses OCR results: the text stays in the database and the export.
    """
    try:
        specs = [_page_spec(job, p) for p in job.pages]
        data = ocr.build_searchable_pdf(specs, title=job.title, pdfa=job.pdfa)
    except (SohoaError, OSError, ValueError) as e:
        log.warning("document %d: searchable PDF not built: %s", job.doc_id, e)
        return None
    path = job.storage.document_pdf(job.doc_id)
    write_atomic(path, data)
    return path


def build_document_pdf(ctx: AppContext, doc: Document) -> Path | None:
    """Write the document's searchable PDF; returns its path, or None if it could not be built.

    A failure here never loses OCR results: the text stays in the database and the export.
    """
    return write_pdf(pdf_job(ctx, doc))


def rebuild_missing_pdfs(ctx: AppContext) -> list[int]:
    """Build the searchable PDF of every document that should have one and has none.

    A full disk (or a crash) after documents were assembled leaves them without a PDF, and
    assembling never runs twice for the same pages; ``sohoa reconcile`` calls this to repair.
    Returns the ids of the documents whose PDF was built.
    """
    from sqlalchemy import select

    from core.db import Document

    wanted = (DocumentStatus.EXTRACTED, DocumentStatus.REVIEWED)
    built: list[int] = []
    with ctx.session() as s:
        ids = s.scalars(select(Document.id).where(Document.status.in_(wanted))).all()
        for doc_id in ids:
            if ctx.storage.document_pdf(doc_id).exists():
                continue
            doc = s.get(Document, doc_id)
            if doc is not None and doc.pages and build_document_pdf(ctx, doc) is not None:
                built.append(doc_id)
    return built
