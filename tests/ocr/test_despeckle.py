"""Dense toner noise: a second reading without the specks, kept only when it reads better.

``drop_specks`` is measured on rendered pages (real glyphs, real specks); the choice between
the two readings is tested with an engine that reads what the image holds, and once with
real Tesseract on a dirty-drum page.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import ocr._run as run
from core.models import OcrWord
from core.settings import OcrSettings
from ocr._clean import drop_specks
from ocr._postcorrect import load_lexicon, syllable_counts
from ocr._prepare import PreparedPage
from tests.ocr.fake_engines import FakeEngine
from tests.ocr.test_prepare import FONT, render_page, streaked

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="Liberation Serif 2.x font not installed")

DPI = 150


def specked(page: np.ndarray, per_sq_in: float, seed: int = 3) -> np.ndarray:
    """Sprinkle one- and two-pixel toner specks over the whole sheet, text included."""
    rng = np.random.default_rng(seed)
    out = page.copy()
    n = int(per_sq_in * page.size / DPI**2)
    ys, xs = rng.integers(0, page.shape[0] - 2, n), rng.integers(0, page.shape[1] - 2, n)
    sizes = rng.integers(1, 3, n)
    for y, x, s in zip(ys, xs, sizes, strict=True):
        out[y : y + s, x : x + s] = 40
    return out


def small_blobs(image: np.ndarray) -> int:
    import cv2

    _, ink = cv2.threshold(image, 128, 255, cv2.THRESH_BINARY_INV)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return int(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] < 4))


def test_a_clean_page_is_left_alone():
    page = render_page()
    assert drop_specks(page, DPI) is page


def test_a_few_dots_do_not_make_a_page_specked():
    page = specked(render_page(), per_sq_in=2)
    assert drop_specks(page, DPI) is page


def test_dense_specks_go_and_letters_stay():
    clean = render_page()
    noisy = specked(clean, per_sq_in=40)
    before = noisy.copy()
    out = drop_specks(noisy, DPI)
    assert out is not noisy
    assert small_blobs(noisy) > 1000 and small_blobs(out) < 0.05 * small_blobs(noisy)
    # Printed strokes stay dark (a speck merged into a letter is part of the letter now).
    strokes = clean < 100
    assert np.count_nonzero(out[strokes] < 128) > 0.99 * np.count_nonzero(strokes)
    assert np.array_equal(noisy, before)  # the input (the review image's source) is untouched


def test_specks_erased_are_the_small_blobs_of_opencvs_default_labelling():
    import cv2

    import ocr._clean as clean

    noisy = specked(render_page(), per_sq_in=40)
    out = drop_specks(noisy, DPI)
    # drop_specks counts areas from BBDT's labels without OpenCV's statistics (a fraction of
    # their CPU): the pixels erased are those the default labelling's areas call small.
    _, ink = cv2.threshold(noisy, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < 15 * (DPI / 300.0) ** 2
    small[0] = False
    expected = noisy.copy()
    expected[small[labels]] = round(clean._percentiles(noisy, (90,))[0])
    assert np.array_equal(out, expected)


def test_the_speck_count_decides_as_opencvs_areas_do_at_the_threshold():
    import cv2

    page = render_page()
    _, ink = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    already = int(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] < 15 * (DPI / 300.0) ** 2))
    limit = 5.0 * page.size / DPI**2  # _SPECKS_PER_SQ_IN per square inch
    # Isolated one-pixel specks in the bottom margin, where no letter is: each one a blob.
    ys, xs = np.mgrid[page.shape[0] - 60 : page.shape[0] - 10 : 4, 10 : page.shape[1] - 10 : 4]
    spots = list(zip(ys.ravel(), xs.ravel(), strict=True))
    need = int(np.ceil(limit)) - already
    assert 0 < need < len(spots)
    under, over = page.copy(), page.copy()
    for y, x in spots[: need - 1]:
        under[y, x] = 0
    for y, x in spots[:need]:
        over[y, x] = 0
    assert drop_specks(under, DPI) is under
    assert drop_specks(over, DPI) is not over


def test_syllable_counts_skip_abbreviations():
    lex = load_lexicon()
    assert lex is not None
    texts = ("Nghị", "quyết", "UBND", "xqz", "ḱz", "12")
    words = [OcrWord(t, 90.0, 0, 0, 10, 10) for t in texts]
    assert syllable_counts(words, lex) == (2, 2)


LINE = ["Ủy", "ban", "nhân", "dân", "tỉnh", "Lâm", "Đồng", "ban", "hành", "nghị", "quyết"]
LINE += ["về", "việc", "tổ", "chức"]
NOISE = ["xq#", "ḱz", "ww3", "qqj", "zzx", "bdf", "ṕq", "vvk", "jjq", "ẍẍ", "qxz", "mnb"]


class PixelReader(FakeEngine):
    """Reads the words the test wrote into the image's first pixel row, by its first pixel."""

    def __init__(self, readings: dict[int, list[str]]) -> None:
        self.readings = readings
        self.calls = 0

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        self.calls += 1
        return [
            OcrWord(t, 90.0, 10 + 40 * i, 100, 35, 20, block=1, par=1, line=1)
            for i, t in enumerate(self.readings[int(image[0, 0])])
        ]


