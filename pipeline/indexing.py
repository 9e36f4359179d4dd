"""Keeping the search index in step with the database: index, reindex, reconcile.

The database is the source of truth; the index is derived and can always be rebuilt. Every
write goes through the backend's one-writer lock (bounded retry, then a retryable
``TransientError``), so Celery tasks, the CLI and the web app never fight over the writer.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.context import AppContext
from core.db import Batch, Document
from core.levels import keeps_text
from core.search_types import IndexedDocument, IndexedPage, ReconcileReport
from core.settings import Settings
from core.states import DocumentStatus
from core.storage import Storage
from core.text import collapse_ws, nfc
from search import SearchBackend, open_backend

log = logging.getLogger(__name__)
CHUNK = 500
_YEAR_RE = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_backends: dict[tuple[str, Path], SearchBackend] = {}
_backends_lock = threading.Lock()


def index_dir(settings: Settings) -> Path:
    """Return the index folder of the configured backend."""
    return Storage(settings.data_dir).index_dir(settings.search.backend, settings.search.index_dir)


def get_backend(ctx: AppContext, *, recreate: bool = False) -> SearchBackend:
    """Return this process's backend for ``ctx`` (opened once, shared by API requests).

    Args:
        ctx: The application context.
        recreate: Reopen, wiping an index built by older code (``reindex`` does this).
    """
    key = (ctx.settings.search.backend, index_dir(ctx.settings))
    with _backends_lock:
        if recreate and key in _backends:
            _backends.pop(key).close()
        if key not in _backends:
            _backends[key] = open_backend(key[0], key[1], recreate=recreate)
        return _backends[key]


def _text(value: Any) -> str:
    return collapse_ws(nfc(str(value))) if value not in (None, "") else ""


def _year(date: str) -> int | None:
    m = _YEAR_RE.search(date)
    return int(m.group(1)) if m else None


def _title(fields: dict[str, Any], pages: Sequence[IndexedPage]) -> str:
    head = " ".join(p for p in (_text(fields.get("doc_type")), _text(fields.get("symbol"))) if p)
    subject = _text(fields.get("subject"))
    if head and subject:
        return f"{head}: {subject}"[:300]
    if head or subject:
        return (head or subject)[:300]
    for page in pages:  # no fields: the first line of text is what a clerk recognises
        for line in page.text.splitlines():
            if line.strip():
                return _text(line)[:200]
    return ""


def build_document(doc: Document, batch: Batch) -> IndexedDocument:
    """Turn one Document row (with its pages loaded) into the index's data class."""
    fields = doc.fields or {}
    pages = tuple(
        IndexedPage(n, nfc(p.text or ""))
        for n, p in enumerate(sorted(doc.pages, key=lambda p: p.doc_order or 0), start=1)
    )
    date = _text(fields.get("date"))
    signer = " ".join(
        _text(fields.get(k)) for k in ("signer", "signer_title", "signer_name") if fields.get(k)
    )
    return IndexedDocument(
        id=doc.id,
        batch=batch.name,
        kind=doc.kind or "other",
        classification=doc.classification or "thuong",
        pages=pages,
        collection=_text(batch.collection),
        doc_type=_text(fields.get("doc_type")),
        symbol=_text(fields.get("symbol")),
        date=date,
        year=_year(date),
        issuer=_text(fields.get("issuer")),
        subject=_text(fields.get("subject")),
        signer=signer,
        title=_title(fields, pages),
    )


def _load(s: Session, ids: Sequence[int]) -> list[tuple[Document, Batch]]:
    q = (
        select(Document, Batch)
        .join(Batch, Batch.id == Document.batch_id)
        .where(Document.id.in_(ids))
        .options(selectinload(Document.pages))
    )
    return [(d, b) for d, b in s.execute(q)]


def _split(
    ctx: AppContext, rows: Iterable[tuple[Document, Batch]]
) -> tuple[list[IndexedDocument], list[int]]:
    """Return (documents to index, ids that must not be in the index)."""
    keep, drop = [], []
    policy = ctx.settings.security.top_secret_policy
    for doc, batch in rows:
        if doc.status == DocumentStatus.FAILED or not keeps_text(doc.classification, policy):
            drop.append(doc.id)
        else:
            keep.append(build_document(doc, batch))
    return keep, drop


def index_documents(ctx: AppContext, doc_ids: Iterable[int]) -> int:
    """Index (or re-index) documents by id; ids gone from the database leave the index.

    Call after assembly, after a reviewer corrects a field and after a page is re-OCR'd.

    Returns:
        How many documents were written to the index.

    Raises:
        TransientError: another process held the index writer past the retry bound.
    """
    ids = sorted(set(doc_ids))
    backend, written = get_backend(ctx), 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with ctx.session() as s:
            keep, drop = _split(ctx, _load(s, chunk))
        gone = set(chunk) - {d.id for d in keep} - set(drop)
        if drop or gone:
            backend.delete(sorted(set(drop) | gone))
        written += backend.index(keep)
    log.info("indexed %d of %d documents", written, len(ids))
    return written


def _all_ids(ctx: AppContext) -> list[int]:
    with ctx.session() as s:
        return list(s.scalars(select(Document.id).order_by(Document.id)))


def _stream(ctx: AppContext, ids: Sequence[int]) -> Iterator[list[IndexedDocument]]:
    for start in range(0, len(ids), CHUNK):
        with ctx.session() as s:
            yield _split(ctx, _load(s, ids[start : start + CHUNK]))[0]


def reindex(ctx: AppContext) -> int:
    """Rebuild the index from the database, in chunks (bounded memory); returns documents."""
    backend = get_backend(ctx, recreate=True)
    backend.clear()
    # One stream: the backend commits in its own bulk slices, not per database chunk.
    return backend.index(doc for docs in _stream(ctx, _all_ids(ctx)) for doc in docs)


def reconcile(ctx: AppContext) -> ReconcileReport:
    """Compare database and index by content fingerprint and repair what drifted."""
    expected: dict[int, int] = {}
    for docs in _stream(ctx, _all_ids(ctx)):
        expected.update((d.id, d.fingerprint) for d in docs)

    def load(ids: Sequence[int]) -> list[IndexedDocument]:
        with ctx.session() as s:
            return _split(ctx, _load(s, ids))[0]

    report = get_backend(ctx).reconcile(expected, load)
    log.info(
        "reconcile: %d checked, %d added, %d updated, %d removed",
        report.checked,
        len(report.added),
        len(report.updated),
        len(report.removed),
    )
    return report
