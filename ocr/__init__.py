"""OCR stage: orientation, deskew, cleaning and recognition of one page by an OCR engine.

The names below are loaded on first use (PEP 562): a process that only checks or names the
engine (the runner's parent, the web app) does not import OpenCV, NumPy and pikepdf for the
page code it never runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ocr._colour import drop_colour, has_colour_ink, straighten_colour
    from ocr._lost import RECOVERED_BLOCK
    from ocr._reread import (
        read_boxed_lines,
        read_faint_boxed_lines,
        read_lines_without_stamps,
        read_noisy_band,
    )
    from ocr._run import OcrOutput, ocr_page, preload, to_gray
    from ocr._textpdf import build_searchable_pdf
    from ocr._unread import unread_ink_lines
    from ocr.engine import OcrEngine, OsdResult, load_engine

_HOME = {
    "OcrEngine": "ocr.engine",
    "OcrOutput": "ocr._run",
    "OsdResult": "ocr.engine",
    "RECOVERED_BLOCK": "ocr._lost",
    "build_searchable_pdf": "ocr._textpdf",
    "drop_colour": "ocr._colour",
    "has_colour_ink": "ocr._colour",
    "load_engine": "ocr.engine",
    "ocr_page": "ocr._run",
    "preload": "ocr._run",
    "read_boxed_lines": "ocr._reread",
    "read_faint_boxed_lines": "ocr._reread",
    "read_lines_without_stamps": "ocr._reread",
    "read_noisy_band": "ocr._reread",
    "unread_ink_lines": "ocr._unread",
    "straighten_colour": "ocr._colour",
    "to_gray": "ocr._run",
}
__all__ = [
    "OcrEngine",
    "OcrOutput",
    "OsdResult",
    "RECOVERED_BLOCK",
    "build_searchable_pdf",
    "drop_colour",
    "has_colour_ink",
    "load_engine",
    "ocr_page",
    "preload",
    "read_boxed_lines",
    "read_faint_boxed_lines",
    "read_lines_without_stamps",
    "read_noisy_band",
    "unread_ink_lines",
    "straighten_colour",
    "to_gray",
]
# Every module behind those names, and the Tesseract engine's: what reading pages and writing
# their PDFs imports (the runner's fork server imports them once for all its pool processes).
MODULES = (*sorted(set(_HOME.values())), "ocr._tesseract")


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'ocr' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
