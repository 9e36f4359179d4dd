"""Turning a batch's settled pages into documents with extracted fields."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

import extract
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.levels import highest, level_of_mark
from core.models import ExtractedFields, OcrWord, PageText
from core.settings import OcrSettings
from core.states import DocumentStatus, StageStatus
from core.storage import Storage
from ingest import natural_key
from ocr import OcrEngine
from pipeline.autoaccept import apply_policy
from pipeline.extracting import ExtractJob, extract_document, extract_pages

log = logging.getLogger(__name__)
_In = TypeVar("_In")
_Out = TypeVar("_Out")
# Runs a function over items, results in item order: the built-in ``map`` in this process, or
# a process pool's ``map`` (the in-process runner spreads documents over its page workers).
Mapper = Callable[[Callable[[_In], _Out], Iterable[_In]], Iterable[_Out]]


def ordered_pages(s: Session, batch_id: int, unassigned_only: bool = True) -> list[Page]:
    """Return the batch's successfully processed pages in natural file order, then page order."""
    q = (
        select(Page)
        .join(SourceFile, SourceFile.id == Page.source_file_id)
        .join(PageStage, PageStage.page_id == Page.id)
        .where(
            Page.batch_id == batch_id,
            PageStage.stage == "ocr",
            PageStage.status == StageStatus.DONE,
        )
    )
    if unassigned_only:
        q = q.where(Page.document_id.is_(None))
    pages = list(s.scalars(q))
    pages.sort(key=lambda p: (natural_key(p.source_file.order_key), p.page_index))
    return pages


def page_texts(pages: list[Page], storage: Storage | None) -> list[PageText]:
    """Return extraction inputs: each page's text and, when saved, its word boxes."""
    out = []
    for p in pages:
        words: tuple[OcrWord, ...] = ()
        width, height = p.width or 0, p.height or 0
        if storage is not None:
            f = storage.page_words(p.id)
            if f.exists():
                data = json.loads(f.read_text(encoding="utf-8"))
                words = tuple(OcrWord(**w) for w in data.get("words", []))
                width, height = int(data.get("width") or width), int(data.get("height") or height)
        out.append(
            PageText(
                p.id,
                p.text or "",
                words,
                file=p.source_file.original_name,
                frame=p.page_index,
                flags=tuple(p.flags or ()),
                width=width,
                height=height,
            )
        )
    return out


def assemble_documents(
    s: Session,
    batch_id: int,
    storage: Storage | None = None,
    engine: OcrEngine | None = None,
    *,
    spread: tuple[Mapper[ExtractJob, ExtractedFields], OcrSettings] | None = None,
) -> list[int]:
    """Group the batch's unassigned done pages into documents and extract their fields.

    With ``storage`` and ``engine``, regions that a whole-page read gets wrong (boxed marks,
    signers under seals) are read again from the stored page images.

    ``spread`` (a mapper and the OCR settings naming ``engine``) extracts the documents through
    the mapper, a process pool's: each document's extraction depends on its pages alone, so
    the fields are the same, found on every core instead of one.

    Returns the ids of the documents created.
    """
    pages = ordered_pages(s, batch_id)
    if not pages:
        return []
    by_id = {p.id: p for p in pages}
    texts = {t.page_id: t for t in page_texts(pages, storage)}
    batch = s.get(Batch, batch_id)
    grouping = batch.grouping if batch is not None else "auto"
    groups = extract.split_documents([texts[p.id] for p in pages], grouping)
    last_seq = (
        s.scalar(
            select(Document.seq)
            .where(Document.batch_id == batch_id)
            .order_by(Document.seq.desc())
            .limit(1)
        )
        or 0
    )
    created: list[int] = []
    declared = batch.classification if batch is not None else "thuong"
    docs = [[texts[i] for i in group] for group in groups]
    if spread is None:
        extracted = [extract_pages(pages, storage, engine) for pages in docs]
    else:
        mapper, cfg = spread
        readers = cfg if storage is not None and engine is not None else None
        jobs = [ExtractJob(pages, storage, readers) for pages in docs]
        extracted = list(mapper(extract_document, jobs))
    for n, (group, fields) in enumerate(zip(groups, extracted, strict=True), start=1):
        doc_pages = [by_id[i] for i in group]
        mark = str(fields.fields.get("secrecy") or "")
        doc = Document(
            batch_id=batch_id,
            seq=last_seq + n,
            kind=fields.kind,
            classification=highest(declared, level_of_mark(mark)),
            fields=fields.fields,
            field_confidence=fields.confidence,
            provenance=fields.provenance,
            status=DocumentStatus.EXTRACTED,
        )
        s.add(doc)
        s.flush()
        for order, p in enumerate(doc_pages):
            p.document_id, p.doc_order = doc.id, order
        apply_policy(s, doc, [list(p.flags or []) for p in doc_pages])
        created.append(doc.id)
    log.info("batch %d: %d documents assembled from %d pages", batch_id, len(groups), len(pages))
    return created
