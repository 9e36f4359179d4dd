"""Pieces both backends share: ranking weights, keyword forms, hit and facet assembly."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

from core.search_types import FacetValue, IndexedDocument, SearchHit, SearchQuery
from core.text import normalize_vi
from search._analysis import QueryPlan, Term, keyword, symbol_key
from search._highlight import make_snippet

# Exact (diacritics as typed) matches outrank folded ones; title/subject/issuer outrank body;
# a typed symbol that is the document's own symbol outranks documents merely citing it.
EXACT_BOOST = 3.0
META_BOOST = 2.0
SYMBOL_BOOST = 100.0
PROXIMITY_BOOST = 4.0  # the whole query found as a phrase (slop below) in a document
PROXIMITY_SLOP = 2
SNIPPET_PAGES = 2  # snippets per hit, from its best-matching pages
MAX_PAGE_HITS = 2000  # page entries read to list "pages that matched" for one result page
FACET_SIZE = 50


def proximity_words(plan: QueryPlan) -> tuple[str, ...]:
    """Return the folded words of a long query (a pasted title or subject), else nothing.

    Short queries skip the boost: a position check on every matching document is the most
    expensive part of a query, and with four words or fewer every word is required anyway.
    So does a query that is one quoted phrase: its words are already required to be adjacent.
    """
    if len(plan.clauses) < 2:
        return ()
    words = tuple(
        t.folded for c in plan.clauses for t in ((c,) if isinstance(c, Term) else c.terms)
    )
    return words if len(words) >= 5 else ()


def min_match(clauses: int) -> int:
    """Return how many clauses a document must match: all up to 4, then three quarters.

    Long queries (a pasted subject line) then survive an OCR misreading of one word.
    """
    return clauses if clauses <= 4 else max(4, math.ceil(clauses * 0.75))


class Timer:
    """Milliseconds since creation."""

    def __init__(self) -> None:
        """Start now."""
        self.t0 = time.perf_counter()

    def ms(self) -> float:
        """Return elapsed milliseconds."""
        return (time.perf_counter() - self.t0) * 1000


def upper_keyword(value: str) -> str:
    """Return the form of printed header values (doc type, issuer) used to filter and facet."""
    return normalize_vi(keyword(value)).upper()


def keywords(doc: IndexedDocument) -> dict[str, str]:
    """Return the non-empty filter/facet values of ``doc`` (year is numeric, apart)."""
    values = {
        "kind": keyword(doc.kind),
        "doc_type": upper_keyword(doc.doc_type),
        "issuer": upper_keyword(doc.issuer),
        "batch": keyword(doc.batch),
        "collection": keyword(doc.collection),
        "classification": keyword(doc.classification),
    }
    return {k: v for k, v in values.items() if v}


def symbol_of(doc: IndexedDocument) -> str:
    """Return the keyword form of the document's symbol."""
    return symbol_key(doc.symbol)


def meta_text(doc: IndexedDocument) -> str:
    """Return the header fields searched with a higher weight than the body."""
    return "\n".join(
        v for v in (doc.title, doc.subject, doc.doc_type, doc.issuer, doc.signer, doc.symbol) if v
    )


def filter_values(q: SearchQuery) -> dict[str, tuple[str, ...]]:
    """Return the keyword filters of ``q`` in their indexed forms, only those that are set."""
    raw = {
        "kind": tuple(keyword(v) for v in q.kinds),
        "doc_type": tuple(upper_keyword(v) for v in q.doc_types),
        "issuer": tuple(upper_keyword(v) for v in q.issuers),
        "batch": tuple(keyword(v) for v in q.batches),
        "collection": tuple(keyword(v) for v in q.collections),
        "classification": tuple(keyword(v) for v in q.classifications),
    }
    return {k: v for k, v in raw.items() if v}


def make_hit(
    info: Mapping[str, Any],
    score: float,
    pages: Sequence[int],
    texts: Sequence[str],
    plan: QueryPlan,
) -> SearchHit:
    """Build one hit from the stored display record, matched pages and their texts."""
    snippets = [s for s in (make_snippet(t, plan) for t in texts if t) if s]
    return SearchHit(
        id=int(info["id"]),
        score=float(score),
        title=info.get("title", ""),
        symbol=info.get("symbol", ""),
        date=info.get("date", ""),
        issuer=info.get("issuer", ""),
        kind=info.get("kind", ""),
        doc_type=info.get("doc_type", ""),
        classification=info.get("classification", ""),
        batch=info.get("batch", ""),
        pages=tuple(sorted(set(pages))),
        snippets=tuple(snippets),
    )


def facets_from(
    counts: Mapping[str, Sequence[tuple[str, int]]],
) -> dict[str, tuple[FacetValue, ...]]:
    """Return facets sorted by count (descending) then value."""
    # Whoosh groups documents without the field under None: not a value anyone can pick.
    pairs_ok = {
        name: [(str(v), int(n)) for v, n in pairs if v is not None and v != ""]
        for name, pairs in counts.items()
    }
    return {
        name: tuple(
            FacetValue(v, n) for v, n in sorted(pairs, key=lambda p: (-p[1], p[0])) if n > 0
        )
        for name, pairs in pairs_ok.items()
    }
