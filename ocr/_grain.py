"""Pages a grainy photocopy buried: read once more with the grain smoothed away.

A bad photocopy can lay a grey grain of toner over the whole sheet, as dark as the print in
places. Tesseract's own binarisation then finds no line at all and the page reads as nothing
(``no_text``), though a person reads it easily; the orientation tests, which see the same
grain, may have turned it the wrong way too. Non-local means averages each patch with the
patches that look like it: print is averaged with print, grain with grain, so the strokes
stand out again. It is done at half the resolution, where a grain of 1-2 pixels falls inside
the patch (at full resolution the same filter keeps the grain and the page still reads as
nothing), and only for recognition: the review image keeps every mark the scan holds.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from core.models import OcrWord
from ocr._layout import mean_confidence
from ocr._postcorrect import Lexicon, syllable_counts, valid_share

# Filter strength (grey levels) and window sizes of cv2.fastNlMeansDenoising. At the right
# orientation, dev2-fit2 doc_0026 p4 read 19 / 334 / 340 valid syllables at strength 25 / 35 /
# 50, and doc_0004 p2 44 / 32 / 15: 35 is the one that reads both. At full resolution every
# strength left doc_0004 p2 reading nothing. Smoothing took 0.4-3.7 s a page (mean 1.2 s) on
# 50 unreadable pages of dev2-fit2 and dev2-check3, on a loaded machine.
_STRENGTH, _PATCH, _SEARCH = 35, 7, 21
# A reading through the grain is kept only if it reads as Vietnamese, not as grain: this share
# of its words valid syllables, at least this many of them, and this many times as many as any
# other orientation whose words lie flat. On dev2-fit2's three pages that read as nothing, the
# right orientation read 2.1 and 3.2 times the valid syllables of the next; the third, grain
# every way, came out 76 against 65, the wrong one ahead.
_MIN_SHARE, _MIN_VALID, _AHEAD = 0.6, 10, 1.5
# And Tesseract must be this sure of its words (mean, 0-100): grain read upside down can pass
# for short syllables (``TH``, ``NT``, ``XIN``: 27 valid of 36 on dev2-check3 doc_0092 p3) at a
# mean confidence of 18; the pages rescued on dev2-fit, dev2-fit2 and dev2-check3 came out at
# 49-77, the test's crop of one of them (tests/ocr/test_grain.py) at 29.
_MIN_CONF = 25.0
# Fewer words than this is "read nothing" (a page with text has tens to hundreds).
_FEW_WORDS = 10

Recognize = Callable[[np.ndarray], list[OcrWord]]


def read_nothing(words: list[OcrWord]) -> bool:
    """Whether a page's reading found next to no words."""
    return len(words) < _FEW_WORDS


def smooth_grain(image: np.ndarray) -> np.ndarray:
    """Return ``image`` (grey) with photocopy grain averaged away, at its own size."""
    height, width = image.shape[:2]
    half = cv2.resize(
        image, (max(1, width // 2), max(1, height // 2)), interpolation=cv2.INTER_AREA
    )
    quiet = cv2.fastNlMeansDenoising(half, None, _STRENGTH, _PATCH, _SEARCH)
    return cv2.resize(quiet, (width, height), interpolation=cv2.INTER_CUBIC)


def read_through_grain(
    upright: np.ndarray,
    recognize: Recognize,
    lex: Lexicon,
    sideways: Callable[[list[OcrWord]], bool],
) -> tuple[np.ndarray, int, list[OcrWord]] | None:
    """Read a page that read as nothing through smoothed grain, turned each way if need be.

    Every quarter turn is read; the reading with most valid syllables among those whose words
    lie flat (``sideways`` says when they stand on end) is kept if it reads as Vietnamese and
    clearly ahead of the others: grain reads as a few valid syllables every way.

    Returns:
        ``(image, quarter_turns, words)``: the smoothed image turned counter-clockwise by
        ``quarter_turns`` (``np.rot90``) and its words; ``None`` when no turn reads.
    """
    quiet = smooth_grain(upright)
    flat: list[tuple[int, int, np.ndarray, list[OcrWord]]] = []
    for quarter in range(4):
        turned = np.ascontiguousarray(np.rot90(quiet, quarter)) if quarter else quiet
        words = recognize(turned)
        if not sideways(words):
            flat.append((syllable_counts(words, lex)[0], quarter, turned, words))
    if not flat:
        return None
    flat.sort(key=lambda r: -r[0])
    valid, quarter, turned, words = flat[0]
    runner = flat[1][0] if len(flat) > 1 else 0
    if (
        valid >= max(_MIN_VALID, _AHEAD * runner)
        and valid_share(words, lex) >= _MIN_SHARE
        and mean_confidence(words) >= _MIN_CONF
    ):
        return turned, quarter, words
    return None
