"""Skew estimation and correction on synthetic Vietnamese pages rotated by known angles."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr._deskew import (
    _profile_score,
    component_labels,
    find_line_blobs,
    ink_points,
    label_components,
    line_skew,
    projection_skew,
    rotate_image,
    shrink_mask,
)
from ocr._prepare import prepare_page

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
DPI = 150
LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ",
    "về công tác văn thư; xét đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh,",
    "QUYẾT ĐỊNH: Điều 1. Phê duyệt kế hoạch ứng dụng công nghệ thông tin",
    "trong hoạt động của cơ quan nhà nước giai đoạn 2021 - 2025 với các chỉ tiêu",
    "chủ yếu sau: số hóa hồ sơ lưu trữ, hoàn thiện cơ sở dữ liệu đảng viên,",
    "bồi dưỡng kỹ năng cho cán bộ, công chức làm công tác văn thư, lưu trữ.",
    "Điều 2. Giao Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành liên quan",
    "tổ chức triển khai thực hiện Quyết định này; định kỳ báo cáo kết quả.",
    "Điều 3. Chánh Văn phòng, Giám đốc các sở và Chủ tịch Ủy ban nhân dân",
    "các huyện, thành phố chịu trách nhiệm thi hành Quyết định này./.",
]

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="Liberation Serif 2.x font not installed")


def render_page(lines: list[str] = LINES) -> np.ndarray:
    """Render text lines on a white A4 page at 150 dpi, about 13 pt."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 27)
    for i, line in enumerate(lines):
        draw.text((150, 200 + i * 44), line, fill=0, font=font)
    return np.asarray(page)


def skewed(angle: float) -> np.ndarray:
    """The synthetic page with its content turned counter-clockwise by ``angle`` degrees."""
    page = Image.fromarray(render_page())
    return np.asarray(page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255))


def ink_of(gray: np.ndarray) -> np.ndarray:
    return cv2.threshold(gray, 128, 255, cv2.THRESH_BINARY_INV)[1]


@pytest.fixture(scope="module")
def pages() -> dict[float, np.ndarray]:
    return {angle: skewed(angle) for angle in (3.2, -1.7, 0.03)}


@pytest.mark.parametrize("angle", [3.2, -1.7])
def test_both_estimators_find_the_angle_and_its_sign(pages, angle):
    ink = ink_of(pages[angle])
    proj = projection_skew(ink, 10.0)
    line = line_skew(find_line_blobs(shrink_mask(ink), DPI / 2, 10.0))
    assert proj.angle == pytest.approx(angle, abs=0.15)
    assert line.angle == pytest.approx(angle, abs=0.4)
    assert proj.strength > 1.0
    assert line.strength > 5.0


@pytest.mark.parametrize("angle", [3.2, -1.7])
def test_prepare_page_levels_the_lines(pages, angle):
    result = prepare_page(pages[angle], dpi=DPI)
    assert result.rotation == 0
    assert result.skew_deg == pytest.approx(angle, abs=0.15)
    assert "skew_methods_disagree" not in result.flags
    # Measured again on the output, the lines are level.
    assert abs(projection_skew(ink_of(result.image), 10.0).angle) <= 0.15


@pytest.mark.parametrize("angle", [0.0, 0.03])
def test_straight_page_is_not_rotated(pages, angle):
    gray = render_page() if angle == 0.0 else pages[angle]
    result = prepare_page(gray, dpi=DPI)
    assert result.skew_deg == 0.0
    assert result.image.shape == gray.shape
    assert np.array_equal(result.image, gray)


def test_skew_beyond_the_limit_is_left_alone(pages):
    result = prepare_page(pages[3.2], dpi=DPI, max_deskew_deg=2.0)
    assert result.skew_deg == 0.0
    assert result.image.shape == pages[3.2].shape


