"""Give freed heap memory back to the system after a large, one-off piece of work.

glibc keeps memory freed by Python in its arenas; after the server's start-up warming or a
50,000-record export, most of it stays counted in the process's RSS although nothing uses
it. ``malloc_trim(0)`` returns the free pages. Elsewhere (musl, macOS) this does nothing.

glibc also gives threads arenas of their own (up to 8 per core): the web server's request
threads each fill and fragment one. :func:`limit_arenas` caps them for the web process.

The processes that read pages want the opposite: :func:`keep_freed_memory` keeps what a
page's arrays were freed to for the next page's.
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


M_TRIM_THRESHOLD = -1  # mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
PAGE_MMAP_THRESHOLD = 32 * 2**20  # glibc's largest on 64-bit systems
PAGE_TRIM_THRESHOLD = 128 * 2**20


def keep_freed_memory() -> bool:
    """Keep the memory a page's arrays are freed to for the next page's; True when set.

    glibc hands a block over its mmap threshold to the kernel and takes it back when freed;
    the threshold follows the largest block freed (up to 32 MiB) and the heap is given back
    beyond twice that. A page's images, masks and Tesseract's copies of them (5-40 MB each)
    so came as fresh pages from the kernel, each zeroed on first touch: 200,000 page faults
    on dev's 39 pages read in one process, 20,000 with these settings. A whole ingest of dev
    went from 310,000 faults to 141,000 and from 2.2 to 1.7 s of system CPU (about 2 % of its
    CPU, Tesseract's share included), every result the same. A process keeps up to
    ``PAGE_TRIM_THRESHOLD`` freed at the top of its heap (its own peak is unchanged). An
    operator's ``MALLOC_MMAP_THRESHOLD_`` or ``MALLOC_TRIM_THRESHOLD_`` is left to rule.
    """
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    if {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"} & set(os.environ):
        return False
    # The mmap threshold first: set alone, the trim threshold fixes it at its 128 KiB start.
    return bool(libc.mallopt(M_MMAP_THRESHOLD, PAGE_MMAP_THRESHOLD)) and bool(
        libc.mallopt(M_TRIM_THRESHOLD, PAGE_TRIM_THRESHOLD)
    )
