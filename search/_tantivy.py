"""tantivy backend (default): Rust full-text engine with Vietnamese exact and folded fields.

Each document is indexed twice over: one *document entry* (all pages, fields, facets; what is
ranked, counted and faceted) and one *page entry* per page (its text stored for snippets; used
to find which pages of the hits matched). Clearance is a numeric field filtered inside the
query, so hidden documents never reach hits, counts, facets or snippets.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from core.errors import ConfigError, TransientError
from core.levels import LEVELS, rank
from core.search_types import (
    FACET_FIELDS,
    IndexedDocument,
    ReconcileReport,
    SearchQuery,
    SearchResult,
)
from search import _common as common
from search._analysis import Clause, QueryPlan, Symbol, Term, exact_form, parse_query
from search._base import (
    Loader,
    check_index_version,
    run_reconcile,
    slices,
    wipe_index,
    writer_lock,
)

log = logging.getLogger(__name__)
DOC, PAGE = 0, 1
_SLICE_PAGES = 20_000
_POOLS: dict[int, ThreadPoolExecutor] = {}


def _facet_pool() -> ThreadPoolExecutor:
    """Return this process's facet thread pool.

    tantivy releases the GIL while it searches, so facet counting (a second pass over every
    match) runs on another core while the caller ranks, reads and highlights the top hits.
    One pool per process id: a pool inherited through fork (Celery prefork, the reindex
    workers) has no live threads and would never run its jobs.
    """
    pid = os.getpid()
    pool = _POOLS.get(pid)
    if pool is None:
        pool = _POOLS[pid] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="facets")
    return pool


_KEYWORDS = ("kind", "doc_type", "issuer", "batch", "collection", "classification")


def _count(res: Any) -> int:
    """Return the hit count tantivy computed (``count=True``; missing from its type stubs)."""
    return int(res.count)


def _stored(searcher: Any, addr: Any, field: str) -> str:
    """Return a stored UTF-8 bytes field of one entry as text."""
    value = searcher.doc(addr).get_first(field)
    return bytes(value).decode("utf-8") if value is not None else ""


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in ("rec", "doc_id", "page_no", "cls"):
        sb.add_unsigned_field(name, stored=name in ("doc_id", "page_no"), indexed=True, fast=True)
    sb.add_unsigned_field("fp", stored=True, fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    for name in _KEYWORDS:
        sb.add_text_field(name, fast=True, tokenizer_name="raw")
    sb.add_text_field("symbol", tokenizer_name="raw")
    for name in ("body", "meta"):
        # Exact forms only boost single words: frequencies, no positions (smaller, faster).
        sb.add_text_field(f"{name}_ex", tokenizer_name="vi_exact", index_option="freq")
        sb.add_text_field(f"{name}_fo", tokenizer_name="vi_folded")
    # Page entries only say which pages of a hit matched: presence, no frequencies or positions.
    sb.add_text_field("page_fo", tokenizer_name="vi_folded", index_option="basic")
    # Stored only: a text field would index each whole page as one huge "raw" term.
    sb.add_bytes_field("text", stored=True)
    sb.add_bytes_field("info", stored=True)
    return sb.build()


class TantivyBackend:
    """Search backend on tantivy-py."""

    name = "tantivy"

    def __init__(
        self,
        index_dir: Path,
        *,
        heap_mb: int = 128,
        threads: int = 0,
        lock_timeout_s: float = 10.0,
        recreate: bool = False,
    ) -> None:
        """Open (or create) the index in ``index_dir`` (``recreate``: wipe an outdated one)."""
        self.index_dir = index_dir
        self.heap_mb, self.threads, self.lock_timeout_s = heap_mb, threads, lock_timeout_s
        check_index_version(index_dir, self.name, recreate=recreate)
        self.schema = _schema()
        try:
            self.idx = tantivy.Index(self.schema, path=str(index_dir), reuse=True)
        except ValueError as e:  # "schema does not match": built by other code, no marker
            if recreate:
                wipe_index(index_dir)
                check_index_version(index_dir, self.name)
                self.idx = tantivy.Index(self.schema, path=str(index_dir), reuse=True)
                self._register()
                return
            raise ConfigError(
                f"tantivy index in {index_dir}: {e}",
                code="index_outdated",
                message_vi="Chỉ mục tìm kiếm được lập bởi phiên bản cũ; hãy chạy 'sohoa reindex'.",
            ) from e
        self._register()

    def _register(self) -> None:
        # Input arrives in exact form (search._analysis.exact_form: lower case, tones placed);
        # "simple" splits it on non-alphanumerics exactly as analysis.WORD_RE, in Rust.
        self.idx.register_tokenizer(
            "vi_exact",
            TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(200)).build(),
        )
        self.idx.register_tokenizer(
            "vi_folded",
            TextAnalyzerBuilder(Tokenizer.simple())
            .filter(Filter.remove_long(200))
            .filter(Filter.ascii_fold())
            .build(),
        )

    # ----- writing -------------------------------------------------------------------------
    def _writer(self, pages: int = 0) -> Any:
        # A few documents (a corrected field, one batch) need no 128 MB indexing arena nor
        # more than one thread; a bulk load (reindex) uses every core.
        bulk = pages > 2000
        heap_mb = self.heap_mb if bulk else 16
        threads = self.threads or (min(4, os.cpu_count() or 1) if bulk else 1)
        try:
            return self.idx.writer(heap_size=heap_mb * 1_000_000 * threads, num_threads=threads)
        except ValueError as e:  # LockBusy from a writer outside our lock (other tool)
            raise TransientError(
                f"tantivy writer busy: {e}",
                code="index_locked",
                message_vi="Chỉ mục tìm kiếm đang bận; hãy thử lại sau.",
            ) from e

    def _ids_query(self, ids: Sequence[int]) -> Any:
        return Query.term_set_query(self.schema, "doc_id", list(ids))

    def _documents(self, doc: IndexedDocument) -> Iterable[tantivy.Document]:
        d = tantivy.Document()
        d.add_unsigned("rec", DOC)
        d.add_unsigned("doc_id", doc.id)
        d.add_unsigned("cls", rank(doc.classification))
        d.add_unsigned("fp", doc.fingerprint)
        if doc.year is not None:
            d.add_integer("year", doc.year)
        for name, value in common.keywords(doc).items():
            d.add_text(name, value)
        if doc.symbol:
            d.add_text("symbol", common.symbol_of(doc))
        meta = exact_form(common.meta_text(doc))
        d.add_text("meta_ex", meta)
        d.add_text("meta_fo", meta)
        bodies = [exact_form(page.text) for page in doc.pages]
        for body in bodies:
            d.add_text("body_ex", body)
            d.add_text("body_fo", body)
        d.add_bytes("info", json.dumps(doc.display(), ensure_ascii=False).encode("utf-8"))
        yield d
        for page, body in zip(doc.pages, bodies, strict=True):
            p = tantivy.Document()
            p.add_unsigned("rec", PAGE)
            p.add_unsigned("doc_id", doc.id)
            p.add_unsigned("page_no", page.number)
            p.add_unsigned("cls", rank(doc.classification))
            # Folded only: a page "matched" when any clause's folded form is on it (exact vs
            # folded only changes ranking, which the document entry does).
            p.add_text("page_fo", body)
            p.add_bytes("text", page.text.encode("utf-8"))
            yield p

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        """Add or replace ``docs``: one commit per slice of up to 20,000 pages.

        A bulk slice gets the big multi-threaded writer and few segments to merge; the lock is
        released between slices so a correction waiting to be indexed gets its turn.
        """
        written = 0
        for chunk in slices(docs, _SLICE_PAGES):
            with writer_lock(self.index_dir, self.lock_timeout_s):
                w = self._writer(sum(len(d.pages) for d in chunk))
                w.delete_documents_by_query(self._ids_query([d.id for d in chunk]))
                for doc in chunk:
                    for entry in self._documents(doc):
                        w.add_document(entry)
                w.commit()
                w.wait_merging_threads()
            self.idx.reload()
            written += len(chunk)
        return written

    def delete(self, doc_ids: Iterable[int]) -> int:
        """Remove documents (and their pages) by id."""
        ids = list(doc_ids)
        if not ids:
            return 0
        with writer_lock(self.index_dir, self.lock_timeout_s):
            w = self._writer()
            w.delete_documents_by_query(self._ids_query(ids))
            w.commit()
            w.wait_merging_threads()
        self.idx.reload()
        return len(ids)

    def clear(self) -> None:
        """Remove every document and the files they used."""
        with writer_lock(self.index_dir, self.lock_timeout_s):
            w = self._writer()
            w.delete_all_documents()
            w.commit()
            w.garbage_collect_files()
            w.wait_merging_threads()
        self.idx.reload()

    def reconcile(self, expected: Mapping[int, int], load: Loader) -> ReconcileReport:
        """Repair drift between ``expected`` (the database) and the index."""
        return run_reconcile(self, expected, load)

    # ----- reading -------------------------------------------------------------------------
    def fingerprints(self) -> dict[int, int]:
        """Return ``{id: fingerprint}`` of every indexed document (fast fields, no stored docs)."""
        searcher = self.idx.searcher()
        q = Query.term_query(self.schema, "rec", DOC)
        n = searcher.num_docs
        if not n:
            return {}
        addrs = [a for _, a in searcher.search(q, limit=n, count=False).hits]
        ids = searcher.fast_field_values("doc_id", addrs)
        fps = searcher.fast_field_values("fp", addrs)
        return {
            int(i): int(f) for i, f in zip(ids, fps, strict=True) if i is not None and f is not None
        }

    def _words(self, field: str, terms: Sequence[Term], folded: bool) -> Any:
        forms: list[str | tuple[int, str]] = [t.folded if folded else t.exact for t in terms]
        if len(forms) == 1:
            return Query.term_query(self.schema, field, forms[0])
        if field == "page_fo":  # which pages of a hit: every word of the phrase on the page
            return Query.boolean_query(
                [(Occur.Must, Query.term_query(self.schema, field, f)) for f in forms]
            )
        return Query.phrase_query(self.schema, field, forms)

    def _clause(self, c: Clause, docs: bool, boosters: bool) -> Any:
        """Return one clause: a required folded match, plus optional exact-form boosters.

        Folded forms are a superset of exact ones, so only the folded part decides *whether*
        a document matches (and is counted in facets); the exact words, checked only on the
        documents already matched, rank ``bàn`` above ``bán`` for a query ``bàn``.
        """
        s = self.schema
        terms = (c,) if isinstance(c, Term) else c.terms
        need = [self._words("body_fo" if docs else "page_fo", terms, True)]
        if docs and isinstance(c, Symbol):
            need.append(
                Query.boost_query(Query.term_query(s, "symbol", c.key), common.SYMBOL_BOOST)
            )
        elif docs:
            need.append(Query.boost_query(self._words("meta_fo", terms, True), common.META_BOOST))
        required = Query.boolean_query([(Occur.Should, q) for q in need])
        if not (docs and boosters) or isinstance(c, Symbol):
            return required
        # Exact words as plain terms: no position checks on the (dense) exact field.
        opts = [(Occur.Must, required)]
        for t in terms:
            opts.append(
                (
                    Occur.Should,
                    Query.boost_query(Query.term_query(s, "body_ex", t.exact), common.EXACT_BOOST),
                )
            )
            opts.append(
                (
                    Occur.Should,
                    Query.boost_query(
                        Query.term_query(s, "meta_ex", t.exact),
                        common.EXACT_BOOST * common.META_BOOST,
                    ),
                )
            )
        return Query.boolean_query(opts)

    def _text_query(
        self, plan: QueryPlan, *, docs: bool = True, boosters: bool = True, any_clause: bool = False
    ) -> Any:
        """Return all clauses ANDed (three quarters of them past four), or ORed for pages."""
        clauses = [self._clause(c, docs, boosters) for c in plan.clauses]
        if any_clause:
            return Query.boolean_query([(Occur.Should, q) for q in clauses])
        need = common.min_match(len(clauses))
        if need < len(clauses):
            query = Query.boolean_query([(Occur.Should, q) for q in clauses], need)
        else:
            query = Query.boolean_query([(Occur.Must, q) for q in clauses])
        words = common.proximity_words(plan)
        if not (docs and boosters and words):
            return query
        # The whole query as a (sloppy) phrase: a pasted subject line ranks the document that
        # has it above documents that merely contain its words; checked only on matches.
        near = [
            Query.boost_query(
                Query.phrase_query(self.schema, f, list(words), common.PROXIMITY_SLOP), boost
            )
            for f, boost in (
                ("body_fo", common.PROXIMITY_BOOST),
                ("meta_fo", common.PROXIMITY_BOOST * common.META_BOOST),
            )
        ]
        return Query.boolean_query([(Occur.Must, query), *((Occur.Should, q) for q in near)])

    def _filters(self, q: SearchQuery, plan: QueryPlan) -> list[Any]:
        s = self.schema
        out = []
        # Text clauses only match document entries (page entries have page_fo alone); the
        # entry-type filter is needed only to browse by filters alone.
        if plan.empty:
            out.append(Query.term_query(s, "rec", DOC))
        # Clearance: every entry carries its level; the top clearance needs no filter.
        if q.clearance != LEVELS[-1]:
            out.append(
                Query.range_query(s, "cls", tantivy.FieldType.Unsigned, 0, rank(q.clearance))
            )
        for name, values in common.filter_values(q).items():
            out.append(Query.term_set_query(s, name, list(values)))
        if q.year_from is not None or q.year_to is not None:
            out.append(
                Query.range_query(s, "year", tantivy.FieldType.Integer, q.year_from, q.year_to)
            )
        return out

    def _query(self, q: SearchQuery, plan: QueryPlan, boosters: bool = True) -> Any:
        parts = [(Occur.Must, f) for f in self._filters(q, plan)]
        text = Query.all_query() if plan.empty else self._text_query(plan, boosters=boosters)
        return Query.boolean_query([(Occur.Must, text), *parts])

    def count(self, query: SearchQuery | None = None) -> int:
        """Return how many documents match ``query`` (all indexed documents when None)."""
        searcher = self.idx.searcher()
        if query is None:
            return _count(
                searcher.search(Query.term_query(self.schema, "rec", DOC), limit=1, count=True)
            )
        plan = parse_query(query.text)
        return _count(
            searcher.search(self._query(query, plan, boosters=False), limit=1, count=True)
        )

    def search(self, query: SearchQuery) -> SearchResult:
        """Run ``query``: ranked hits, matched pages with snippets, facet counts."""
        timer = common.Timer()
        plan = parse_query(query.text)
        searcher = self.idx.searcher()
        full = self._query(query, plan)
        # Same matches without the exact-form boosters: counting needs no scores.
        facets_job = (
            _facet_pool().submit(self._facets, searcher, self._query(query, plan, boosters=False))
            if query.facets
            else None
        )
        # With facets the total comes from the aggregation (every document has exactly one
        # classification), so the ranked search may skip non-competitive documents instead of
        # visiting every match to count it. tantivy refuses limit 0: ask for 1 and drop it.
        res = searcher.search(
            full, limit=max(1, query.limit), offset=query.offset, count=not query.facets
        )
        found = [
            (score, json.loads(_stored(searcher, addr, "info")))
            for score, addr in res.hits[: query.limit]
        ]
        pages: dict[int, list[tuple[int, Any]]] = {}
        if found and not plan.empty:
            pages = self._matched_pages(searcher, query, plan, [i["id"] for _, i in found])
        hits = []
        for score, info in found:
            matched = pages.get(info["id"], [])
            texts = (
                [_stored(searcher, addr, "text") for _, addr in matched[: common.SNIPPET_PAGES]]
                if query.snippets
                else []
            )
            hits.append(common.make_hit(info, score, [n for n, _ in matched], texts, plan))
        facets = facets_job.result() if facets_job is not None else {}
        total = sum(v.count for v in facets["classification"]) if query.facets else _count(res)
        return SearchResult(total=total, hits=tuple(hits), facets=facets, took_ms=timer.ms())

    def _matched_pages(
        self, searcher: Any, q: SearchQuery, plan: QueryPlan, ids: list[int]
    ) -> dict[int, list[tuple[int, Any]]]:
        """Return ``{doc id: [(page number, address)…]}`` best page first (any clause)."""
        # A page matches when it has at least one clause (words may sit on different pages).
        s = self.schema
        qry = Query.boolean_query(
            [
                (Occur.Must, self._text_query(plan, docs=False, any_clause=True)),
                (Occur.Must, Query.term_query(s, "rec", PAGE)),
                (
                    Occur.Must,
                    Query.range_query(s, "cls", tantivy.FieldType.Unsigned, 0, rank(q.clearance)),
                ),
                (Occur.Must, self._ids_query(ids)),
            ]
        )
        hits = searcher.search(qry, limit=common.MAX_PAGE_HITS, count=False).hits
        addrs = [a for _, a in hits]
        doc_ids = searcher.fast_field_values("doc_id", addrs)
        numbers = searcher.fast_field_values("page_no", addrs)
        out: dict[int, list[tuple[int, Any]]] = {}
        for did, num, addr in zip(doc_ids, numbers, addrs, strict=True):
            out.setdefault(did, []).append((num, addr))
        return out

    def _facets(self, searcher: Any, full: Any) -> dict[str, Any]:
        aggs = {f: {"terms": {"field": f, "size": common.FACET_SIZE}} for f in FACET_FIELDS}
        raw = searcher.aggregate(full, aggs)
        return common.facets_from(
            {
                f: [(str(b["key"]), int(b["doc_count"])) for b in raw.get(f, {}).get("buckets", [])]
                for f in FACET_FIELDS
            }
        )

    def close(self) -> None:
        """Nothing to release: tantivy frees readers when the object is collected."""
