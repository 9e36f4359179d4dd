"""Functions a test sends to the runner's pool processes: this module imports nothing else,
so what they report is what the pool itself loaded."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

HEAVY = ("sqlalchemy", "alembic", "celery", "core.db", "core.context", "pipeline.runner")


def threads() -> tuple[int, str | None]:
    """Return OpenCV's thread count and the OpenMP limit Tesseract will see."""
    import cv2

    return cv2.getNumThreads(), os.environ.get("OMP_THREAD_LIMIT")


def heavy_loaded() -> list[str]:
    """Load what the runner sends a worker (pages, extraction, PDFs); return the heavy loaded."""
    import pipeline.extracting
    import pipeline.pdfs
    import pipeline.steps  # noqa: F401

    return [name for name in HEAVY if name in sys.modules]


def loaded(names: list[str]) -> list[str]:
    """Return which of these modules the process had imported before this task ran."""
    return [name for name in names if name in sys.modules]


def preloaded() -> tuple[bool, bool]:
    """Return whether this process started with the syllable list and Tesseract's model."""
    from ocr import _libtesseract
    from ocr._postcorrect import load_lexicon

    return load_lexicon.cache_info().currsize > 0, bool(_libtesseract._preloaded)


def environment(name: str) -> str | None:
    """Return one environment variable as the pool process sees it."""
    return os.environ.get(name)


def burn(seconds: float) -> None:
    """Spend ``seconds`` of this process's CPU."""
    import time

    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def page_faults_again() -> int:
    """Return the page faults of allocating and freeing a page's arrays, after doing it once.

    Three 12 MB arrays, as a page's grey image, masks and Tesseract's copy: a process that
    keeps freed memory writes them again without the kernel zeroing fresh pages for them.
    """
    import resource

    import numpy as np

    def page() -> None:
        arrays = [np.ones(12 * 2**20, np.uint8) for _ in range(3)]
        del arrays

    page()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(5):
        page()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@dataclass(frozen=True)
class Pages:
    """A job of some pages, as the runner's document jobs are (``pages``, maybe ``weight``)."""

    name: str
    pages: tuple[int, ...]
    weight: int | None = None


def started_at(job: Pages) -> tuple[str, int]:
    """Return the job's name and when this process started it."""
    import time

    return job.name, time.monotonic_ns()
