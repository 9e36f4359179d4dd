"""Region re-readers handed to extraction: crop the stored review image, read it again."""

from __future__ import annotations

import json
from collections.abc import Callable

import cv2
import numpy as np

import ocr
from core.storage import Storage

Box = tuple[int, int, int, int]


def _region(storage: Storage, page_id: int, box: Box) -> np.ndarray:
    try:
        meta = json.loads(storage.page_words(page_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return np.zeros((0, 0), np.uint8)
    gray = cv2.imread(str(storage.page_image(page_id)), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        return np.zeros((0, 0), np.uint8)
    # Boxes are in the straightened OCR image; page.jpg is that image scaled for display.
    scale = float(meta.get("display_scale") or 1.0)
    left, top, width, height = (int(v * scale) for v in box)
    return gray[max(0, top) : top + height, max(0, left) : left + width]


def mark_reader(storage: Storage, engine: ocr.OcrEngine) -> Callable[[int, Box], list[str]]:
    """Return an ``extract.MarkReader`` reading boxed marks from stored page images."""
    return lambda page_id, box: ocr.read_boxed_lines(_region(storage, page_id, box), engine)


def line_reader(storage: Storage, engine: ocr.OcrEngine) -> Callable[[int, Box], list[str]]:
    """Return an ``extract.LineReader`` reading lines with seals removed."""
    return lambda page_id, box: ocr.read_lines_without_stamps(
        _region(storage, page_id, box), engine
    )
