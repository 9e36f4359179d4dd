"""Frozen hand-off types of the search stage: what is indexed, asked and answered."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from core.errors import InputError
from core.levels import LEVELS

# Facets every result carries counts for, in display order.
FACET_FIELDS = ("kind", "doc_type", "year", "issuer", "batch", "collection", "classification")


@dataclass(frozen=True, slots=True)
class IndexedPage:
    """One page of a document as the index sees it: 1-based number in the document and text."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    """Everything the index holds about one document (built from the database, never ORM rows).

    ``classification`` is a level code (core.levels); ``year`` comes from the date field.
    """

    id: int
    batch: str
    kind: str
    classification: str
    pages: tuple[IndexedPage, ...] = ()
    collection: str = ""
    doc_type: str = ""
    symbol: str = ""
    date: str = ""
    year: int | None = None
    issuer: str = ""
    subject: str = ""
    signer: str = ""
    title: str = ""

    @property
    def fingerprint(self) -> int:
        """Return a 63-bit digest of the content: reconcile compares it with the database."""
        h = hashlib.blake2b(digest_size=8)
        head = [
            self.id,
            self.batch,
            self.kind,
            self.classification,
            self.collection,
            self.doc_type,
            self.symbol,
            self.date,
            self.year,
            self.issuer,
            self.subject,
            self.signer,
            self.title,
            [p.number for p in self.pages],
        ]
        h.update(json.dumps(head, ensure_ascii=False).encode("utf-8"))
        for page in self.pages:
            h.update(b"\x00")
            h.update(page.text.encode("utf-8"))
        return int.from_bytes(h.digest(), "big") >> 1

    def display(self) -> dict[str, Any]:
        """Return the small JSON-friendly record shown in a result list."""
        return {
            "id": self.id,
            "title": self.title,
            "symbol": self.symbol,
            "date": self.date,
            "issuer": self.issuer,
            "kind": self.kind,
            "doc_type": self.doc_type,
            "batch": self.batch,
            "collection": self.collection,
            "classification": self.classification,
            "page_count": len(self.pages),
        }


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """One search: the text, filters, the caller's clearance and how many hits to return.

    Filters are exact values (as shown in facets); ``year_from``/``year_to`` are inclusive.
    """

    text: str = ""
    clearance: str = "thuong"
    kinds: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    batches: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    limit: int = 10
    offset: int = 0
    facets: bool = True
    snippets: bool = True

    def __post_init__(self) -> None:
        """Refuse unknown clearances (fail closed) and nonsensical paging."""
        if self.clearance not in LEVELS:
            raise InputError(
                f"unknown clearance {self.clearance!r}",
                code="bad_clearance",
                message_vi="Mức được phép xem không hợp lệ.",
            )
        if not 0 <= self.limit <= 1000 or self.offset < 0:
            raise InputError(
                "limit must be 0..1000 and offset >= 0",
                code="bad_argument",
                message_vi="Số kết quả phải từ 0 đến 1000.",
            )


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching document with the pages that matched and highlighted snippets (HTML)."""

    id: int
    score: float
    title: str
    symbol: str
    date: str
    issuer: str
    kind: str
    doc_type: str
    classification: str
    batch: str
    pages: tuple[int, ...] = ()
    snippets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One value of a facet and how many documents of the result set have it."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Hits of one page of results, the total, and facet counts over the whole result set."""

    total: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    took_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form used by the API and ``sohoa search --json``."""
        return {
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "hits": [asdict(h) for h in self.hits],
            "facets": {k: [asdict(v) for v in vals] for k, vals in self.facets.items()},
        }


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """What reconciling the index with the database found and repaired."""

    checked: int = 0
    added: tuple[int, ...] = ()
    updated: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()

    @property
    def clean(self) -> bool:
        """Return whether nothing had drifted."""
        return not (self.added or self.updated or self.removed)
