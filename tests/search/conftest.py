"""Fixtures of the search contract suite: every test runs against BOTH backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.search_types import IndexedDocument, IndexedPage
from search import SearchBackend, open_backend


@pytest.fixture(params=["tantivy", "whoosh"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    b = open_backend(request.param, tmp_path / "index" / request.param, lock_timeout_s=0.3)
    yield b
    b.close()


def doc(
    id: int,
    *pages: str,
    batch: str = "B1",
    kind: str = "party_document",
    classification: str = "thuong",
    **fields: object,
) -> IndexedDocument:
    """Build a document whose pages are numbered from 1."""
    return IndexedDocument(
        id=id,
        batch=batch,
        kind=kind,
        classification=classification,
        pages=tuple(IndexedPage(i + 1, t) for i, t in enumerate(pages)),
        **fields,
    )  # type: ignore[arg-type]
