"""Secrecy marks the page's OCR dropped, found as unread ink and read alone (ocr/_unread.py).

A grey stamp in a faint frame on textured paper is what Tesseract's layout analysis skips
(dev2-fit: TỐI MẬT, TUYỆT MẬT and MẬT lost that way on three of 17 secret documents).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import ocr
from core.settings import Settings
from extract._marks import mark_level
from tests.conftest import FONT

SCALE = 0.5  # the review image's pixels per pixel of a 300 dpi scan


def _header(mark: bool) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A header band on grainy paper: one line OCR read, and a grey framed mark if ``mark``."""
    rng = np.random.default_rng(7)
    paper = np.clip(rng.normal(218, 9, (420, 1100)), 0, 255).astype(np.uint8)
    img = Image.fromarray(paper)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 30)
    draw.text((120, 60), "ĐẢNG ỦY XÃ TRIỆU HẢI", fill=20, font=font)
    read = [(115, 55, 380, 45)]  # the line the page's OCR read
    if mark:
        draw.rectangle((150, 180, 345, 232), outline=165, width=2)
        draw.text((168, 188), "TỐI MẬT", fill=160, font=font)
    return np.array(img), read


def test_a_grey_framed_mark_the_page_ocr_skipped_is_read() -> None:
    region, read = _header(mark=True)
    texts = ocr.unread_ink_lines(region, read, SCALE, ocr.load_engine(Settings().ocr))
    assert "TỐI MẬT" in {mark_level(t) for t in texts}


def test_nothing_is_read_where_every_line_was_read_already() -> None:
    region, read = _header(mark=False)
    engine = ocr.load_engine(Settings().ocr)
    assert not any(mark_level(t) for t in ocr.unread_ink_lines(region, read, SCALE, engine))
