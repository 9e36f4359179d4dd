"""A page whose orientation was guessed wrong reads as garbage; it is read turned and kept so.

The orientation step is replaced by one that always answers "upright" for a page that is
upside down, and the engine reads Vietnamese only from an upright image (its mark in the
top-left corner), so the rule is tested whatever Tesseract's own orientation guess would be.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from PIL import Image

import ocr._run as run
from core.models import OcrWord
from core.settings import OcrSettings
from core.states import PageFlag
from ocr._prepare import PreparedPage
from tests.ocr.fake_engines import FakeEngine

LINE = [
    "Ban",
    "Tổ",
    "chức",
    "Tỉnh",
    "ủy",
    "xây",
    "dựng",
    "kế",
    "hoạch",
    "rà",
    "soát",
    "hồ",
    "sơ",
    "đảng",
    "viên",
    "năm",
    "nay",
]
NOISE = [
    "xq#",
    "ḱz",
    "ww3",
    "qqj",
    "zzx",
    "bdf",
    "§§",
    "ṕq",
    "vvk",
    "jjq",
    "ẍẍ",
    "qxz",
    "mnb",
    "zzz",
]


class MarkReader(FakeEngine):
    """Reads Vietnamese when the dark mark is top-left (upright), noise otherwise."""

    def __init__(self) -> None:
        self.calls = 0

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        self.calls += 1
        upright = image[:40, :40].mean() < 128
        return [
            OcrWord(t, 90.0, 10 + 40 * i, 100, 35, 20, block=1, par=1, line=1)
            for i, t in enumerate(LINE if upright else NOISE)
        ]


def _page(mark: bool = True) -> Image.Image:
    a = np.full((400, 300), 255, np.uint8)
    if mark:
        a[:40, :40] = 0
    return Image.fromarray(a)


@pytest.fixture
def wrong_orientation(monkeypatch):
    """Orientation detection that leaves the page as scanned (upside down) and says upright."""

    def prepare(gray, **_kw):
        return PreparedPage(np.rot90(gray, 2).copy(), 0, 0.0, (), {})

    monkeypatch.setattr(run, "prepare_page", prepare)


def test_an_upside_down_reading_is_turned_and_kept(wrong_orientation):
    engine = MarkReader()
    out = run.ocr_page(_page(), 200, OcrSettings(), engine)
    assert out.page.rotation == 180
    assert "turned_after_reading" in out.page.flags
    assert out.page.text.split() == LINE
    assert out.image[:40, :40].mean() < 128  # word boxes refer to the turned image
    assert engine.calls == 2


def test_garbage_in_every_orientation_keeps_the_first_guess(wrong_orientation):
    engine = MarkReader()
    out = run.ocr_page(_page(mark=False), 200, OcrSettings(), engine)
    assert out.page.rotation == 0
    assert "turned_after_reading" not in out.page.flags
    assert "low_quality" in out.page.flags
    assert engine.calls == 2  # the line test was sure: only upside down is tried


class NoisyReader(FakeEngine):
    """Dirty-drum specks read as garbage both ways; the text, repeated per orientation."""

    def __init__(self, upright_lines: int, upside_lines: int) -> None:
        self.lines = {True: upright_lines, False: upside_lines}

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        upright = image[:40, :40].mean() < 128
        texts = LINE * self.lines[upright] + NOISE * 5
        return [
            OcrWord(t, 80.0, 10 + 8 * (i % 30), 100 + 30 * (i // 30), 6, 20, 1, 1, i // 30)
            for i, t in enumerate(texts)
        ]


@pytest.mark.parametrize(
    ("upright", "upside", "turned"),
    [
        # 68 valid syllables against 34 among 70 specks: shares 0.49 and 0.33, no 0.2 apart.
        (4, 2, True),
        # 34 against 17: twice as many, but 17 more is no proof on a page this noisy.
        (2, 1, False),
    ],
)
def test_an_upside_down_page_under_noise_is_turned_on_clearly_more_text(
    wrong_orientation, upright: int, upside: int, turned: bool
) -> None:
    out = run.ocr_page(_page(), 200, OcrSettings(), NoisyReader(upright, upside))
    assert (out.page.rotation == 180) is turned
    assert ("turned_after_reading" in out.page.flags) is turned


class SparseReader(FakeEngine):
    """A sparse fax page: a few lines, read below the quality gate even right way up."""

    def __init__(self, upright: list[str], upside: list[str]) -> None:
        self.texts = {True: upright, False: upside}

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        upright = image[:40, :40].mean() < 128
        return [
            OcrWord(t, 60.0, 10 + 45 * (i % 6), 100 + 30 * (i // 6), 40, 20, 1, 1, i // 6)
            for i, t in enumerate(self.texts[upright])
        ]


@pytest.mark.parametrize(
    ("upright", "upside", "turned"),
    [
        # dev2-fit2 doc_0117 p2: 18 valid syllables of 23 (0.78) against 3 of 16 (0.19).
        (LINE + NOISE[:5], LINE[:3] + NOISE * 3, True),
        # 0.78 again, but the first reading had 12 valid of 26: not twice as many.
        (LINE + NOISE[:5], LINE[:12] + NOISE, False),
        # Twice as many, but 10 of 16 (0.62) is no reading of Vietnamese.
        (LINE[:10] + NOISE[:6], LINE[:3] + NOISE * 3, False),
    ],
)
def test_a_sparse_page_below_the_gate_is_turned_when_it_reads_instead(
    wrong_orientation, upright: list[str], upside: list[str], turned: bool
) -> None:
    out = run.ocr_page(_page(), 200, OcrSettings(), SparseReader(upright, upside))
    assert (out.page.rotation == 180) is turned
    assert ("turned_after_reading" in out.page.flags) is turned


def quarter_off(monkeypatch, flags: tuple[str, ...]) -> None:
    """Orientation that leaves a page turned a quarter and says upright, with ``flags``."""

    def prepare(gray, **_kw):
        image = np.rot90(gray, 1).copy()
        return PreparedPage(image, 0, 0.0, flags, {}, review=255 - image)

    monkeypatch.setattr(run, "prepare_page", prepare)


@pytest.mark.parametrize("doubt", [PageFlag.ORIENTATION_UNSURE, PageFlag.CLEANED_STREAKS])
def test_a_doubtful_orientation_is_tried_a_quarter_turn_each_way(monkeypatch, doubt):
    quarter_off(monkeypatch, (doubt,))
    engine = MarkReader()
    out = run.ocr_page(_page(), 200, OcrSettings(), engine)
    assert out.page.rotation == 90 and out.page.text.split() == LINE
    assert "turned_after_reading" in out.page.flags
    # The image kept for review is the review one, turned as the reading was.
    assert out.image.shape == (400, 300) and out.image[:40, :40].mean() > 128


def test_a_sure_line_direction_is_not_turned_a_quarter(monkeypatch):
    # Tesseract finds sideways lines by itself: a quarter turn of a page the line test was
    # sure of could read a little better and record a wrong rotation (dev2 doc_0020 p2).
    quarter_off(monkeypatch, ())
    engine = MarkReader()
    out = run.ocr_page(_page(), 200, OcrSettings(), engine)
    assert out.page.rotation == 0
    assert "turned_after_reading" not in out.page.flags
    assert engine.calls == 2


def test_a_readable_page_is_read_once(monkeypatch):
    monkeypatch.setattr(run, "prepare_page", lambda gray, **_kw: PreparedPage(gray, 0, 0.0, (), {}))
    engine = MarkReader()
    out = run.ocr_page(_page(), 200, OcrSettings(), engine)
    assert engine.calls == 1 and out.page.rotation == 0


class Decomposed(FakeEngine):
    """Reads the upright line with its marks as combining characters (NFD), one word NFC."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        return [
            OcrWord(unicodedata.normalize("NFD" if i else "NFC", t), 90.0, 10 + 40 * i, 100, 35, 20)
            for i, t in enumerate(LINE)
        ]


