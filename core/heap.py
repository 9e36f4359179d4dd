"""Give freed heap memory back to the system after a large, one-off piece of work.

glibc keeps memory freed by Python in its arenas; after the server's start-up warming or a
50,000-record export, most of it stays counted in the process's RSS although nothing uses
it. ``malloc_trim(0)`` returns the free pages. Elsewhere (musl, macOS) this does nothing.

glibc also gives threads arenas of their own (up to 8 per core): the web server's request
threads each fill and fragment one. :func:`limit_arenas` caps them for the web process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_free_memory() -> bool:
    """Return freed heap pages to the system; True when the C library could."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))


M_ARENA_MAX = -8  # mallopt parameter (malloc.h)
WEB_ARENAS = 2


def limit_arenas(arenas: int = WEB_ARENAS) -> bool:
    """Cap glibc's malloc arenas for threads created from now on; True when set.

    Python holds the GIL, so the request threads gain little from an arena each, and every
    arena keeps its own freed, fragmented pages resident: with two, the web process's RSS
    after bench/archive.py's call sequence is ~6 MiB lower (1M pages, PostgreSQL), the export
    no slower. An operator's ``MALLOC_ARENA_MAX`` is left to rule.
    """
    libc = _libc()
    if libc is None or "MALLOC_ARENA_MAX" in os.environ or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(M_ARENA_MAX, arenas))
