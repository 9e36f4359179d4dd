"""Functions a test sends to the runner's pool processes: this module imports nothing else,
so what they report is what the pool itself loaded."""

from __future__ import annotations

import os


def threads() -> tuple[int, str | None]:
    """Return OpenCV's thread count and the OpenMP limit Tesseract will see."""
    import cv2

    return cv2.getNumThreads(), os.environ.get("OMP_THREAD_LIMIT")
