"""More like this: documents sharing the most distinctive word pairs of a document.

Built from the document's own words rather than a backend feature, so tantivy and Whoosh
answer alike, and every probe is an ordinary search run as the caller
(``accounts.scope.search_in_scope``): nothing above their clearance or outside their
collections can come back or be counted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from accounts.scope import search_in_scope
from core.access import Scope
from core.db import Document
from core.search_types import SearchQuery
from core.text import fold, nfc

PROBES = 6
PER_PROBE = 20
# Words in nearly every administrative document say nothing about what it is about.
COMMON = frozenset(
    fold(w).lower()
    for w in " ".join(
        (
            "của và các cho với trong được có là theo về tại này một những để đã từ đến như",
            "không người năm ngày tháng số ban hành việc thực hiện công tác đồng chí tỉnh huyện",
        )
    ).split()
)


def _words(text: str) -> list[str]:
    return [w for w in nfc(text).split() if any(ch.isalpha() for ch in w)]


def probes(doc: Document, first_page_text: str = "") -> list[str]:
    """Return the phrases to look for: the document's most frequent uncommon word pairs."""
    fields = doc.fields or {}
    source = " ".join(str(fields.get(k) or "") for k in ("subject", "doc_type")) or ""
    words = _words(source) or _words(first_page_text[:3000])
    pairs: Counter[str] = Counter()
    for a, b in zip(words, words[1:], strict=False):
        if fold(a).lower() in COMMON and fold(b).lower() in COMMON:
            continue
        pairs[f"{a.lower()} {b.lower()}"] += 1
    return [p for p, _ in pairs.most_common(PROBES)]


def similar_documents(
    backend: Any, s: Session, scope: Scope, doc: Document, limit: int = 5
) -> list[dict[str, Any]]:
    """Return up to ``limit`` documents most like ``doc`` that the caller may see."""
    text = doc.pages[0].text if doc.pages else ""
    scores: dict[int, float] = {}
    shown: dict[int, dict[str, Any]] = {}
    for phrase in probes(doc, text or ""):
        query = SearchQuery(
            text=f'"{phrase}"',
            clearance=scope.clearance,
            limit=PER_PROBE,
            facets=False,
            snippets=False,
        )
        for rank, hit in enumerate(search_in_scope(backend, s, query, scope).hits):
            if hit.id == doc.id:
                continue
            scores[hit.id] = scores.get(hit.id, 0.0) + 1.0 / (rank + 1)
            shown[hit.id] = {
                "id": hit.id,
                "title": hit.title,
                "doc_type": hit.doc_type,
                "symbol": hit.symbol,
                "date": hit.date,
                "classification": hit.classification,
            }
    best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
    return [shown[i] for i in best]
