import numpy as np
import pytest

from ocr._deskew import rotate_image
from ocr._geometry import to_source_matrix
from ocr._orientation import rotate_quarter


def apply(matrix, x: float, y: float) -> tuple[float, float]:
    """Apply a 2x3 affine matrix (row-major a b c / d e f) to a point."""
    a, b, c, d, e, f = matrix
    return a * x + b * y + c, d * x + e * y + f


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_quarter_turns_map_pixels_back_exactly(rotation):
    src = np.zeros((40, 60), np.uint8)
    src[7, 11] = 255  # y=7, x=11
    out = rotate_quarter(src, rotation)
    ys, xs = np.nonzero(out)
    m = to_source_matrix(60, 40, 1.0, rotation)
    x, y = apply(m, float(xs[0]), float(ys[0]))
    assert (round(x), round(y)) == (11, 7)


@pytest.mark.parametrize(("angle", "scale"), [(3.2, 1.0), (-1.7, 0.5), (90 + 2.5, 1.0)])
def test_skew_and_downscale_map_back_within_a_pixel(angle, scale):
    src = np.zeros((400, 300), np.uint8)
    src[200:206, 150:156] = 255
    small = src if scale == 1.0 else src[::2, ::2]
    out = rotate_image(small, -angle, fill=0, interpolation=0)
    ys, xs = np.nonzero(out > 127)
    m = to_source_matrix(300, 400, scale, angle)
    x, y = apply(m, float(xs.mean()), float(ys.mean()))
    assert abs(x - 152.5) <= 1.5 and abs(y - 202.5) <= 1.5
