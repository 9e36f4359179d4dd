"""Lines the page's layout analysis dropped, found as ink no word covers and read one by one.

Tesseract's page segmentation (``--psm 3``) sometimes merges a short line into the one above
and returns only the upper one, or leaves a block out: on a clean page of dev2-fit the second
issuer line (``BAN NỘI CHÍNH`` under ``TỈNH ỦY LÂM ĐỒNG``), the title and the subject's first
lines were missing, and a signature's ``K/T TRƯỞNG BAN`` on others; the fields they hold came
out wrong or empty and no text rule can bring them back. After the page is read, its ink is
compared with the words' boxes; line-shaped ink that no word covers is read alone as one
line, and kept only when it reads as Vietnamese (noise, seals and signatures do not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import cv2
import numpy as np

from core.models import OcrWord
from ocr._deskew import label_components
from ocr._postcorrect import Lexicon, syllable_counts
from ocr.engine import OcrEngine, read_regions

Box = tuple[int, int, int, int]

_WORK_DPI = 150  # ink is compared with the boxes at this resolution (detail is not needed)
_WORD_PAD_300DPI = 4  # pixels around a read word that are its own (antialiasing, marks)
# A word box taller than this many times its line's median height spans a line Tesseract
# merged into it (``LÂM`` 115 px high over a 48 px line, covering the lost line below).
_TALL_WORD = 1.3
_MIN_SPECK_300DPI = 16  # ink components smaller than this (pixels) are grain, not strokes
# Line-shaped ink: 0.07-0.3 inch high, at least 2.5 times as wide as high (a word or more),
# narrower than the page (rules and borders are no text).
_LINE_HEIGHT_300DPI = (20, 90)
_MIN_ASPECT = 2.5
_MAX_WIDTH_SHARE = 0.9
_LARGE_MARK_300DPI = 135  # 0.45 inch both ways: larger than any letter, smaller than a seal
_JOIN_300DPI = (24, 6)  # letters and words of a line join; lines stay apart
_ROW_GAP = 3.0  # pieces of one row closer than this many line heights are read as one line
_MAX_COVERED = 0.2  # share of a line's box under read words: more is ink around them
_MAX_LINES = 40  # more than this is a page of noise: nothing is read
_LINE_CONF = 50.0  # a recovered word's confidence: read alone, without Tesseract's own
RECOVERED_BLOCK = 10_000  # block numbers of recovered lines start here (a block each)


def lost_line_boxes(gray: np.ndarray, words: Sequence[OcrWord], dpi: int) -> list[Box]:
    """Return boxes (left, top, width, height) of line-shaped ink no word in ``words`` covers.

    ``gray`` is the image the words were read from; boxes are in its pixels.
    """
    if gray.size == 0:
        return []
    f = min(1.0, _WORK_DPI / max(dpi, 1))
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    scale = dpi * f / 300  # work pixels per pixel of a 300 dpi scan
    whole = ink.copy()  # for the seals, found only when some line is left (most pages: none)
    pad = _WORD_PAD_300DPI * dpi / 300
    medians = _line_medians(words)
    for w in words:
        height = min(w.height, _TALL_WORD * medians[(w.block, w.par, w.line)])
        x0, y0 = int((w.left - pad) * f), int((w.top - pad) * f)
        x1, y1 = int((w.left + w.width + pad) * f) + 1, int((w.top + height + pad) * f) + 1
        ink[max(0, y0) : y1, max(0, x0) : x1] = 0
    n, labels, stats, _ = label_components(ink)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < max(2, _MIN_SPECK_300DPI * scale**2))
    _erase(ink, labels, stats, specks[specks > 0])
    kernel = cv2.getStructuringElement(
        cv2.MORPH_RECT, tuple(max(2, int(v * scale)) for v in _JOIN_300DPI)
    )
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel)
    _, _, stats, _ = label_components(joined)
    low, high = (v * scale for v in _LINE_HEIGHT_300DPI)
    pieces = [
        (int(x), int(y), int(bw), int(bh))
        for x, y, bw, bh, _ in stats[1:]
        if low <= bh <= high and bw >= _MIN_ASPECT * bh and bw <= _MAX_WIDTH_SHARE * small.shape[1]
    ]
    if pieces:
        marks = _large_marks(whole, scale)
        pieces = [p for p in pieces if not any(_overlaps(p, m) for m in marks)]
    boxes: list[Box] = [
        (int(x / f), int(y / f), int(bw / f), int(bh / f)) for x, y, bw, bh in _rows(pieces)
    ]
    # Ink around words that were read (a mark's frame, an underline, a bold word's edges) is
    # mostly under their boxes; a lost line is mostly outside them.
    return [box for box in boxes if _covered(box, words, medians) < _MAX_COVERED]


# Up to this many blobs are erased box by box; more, with one look-up of every pixel's label.
_ERASE_BY_BOX = 256


def _erase(ink: np.ndarray, labels: np.ndarray, stats: np.ndarray, ids: np.ndarray) -> None:
    """Erase the components ``ids`` (labels of ``labels``, boxes in ``stats``) from ``ink``.

    A page's few specks are erased inside their own boxes: looking every pixel's label up
    cost 4 ms a page for a dozen specks.
    """
    if ids.size > _ERASE_BY_BOX:
        gone = np.zeros(len(stats), dtype=bool)
        gone[ids] = True
        ink[gone[labels]] = 0
        return
    for i, (x, y, w, h) in zip(ids.tolist(), stats[ids, :4].tolist(), strict=True):
        ink[y : y + h, x : x + w][labels[y : y + h, x : x + w] == i] = 0


def _large_marks(ink: np.ndarray, scale: float) -> list[Box]:
    """Return boxes of ink shapes larger than print both ways: seals, signatures, tables.

    A line crossing a seal reads in part (``Tường`` of ``Nguyễn Bá Tường``, ``BÍ THƯ`` of
    ``PHÓ BÍ THƯ``), and a part is worse than nothing: extraction would take it for the whole
    and not read the signature again with the seal removed (``extract._closing``).
    """
    _, _, stats, _ = label_components(ink)
    side = _LARGE_MARK_300DPI * scale
    boxes = stats[1:, :4]
    # Picked before Python sees them: a page holds thousands of blobs and a few marks.
    large = boxes[(boxes[:, 2] >= side) & (boxes[:, 3] >= side)]
    return [(x, y, w, h) for x, y, w, h in large.tolist()]


def _overlaps(a: Box, b: Box) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(
        a[1], b[1]
    )


def _line_medians(words: Sequence[OcrWord]) -> dict[tuple[int, int, int], float]:
    heights: dict[tuple[int, int, int], list[int]] = {}
    for w in words:
        heights.setdefault((w.block, w.par, w.line), []).append(w.height)
    return {key: float(np.median(hs)) for key, hs in heights.items()}


def _rows(pieces: list[Box]) -> list[Box]:
    """Join pieces of one printed row (``BAN NỘI`` and ``CHÍNH``) into one box, top to bottom."""
    rows: list[list[int]] = []
    for x, y, w, h in sorted(pieces, key=lambda b: (b[1], b[0])):
        for row in rows:
            overlap = min(row[1] + row[3], y + h) - max(row[1], y)
            gap = max(row[0], x) - min(row[0] + row[2], x + w)
            if overlap >= 0.5 * min(row[3], h) and gap <= _ROW_GAP * max(row[3], h):
                right, bottom = max(row[0] + row[2], x + w), max(row[1] + row[3], y + h)
                row[0], row[1] = min(row[0], x), min(row[1], y)
                row[2], row[3] = right - row[0], bottom - row[1]
                break
        else:
            rows.append([x, y, w, h])
    return [(r[0], r[1], r[2], r[3]) for r in sorted(rows, key=lambda r: (r[1], r[0]))]


def _reads_as_text(words: list[OcrWord], lex: Lexicon) -> bool:
    """Whether a recovered line is Vietnamese: two known syllables or a long one, no garbage.

    Seal rings, signatures and toner read as unknown words, letters mixed with digits or signs
    (``J9eoone..``, ``„vẻ WŸ``, ``su §Ệ``) or one or two short syllables (``sư y``); a lost
    line of print reads as syllables (one garbled word in four is tolerated, as on the page
    around it).
    """
    valid, invalid = syllable_counts(words, lex)
    odd = sum(1 for w in words if _odd(w.text))
    if (invalid + odd) * 3 > valid or (odd and valid < _SIGNS_AMONG):
        return False
    letters = sum(ch.isalpha() for w in words for ch in w.text)
    if valid >= 2:
        return letters >= 5
    return valid == 1 and len(words) == 1 and letters >= 4


_SIGNS_AMONG = 4  # a stray sign is tolerated in a line of at least this many syllables
# Common punctuation around and inside printed words; any other sign is a speck read as text.
_PUNCT = set(".,;:!?()/-–\"'“”%")


def _odd(token: str) -> bool:
    """Whether a token holds a sign no printed word holds, or letters run into digits."""
    if any(not (ch.isalnum() or ch in _PUNCT) for ch in token):
        return True
    core = token.strip(".,;:!?()\"'“”-–")
    return bool(_MIXED.search(core)) or ".." in core


# Letters and digits inside one word (``T8.030)`` is a number, ``J9eoone`` is not).
_MIXED = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")


def _covered(
    box: Box, words: Sequence[OcrWord], medians: dict[tuple[int, int, int], float]
) -> float:
    """Return the share of ``box`` that read words cover (their lines' height at most)."""
    x, y, w, h = box
    area = 0
    for word in words:
        height = min(word.height, _TALL_WORD * medians[(word.block, word.par, word.line)])
        dx = min(x + w, word.left + word.width) - max(x, word.left)
        dy = min(y + h, word.top + int(height)) - max(y, word.top)
        if dx > 0 and dy > 0:
            area += dx * dy
    return area / max(1, w * h)


def _line_words(text: str, box: Box, number: int) -> list[OcrWord]:
    """Return a line's words with boxes shared out along the line by their length."""
    parts = text.split()
    left, top, width, height = box
    total = sum(len(p) for p in parts) + len(parts) - 1
    out, at = [], 0
    for p in parts:
        x0 = left + width * at // max(1, total)
        x1 = left + width * (at + len(p)) // max(1, total)
        out.append(
            OcrWord(p, _LINE_CONF, x0, top, max(1, x1 - x0), height, RECOVERED_BLOCK + number, 1, 1)
        )
        at += len(p) + 1
    return out


def recover_lost_lines(
    gray: np.ndarray, words: list[OcrWord], engine: OcrEngine, lex: Lexicon, dpi: int
) -> tuple[list[OcrWord], int]:
    """Return the page's words with the lines its layout analysis dropped, and their count.

    Each recovered line goes before the first line read below it, so the page text keeps its
    reading order.
    """
    boxes = lost_line_boxes(gray, words, dpi)
    if not boxes or len(boxes) > _MAX_LINES:
        return words, 0
    pad = max(2, dpi // 50)
    crops = [
        cv2.copyMakeBorder(
            gray[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad],
            20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255,
        )
        for x, y, w, h in boxes
    ]  # fmt: skip
    found: list[list[OcrWord]] = []
    for box, text in zip(boxes, read_regions(engine, crops, single_line=True), strict=True):
        line = _line_words(" ".join(text.split()), box, len(found))
        if line and _reads_as_text(line, lex):
            found.append(line)
    if not found:
        return words, 0
    return _insert_lines(words, found), len(found)


def _insert_lines(words: list[OcrWord], lines: list[list[OcrWord]]) -> list[OcrWord]:
    out = list(words)
    for line in lines:
        top = line[0].top
        at = next((i for i, w in enumerate(out) if w.top > top and _line_start(out, i)), len(out))
        out[at:at] = line
    return out


def _line_start(words: list[OcrWord], i: int) -> bool:
    prev = words[i - 1] if i else None
    w = words[i]
    return prev is None or (prev.block, prev.par, prev.line) != (w.block, w.par, w.line)
