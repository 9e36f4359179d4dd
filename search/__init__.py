"""search stage: Vietnamese full-text search behind one SearchBackend contract.

``open_backend("tantivy" | "whoosh", index_dir)`` returns an object with ``index``, ``delete``,
``search``, ``count``, ``fingerprints``, ``reconcile``, ``clear`` and ``close``; it takes and
returns the data classes of ``core.search_types``.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import ConfigError
from search._analysis import exact_text, folded_text, parse_query, symbol_key
from search._base import SearchBackend, plan_reconcile, writer_lock
from search._highlight import make_snippet

__all__ = [
    "SearchBackend",
    "exact_text",
    "folded_text",
    "make_snippet",
    "open_backend",
    "parse_query",
    "plan_reconcile",
    "symbol_key",
    "writer_lock",
]


def open_backend(
    name: str,
    index_dir: Path,
    *,
    lock_timeout_s: float = 10.0,
    threads: int = 0,
    recreate: bool = False,
) -> SearchBackend:
    """Open the index of backend ``name`` in ``index_dir`` (created when missing).

    Args:
        name: ``"tantivy"`` (default engine) or ``"whoosh"`` (pure Python).
        index_dir: Folder of this backend's index; nothing else may live there.
        lock_timeout_s: How long a write waits for the one writer lock before a
            retryable ``TransientError``.
        threads: Indexing threads (tantivy only); 0: one for small commits, every core
            (up to 4) for bulk ones.
        recreate: Wipe an index built by older code instead of refusing it (reindex).

    Raises:
        ConfigError: unknown backend, or ``index_outdated`` (run ``sohoa reindex``).
    """
    if name == "tantivy":
        from search._tantivy import TantivyBackend

        return TantivyBackend(
            index_dir, lock_timeout_s=lock_timeout_s, threads=threads, recreate=recreate
        )
    if name == "whoosh":
        from search._whoosh import WhooshBackend

        return WhooshBackend(index_dir, lock_timeout_s=lock_timeout_s, recreate=recreate)
    raise ConfigError(
        f"unknown search backend {name!r}",
        code="bad_search_backend",
        message_vi=f"Không có bộ máy tìm kiếm '{name}' (tantivy hoặc whoosh).",
    )
