"""A page a grainy photocopy buried reads as nothing; it is read again through smoothed grain.

``tests/ocr/data/grainy_signature_upside_down.jpg`` is the recipients and signature block of
dev2-fit2 doc_0004 page 2 (a bad photocopy at 200 dpi, cropped and stored at JPEG quality
50), turned upside down as a scanner would feed it. Tesseract's own reading of it finds four
words; the orientation tests, blinded by the same grain, leave it upside down.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ocr._run as run
from core.models import OcrWord
from core.settings import OcrSettings
from ocr._grain import read_nothing, read_through_grain, smooth_grain
from ocr._postcorrect import load_lexicon, syllable_counts
from ocr.engine import load_engine
from tests.ocr.test_turn_after_reading import LINE

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "grainy_signature_upside_down.jpg"


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return Image.open(SAMPLE)


def test_the_grainy_page_reads_right_way_up_through_the_grain(page: Image.Image) -> None:
    cfg = OcrSettings()
    lex = load_lexicon(cfg.syllable_list)
    assert lex is not None
    out = run.ocr_page(page, 200, cfg)
    assert "read_through_grain" in out.page.flags
    assert out.page.rotation == 180  # it was fed upside down
    valid, _ = syllable_counts(list(out.page.words), lex)
    assert valid >= 15
    text = out.page.text
    assert "TRỰC" in text or "TRỤC" in text  # PHÓ BÍ THƯ THƯỜNG TRỰC, right way up
    # The review image is the scan straightened, not the smoothed copy Tesseract read.
    assert out.image.shape == (page.height, page.width)
    assert float(np.std(out.image)) > 40  # the grain is still there for the reviewer


def test_without_the_pass_the_page_reads_as_nothing(page: Image.Image) -> None:
    cfg = OcrSettings()
    engine = load_engine(cfg)
    gray = run.to_gray(page)
    words = engine.recognize(np.ascontiguousarray(np.rot90(gray, 2)))
    assert read_nothing(words)  # why the pass exists: upright, unsmoothed, next to nothing


def test_smoothing_keeps_the_size_and_lightens_the_grain(page: Image.Image) -> None:
    gray = run.to_gray(page)
    quiet = smooth_grain(gray)
    assert quiet.shape == gray.shape and quiet.dtype == np.uint8
    assert float(np.std(quiet)) < float(np.std(gray))


class _Script:
    """An engine stand-in answering each quarter turn with words of a given kind."""

    def __init__(self, by_turn: dict[int, list[OcrWord]], base: np.ndarray) -> None:
        self.by_turn, self.base = by_turn, base

    def __call__(self, image: np.ndarray) -> list[OcrWord]:
        for q in range(4):
            if image.shape == np.rot90(self.base, q).shape and np.array_equal(
                image, np.rot90(self.base, q)
            ):
                return self.by_turn.get(q, [])
        return []


def _words(texts: list[str], on_end: bool = False) -> list[OcrWord]:
    w, h = (20, 60) if on_end else (60, 20)
    return [OcrWord(t, 90.0, 10 + 70 * i, 10, w, h) for i, t in enumerate(texts)]


VIET = LINE
GRAIN = ["xq#", "zzx", "bdf", "qqj", "ww3", "mnb", "jjq", "ẍẍ"]


@pytest.mark.parametrize(
    ("by_turn", "expect"),
    [
        ({2: _words(VIET), 0: _words(GRAIN + VIET[:3])}, 2),  # upside down reads
        ({0: _words(VIET)}, 0),  # the orientation found was right
        ({1: _words(VIET, on_end=True), 2: _words(VIET[:8])}, None),  # 8 < 10 valid
        ({0: _words(VIET[:12]), 2: _words(VIET[:10])}, None),  # not clearly ahead
        ({1: _words(VIET, on_end=True)}, None),  # words standing on end: a wrong turn
        ({0: _words(GRAIN * 3)}, None),  # grain read as grain
    ],
)
def test_a_turn_is_kept_only_when_it_reads_clearly_best(
    by_turn: dict[int, list[OcrWord]], expect: int | None
) -> None:
    lex = load_lexicon(OcrSettings().syllable_list)
    assert lex is not None
    base = np.full((40, 60), 255, np.uint8)
    base[5:10, 5:50] = 0
    quiet = smooth_grain(base)
    engine = _Script(by_turn, quiet)
    found = read_through_grain(base, engine, lex, run._sideways)
    assert (found[1] if found else None) == expect
