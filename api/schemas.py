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