def test_deskew_can_be_switched_off(pages):
    result = prepare_page(pages[-1.7], dpi=DPI, deskew=False)
    assert result.skew_deg == 0.0
    assert np.array_equal(result.image, pages[-1.7])


def test_rotate_image_grows_the_canvas_and_keeps_the_corners():
    gray = np.full((200, 300), 255, np.uint8)
    gray[:10, :10] = 0
    gray[-10:, -10:] = 0
    out = rotate_image(gray, 30.0)
    assert out.shape[0] > 200 and out.shape[1] > 300
    # Both dark corner squares survive the turn (about 100 dark pixels each).
    assert np.count_nonzero(out < 128) == pytest.approx(200, rel=0.15)
    assert out[0, 0] == 255  # uncovered corner is filled white


def test_empty_mask_gives_no_estimate():
    empty = np.zeros((300, 200), np.uint8)
    assert projection_skew(empty, 10.0).strength == 0.0
    assert line_skew(find_line_blobs(empty, DPI, 10.0)).strength == 0.0


def _split_score(ys: np.ndarray, xs: np.ndarray, angle: float, pad: int, nbins: int) -> float:
    """The soft profile score as first written: 1 - frac on each pixel's row, frac on the next."""
    pos = xs * np.float32(math.tan(math.radians(angle)))
    pos += ys
    pos += np.float32(pad)
    rows = pos.astype(np.int32)
    frac = pos - rows
    hist = np.bincount(rows, weights=1.0 - frac, minlength=nbins + 1)
    hist += np.bincount(rows + 1, weights=frac, minlength=nbins + 1)
    diff = np.diff(hist)
    return float(diff @ diff)


def test_soft_profile_score_is_the_split_histograms_to_the_bit(pages):
    # The refining sweep counts rows and fractions instead of splitting every pixel's weight:
    # exact sums, so the scores (and the argmax the estimate takes) must not move at all.
    ink = ink_of(pages[3.2])
    xs, ys = ink_points(ink)
    ys, xs = ys.astype(np.float32), xs.astype(np.float32) - ink.shape[1] / 2.0
    max_deg = 10.0
    pad = math.ceil(abs(ink.shape[1] * math.tan(math.radians(max_deg + 1.0))) / 2.0) + 2
    nbins = ink.shape[0] + 2 * pad + 2
    # Beyond the exactness bound of the sums of positions the fractions are counted as such:
    # a longer histogram only adds empty rows, so both ways must give the same scores.
    wide = 2**30 // xs.size + 1
    for angle in np.arange(-max_deg - 0.6, max_deg + 0.6, 0.0173):
        expected = _split_score(ys, xs, float(angle), pad, nbins)
        assert _profile_score(ys, xs, float(angle), pad, nbins, soft=True) == expected
        assert _profile_score(ys, xs, float(angle), pad, wide, soft=True) == expected


@pytest.mark.parametrize("share", [0.0, 0.04, 0.3])
def test_label_components_is_opencv_s_labelling_to_the_label(pages, share):
    # 16-bit labels while they fit, 32-bit past 65,535 labels (the mask of 30 % specks):
    # labels, stats and centroids the same as the default call either way.
    rng = np.random.default_rng(7)
    specks = (rng.random((1100, 900)) < share).astype(np.uint8)
    if share == 0.3:
        with pytest.raises(cv2.error):
            cv2.connectedComponentsWithStats(specks, connectivity=8, ltype=cv2.CV_16U)
    masks = [specks, ink_of(pages[3.2]), np.zeros((40, 30), np.uint8), np.ones((5, 7), np.uint8)]
    for mask in masks:
        n, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
        got = label_components(mask)
        assert got[0] == n
        assert np.array_equal(got[1], labels)
        assert np.array_equal(got[2], stats)
        assert np.array_equal(got[3], centroids, equal_nan=True)
        n, labels = cv2.connectedComponents(mask, connectivity=8)
        got_n, got_labels = component_labels(mask)
        assert got_n == n and np.array_equal(got_labels, labels)
