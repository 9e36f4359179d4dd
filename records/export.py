"""The export contract: one JSON object per document (JSONL), or a flat CSV of the same.

Stable keys (documented in README.md):
``id, batch, kind, fields, field_confidence, pages[{source_file, source_page, rotation,
skew_deg, text, mean_confidence}], status, errors``. Files that failed, and so produced no
document, are exported as ``status: "failed"`` records with no pages, so an export accounts
for everything a batch received.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from sqlalchemy import exists, select, tuple_
from sqlalchemy.orm import Session

from core.cells import SafeCsvWriter
from core.db import Document, Page, PageStage, SourceFile, stage_failed
from core.fields import FIELDS
from core.levels import mark_of
from core.states import DocumentStatus, FileStatus, StageStatus
from core.text import nfc

# Field columns of the CSV, headed with Decree 30/2020 metadata names archivists know.
CSV_FIELDS = tuple(f for f in FIELDS if f.profile_key is None)
PROFILE_FIELDS = tuple(f for f in FIELDS if f.profile_key)


def _page_record(page: Page) -> dict[str, Any]:
    return _page_values(
        page.source_file.original_name,
        page.page_index,
        page.rotation,
        page.skew_deg,
        page.text,
        page.mean_confidence,
        page.text_source,
        page.flags,
    )


def _page_values(
    source_file: str,
    page_index: int,
    rotation: int | None,
    skew_deg: float | None,
    text: str | None,
    mean_confidence: float | None,
    text_source: str | None,
    flags: list[str] | None,
) -> dict[str, Any]:
    return {
        "source_file": source_file,
        "source_page": page_index + 1,
        "rotation": rotation or 0,
        "skew_deg": skew_deg or 0.0,
        "text": nfc(text or ""),
        "mean_confidence": mean_confidence or 0.0,
        "text_source": text_source or "ocr",
        "flags": list(flags or ()),
    }


def contract_fields(doc: Document) -> dict[str, Any]:
    """Return a document's fields as exported: ``secrecy`` is its classification's mark.

    The classification is the one truth about a document's secrecy (declared on its batch,
    read from its mark, raised or lowered under the classification rules), so the export can
    never show a blank or different mark.
    """
    return _contract_fields(doc.fields, doc.classification)


def _contract_fields(stored: dict[str, Any] | None, classification: str) -> dict[str, Any]:
    fields = dict(stored or {})
    mark = mark_of(classification)
    if mark:
        fields["secrecy"] = mark
    else:
        fields.pop("secrecy", None)
    return fields


def document_export(doc: Document, batch_name: str) -> dict[str, Any]:
    """Return one document's export record (the contract in README "Export contract")."""
    errors = [
        {"code": st.error_code, "message": st.error}
        for p in doc.pages
        for st in p.stages
        if st.status == StageStatus.FAILED
    ]
    return {
        "id": doc.id,
        "batch": batch_name,
        "kind": doc.kind,
        "fields": contract_fields(doc),
        "field_confidence": doc.field_confidence or {},
        "pages": [_page_record(p) for p in doc.pages],
        "status": doc.status,
        "errors": errors,
    }


def iter_records(
    s: Session, batch_id: int, batch_name: str, chunk: int = 200
) -> Iterator[dict[str, Any]]:
    """Yield export records: documents in order, then failed files.

    Documents are read ``chunk`` at a time by keyset (seq, id), as plain rows with their
    pages and failures in two queries per chunk (the same record as :func:`document_export`):
    memory stays flat however large the batch, and no ORM object is built or kept.
    """
    after: tuple[int, int] | None = None
    while True:
        q = (
            select(
                Document.id,
                Document.seq,
                Document.kind,
                Document.classification,
                Document.fields,
                Document.field_confidence,
                Document.status,
            )
            .where(
                Document.batch_id == batch_id,
                # A merged document is an emptied shell: its pages are exported with the
                # document they were merged into, and a record without pages breaks the contract.
                Document.status != DocumentStatus.MERGED,
                exists().where(Page.document_id == Document.id),
            )
            .order_by(Document.seq, Document.id)
            .limit(chunk)
        )
        if after is not None:
            q = q.where(tuple_(Document.seq, Document.id) > tuple_(*after))
        docs = s.execute(q).all()
        if not docs:
            break
        yield from _chunk_records(s, docs, batch_name)
        after = (docs[-1].seq, docs[-1].id)
    failed_pages = s.execute(
        select(Page, PageStage)
        .join(PageStage, PageStage.page_id == Page.id)
        .where(Page.batch_id == batch_id, stage_failed())
        .order_by(Page.id)
    ).all()
    for page, st in failed_pages:
        yield {
            "id": None,
            "batch": batch_name,
            "kind": "other",
            "fields": {},
            "field_confidence": {},
            "pages": [{**_page_record(page), "text": ""}],
            "status": "failed",
            "errors": [{"code": st.error_code, "message": st.error}],
        }
    for sf in s.scalars(
        select(SourceFile)
        .where(SourceFile.batch_id == batch_id, SourceFile.status == FileStatus.FAILED)
        .order_by(SourceFile.id)
    ):
        yield {
            "id": None,
            "batch": batch_name,
            "kind": "other",
            "fields": {},
            "field_confidence": {},
            "pages": [],
            "status": "failed",
            "errors": [
                {"code": sf.error_code, "message": sf.error, "source_file": sf.original_name}
            ],
        }
    for sf in s.scalars(
        select(SourceFile)
        .where(SourceFile.batch_id == batch_id, SourceFile.status == FileStatus.SKIPPED)
        .order_by(SourceFile.id)
    ):
        yield {
            "id": None,
            "batch": batch_name,
            "kind": "other",
            "fields": {},
            "field_confidence": {},
            "pages": [],
            "status": "skipped",
            "errors": [
                {"code": sf.error_code, "message": sf.error, "source_file": sf.original_name}
            ],
        }
    for sf in s.scalars(
        select(SourceFile)
        .where(SourceFile.batch_id == batch_id, SourceFile.status == FileStatus.DUPLICATE)
        .order_by(SourceFile.id)
    ):
        original = s.get(SourceFile, sf.duplicate_of_id) if sf.duplicate_of_id else None
        yield {
            "id": None,
            "batch": batch_name,
            "kind": "other",
            "fields": {},
            "field_confidence": {},
            "pages": [],
            "status": "duplicate",
            "errors": [
                {
                    "code": "duplicate",
                    "source_file": sf.original_name,
                    "duplicate_of": original.original_name if original else None,
                    "message": "Tệp trùng nội dung với một tệp đã nhận; không xử lý lại.",
                }
            ],
        }


