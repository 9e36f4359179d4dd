"""Second reads of small page regions that a whole-page pass gets wrong.

Tesseract drops a word drawn inside a box (the boxed ``MẬT`` secrecy mark) when it reads the
whole page, and reads a signer's name badly under a red seal. Extraction asks for these
regions again; the work here is image + Tesseract, so it lives in the OCR stage.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr._clean import analyse_page, clean_page, lift_streaks, streak_rows
from ocr.engine import OcrEngine, read_regions


def read_boxed_lines(region: np.ndarray, engine: OcrEngine) -> list[str]:
    """Return the texts inside box-like rectangles (one short line each) of a grey region."""
    if region.size == 0:
        return []
    _, bw = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inners = [_inner(region, box) for box in _frames(bw)]
    texts = (text.strip() for text in read_regions(engine, inners, single_line=True))
    return [text for text in texts if text]


# A faint frame is looked for this far from the paper towards Otsu's threshold: a mark stamped
# in red or with little ink comes out of a grey scan between the two (168-187 on paper 238,
# Otsu 148), its frame broken into dashes at any darker threshold.
_FAINT_DEPTH = 0.3
# At most this many frames are read: a page without a mark finds a few closed words.
_FAINT_FRAMES = 6
# A frame encloses mostly paper; a word whose letters the closing ran together is mostly ink.
_FRAME_MAX_INK = 0.5


def read_faint_boxed_lines(region: np.ndarray, engine: OcrEngine) -> list[str]:
    """Return the texts inside box-like rectangles that ``read_boxed_lines`` cannot see.

    A frame printed with little ink breaks into dashes (a low-ink scan, JPEG), and one stamped
    pale sits with the paper under Otsu's threshold. Frames are looked for at Otsu's threshold
    and near the paper, each with its dashes joined by a 3×3 closing; those Otsu's threshold
    finds as they are are left to ``read_boxed_lines``. Each inside is stretched to full
    contrast before it is read.
    """
    if region.size == 0:
        return []
    otsu, dark = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    paper = float(np.median(region))
    if paper <= otsu:
        return []
    _, pale = cv2.threshold(
        region, paper - _FAINT_DEPTH * (paper - otsu), 255, cv2.THRESH_BINARY_INV
    )
    seen = _frames(dark)
    boxes: list[tuple[int, int, int, int]] = []
    for bw in (dark, pale):
        closed = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
        for x, y, w, h in _frames(closed):
            if _near((x, y, w, h), seen):
                continue
            if cv2.countNonZero(closed[y : y + h, x : x + w]) < _FRAME_MAX_INK * w * h:
                boxes.append((x, y, w, h))
            seen.append((x, y, w, h))
    inners = [
        cv2.normalize(_inner(region, box), None, 0, 255, cv2.NORM_MINMAX)
        for box in boxes[:_FAINT_FRAMES]
    ]
    texts = (text.strip() for text in read_regions(engine, inners, single_line=True))
    return [text for text in texts if text]


def _frames(bw: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Return the rectangles of a binary image's closed frames: one line high, a few words wide."""
    contours, _ = cv2.findContours(bw, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    seen: list[tuple[int, int, int, int]] = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        # A mark's frame: one line high, a few characters wide, mostly enclosed.
        if h < 18 or h > 200 or w < 1.3 * h or w > 14 * h:
            continue
        if cv2.contourArea(c) < 0.6 * w * h:
            continue
        if _near((x, y, w, h), seen):
            continue
        seen.append((x, y, w, h))
    return seen


def _near(box: tuple[int, int, int, int], boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether ``box`` is one of ``boxes`` found again (the inner and outer edge of a frame)."""
    return any(abs(box[0] - x) < 12 and abs(box[1] - y) < 12 for x, y, _, _ in boxes)


def _inner(region: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Return what a frame encloses, on a white margin (Tesseract misreads edge letters)."""
    x, y, w, h = box
    m = max(3, h // 10)
    inner = region[y + m : y + h - m, x + m : x + w - m]
    return cv2.copyMakeBorder(inner, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)


# Fractions of Otsu's threshold tried in turn: a strict one drops a dark seal but thins the
# print under it; a milder one keeps the print and some of a light seal. No single value
# read the signer under the seals of the samples (cong_van: 0.75, party plan: 0.85).
STAMP_THRESHOLDS = (0.6, 0.7, 0.75, 0.85)
# Regions up to this height are a line or two (three lines of 12 pt print at 300 dpi).
_FEW_LINES_PX = 160


def read_lines_without_stamps(
    region: np.ndarray, engine: OcrEngine, dpi: float | None = None
) -> list[str]:
    """Return a region's text lines read with light pixels (seals, stamps) dropped.

    A region of a line or two is first read as it is.

    Otsu separates paper from ink; stricter thresholds keep only darker print, which removes
    most of a red or faded seal. The lines of every threshold's reading are returned in turn
    (extraction picks the reading that makes sense, e.g. a name starting with a surname).

    When ``dpi`` is given and dirty-drum streaks cross the region, it is read once more with
    the streaked rows painted paper: Tesseract joins a clean signature line to the streak
    under it and reads both as garbage, though the line itself stands between the streaks.
    """
    if region.size == 0:
        return []
    otsu, _ = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    readings: list[np.ndarray] = []
    if region.shape[0] <= _FEW_LINES_PX:
        # A line or two (a date line): first as it is, on a white margin (Tesseract misreads
        # letters touching the edge). A line the page-wide pass misread (an italic 8 read
        # "Š") often reads right alone. Not for a signature column: read plainly, its seal
        # debris and the recipients beside it run into the title lines.
        readings.append(cv2.copyMakeBorder(region, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255))
    for fraction in STAMP_THRESHOLDS:
        readings.append(cv2.threshold(region, fraction * otsu, 255, cv2.THRESH_BINARY)[1])
    rows = streak_rows(region, dpi) if dpi else None
    if rows is not None:
        unstreaked = region.copy()
        unstreaked[rows] = 255
        otsu, _ = cv2.threshold(unstreaked, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        for fraction in STAMP_THRESHOLDS:
            readings.append(cv2.threshold(unstreaked, fraction * otsu, 255, cv2.THRESH_BINARY)[1])
    # One engine run for all of them (read_regions): the texts are those of a run each.
    texts = read_regions(engine, readings, single_line=False)
    return [line for text in texts for line in text.splitlines() if line.strip()]


def read_noisy_band(region: np.ndarray, engine: OcrEngine, dpi: int) -> list[str]:
    """Return the texts of several readings of a page's band, one text (lines) per reading.

    For a header the page's layout analysis dropped under dirty-drum streaks or speckle: the
    band is read as one block (no layout analysis to split it along the streaks) as it is,
    with its streaks lifted as the page's reading lifts them (``ocr._clean``), and each of
    those with specks smoothed by a median filter. Each reading misreads other letters, so
    the caller looks for values that several readings agree on.
    """
    if region.size == 0 or min(region.shape[:2]) < 8:
        return []
    analysis = analyse_page(region, dpi)
    cleaned, _ = clean_page(region, analysis)
    lifted = lift_streaks(cleaned, analysis)
    images = [region, cv2.medianBlur(region, 3)]
    if lifted is not cleaned:
        images += [lifted, cv2.medianBlur(lifted, 3)]
    return [text for text in read_regions(engine, images, single_line=False) if text.strip()]
