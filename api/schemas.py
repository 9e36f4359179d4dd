"""Response models of the JSON API: /openapi.json says what each route returns.

Shared shapes live here; a router's own request bodies stay beside it. Models allow extra keys
(``extra="allow"``) where a service returns a record whose keys follow the field table
(``core.fields``), so adding a field never breaks a response.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Open(BaseModel):
    """A model that keeps keys it does not name (records, counts per state)."""

    model_config = ConfigDict(extra="allow")


class FacetCount(BaseModel):
    """One value of a facet and how many documents have it."""

    value: str
    count: int


class DocumentSummary(BaseModel):
    """One row of the documents list or of a selection."""

    id: int
    title: str
    subject: str
    doc_type: str
    symbol: str
    date: str
    issuer: str
    kind: str
    classification: str
    status: str
    batch: str
    collection: str
    min_confidence: float
    pages: int
    thumbnail: str | None


class DocumentListPage(BaseModel):
    """One page of the documents list; follow ``next_cursor``/``prev_cursor`` to move on."""

    items: list[DocumentSummary]
    page: int
    size: int
    has_next: bool
    next_cursor: str | None
    prev_cursor: str | None
    sort: str
    desc: bool


class DocumentFacets(BaseModel):
    """Value counts of each filter over the filtered list, and how many documents it holds."""

    total: int
    facets: dict[str, list[FacetCount]]


class SearchHitOut(BaseModel):
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
    pages: list[int]
    snippets: list[str]


class SearchOut(BaseModel):
    """One page of search hits, the total, and facet counts over the whole result."""

    total: int
    took_ms: float
    hits: list[SearchHitOut]
    facets: dict[str, list[FacetCount]]
    limit: int = 10
    offset: int = 0


class Dictish(Open):
    """A JSON object whose keys are described in the route's documentation."""


def search_out(result: dict[str, Any], limit: int, offset: int) -> SearchOut:
    """Return a search result with its paging."""
    return SearchOut(**result, limit=limit, offset=offset)


# --- documents and review ---------------------------------------------------------------------


class PageRef(Open):
    """A page of a document: where it came from, its text and where its image is."""

    id: int
    number: int
    source_file: str
    source_file_id: int
    source_page: int
    text: str
    mean_confidence: float | None
    image: str
    colour_image: str | None = None  # the colour copy (seals, pen), when the scan has one
    words: str


class DocumentRecord(Open):
    """A document with its fields, confidences, provenance, pages and history."""

    id: int
    batch: str | None
    kind: str
    classification: str
    classification_label: str
    status: str
    accepted_by_policy: bool = False  # accepted by its collection's policy, unreviewed
    notice: str | None
    fields: dict[str, Any]
    field_confidence: dict[str, Any]
    provenance: dict[str, Any]
    flat_fields: dict[str, Any]
    machine: dict[str, Any]
    field_names: list[str]
    pages: list[PageRef]
    history: list[dict[str, Any]]


class PageWords(Open):
    """Word boxes of a page, in unscaled upright image coordinates."""

    width: int
    height: int
    display_scale: float
    words: list[dict[str, Any]]


class QueueItemOut(BaseModel):
    """A document waiting for review and what it is."""

    id: int
    batch: str
    kind: str
    confidence: float
    weakest_field: str | None
    pages: int
    doc_type: str = ""
    symbol: str = ""
    date: str = ""
    subject: str = ""


class ReviewQueueOut(BaseModel):
    """Unreviewed documents, lowest confidence first, and the editable fields."""

    items: list[QueueItemOut]
    fields: list[str]


class FieldSaved(Open):
    """A field correction: whether the value changed."""

    document: int
    field: str
    changed: bool


class TextSaved(BaseModel):
    """A page-text correction: whether the text changed."""

    page: int
    changed: bool


class AcceptedOut(BaseModel):
    """An accepted document and the next one in the queue (None when it is empty)."""

    document: int
    status: str
    next: int | None


class ClassificationOut(Open):
    """A level change: ``from`` and ``to`` level codes."""

    document: int


class SplitOut(BaseModel):
    """A split: the new document starting at the given page."""

    document: int
    new_document: int


class MergeOut(BaseModel):
    """A merge: the document emptied into this one."""

    document: int
    merged: int