def _prepared(monkeypatch, despecked: bool) -> None:
    first = np.full((400, 300), 1, np.uint8)
    other = np.full((400, 300), 2, np.uint8) if despecked else None
    monkeypatch.setattr(
        run,
        "prepare_page",
        lambda gray, **_kw: PreparedPage(first, 0, 0.0, (), {}, despecked=other),
    )


def test_the_reading_without_specks_is_kept_when_it_brings_back_lines(monkeypatch):
    _prepared(monkeypatch, despecked=True)
    engine = PixelReader({1: LINE[:4] + NOISE[:2], 2: LINE + NOISE[:3]})
    out = run.ocr_page(Image.new("L", (300, 400), 255), 200, OcrSettings(), engine)
    assert "cleaned_specks" in out.page.flags
    assert out.page.text.split()[: len(LINE)] == LINE
    # Reviewers see the page with every mark: the image kept is the first, not the despecked.
    assert int(out.image[0, 0]) == 1
    assert engine.calls == 2


def test_a_reading_that_turns_leftover_noise_into_words_is_dropped(monkeypatch):
    _prepared(monkeypatch, despecked=True)
    # Two more syllables, but eight more pieces of garbage: the first reading stays.
    engine = PixelReader({1: LINE[:8], 2: LINE[:10] + NOISE[:8]})
    out = run.ocr_page(Image.new("L", (300, 400), 255), 200, OcrSettings(), engine)
    assert "cleaned_specks" not in out.page.flags
    assert out.page.text.split() == LINE[:8]


def test_a_page_without_dense_specks_is_read_once(monkeypatch):
    _prepared(monkeypatch, despecked=False)
    engine = PixelReader({1: LINE})
    out = run.ocr_page(Image.new("L", (300, 400), 255), 200, OcrSettings(), engine)
    assert engine.calls == 1 and "cleaned_specks" not in out.page.flags


@pytest.mark.tesseract
def test_real_tesseract_keeps_the_reading_with_more_vietnamese():
    import ocr
    from core.settings import Settings
    from ocr._prepare import prepare_page

    noisy = streaked(render_page(), seed=2)
    prepared = prepare_page(noisy, dpi=DPI)
    assert prepared.despecked is not None  # a dirty drum is dense toner noise
    engine = ocr.load_engine(Settings().ocr)
    lex = load_lexicon()
    first, again = (engine.recognize(img) for img in (prepared.image, prepared.despecked))
    out = run.ocr_page(Image.fromarray(noisy), DPI, OcrSettings(), engine)
    chosen = run._reads_better(again, first, lex)
    assert ("cleaned_specks" in out.page.flags) is chosen
    valid, _ = syllable_counts(out.page.words, lex)
    assert valid >= max(syllable_counts(w, lex)[0] for w in (first, again)) - 3  # post-correction
    # The review image is the page with its specks, whichever reading won.
    assert small_blobs(out.image) > small_blobs(prepared.despecked)


def test_the_full_size_count_runs_only_where_the_working_copy_shows_tiny_blobs(monkeypatch):
    import ocr._prepare as prepare
    from ocr._clean import analyse_page, may_be_specked

    clean, noisy = render_page(), specked(render_page(), per_sq_in=40)
    assert not may_be_specked(analyse_page(clean, DPI))
    assert may_be_specked(analyse_page(noisy, DPI))

    def must_not_run(image, dpi):
        raise AssertionError("drop_specks ran on a clean page")

    monkeypatch.setattr(prepare, "drop_specks", must_not_run)
    assert prepare.prepare_page(clean, dpi=DPI).despecked is None