def test_words_come_out_in_nfc_whatever_the_engine_gives():
    out = run.ocr_page(_page(), 200, OcrSettings(fix_orientation=False), Decomposed())
    assert [w.text for w in out.page.words] == LINE
    assert out.page.text.split() == LINE
    assert unicodedata.is_normalized("NFC", out.page.text)


class SidewaysReader(FakeEngine):
    """Reads the line flat when the mark is top-left, on end when bottom-left, noise otherwise.

    Tesseract reads lines that run down the page by itself: a page turned a quarter wrong can
    read well, with every word standing on end (dev2-fit doc_0024's last page).
    """

    def __init__(self, turns_read: bool = True) -> None:
        self.calls = 0
        self.turns_read = turns_read

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        self.calls += 1
        if image[:40, :40].mean() < 128 and self.turns_read:
            return [OcrWord(t, 90.0, 10 + 40 * i, 100, 35, 20) for i, t in enumerate(LINE)]
        if image[-40:, :40].mean() < 128:
            return [OcrWord(t, 90.0, 100, 10 + 40 * i, 20, 35) for i, t in enumerate(LINE)]
        return [OcrWord(t, 90.0, 10 + 40 * i, 100, 35, 20) for i, t in enumerate(NOISE)]


def test_a_page_read_with_its_words_on_end_is_turned_until_they_lie_flat(monkeypatch):
    quarter_off(monkeypatch, ())  # the line test was sure, yet wrong: streaks outvoted text
    engine = SidewaysReader()
    out = run.ocr_page(_page(), 200, OcrSettings(), engine)
    assert out.page.rotation == 90 and out.page.text.split() == LINE
    assert all(w.width > w.height for w in out.page.words)
    assert "turned_after_reading" in out.page.flags
    assert out.image.shape == (400, 300)  # the review image turned as the reading was
    assert engine.calls == 3  # the first reading, then a quarter turn each way


