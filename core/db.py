"""Database schema (SQLAlchemy 2) and engine/session helpers.

The per-page, per-stage rows in ``page_stage`` are the source of truth for progress and for
resuming after a crash: a page is claimed by flipping its stage row to ``running`` with a lease
and an owner, and finished by flipping it to ``done`` or ``failed`` with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    literal_column,
    text,
)
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, sessionmaker

from core.states import DocumentStatus, FileStatus, StageStatus

log = logging.getLogger(__name__)


def utcnow() -> dt.datetime:
    """Return an aware UTC timestamp."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps that always come back timezone-aware in UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        """Convert to UTC on the way in."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        # SQLite keeps no zone: store naive UTC so string comparison orders correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Attach UTC on the way out."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of all tables."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Batch(Base):
    """A delivery of scans by archive staff, belonging to a collection of the plan."""

    __tablename__ = "batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    collection: Mapped[str | None] = mapped_column(String(200))
    year_from: Mapped[int | None] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(200))
    classification: Mapped[str] = mapped_column(String(20), default="thuong")
    # How files become documents: auto (file edges are boundaries unless a page continues),
    # file (one file, one document) or dossier (the whole batch is one document).
    grouping: Mapped[str] = mapped_column(String(20), default="auto", server_default="auto")
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    files: Mapped[list[SourceFile]] = relationship(back_populates="batch")


