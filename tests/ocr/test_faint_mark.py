"""A secrecy mark stamped pale, its frame broken into dashes, read by the faint-frame pass.

On dev2-fit2 (doc_0045) a ``MẬT`` stamped in red came out of the grey scan at 168-187 on paper
of 238, beside a pen note (``Photo 05 bản``). Otsu's threshold (148) puts the whole mark with
the paper, so ``ocr.read_boxed_lines`` finds no frame, and the band read as lines gives the
note's scrawl. ``tests/ocr/data/faint_mark_beside_note.png`` is that header's corner as the
review image stores it.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import extract
import ocr
from core.settings import Settings
from tests.conftest import FONT

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def engine() -> ocr.OcrEngine:
    return ocr.load_engine(Settings().ocr)


def test_a_pale_stamped_mark_is_read_only_by_the_faint_pass(engine: ocr.OcrEngine) -> None:
    region = cv2.imread(str(DATA / "faint_mark_beside_note.png"), cv2.IMREAD_GRAYSCALE)
    assert not any(extract.mark_level(t) for t in ocr.read_boxed_lines(region, engine))
    assert "MẬT" in {extract.mark_level(t) for t in ocr.read_faint_boxed_lines(region, engine)}


def _header(mark: bool, ink: int = 175) -> np.ndarray:
    """A header corner on paper of 238: black print and, if ``mark``, a dashed-frame MẬT."""
    im = Image.new("L", (700, 260), 238)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), 30)
    # Heavy print (a bold face, ink spread by the scanner) closes into solid word blobs.
    d.text((150, 150), "ĐẢNG BỘ TỈNH LÂM ĐỒNG", fill=20, font=font, stroke_width=2, stroke_fill=20)
    d.text((190, 200), "HUYỆN ỦY ĐƠN DƯƠNG", fill=20, font=font)
    if mark:
        d.text((300, 52), "MẬT", fill=ink, font=font)
        for x in range(286, 380, 6):  # dashes of 4 px, gaps of 2: the frame a light stamp leaves
            d.line([(x, 42), (x + 3, 42)], fill=ink + 5, width=2)
            d.line([(x, 98), (x + 3, 98)], fill=ink + 5, width=2)
        for y in range(42, 100, 6):
            d.line([(286, y), (286, y + 3)], fill=ink + 5, width=2)
            d.line([(382, y), (382, y + 3)], fill=ink + 5, width=2)
    return np.asarray(im)


def test_words_closed_into_blobs_are_not_taken_for_frames(engine: ocr.OcrEngine) -> None:
    marked, plain = _header(True), _header(False)
    assert not any(extract.mark_level(t) for t in ocr.read_boxed_lines(marked, engine))
    assert "MẬT" in {extract.mark_level(t) for t in ocr.read_faint_boxed_lines(marked, engine)}
    # The header's own words, thresholded near the paper and closed, must not read as frames.
    assert ocr.read_faint_boxed_lines(plain, engine) == []


def test_a_dark_frame_broken_into_dashes_is_read_by_the_faint_pass(engine: ocr.OcrEngine) -> None:
    # dev2-check3 doc_0029 (low ink, 200 dpi, JPEG 50): Otsu's threshold sees the frame's ink
    # but no closed frame; near the paper the closed frame with its bold letters is half ink.
    # Only the frame closed at Otsu's threshold reads it.
    region = cv2.imread(str(DATA / "broken_frame_low_ink.png"), cv2.IMREAD_GRAYSCALE)
    assert not any(extract.mark_level(t) for t in ocr.read_boxed_lines(region, engine))
    assert "MẬT" in {extract.mark_level(t) for t in ocr.read_faint_boxed_lines(region, engine)}