def test_words_on_end_stay_when_no_turn_reads_as_well(monkeypatch):
    quarter_off(monkeypatch, ())
    engine = SidewaysReader(turns_read=False)
    out = run.ocr_page(_page(), 200, OcrSettings(), engine)
    assert out.page.rotation == 0 and out.page.text.split() == LINE
    assert "turned_after_reading" not in out.page.flags
    assert engine.calls == 3


def test_an_upright_page_with_a_few_words_on_end_is_not_turned(monkeypatch):
    """A stamp's or a margin note's words on end among lines of flat words change nothing."""
    monkeypatch.setattr(run, "prepare_page", lambda gray, **_kw: PreparedPage(gray, 0, 0.0, (), {}))

    class StampReader(FakeEngine):
        calls = 0

        def recognize(self, image: np.ndarray) -> list[OcrWord]:
            self.calls += 1
            flat = [OcrWord(t, 90.0, 10 + 40 * i, 100, 35, 20) for i, t in enumerate(LINE)]
            return flat + [OcrWord(t, 90.0, 5, 10 + 40 * i, 20, 40) for i, t in enumerate(LINE[:5])]

    engine = StampReader()
    out = run.ocr_page(_page(), 200, OcrSettings(), engine)
    assert out.page.rotation == 0 and engine.calls == 1


@pytest.mark.tesseract
def test_real_tesseract_page_turned_a_quarter_wrong_is_read_flat(monkeypatch):
    """Tesseract reads a page turned a quarter by itself, words on end; it is turned back."""
    from tests.ocr.test_orientation import FONT, render_page

    if not FONT.exists():
        pytest.skip("Liberation Serif 2.x font not installed")
    quarter_off(monkeypatch, ())  # the line test was sure, and wrong
    out = run.ocr_page(Image.fromarray(render_page(skew=0)), 150, OcrSettings())
    assert out.page.rotation == 90
    assert "turned_after_reading" in out.page.flags
    assert out.image.shape == (1754, 1240)
    long_words = [w for w in out.page.words if len(w.text) >= 3]
    assert sum(w.width > w.height for w in long_words) > 0.9 * len(long_words)
    assert "KẾ HOẠCH thực hiện công tác đảng viên năm 2015" in out.page.text
