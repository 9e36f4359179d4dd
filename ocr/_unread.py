"""Ink the page's OCR left unread: short lines found in the image and read one by one.

Tesseract's layout analysis drops a small word standing alone in a frame, above all when the
frame is faint (grey stamp ink) or dotted, or the paper textured: the secrecy marks ``MẬT``,
``TỐI MẬT``, ``TUYỆT MẬT`` under the number or above the title vanish from the page text, and
no frame is found to read them from (``read_boxed_lines``). A mark missed exposes a secret, so
the header band is searched for ink no OCR word covers: strokes are found against the local
paper (a grey stamp on aged paper stands 40+ levels below it, the paper's texture less), the
words read are blanked out, what is left is joined into line-shaped blobs, and each blob is
read alone as one line, as cropped and again without its frame (a frame read with the word
turns it into ``| TÔIMẬT |`` or nothing).
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr._deskew import label_components
from ocr.engine import OcrEngine, read_regions

Box = tuple[int, int, int, int]

# Levels a stroke stands below the paper around it: a grey stamp on aged paper stands ~50,
# the paper's own texture ~10-25 (measured on dev2's aged-paper and photocopy pages).
_STROKE_CONTRAST = 40
_PAPER_WINDOW_300DPI = 27  # wider than any stroke: closing with it leaves the paper
_WORD_PAD = 4  # pixels around a read word that are its own (antialiasing, marks)
_MIN_SPECK = 6  # pixels: smaller specks are paper grain, not strokes
# A blob is a line of print: 0.1-0.4 inch high at 300 dpi, wider than high, narrower than
# most of the band (a rule or a border is no mark).
_LINE_HEIGHT_300DPI = (22, 120)
_MIN_ASPECT = 1.5
_MAX_WIDTH_SHARE = 0.6
_MAX_BLOBS = 8  # more unread lines than this is a noisy page, not a forgotten mark
_FRAME_SHARE = 0.12  # of the blob's height: a frame and its gap, cut off for the second read


def unread_ink_lines(
    region: np.ndarray, read: list[Box], scale: float, engine: OcrEngine
) -> list[str]:
    """Return the texts of line-shaped ink in a grey ``region`` that no box in ``read`` covers.

    Args:
        region: grey pixels of the header band.
        read: boxes (left, top, width, height) of the words OCR read, in ``region`` pixels.
        scale: pixels of ``region`` per pixel of a 300 dpi scan (the review image's scale).
        engine: the OCR engine; every blob is read in one run (``read_regions``).
    """
    if region.size == 0:
        return []
    window = max(5, int(_PAPER_WINDOW_300DPI * scale) | 1)
    paper = cv2.morphologyEx(
        region, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (window, window))
    )
    strokes = (cv2.subtract(paper, region) > _STROKE_CONTRAST).astype(np.uint8)
    for left, top, width, height in read:
        x0, y0 = max(0, left - _WORD_PAD), max(0, top - _WORD_PAD)
        strokes[y0 : top + height + _WORD_PAD, x0 : left + width + _WORD_PAD] = 0
    n, labels, stats, _ = label_components(strokes)
    small = np.zeros(n, dtype=bool)
    small[1:] = stats[1:, cv2.CC_STAT_AREA] < _MIN_SPECK
    strokes[small[labels]] = 0
    join = cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(3, int(18 * scale)), max(3, int(6 * scale)))
    )
    lines = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE, join)
    n, _, stats, _ = label_components(lines)
    low, high = (v * scale for v in _LINE_HEIGHT_300DPI)
    crops: list[np.ndarray] = []
    blobs = [
        (int(x), int(y), int(w), int(h))
        for x, y, w, h, _ in stats[1:]
        if low <= h <= high and w >= _MIN_ASPECT * h and w <= _MAX_WIDTH_SHARE * region.shape[1]
    ]
    if len(blobs) > _MAX_BLOBS:
        return []
    pad = 6
    for x, y, w, h in blobs:
        crop = region[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
        cut = pad + max(2, int(_FRAME_SHARE * h))
        inner = crop[cut:-cut, cut:-cut] if min(crop.shape) > 2 * cut + 8 else crop
        for part in (crop, inner):
            crops.append(cv2.copyMakeBorder(part, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255))
    texts = (text.strip() for text in read_regions(engine, crops, single_line=True))
    return [text for text in texts if text]
