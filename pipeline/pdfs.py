"""Searchable PDF per document, built from the stored scans and the saved word boxes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import select

import ingest
import ocr
from core.context import AppContext
from core.db import Document, Page
from core.errors import InputError, SohoaError
from core.models import OcrWord, PageRef, SearchablePage
from core.states import DocumentStatus
from core.storage import write_atomic

log = logging.getLogger(__name__)


def _page_spec(ctx: AppContext, page: Page) -> SearchablePage:
    sf = page.source_file
    if sf.sha256 is None or sf.detected_type is None:
        raise InputError(f"page {page.id}: its source file was never stored", code="no_original")
    ref = PageRef(str(ctx.storage.original_path(sf.sha256)), sf.detected_type, page.page_index)
    image = ingest.encoded_page_image(ref, ctx.settings.ingest)
    words_file = ctx.storage.page_words(page.id)
    words: tuple[OcrWord, ...] = ()
    to_source: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    width, height = image.width, image.height
    if words_file.exists():
        data = json.loads(words_file.read_text(encoding="utf-8"))
        words = tuple(OcrWord(**w) for w in data.get("words", []))
        to_source = tuple(data.get("to_source", to_source))
        width, height = int(data.get("width", width)), int(data.get("height", height))
    return SearchablePage(image=image, width=width, height=height, words=words, to_source=to_source)


def build_document_pdf(ctx: AppContext, doc: Document) -> Path | None:
    """Write the document's searchable PDF; returns its path, or None if it could not be built.

    A failure here never loses OCR results: the text stays in the database and the export.
    """
    try:
        specs = [_page_spec(ctx, p) for p in doc.pages]
        data = ocr.build_searchable_pdf(
            specs, title=str(doc.fields.get("subject") or ""), pdfa=ctx.settings.ocr.pdfa
        )
    except (SohoaError, OSError, ValueError) as e:
        log.warning("document %d: searchable PDF not built: %s", doc.id, e)
        return None
    path = ctx.storage.document_pdf(doc.id)
    write_atomic(path, data)
    return path


def rebuild_missing_pdfs(ctx: AppContext) -> list[int]:
    """Build the searchable PDF of every document that should have one and has none.

    A full disk (or a crash) after documents were assembled leaves them without a PDF, and
    assembling never runs twice for the same pages; ``sohoa reconcile`` calls this to repair.
    Returns the ids of the documents whose PDF was built.
    """
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
