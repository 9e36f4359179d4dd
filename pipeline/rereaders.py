"""Region re-readers handed to extraction: crop the stored review image, read it again."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import ocr
from core.storage import Storage
from core.text import fold

if TYPE_CHECKING:  # imported by the reads: the runner's parent assembles without them
    import numpy as np

Box = tuple[int, int, int, int]


def _region(storage: Storage, page_id: int, box: Box, colour: bool = False) -> np.ndarray:
    """Return a box of the page's review image: grey, or BGR when ``colour`` and kept."""
    import cv2
    import numpy as np

    try:
        meta = json.loads(storage.page_words(page_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return np.zeros((0, 0), np.uint8)
    gray = None
    if colour and storage.page_colour_image(page_id).exists():
        gray = cv2.imread(str(storage.page_colour_image(page_id)), cv2.IMREAD_COLOR)
    if gray is None:
        gray = cv2.imread(str(storage.page_image(page_id)), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        return np.zeros((0, 0), np.uint8)
    # Boxes are in the straightened OCR image; page.jpg is that image scaled for display.
    scale = float(meta.get("display_scale") or 1.0)
    left, top, width, height = (int(v * scale) for v in box)
    return gray[max(0, top) : top + height, max(0, left) : left + width]


# The top of the header band read as plain lines when no framed mark was found: marks sit
# above or beside the issuer (NĐ 30/2020, HD 36-HD/VPTW). A frame that a fax or a photocopy
# broke into dots is neither found as a box nor read by the page's OCR, yet reads here.
_MARK_STRIP = 0.5  # the band's top half: the issuer, number and date lines


def mark_reader(storage: Storage, engine: ocr.OcrEngine) -> Callable[[int, Box], list[str]]:
    """Return an ``extract.MarkReader`` reading marks from stored page images.

    Framed marks are read box by box; if none of them reads as a secrecy mark, the top of the
    band is read once more as plain lines (one small region per document's first page), then
    ink the page's reading left out, then frames too pale for the first pass.
    """

    def read(page_id: int, box: Box) -> list[str]:
        region = _region(storage, page_id, box)
        texts = ocr.read_boxed_lines(region, engine)
        if region.size and not _has_mark(texts):
            strip = region[: max(1, int(_MARK_STRIP * region.shape[0]))]
            texts += [t for t in engine.read_region(strip, single_line=False).splitlines() if t]
        if region.size and not _has_mark(texts):
            read, scale = _read_words(storage, page_id, box)
            texts += ocr.unread_ink_lines(region, read, scale, engine)
        if region.size and not _has_mark(texts):
            texts += ocr.read_faint_boxed_lines(region, engine)
        return texts

    return read


def _has_mark(texts: list[str]) -> bool:
    return any("MAT" in fold(t).upper() for t in texts)


def _read_words(storage: Storage, page_id: int, box: Box) -> tuple[list[Box], float]:
    """Return the page's OCR word boxes in the pixels of ``_region(…, box)``, and its scale."""
    try:
        meta = json.loads(storage.page_words(page_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], 1.0
    scale = float(meta.get("display_scale") or 1.0)
    left, top = int(box[0] * scale), int(box[1] * scale)
    words = [
        (
            int(w["left"] * scale) - left,
            int(w["top"] * scale) - top,
            int(w["width"] * scale),
            int(w["height"] * scale),
        )
        for w in meta.get("words") or ()
        # A line recovered from unread ink (``ocr.RECOVERED_BLOCK``) may be a framed mark
        # misread as a line (``TUYNW MẤT``); the mark reader reads that ink its own way.
        if w.get("text", "").strip() and int(w.get("block") or 0) < ocr.RECOVERED_BLOCK
    ]
    return words, scale


def line_reader(storage: Storage, engine: ocr.OcrEngine) -> Callable[[int, Box], list[str]]:
    """Return an ``extract.LineReader`` reading lines with seals removed.

    Where the page was kept in colour, seal and pen are dropped by colour first (exact);
    the grey thresholds then only have to clean what is left.
    """

    def read(page_id: int, box: Box) -> list[str]:
        region = ocr.drop_colour(_region(storage, page_id, box, colour=True))
        return ocr.read_lines_without_stamps(region, engine, _review_dpi(storage, page_id))

    return read


# A4's short side in inches: the stored review image carries no resolution, its size does.
_A4_SHORT_IN = 8.27


def band_reader(storage: Storage, engine: ocr.OcrEngine) -> Callable[[int, Box], list[str]]:
    """Return an ``extract.BandReader`` reading a noisy header band several ways.

    Each text it returns is one reading of the whole band, its lines separated by newlines.
    """

    def read(page_id: int, box: Box) -> list[str]:
        region = _region(storage, page_id, box)
        return ocr.read_noisy_band(region, engine, _review_dpi(storage, page_id))

    return read


def _review_dpi(storage: Storage, page_id: int) -> int:
    """Return the review image's resolution, from its size as an A4 page (200 when unread)."""
    page = _page_size(storage, page_id)
    return round(min(page) / _A4_SHORT_IN) if page else 200


def _page_size(storage: Storage, page_id: int) -> tuple[int, int] | None:
    """Return the stored review image's (width, height), or None when it cannot be read."""
    from PIL import Image

    try:
        with Image.open(storage.page_image(page_id)) as im:
            return im.size
    except OSError:
        return None
