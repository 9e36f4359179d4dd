"""Whoosh backend (pure Python): same entries, fields and ranking rules as the tantivy one.

Whoosh's default ``TEXT()`` analyzer drops ``an``, ``in``, ``ý``, ``ở`` (English stop list,
minimum size 2): here every text field gets words already analysed by ``search._analysis``
and only splits them on spaces, like the tantivy backend.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError

from core.errors import TransientError
from core.levels import rank
from core.search_types import (
    FACET_FIELDS,
    IndexedDocument,
    ReconcileReport,
    SearchQuery,
    SearchResult,
)
from search import _common as common
from search._analysis import QueryPlan, Symbol, Term, exact_text, folded_text, parse_query
from search._base import Loader, check_index_version, run_reconcile, slices, writer_lock

_KEYWORDS = ("kind", "doc_type", "issuer", "batch", "collection", "classification", "year")


def _schema() -> Schema:
    text = {
        name: TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True)
        for name in ("body_ex", "body_fo", "meta_ex", "meta_fo")
    }
    keys = {name: ID(sortable=True) for name in _KEYWORDS}
    return Schema(
        key=ID(unique=True),
        rec=ID,
        doc_id=ID(stored=True),
        page_no=STORED,
        cls=NUMERIC(int),
        year_n=NUMERIC(int),
        fp=STORED,
        symbol=ID,
        text=STORED,
        info=STORED,
        **text,
        **keys,
    )


def _at_least(parts: list[wq.Query], k: int) -> wq.Query:
    """Return a query matching documents that match ``k`` of ``parts``.

    Whoosh's ``Or(minmatch=)`` is documented "not yet implemented" (and ignores it), so spell
    it out as an OR of ANDs; past 300 combinations every part is required instead.
    """
    if k >= len(parts) or math.comb(len(parts), k) > 300:
        return wq.And(parts)
    return wq.Or([wq.And(list(c)) for c in itertools.combinations(parts, k)])


class WhooshBackend:
    """Search backend on whoosh-reloaded."""

    name = "whoosh"

    def __init__(
        self, index_dir: Path, *, lock_timeout_s: float = 10.0, recreate: bool = False
    ) -> None:
        """Open (or create) the index in ``index_dir`` (``recreate``: wipe an outdated one)."""
        self.index_dir, self.lock_timeout_s = index_dir, lock_timeout_s
        check_index_version(index_dir, self.name, recreate=recreate)
        if windex.exists_in(str(index_dir)):
            self.ix = windex.open_dir(str(index_dir))
        else:
            self.ix = windex.create_in(str(index_dir), _schema())
        self._searcher: Any = None
        self._gen = -1
        # One Whoosh searcher is not safe across the API's worker threads.
        self._read_lock = threading.RLock()

    # ----- writing -------------------------------------------------------------------------
    def _writer(self) -> Any:
        try:
            return self.ix.writer(limitmb=256)
        except LockError as e:
            raise TransientError(
                f"whoosh writer busy: {e}",
                code="index_locked",
                message_vi="Chỉ mục tìm kiếm đang bận; hãy thử lại sau.",
            ) from e

    def _entries(self, doc: IndexedDocument) -> Iterable[dict[str, Any]]:
        meta = common.meta_text(doc)
        exact = [exact_text(p.text) for p in doc.pages]
        folded = [folded_text(p.text) for p in doc.pages]
        entry: dict[str, Any] = {
            "key": f"d{doc.id}",
            "rec": "d",
            "doc_id": str(doc.id),
            "cls": rank(doc.classification),
            "fp": doc.fingerprint,
            "body_ex": " ".join(exact),
            "body_fo": " ".join(folded),
            "meta_ex": exact_text(meta),
            "meta_fo": folded_text(meta),
            "info": json.dumps(doc.display(), ensure_ascii=False),
            **common.keywords(doc),
        }
        if doc.year is not None:
            entry.update(year_n=doc.year, year=str(doc.year))
        if doc.symbol:
            entry["symbol"] = common.symbol_of(doc)
        yield entry
        for page, fo in zip(doc.pages, folded, strict=True):
            yield {
                "key": f"p{doc.id}.{page.number}",
                "rec": "p",
                "doc_id": str(doc.id),
                "page_no": page.number,
                "cls": rank(doc.classification),
                "body_fo": fo,
                "text": page.text,
            }

    def _write(self, docs: Sequence[IndexedDocument], delete_ids: Iterable[int]) -> None:
        with writer_lock(self.index_dir, self.lock_timeout_s):
            w = self._writer()
            try:
                for i in delete_ids:
                    w.delete_by_term("doc_id", str(i))
                for doc in docs:
                    for entry in self._entries(doc):
                        w.add_document(**entry)
            except BaseException:
                w.cancel()  # never leave a half-written segment or a held lock behind
                raise
            w.commit()

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        """Add or replace ``docs``: one commit per slice of up to 2,000 pages."""
        written = 0
        for chunk in slices(docs, 2000):
            self._write(chunk, [d.id for d in chunk])
            written += len(chunk)
        return written

    def delete(self, doc_ids: Iterable[int]) -> int:
        """Remove documents (and their pages) by id."""
        ids = list(doc_ids)
        if ids:
            self._write([], ids)
        return len(ids)

    def clear(self) -> None:
        """Recreate an empty index (Whoosh has no cheap delete-all)."""
        with writer_lock(self.index_dir, self.lock_timeout_s):
            self.close()
            self.ix = windex.create_in(str(self.index_dir), _schema())

    def reconcile(self, expected: Mapping[int, int], load: Loader) -> ReconcileReport:
        """Repair drift between ``expected`` (the database) and the index."""
        return run_reconcile(self, expected, load)

    # ----- reading -------------------------------------------------------------------------
    def _s(self) -> Any:
        # Searcher.refresh() misses commits here (stale MultiReader generation): compare the
        # TOC generation ourselves and reopen when another writer committed.
        gen = self.ix.latest_generation()
        if self._searcher is None or gen != self._gen:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher, self._gen = self.ix.searcher(), gen
        return self._searcher

    def fingerprints(self) -> dict[int, int]:
        """Return ``{id: fingerprint}`` of every indexed document."""
        with self._read_lock:
            s = self._s()
            return {
                int(f["doc_id"]): int(f["fp"])
                for _, f in ((n, s.stored_fields(n)) for n in s.document_numbers(rec="d"))
            }

    def _text_query(
        self, plan: QueryPlan, body: str, meta: str | None, combine: type[wq.CompoundQuery] = wq.And
    ) -> wq.Query:
        def words(field: str, terms: Sequence[Term], folded: bool, boost: float) -> wq.Query:
            forms = [t.folded if folded else t.exact for t in terms]
            if len(forms) == 1:
                return wq.Term(field, forms[0], boost=boost)
            return wq.Phrase(field, forms, boost=boost)

        parts = []
        for c in plan.clauses:
            terms = (c,) if isinstance(c, Term) else c.terms
            opts = [words(f"{body}_fo", terms, True, 1.0)]
            if meta:  # document entries; page entries hold the folded body only
                opts.append(words(f"{body}_ex", terms, False, common.EXACT_BOOST))
            if meta and not isinstance(c, Symbol):
                opts += [
                    words(f"{meta}_ex", terms, False, common.EXACT_BOOST * common.META_BOOST),
                    words(f"{meta}_fo", terms, True, common.META_BOOST),
                ]
            if isinstance(c, Symbol) and meta:
                opts.append(wq.Term("symbol", c.key, boost=common.SYMBOL_BOOST))
            parts.append(wq.Or(opts))
        if combine is wq.And and len(parts) > 3:
            return _at_least(parts, common.min_match(len(parts)))
        return combine(parts)

    def _filter(self, q: SearchQuery, rec: str) -> wq.Query:
        parts: list[wq.Query] = [wq.Term("rec", rec), wq.NumericRange("cls", 0, rank(q.clearance))]
        for name, values in common.filter_values(q).items():
            parts.append(wq.Or([wq.Term(name, v) for v in values]))
        if q.year_from is not None or q.year_to is not None:
            parts.append(wq.NumericRange("year_n", q.year_from, q.year_to))
        return wq.And(parts)

    def _run(self, q: SearchQuery, plan: QueryPlan, limit: int, facets: bool) -> Any:
        text = wq.Every() if plan.empty else self._text_query(plan, "body", "meta")
        words = common.proximity_words(plan)
        if words:  # same proximity boost as the tantivy backend
            text = wq.AndMaybe(
                text,
                wq.Or(
                    [
                        wq.Phrase(
                            "body_fo",
                            list(words),
                            slop=common.PROXIMITY_SLOP + 1,
                            boost=common.PROXIMITY_BOOST,
                        ),
                        wq.Phrase(
                            "meta_fo",
                            list(words),
                            slop=common.PROXIMITY_SLOP + 1,
                            boost=common.PROXIMITY_BOOST * common.META_BOOST,
                        ),
                    ]
                ),
            )
        groups = (
            {f: sorting.FieldFacet(f, maptype=sorting.Count) for f in FACET_FIELDS}
            if facets
            else None
        )
        # ``filter`` is applied while matching: hidden documents are never scored or grouped.
        return self._s().search(
            text, limit=max(1, limit), filter=self._filter(q, "d"), groupedby=groups
        )

    def count(self, query: SearchQuery | None = None) -> int:
        """Return how many documents match ``query`` (all indexed documents when None)."""
        with self._read_lock:
            if query is None:
                return sum(1 for _ in self._s().document_numbers(rec="d"))
            return len(self._run(query, parse_query(query.text), 1, False))

    def search(self, query: SearchQuery) -> SearchResult:
        """Run ``query``: ranked hits, matched pages with snippets, facet counts."""
        with self._read_lock:
            return self._search(query)

    def _search(self, query: SearchQuery) -> SearchResult:
        timer = common.Timer()
        plan = parse_query(query.text)
        res = self._run(query, plan, query.offset + query.limit, query.facets)
        found = [
            (h.score or 0.0, json.loads(h["info"]))
            for h in list(res)[query.offset : query.offset + query.limit]
        ]
        pages = (
            self._matched_pages(query, plan, [i["id"] for _, i in found])
            if found and not plan.empty
            else {}
        )
        hits = []
        for score, info in found:
            matched = pages.get(info["id"], [])
            texts = [t for _, t in matched[: common.SNIPPET_PAGES]] if query.snippets else []
            hits.append(common.make_hit(info, score, [n for n, _ in matched], texts, plan))
        facets = (
            common.facets_from({f: list(res.groups(f).items()) for f in FACET_FIELDS})
            if query.facets
            else {}
        )
        return SearchResult(total=len(res), hits=tuple(hits), facets=facets, took_ms=timer.ms())

    def _matched_pages(
        self, q: SearchQuery, plan: QueryPlan, ids: list[int]
    ) -> dict[int, list[tuple[int, str]]]:
        text = self._text_query(plan, "body", None, wq.Or)
        flt = wq.And(
            [
                self._filter(SearchQuery(clearance=q.clearance), "p"),
                wq.Or([wq.Term("doc_id", str(i)) for i in ids]),
            ]
        )
        out: dict[int, list[tuple[int, str]]] = {}
        for h in self._s().search(text, limit=common.MAX_PAGE_HITS, filter=flt):
            out.setdefault(int(h["doc_id"]), []).append((int(h["page_no"]), h["text"]))
        return out

    def close(self) -> None:
        """Close the searcher and the index files."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self.ix.close()
