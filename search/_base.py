"""The narrow search contract both backends implement, and the one-writer lock they share."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import random
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from core.errors import ConfigError, TransientError
from core.search_types import (
    IndexedDocument,
    ReconcileReport,
    SearchQuery,
    SearchResult,
)
from core.storage import write_atomic
from search._analysis import exact_word

log = logging.getLogger(__name__)

# Loads documents from the source of truth (the database) by id, for reconcile.
Loader = Callable[[Sequence[int]], Iterable[IndexedDocument]]


class SearchBackend(Protocol):
    """A full-text index of documents. Takes and returns core data classes only."""

    name: str

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        """Add or replace documents (upsert by id); returns how many were written.

        ``docs`` may be a generator (``reindex`` streams the whole database): it is written
        in slices of bounded size, each one commit under the writer lock.
        """

    def delete(self, doc_ids: Iterable[int]) -> int:
        """Remove documents by id; returns how many ids were asked for."""

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one query, filtered by the caller's clearance inside the engine."""

    def count(self, query: SearchQuery | None = None) -> int:
        """Return how many documents match ``query`` (all indexed documents when None)."""

    def fingerprints(self) -> dict[int, int]:
        """Return ``{document id: fingerprint}`` of everything indexed."""

    def reconcile(self, expected: Mapping[int, int], load: Loader) -> ReconcileReport:
        """Make the index hold exactly ``expected`` ({id: fingerprint}); load what is stale."""

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""

    def close(self) -> None:
        """Release files and readers."""


def plan_reconcile(
    expected: Mapping[int, int], indexed: Mapping[int, int]
) -> tuple[list[int], list[int], list[int]]:
    """Return (missing, stale, extra) document ids between the database and the index."""
    missing = sorted(set(expected) - set(indexed))
    stale = sorted(i for i in set(expected) & set(indexed) if expected[i] != indexed[i])
    extra = sorted(set(indexed) - set(expected))
    return missing, stale, extra


def run_reconcile(
    backend: SearchBackend, expected: Mapping[int, int], load: Loader
) -> ReconcileReport:
    """Repair drift with the backend's own index/delete (both backends share this)."""
    missing, stale, extra = plan_reconcile(expected, backend.fingerprints())
    if extra:
        backend.delete(extra)
    todo = missing + stale
    for start in range(0, len(todo), 500):
        backend.index(list(load(todo[start : start + 500])))
    return ReconcileReport(
        checked=len(expected), added=tuple(missing), updated=tuple(stale), removed=tuple(extra)
    )


# Bump when fields or analysis change; the exact forms of two variant spellings are part of
# the key so a change of tone convention in core.text also marks old indexes as outdated.
SCHEMA_VERSION = 6
_VERSION_FILE = "sohoa-index.json"


def index_signature(backend: str) -> dict[str, object]:
    """Return what an index must have been built with to be searched by this code."""
    return {
        "backend": backend,
        "schema": SCHEMA_VERSION,
        "analysis": exact_word("hoà") + " " + exact_word("thủy") + " " + exact_word("kỹ"),
    }


def slices(docs: Iterable[IndexedDocument], max_pages: int) -> Iterator[list[IndexedDocument]]:
    """Yield ``docs`` in lists of about ``max_pages`` pages (one commit each)."""
    chunk: list[IndexedDocument] = []
    pages = 0
    for doc in docs:
        chunk.append(doc)
        pages += len(doc.pages) or 1
        if pages >= max_pages:
            yield chunk
            chunk, pages = [], 0
    if chunk:
        yield chunk


def wipe_index(index_dir: Path) -> None:
    """Delete an index's files (it is derived data: reindex rebuilds it), keeping the lock."""
    for child in index_dir.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        elif child.name != ".sohoa-writer.lock":
            child.unlink()


def check_index_version(index_dir: Path, backend: str, *, recreate: bool = False) -> None:
    """Refuse (or, with ``recreate``, wipe) an index built by other code.

    An index without the marker file is adopted (it predates the marker); a wrong marker
    means stale terms, so searching it would silently miss documents.

    Raises:
        ConfigError: ``index_outdated``; ``sohoa reindex`` rebuilds it.
    """
    marker = index_dir / _VERSION_FILE
    want = index_signature(backend)
    if marker.exists():
        have = json.loads(marker.read_text(encoding="utf-8"))
        if have == want:
            return  # nothing to write: a read-only data directory can still be searched
        if not recreate:
            raise ConfigError(
                f"index in {index_dir} was built as {have}, code expects {want}",
                code="index_outdated",
                message_vi="Chỉ mục tìm kiếm được lập bởi phiên bản cũ; hãy chạy 'sohoa reindex'.",
            )
        log.warning("recreating outdated index %s (%s != %s)", index_dir, have, want)
        wipe_index(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    # Atomic: a marker cut short by a full disk would read as an index of other code.
    write_atomic(marker, json.dumps(want, ensure_ascii=False).encode("utf-8"))


@contextlib.contextmanager
def writer_lock(index_dir: Path, timeout_s: float = 10.0) -> Iterator[None]:
    """Hold the one index-writer lock of ``index_dir``, retrying with jitter up to a bound.

    Raises:
        TransientError: the lock stayed busy for ``timeout_s`` (another writer is working);
            callers retry later (Celery ``autoretry_for``, CLI exit 75, HTTP 503).
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".sohoa-writer.lock", os.O_CREAT | os.O_RDWR, 0o644)
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TransientError(
                        f"index writer lock busy for {timeout_s}s in {index_dir}",
                        code="index_locked",
                        message_vi="Chỉ mục tìm kiếm đang được ghi bởi tiến trình khác; "
                        "hãy thử lại sau.",
                    ) from None
                # Jitter keeps many waiting workers from retrying in lock-step.
                time.sleep(
                    min(delay, max(0.0, deadline - time.monotonic())) * random.uniform(0.5, 1.5)
                )
                delay = min(delay * 2, 1.0)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
