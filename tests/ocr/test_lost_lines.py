"""Lines the page's layout analysis dropped, found as unread ink and read alone (ocr/_lost.py).

On dev2-fit, Tesseract's page segmentation returned ``TỈNH ỦY LÂM ĐỒNG`` with a word box 115 px
high that swallowed ``BAN NỘI CHÍNH`` under it, and left out the title and the subject's first
line; on other pages a signature's ``K/T TRƯỞNG BAN``.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from core.models import OcrWord
from core.settings import Settings
from ocr import _lost
from ocr._lost import RECOVERED_BLOCK, lost_line_boxes, recover_lost_lines
from ocr._postcorrect import load_lexicon
from ocr.engine import load_engine
from tests.conftest import FONT
from tests.ocr.fake_engines import FakeEngine


class _Reads(FakeEngine):
    """Reads every region as the same text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def read_region(self, image: np.ndarray, *, single_line: bool) -> str:
        return self.text


LINES = ("TỈNH ỦY LÂM ĐỒNG", "BAN NỘI CHÍNH", "Số 452-HD/BNCTU")
TOPS = (100, 170, 300)
FONT_PX = 40


def _page(seal: bool = False) -> tuple[np.ndarray, list[OcrWord]]:
    """A 300 dpi header: three lines printed, the OCR's words for the first and third only.

    The first line's middle word has the too-tall box Tesseract gave it, reaching the second.
    """
    img = Image.new("L", (1400, 600), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), FONT_PX)
    words: list[OcrWord] = []
    for n, (text, top) in enumerate(zip(LINES, TOPS, strict=True)):
        draw.text((150, top), text, fill=0, font=font)
        if n == 1:
            continue
        x = 150
        for k, word in enumerate(text.split()):
            width = int(draw.textlength(word, font=font))
            tall = 110 if (n, k) == (0, 2) else 48
            words.append(OcrWord(word, 95.0, x, top - 6, width, tall, n + 1, 1, 1))
            x += width + int(draw.textlength(" ", font=font))
    if seal:
        # A seal beside the line's end, in its box's corner (no stroke touches the letters).
        draw.ellipse((440, 150, 740, 450), outline=60, width=6)
    return np.array(img), words


def test_the_dropped_line_is_found_under_a_word_box_too_tall() -> None:
    gray, words = _page()
    boxes = lost_line_boxes(gray, words, 300)
    assert len(boxes) == 1
    left, top, width, height = boxes[0]
    assert 150 - 10 <= left <= 150 + 10 and 160 <= top <= 185 and 25 <= height <= 70
    assert width > 250  # the three words joined into one line


def test_nothing_is_found_where_every_line_was_read() -> None:
    gray, words = _page()
    x = 150
    for word in LINES[1].split():
        words.append(OcrWord(word, 95.0, x, TOPS[1] - 6, 120, 48, 9, 1, 1))
        x += 135
    assert lost_line_boxes(gray, words, 300) == []


def test_a_line_reaching_into_a_seal_is_left_to_the_signature_reader() -> None:
    gray, words = _page(seal=True)
    assert lost_line_boxes(gray, words, 300) == []


def test_a_recovered_line_is_kept_only_when_it_reads_as_vietnamese() -> None:
    gray, words = _page()
    lex = load_lexicon(Settings().ocr.syllable_list)
    assert lex is not None
    kept, count = recover_lost_lines(gray, words, _Reads("BAN NỘI CHÍNH"), lex, 300)
    assert count == 1
    texts = [w.text for w in kept]
    # In reading order: after the line above it, before the number under it.
    assert texts[texts.index("ĐỒNG") + 1 : texts.index("Số")] == ["BAN", "NỘI", "CHÍNH"]
    for noise in ("J9eoone.. hen", "xk qzw", "|| ~ ;"):
        again, none = recover_lost_lines(gray, words, _Reads(noise), lex, 300)
        assert (again, none) == (words, 0)


@pytest.mark.parametrize("dpi", [300, 200])
def test_tesseract_reads_the_dropped_line(dpi: int) -> None:
    gray, words = _page()
    if dpi != 300:
        size = (int(gray.shape[1] * dpi / 300), int(gray.shape[0] * dpi / 300))
        gray = np.array(Image.fromarray(gray).resize(size, Image.Resampling.LANCZOS))
        f = dpi / 300
        words = [
            OcrWord(
                w.text, w.conf, int(w.left * f), int(w.top * f), int(w.width * f),
                int(w.height * f), w.block, w.par, w.line,
            )
            for w in words
        ]  # fmt: skip
    cfg = Settings().ocr
    lex = load_lexicon(cfg.syllable_list)
    assert lex is not None
    kept, count = recover_lost_lines(gray, words, load_engine(cfg), lex, dpi)
    assert count == 1
    assert " ".join(w.text for w in kept if w.block >= RECOVERED_BLOCK) == "BAN NỘI CHÍNH"


@pytest.mark.parametrize("share", [0.002, 0.05])
def test_specks_are_erased_the_same_box_by_box_or_by_label(monkeypatch, share):
    # A few specks are erased inside their boxes, many by one look-up of every label: the
    # same pixels go either way, and ink of another blob inside a speck's box stays.
    rng = np.random.default_rng(3)
    ink = (rng.random((400, 300)) < share).astype(np.uint8)
    ink[300, 10:15] = ink[300:305, 10] = 1  # an L of 9 pixels
    ink[303:321, 13] = ink[320, 13:100] = 1  # a long blob reaching into the L's box
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    ids = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < 12)
    ids = ids[ids > 0]
    expected = ink.copy()
    expected[np.isin(labels, ids)] = 0
    assert expected[303, 13] == 1 and expected[300, 12] == 0
    for most in (0, 10**6):
        monkeypatch.setattr(_lost, "_ERASE_BY_BOX", most)
        got = ink.copy()
        _lost._erase(got, labels, stats, ids)
        assert np.array_equal(got, expected)