def write_jsonl(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write one JSON object per line (UTF-8, not ASCII-escaped); returns the count."""
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def _chunk_records(s: Session, docs: Sequence[Any], batch_name: str) -> Iterator[dict[str, Any]]:
    """Yield the records of a chunk of documents from plain rows (no ORM objects kept)."""
    ids = [d.id for d in docs]
    pages: dict[int | None, list[dict[str, Any]]] = {i: [] for i in ids}
    errors: dict[int | None, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in s.execute(
        select(
            Page.document_id,
            SourceFile.original_name,
            Page.page_index,
            Page.rotation,
            Page.skew_deg,
            Page.text,
            Page.mean_confidence,
            Page.text_source,
            Page.flags,
        )
        .join(SourceFile, SourceFile.id == Page.source_file_id)
        .where(Page.document_id.in_(ids))
        .order_by(Page.document_id, Page.doc_order, Page.id)
    ):
        pages[row[0]].append(_page_values(*row[1:]))
    for doc_id, code, message in s.execute(
        select(Page.document_id, PageStage.error_code, PageStage.error)
        .join(PageStage, PageStage.page_id == Page.id)
        .where(Page.document_id.in_(ids), stage_failed())
        .order_by(Page.document_id, Page.doc_order, Page.id, PageStage.id)
    ):
        errors[doc_id].append({"code": code, "message": message})
    for d in docs:
        yield {
            "id": d.id,
            "batch": batch_name,
            "kind": d.kind,
            "fields": _contract_fields(d.fields, d.classification),
            "field_confidence": d.field_confidence or {},
            "pages": pages[d.id],
            "status": d.status,
            "errors": errors[d.id],
        }


def csv_header() -> list[str]:
    """Return the CSV export's header row."""
    return [
        "id",
        "batch",
        "kind",
        "status",
        "source_files",
        "pages",
        *(f.nd30 for f in CSV_FIELDS),
        *(f.nd30 for f in PROFILE_FIELDS),
        "errors",
    ]


def csv_row(rec: dict[str, Any]) -> list[Any]:
    """Return one export record as a CSV row (fields as columns)."""
    files = sorted({p["source_file"] for p in rec["pages"]}) or [
        e.get("source_file", "") for e in rec["errors"]
    ]
    fields = rec["fields"]
    profile = fields.get("profile") or {}
    return [
        rec["id"],
        rec["batch"],
        rec["kind"],
        rec["status"],
        "; ".join(files),
        len(rec["pages"]),
        *(_cell(fields.get(f.key)) for f in CSV_FIELDS),
        *(_cell(profile.get(f.profile_key)) for f in PROFILE_FIELDS),
        "; ".join(f"{e['code']}: {e['message']}" for e in rec["errors"]),
    ]


def write_csv(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """Write a flat CSV: one row per document, fields as columns; returns the count."""
    writer = SafeCsvWriter(out)
    writer.writerow(csv_header())
    n = 0
    for rec in records:
        writer.writerow(csv_row(rec))
        n += 1
    return n


def _cell(value: Any) -> str:
    """Flatten a field value for one CSV cell (lists such as recipients joined by '; ')."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def stream_export(
    s: Session, batch_id: int, batch_name: str, fmt: str, every: int = 200
) -> Iterator[str]:
    """Yield the export as text pieces of ``every`` records (an HTTP response streams them)."""
    buf = io.StringIO()
    csv_writer = SafeCsvWriter(buf) if fmt == "csv" else None
    if csv_writer:
        csv_writer.writerow(csv_header())
    for n, rec in enumerate(iter_records(s, batch_id, batch_name), 1):
        if csv_writer:
            csv_writer.writerow(csv_row(rec))
        else:
            buf.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if n % every == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    if tail := buf.getvalue():
        yield tail


def export_string(s: Session, batch_id: int, batch_name: str, fmt: str) -> str:
    """Return the whole export as a string (for the API)."""
    buf = io.StringIO()
    (write_csv if fmt == "csv" else write_jsonl)(iter_records(s, batch_id, batch_name), buf)
    return buf.getvalue()
