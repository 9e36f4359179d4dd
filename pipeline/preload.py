"""Imported by the runner's fork server, last: it loads the page work's models once.

Every pool process loaded the syllable list and Tesseract's model on its first page (0.15-0.25
s of CPU each on dev); forked from a server that loaded them, each starts with them, their
memory shared until written. Settings come from the environment the server was started
with, the runner's; a pool given other settings loads its own on first use, as before.
"""

from __future__ import annotations

import contextlib

import ocr
from core.errors import SohoaError
from core.settings import Settings
from pipeline.steps import one_thread_each


def preload() -> None:
    """Load the OCR stage's models in this process, with the pool processes' thread limits."""
    one_thread_each()  # before Tesseract's OpenMP runtime loads, as in every pool process
    with contextlib.suppress(SohoaError, ValueError, OSError):
        # Only a head start: what is missing or wrong is found, and told, on the first page.
        ocr.preload(Settings().ocr)


preload()
