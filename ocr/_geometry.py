"""Mapping word boxes from the straightened OCR image back to the scan as stored."""

from __future__ import annotations

import math

import cv2
import numpy as np

Affine = tuple[float, float, float, float, float, float]


def straighten_matrix(width: int, height: int, angle: float) -> tuple[np.ndarray, int, int]:
    """Return the 2x3 matrix that turns an image by ``-angle`` degrees on a grown canvas.

    This is the geometry of ``rotate_image(img, -angle)`` and, for multiples of 90°, of the
    exact quarter turns: both rotate about the pixel-grid centre.
    """
    rad = math.radians(angle)
    cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
    new_w = int(math.ceil(width * cos + height * sin - 1e-6))
    new_h = int(math.ceil(width * sin + height * cos - 1e-6))
    m = cv2.getRotationMatrix2D(((width - 1) / 2.0, (height - 1) / 2.0), -angle, 1.0)
    m[0, 2] += (new_w - width) / 2.0
    m[1, 2] += (new_h - height) / 2.0
    return m, new_w, new_h


def to_source_matrix(src_w: int, src_h: int, scale: float, angle: float) -> Affine:
    """Return the affine map from straightened-OCR-image pixels to source-image pixels.

    Args:
        src_w: Width of the page image as stored (before any downscaling).
        src_h: Height of it.
        scale: Downscale applied before straightening (1.0 = none).
        angle: Total counter-clockwise angle undone (rotation + skew), degrees.
    """
    w = max(1, round(src_w * scale))
    h = max(1, round(src_h * scale))
    forward, _, _ = straighten_matrix(w, h, angle)
    inverse = cv2.invertAffineTransform(forward) / scale
    a, b, c = (float(v) for v in inverse[0])
    d, e, f = (float(v) for v in inverse[1])
    return (a, b, c, d, e, f)
