"""Page orientation: quarter turns and upside-down pages come out upright."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr._deskew import shrink_mask
from ocr._orientation import (
    OsdResult,
    combine_with_osd,
    line_axis,
    rotate_quarter,
    upright_score,
)
from ocr._prepare import prepare_page
from ocr._tesseract import TesseractEngine

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
DPI = 150
LINES = [
    "ĐẢNG BỘ TỈNH LÂM ĐỒNG                    ĐẢNG CỘNG SẢN VIỆT NAM",
    "BAN TỔ CHỨC TỈNH ỦY          Lâm Đồng, ngày 20 tháng 3 năm 2015",
    "KẾ HOẠCH thực hiện công tác đảng viên năm 2015",
    "Thực hiện Chỉ thị của Ban Thường vụ Tỉnh ủy về việc nâng cao chất lượng",
    "sinh hoạt chi bộ, Ban Tổ chức Tỉnh ủy xây dựng kế hoạch như sau:",
    "1. Mục đích, yêu cầu: đánh giá đúng thực trạng đội ngũ đảng viên,",
    "kịp thời bổ sung hồ sơ, lý lịch; quản lý chặt chẽ việc chuyển sinh hoạt.",
    "2. Nội dung: rà soát, thống kê, phân loại hồ sơ đảng viên theo từng chi bộ;",
    "cập nhật thông tin vào cơ sở dữ liệu; đề xuất khen thưởng kịp thời.",
    "3. Tổ chức thực hiện: các huyện ủy, thành ủy, đảng ủy trực thuộc triển khai",
    "và báo cáo kết quả về Ban Tổ chức Tỉnh ủy trước ngày 15 tháng 12 năm 2015.",
]

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="Liberation Serif 2.x font not installed")


def render_page(lines: list[str] = LINES, skew: float = 1.2) -> np.ndarray:
    """Render a page at 150 dpi with its content turned ``skew`` degrees counter-clockwise."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 27)
    for i, line in enumerate(lines):
        draw.text((120, 180 + i * 44), line, fill=0, font=font)
    if skew:
        page = page.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    return np.asarray(page)


def turned(gray: np.ndarray, rotation: int) -> np.ndarray:
    """Turn a page counter-clockwise by ``rotation`` degrees, as a scanner would have."""
    return np.ascontiguousarray(np.rot90(gray, rotation // 90))


def ink_of(gray: np.ndarray) -> np.ndarray:
    return cv2.threshold(gray, 128, 255, cv2.THRESH_BINARY_INV)[1]


@pytest.fixture(scope="module")
def upright() -> np.ndarray:
    return render_page()


def never_called(gray: np.ndarray, dpi: int) -> OsdResult | None:
    raise AssertionError("OSD must not run when the image tests are sure")


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_quarter_turns_come_back_upright(upright, rotation):
    result = prepare_page(turned(upright, rotation), dpi=DPI, osd=never_called)
    assert result.rotation == rotation
    assert result.skew_deg == pytest.approx(1.2, abs=0.15)
    assert "orientation_unsure" not in result.flags
    # The output is portrait, and its text reads the right way up.
    h, w = result.image.shape
    assert h > w
    score, lines = upright_score(ink_of(result.image), 0.0, DPI)
    assert score > 0.15 and lines >= len(LINES) - 1


def test_rotate_quarter_undoes_a_counter_clockwise_turn(upright):
    for rotation in (0, 90, 180, 270):
        assert np.array_equal(rotate_quarter(turned(upright, rotation), rotation), upright)


def test_line_axis_tells_rows_from_columns(upright):
    half = shrink_mask(ink_of(upright))
    vertical, ratio, blobs = line_axis(half, DPI / 2, 10.0)
    assert not vertical and ratio > 3.0
    assert blobs.total > 20
    vertical, ratio, _ = line_axis(np.ascontiguousarray(half.T), DPI / 2, 10.0)
    assert vertical and ratio > 3.0


def test_upright_score_flips_sign_upside_down(upright):
    ink = ink_of(upright)
    up, _ = upright_score(ink, 1.2, DPI)
    down, _ = upright_score(rotate_quarter(ink, 180), 1.2, DPI)
    assert up > 0.15
    assert down < -0.15


def test_sparse_page_asks_osd_and_follows_a_confident_answer():
    # One short line: too little text for the image tests to be sure.
    sparse = render_page(["Lê Thị Yến"], skew=0.0)
    seen: list[tuple[int, ...]] = []

    def fake_osd(gray: np.ndarray, dpi: int) -> OsdResult | None:
        seen.append(gray.shape)
        return OsdResult(rotation=180, confidence=5.0)

    result = prepare_page(sparse, dpi=DPI, osd=fake_osd)
    assert seen
    assert result.rotation == 180
    assert "orientation_osd" in result.flags
    assert "orientation_unsure" not in result.flags


def test_sparse_page_without_osd_answer_is_flagged_unsure():
    sparse = render_page(["Lê Thị Yến"], skew=0.0)
    result = prepare_page(sparse, dpi=DPI, osd=lambda gray, dpi: None)
    assert result.rotation == 0
    assert "orientation_unsure" in result.flags


def test_orientation_can_be_switched_off(upright):
    result = prepare_page(turned(upright, 180), dpi=DPI, fix_orientation=False, osd=never_called)
    assert result.rotation == 0


def test_combine_with_osd_weighs_confidence():
    assert combine_with_osd(90, OsdResult(180, 0.2)) == (90, False)  # a coin toss: ignored
    assert combine_with_osd(90, OsdResult(180, 1.0)) == (270, False)  # followed, still unsure
    assert combine_with_osd(90, OsdResult(180, 4.0)) == (270, True)
    assert combine_with_osd(90, OsdResult(0, 0.8)) == (90, True)  # agrees with the image tests
    assert combine_with_osd(0, None) == (0, False)


@pytest.mark.tesseract
@pytest.mark.parametrize("rotation", [90, 180])
def test_tesseract_osd_reports_the_turn_found_in_the_scan(upright, rotation):
    result = TesseractEngine().orientation(turned(upright, rotation), DPI)
    assert result is not None
    assert result.rotation == rotation


@pytest.mark.tesseract
def test_tesseract_osd_on_a_blank_page_says_nothing():
    assert TesseractEngine().orientation(np.full((800, 600), 255, np.uint8), DPI) is None