class AutoAcceptPolicy(Base):
    """A collection whose confident, unmarked, clean documents skip review (issue 14).

    No row: every document of the collection waits for a reviewer (the default).
    """

    __tablename__ = "autoaccept_policy"
    collection: Mapped[str] = mapped_column(String(200), primary_key=True)
    threshold: Mapped[float] = mapped_column(Float)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SourceFile(Base):
    """One file as received; its bytes live once in the original store under its SHA-256."""

    __tablename__ = "source_file"
    __table_args__ = (
        # Only duplicates (migration 0023): which batches a batch's revision depends on.
        Index(
            "ix_source_file_duplicate_of",
            "duplicate_of_id",
            "batch_id",
            sqlite_where=text("duplicate_of_id IS NOT NULL"),
            postgresql_where=text("duplicate_of_id IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("source_file.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(1000))
    order_key: Mapped[str] = mapped_column(String(2000), default="")
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(BigInteger)
    detected_type: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=FileStatus.STORED.value)
    error_code: Mapped[str | None] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    page_count: Mapped[int | None] = mapped_column(Integer)
    # Hazards noticed on a file that is still processed (pdf_javascript, polyglot:zip, …).
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("source_file.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    batch: Mapped[Batch] = relationship(back_populates="files")


class Document(Base):
    """A logical document (one or more pages) found in a batch, with its extracted record."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30), default="other")
    # max(batch's declared level, detected mark, reviewer decision); see core.levels.
    classification: Mapped[str] = mapped_column(String(20), default="thuong", index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field_confidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.PENDING.value)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Copies of record fields the documents list sorts and filters on (migration 0009), kept
    # in step with ``fields`` by ``_list_columns`` on every insert and update. Never NULL ('' or
    # 0.0 instead) so keyset paging compares plain values.
    doc_date: Mapped[str] = mapped_column(String(10), default="", server_default="")
    doc_type: Mapped[str] = mapped_column(String(200), default="", server_default="")
    symbol: Mapped[str] = mapped_column(String(200), default="", server_default="")
    issuer: Mapped[str] = mapped_column(String(300), default="", server_default="")
    min_confidence: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # Accepted by its collection's auto-accept policy, not by a person (re-opening clears it).
    accepted_by_policy: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0", index=True
    )
    pages: Mapped[list[Page]] = relationship(back_populates="document", order_by="Page.doc_order")

    # (sort column, id) for index-ordered keyset pages, then classification and batch so the
    # clearance and scope checks, COUNTs and facet GROUP BYs read the index alone.
    __table_args__ = (
        Index("ix_document_list_date", "doc_date", "id", "classification", "batch_id"),
        Index("ix_document_list_type", "doc_type", "id", "classification", "batch_id"),
        Index("ix_document_list_symbol", "symbol", "id", "classification", "batch_id"),
        Index("ix_document_list_issuer", "issuer", "id", "classification", "batch_id"),
        Index("ix_document_list_status", "status", "id", "classification", "batch_id"),
        Index("ix_document_list_conf", "min_confidence", "id", "classification", "batch_id"),
        Index("ix_document_list_batch", "batch_id", "id", "classification"),
        Index("ix_document_list_kind", "kind", "id", "classification", "batch_id"),
        # A batch's documents in export order (migration 0021): keyset chunks need no sort.
        Index("ix_document_batch_seq", "batch_id", "seq", "id"),
        # "Of this type, by date" (migration 0020): the filter, year range and order at once.
        Index(
            "ix_document_list_type_date", "doc_type", "doc_date", "id", "classification", "batch_id"
        ),
    )


class Page(Base):
    """One page of a source file, with what each stage measured on it."""

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("source_file_id", "page_index"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_file.id"), index=True)
    page_index: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    doc_order: Mapped[int | None] = mapped_column(Integer)
    text_source: Mapped[str | None] = mapped_column(String(20))
    rotation: Mapped[int | None] = mapped_column(Integer)
    skew_deg: Mapped[float | None] = mapped_column(Float)
    mean_confidence: Mapped[float | None] = mapped_column(Float)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    timings_ms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_file: Mapped[SourceFile] = relationship()
    document: Mapped[Document | None] = relationship(back_populates="pages")
    stages: Mapped[list[PageStage]] = relationship(back_populates="page")


class PageStage(Base):
    """Status of one stage on one page: the truth for progress and crash recovery."""

    __tablename__ = "page_stage"
    __table_args__ = (
        UniqueConstraint("page_id", "stage"),
        Index("ix_page_stage_stage_status", "stage", "status"),
        # Only the failed rows (migration 0019): the dashboard's failure lists read these.
        Index(
            "ix_page_stage_failed",
            "page_id",
            sqlite_where=text("status = 'failed'"),
            postgresql_where=text("status = 'failed'"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("page.id"))
    stage: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=StageStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    duration_ms: Mapped[float | None] = mapped_column(Float)
    error_code: Mapped[str | None] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    page: Mapped[Page] = relationship(back_populates="stages")


def stage_failed() -> Any:
    """Return ``page_stage.status = 'failed'`` with the value written out, not bound.

    A partial index serves a query only when its WHERE provably implies the index's; SQLite
    cannot prove it for a bound parameter, so ``ix_page_stage_failed`` needs the literal.
    """
    return PageStage.status == literal_column(f"'{StageStatus.FAILED.value}'")


def _clip(value: Any, size: int) -> str:
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return " ".join(str(value or "").split())[:size]


def list_columns(
    fields: dict[str, Any] | None, confidence: dict[str, Any] | None
) -> dict[str, Any]:
    """Return the documents list's columns of a record: date, type, symbol, issuer, confidence.

    The date is kept only when it is a real ISO date (a partial or misread date sorts as
    unknown rather than between real ones); the confidence is the lowest field confidence.
    """
    fields = fields or {}
    date = str(fields.get("date") or "")[:10]
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        date = ""
    values = [float(v) for v in (confidence or {}).values() if isinstance(v, int | float)]
    return {
        "doc_date": date,
        "doc_type": _clip(fields.get("doc_type"), 200),
        "symbol": _clip(fields.get("symbol"), 200),
        "issuer": _clip(fields.get("issuer"), 300),
        "min_confidence": round(min(values), 4) if values else 0.0,
    }


@event.listens_for(Document, "before_insert")
@event.listens_for(Document, "before_update")
def _list_columns(_mapper: Any, _conn: Any, doc: Document) -> None:
    # The one place these copies are written: every path that changes a record (assembly,
    # review, re-OCR, split, merge) flushes the row, so none can forget them.
    for key, value in list_columns(doc.fields, doc.field_confidence).items():
        if getattr(doc, key) != value:
            setattr(doc, key, value)


_SQLITE_BUSY_MS = 30000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # busy_timeout turns brief writer contention into waiting instead of "database is locked".
    cur.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
    # WAL lets readers (status, web app) run while workers write. Converting a new file to
    # WAL needs it to itself and SQLite does not run the busy handler for that, so processes
    # starting together on an empty data directory got "database is locked" at once (the
    # cold-start test, under load): retry within the busy budget. A file that cannot be
    # switched (read-only, in memory) answers with its own mode, as before.
    deadline = time.monotonic() + _SQLITE_BUSY_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _no_nul(value: Any) -> Any:
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _without_nul(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool
) -> tuple[str, Any]:
    """Replace NUL characters in text parameters by U+FFFD ("�"), on both databases.

    PostgreSQL cannot store NUL in text at all (``DataError``, so a page text from a broken
    PDF text layer or a pasted correction failed there only); SQLite stored it. Doing it
    here for both keeps them equal, and the reader still sees that something was there.
    """

    def clean(params: Any) -> Any:
        if isinstance(params, dict):
            return {k: _no_nul(v) for k, v in params.items()}
        if isinstance(params, list | tuple):
            return type(params)(_no_nul(v) for v in params)
        return params

    # executemany passes rows, but a batched "insertmanyvalues" INSERT passes one flat set.
    rows = executemany and isinstance(parameters, list | tuple)
    if rows and all(isinstance(p, dict | list | tuple) for p in parameters):
        return statement, type(parameters)(clean(p) for p in parameters)
    return statement, clean(parameters)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL mode and a busy timeout.

    ``read_only`` (SQLite, for a data directory that cannot be written) opens the file with
    ``mode=ro``; when no ``-wal`` file exists no writer is active, and ``immutable=1`` lets
    SQLite read without creating the ``-shm`` file it could not write.
    """
    if url.startswith("sqlite"):
        database = make_url(url).database
        if read_only and database and database != ":memory:":
            query = "mode=ro" if Path(f"{database}-wal").exists() else "mode=ro&immutable=1"
            url = f"sqlite:///file:{database}?{query}&uri=true"
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # No JIT: PostgreSQL compiles any query its planner costs above 100,000, which the
        # dashboard's per-batch counts are at a million pages; compiling took 25-30 ms of a
        # 10-20 ms query (a batch in OCR recounted in 100 ms with JIT off, 215 ms with it).
        engine = create_engine(url, pool_pre_ping=True, connect_args={"options": "-c jit=off"})
    event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    return engine


def shrink_wal(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the database and truncate it (best effort).

    On a full disk the log of this process's earlier writes can hold the last free blocks;
    emptying it lets one more small write (giving claimed pages back) through.
    """
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as e:  # nothing more to try; the caller reports the first error
        log.warning("could not checkpoint the SQLite log: %s", e)


def make_sessionmaker(engine: Engine) -> sessionmaker[Any]:
    """Return a session factory that keeps loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
