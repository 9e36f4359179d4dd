"""Colour kept for the regions that need it: seals and signatures over the signer's name.

The OCR stage reads grey, where a red seal and a blue signature are mid-grey strokes over the
black print; no threshold removes them without thinning the letters under them. In colour they
part cleanly: black print is dark in every channel, a red seal or blue ink is bright in at
least one. Taking each pixel's brightest channel ("colour dropout", what scanners do with a
red lamp) leaves the print alone. Not for the whole page: a red MẬT stamp or a red heading is
print too, and would vanish.
"""

from __future__ import annotations

import cv2
import numpy as np

# A pixel is coloured ink when its channels differ this much (0-255): paper and black or grey
# print, even yellowed or JPEG-smeared, stay well below; a red seal or blue pen is 100+.
_CHROMA = 80
# Share of coloured pixels (on a quarter-size copy) that makes a page worth keeping in colour:
# a seal of 4 cm on A4 is ~0.5 % of the page; JPEG fringes around black print stay below.
_MIN_SHARE = 0.001


def has_colour_ink(rgb: np.ndarray) -> bool:
    """Return True when an RGB page carries coloured ink (a seal, a signature in pen)."""
    if rgb.ndim != 3 or rgb.shape[2] < 3 or rgb.size == 0:
        return False
    small = rgb[::4, ::4, :3]
    # Channel by channel, not reduced along the last axis of a strided view: a tenth of the
    # time (22 -> 2 ms on an A4 page at 300 dpi), the same numbers (the brightest channel is
    # never below the darkest, so the difference cannot wrap).
    r, g, b = small[..., 0], small[..., 1], small[..., 2]
    chroma = np.maximum(np.maximum(r, g), b) - np.minimum(np.minimum(r, g), b)
    return float(np.count_nonzero(chroma >= _CHROMA)) >= _MIN_SHARE * chroma.size


def straighten_colour(
    rgb: np.ndarray, to_source: tuple[float, ...], width: int, height: int, scale: float
) -> np.ndarray:
    """Return ``rgb`` (the page as given to OCR) in the OCR image's geometry, scaled by ``scale``.

    ``to_source`` maps OCR-image pixels to source pixels (see ``ocr._geometry``); the result
    has ``round(width * scale)`` × ``round(height * scale)`` pixels, white outside the scan.
    """
    a, b, c, d, e, f = to_source
    # Output pixel (u, v) is OCR pixel (u / scale, v / scale).
    m = np.array([[a / scale, b / scale, c], [d / scale, e / scale, f]], dtype=np.float64)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.warpAffine(
        rgb,
        m,
        size,
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(255, 255, 255),
    )


def drop_colour(region: np.ndarray) -> np.ndarray:
    """Return a grey region in which coloured ink (seal, pen) is as light as its paper."""
    if region.ndim == 2:
        return region
    return np.ascontiguousarray(region.max(axis=2))
