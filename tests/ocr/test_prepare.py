"""prepare_page end to end: blank pages, measured cleaning, input checks, Tesseract reading."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from core.errors import InputError
from ocr._prepare import PreparedPage, prepare_page
from ocr._tesseract import TesseractEngine

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
DPI = 150
LINES = [
    "SƠ YẾU LÝ LỊCH",
    "Họ và tên khai sinh: Nguyễn Thị Hương",
    "Ngày, tháng, năm sinh: 12 tháng 8 năm 1975",
    "Quê quán: xã Đạ Tẻh, huyện Đạ Tẻh, tỉnh Lâm Đồng",
    "Nơi ở hiện nay: số 14 đường Trần Hưng Đạo, thành phố Đà Lạt",
    "Trình độ chuyên môn: cử nhân kinh tế; lý luận chính trị: trung cấp",
    "Ngày vào Đảng: 03 tháng 02 năm 2001; chính thức: 03 tháng 02 năm 2002",
    "Chức vụ hiện tại: Phó Trưởng phòng Tổ chức cán bộ, Sở Nội vụ",
    "Khen thưởng: Bằng khen của Ủy ban nhân dân tỉnh năm 2018",
    "Tôi xin cam đoan những lời khai trên đây là đúng sự thật.",
]

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="Liberation Serif 2.x font not installed")


def render_page(lines: list[str] = LINES, paper: int = 255, ink: int = 0) -> np.ndarray:
    """Render text lines at 150 dpi on an A4 page of the given paper and ink levels."""
    page = Image.new("L", (1240, 1754), paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 27)
    for i, line in enumerate(lines):
        draw.text((140, 200 + i * 46), line, fill=ink, font=font)
    return np.asarray(page).copy()


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(hyp: str, ref: str) -> float:
    """Character error rate by plain dynamic programming (short texts only)."""
    hyp, ref = normalised(hyp), normalised(ref)
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1] / max(1, len(ref))


@pytest.fixture(scope="module")
def clean() -> np.ndarray:
    return render_page()


def test_blank_page_does_not_crash():
    blank = np.full((1754, 1240), 250, np.uint8)
    result = prepare_page(blank, dpi=DPI)
    assert isinstance(result, PreparedPage)
    assert result.rotation == 0
    assert result.skew_deg == 0.0
    assert "blank_page" in result.flags
    assert result.image.shape == blank.shape


def test_clean_page_is_left_untouched(clean):
    result = prepare_page(clean, dpi=DPI)
    assert result.flags == ()
    assert result.rotation == 0 and result.skew_deg == 0.0
    assert np.array_equal(result.image, clean)


def test_black_scanner_border_is_whitened(clean):
    gray = clean.copy()
    gray[:, :60] = 30  # dark strip down the left edge, as from an open scanner lid
    gray[-40:, :] = 25  # and along the bottom
    before = gray.copy()
    result = prepare_page(gray, dpi=DPI)
    assert np.array_equal(gray, before)  # the input is never written to
    assert "cleaned_border" in result.flags
    assert result.image[:, :60].min() > 200
    assert result.image[-40:, :].min() > 200
    # The text is still there.
    assert np.count_nonzero(result.image[200:700, 140:1100] < 128) > 5000


def test_isolated_speckles_are_removed_but_diacritics_kept(clean):
    gray = clean.copy()
    rng = np.random.default_rng(7)
    # Dots in the empty lower half of the page, far from any text.
    for y, x in zip(rng.integers(900, 1650, 120), rng.integers(60, 1180, 120), strict=True):
        gray[y : y + 3, x : x + 3] = 0
    result = prepare_page(gray, dpi=DPI)
    assert "cleaned_speckle" in result.flags
    assert np.count_nonzero(result.image[900:1700] < 128) == 0
    # The text block, dots of i and tone marks included, is untouched.
    assert np.array_equal(result.image[150:700], clean[150:700])


def test_uneven_yellowed_background_is_normalised():
    gray = render_page(paper=255, ink=40).astype(np.float32)
    # Paper darkening from 235 at the top to 150 at the bottom, like an aged sheet.
    gray *= np.linspace(235 / 255, 150 / 255, gray.shape[0], dtype=np.float32)[:, None]
    gray = gray.astype(np.uint8)
    result = prepare_page(gray, dpi=DPI)
    assert "cleaned_background" in result.flags
    paper = result.image[1500:1700, 100:1100]
    assert paper.mean() > 240


def test_timings_are_reported(clean):
    result = prepare_page(clean, dpi=DPI)
    assert {"analyse", "orientation", "clean", "rotate", "total"} <= set(result.timings_ms)
    assert all(v >= 0 for v in result.timings_ms.values())


@pytest.mark.parametrize(
    "bad",
    [np.zeros((10, 10, 3), np.uint8), np.zeros((10, 10), np.float32), np.zeros((0, 5), np.uint8)],
)
def test_rejects_what_is_not_a_greyscale_page(bad):
    with pytest.raises(InputError):
        prepare_page(bad, dpi=DPI)


@pytest.mark.tesseract
def test_upside_down_skewed_page_reads_after_preparation(clean):
    page = Image.fromarray(clean).rotate(2.5, resample=Image.BICUBIC, expand=True, fillcolor=255)
    scan = np.ascontiguousarray(np.rot90(np.asarray(page), 2))
    result = prepare_page(scan, dpi=DPI)
    assert result.rotation == 180
    assert result.skew_deg == pytest.approx(2.5, abs=0.15)
    text = TesseractEngine(psm=4).read_region(result.image, single_line=False)
    assert cer(text, " ".join(LINES)) < 0.05
