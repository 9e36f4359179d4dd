"""Skew estimation by two independent methods, and rotation of a page by any angle."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

# Angles follow OpenCV/PIL: positive means the content is rotated counter-clockwise.
_COARSE_STEP = 0.5
_COARSE_POINTS = 40_000  # ink pixels sampled for the coarse sweep, enough to find the peak
_MIN_INK = 200  # fewer ink pixels than this: nothing to measure


@dataclass(frozen=True, slots=True)
class SkewEstimate:
    """One method's skew estimate.

    Attributes:
        angle: Counter-clockwise rotation of the content in degrees.
        strength: Method-specific confidence (larger is surer); 0 when nothing was measured.
    """

    angle: float
    strength: float


def projection_skew(ink: np.ndarray, max_deg: float) -> SkewEstimate:
    """Estimate skew by maximising the sharpness of the row projection profile.

    Ink pixels are sheared by candidate angles and counted per row; text lines give the
    largest sum of squared differences between neighbouring rows when they are level.
    A coarse sweep (0.5°) is refined to 0.1°, then 0.02° with a parabolic fit on top; the
    refining steps split each pixel between the two nearest rows, which makes the score smooth
    in the angle and the estimate precise well below one pixel of drift across the page.

    Args:
        ink: Ink mask (nonzero = ink) with lines roughly horizontal.
        max_deg: Largest skew searched for, in degrees.

    Returns:
        The estimate; ``strength`` is how far the best angle's score stands above the median
        score of the sweep (1 means no preferred angle at all).
    """
    xs, ys = ink_points(ink)
    if ys.size < _MIN_INK:
        return SkewEstimate(0.0, 0.0)
    ys = ys.astype(np.float32)
    xs = xs.astype(np.float32) - ink.shape[1] / 2.0
    # A whole number of rows: at 0° every pixel then falls exactly on a row, so a straight page
    # scores its true sharpness instead of one blurred by splitting each pixel between two rows.
    pad = math.ceil(abs(ink.shape[1] * math.tan(math.radians(max_deg + 1.0))) / 2.0) + 2
    nbins = ink.shape[0] + 2 * pad + 2
    stride = max(1, ys.size // _COARSE_POINTS)
    cys, cxs = ys[::stride], xs[::stride]
    coarse = np.arange(-max_deg, max_deg + 1e-9, _COARSE_STEP)
    scores = [_profile_score(cys, cxs, a, pad, nbins) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    strength = max(scores) / max(float(np.median(scores)), 1.0)
    # A score depends on the angle only through its float32 tangent: the fine sweep's angles
    # a tenth from its centre (and the centre) are mostly the first sweep's, not counted again.
    known: dict[float, float] = {}
    for step, span in ((0.1, 0.6), (0.02, 0.12)):
        angles = np.arange(best - span, best + span + 1e-9, step)
        scores = []
        for a in angles:
            t = float(_tan32(a))
            if t not in known:
                known[t] = _profile_score(ys, xs, a, pad, nbins, soft=True)
            scores.append(known[t])
        i = int(np.argmax(scores))
        best = float(angles[i])
    if 0 < i < len(angles) - 1:
        # Parabola through the peak and its neighbours: sub-step precision for free.
        s0, s1, s2 = scores[i - 1], scores[i], scores[i + 1]
        denom = s0 - 2 * s1 + s2
        if denom < 0:
            best += 0.5 * step * (s0 - s2) / denom
    return SkewEstimate(float(np.clip(best, -max_deg, max_deg)), strength)


@dataclass(frozen=True, slots=True)
class LineBlobs:
    """Text lines found by smearing letters together along the rows.

    Attributes:
        angles: Counter-clockwise angle of each line blob in degrees.
        lengths: Length of each line blob in inches.
    """

    angles: np.ndarray
    lengths: np.ndarray

    @property
    def total(self) -> float:
        """Summed length of all line blobs, in inches."""
        return float(self.lengths.sum())


def find_line_blobs(ink: np.ndarray, dpi: float, max_deg: float) -> LineBlobs:
    """Smear letters along the rows and keep the blobs shaped like text lines.

    A blob counts when it is long (0.5 in or more), thin (five times longer than high, allowing
    for ``max_deg`` of skew) and thicker on average than a ruled line, so table borders and
    underlines do not count as text.

    Args:
        ink: Ink mask (nonzero = ink).
        dpi: Resolution of ``ink``.
        max_deg: Largest skew allowed for, in degrees.

    Returns:
        The angle and length of each text-line blob.
    """
    gap = max(3, round(0.08 * dpi))  # bridges letter and word gaps, not line gaps
    blobs = cv2.morphologyEx(
        (ink > 0).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8)
    )
    n, labels, stats, _ = label_components(blobs)
    width = stats[:, cv2.CC_STAT_WIDTH].astype(np.float64)
    height = stats[:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    area = stats[:, cv2.CC_STAT_AREA].astype(np.float64)
    slope = math.tan(math.radians(max_deg))
    keep = (
        (width >= 0.5 * dpi)
        & (height - width * slope <= 0.35 * dpi)
        & (width >= 5 * height)
        & (area / np.maximum(width, 1) >= 0.05 * dpi)
    )
    keep[0] = False
    if not keep.any():
        return LineBlobs(np.zeros(0), np.zeros(0))
    # Second moments of every blob at once: far cheaper than one cv2.moments call per blob.
    # The kept blobs' pixels in raster order, picked from all blob pixels by their label
    # rather than by looking every pixel's label up.
    xs, ys = ink_points(blobs)
    lab = labels[ys, xs]
    mine = keep[lab]
    xs, ys, lab = xs[mine], ys[mine], lab[mine]
    count = np.bincount(lab, minlength=n).astype(np.float64)
    ids = np.flatnonzero(keep)
    cnt = count[ids]
    sx = np.bincount(lab, xs.astype(np.float64), minlength=n)[ids] / cnt
    sy = np.bincount(lab, ys.astype(np.float64), minlength=n)[ids] / cnt
    sxx = np.bincount(lab, (xs.astype(np.float64)) ** 2, minlength=n)[ids] / cnt - sx**2
    syy = np.bincount(lab, (ys.astype(np.float64)) ** 2, minlength=n)[ids] / cnt - sy**2
    sxy = np.bincount(lab, xs.astype(np.float64) * ys, minlength=n)[ids] / cnt - sx * sy
    theta = 0.5 * np.degrees(np.arctan2(2 * sxy, sxx - syy))
    # Image y points down, so a line rising to the right has a negative slope there.
    angles = -theta
    ok = np.abs(angles) <= max_deg
    return LineBlobs(angles[ok], width[ids][ok] / dpi)


def line_skew(blobs: LineBlobs) -> SkewEstimate:
    """Estimate skew as the length-weighted median angle of text-line blobs.

    Args:
        blobs: Line blobs from :func:`find_line_blobs` on a page with roughly level lines.

    Returns:
        The estimate; ``strength`` is the total length of the blobs, in inches.
    """
    if blobs.angles.size == 0:
        return SkewEstimate(0.0, 0.0)
    order = np.argsort(blobs.angles)
    cum = np.cumsum(blobs.lengths[order])
    median = float(blobs.angles[order][int(np.searchsorted(cum, cum[-1] / 2))])
    return SkewEstimate(median, blobs.total)


def ink_points(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the x and y coordinates (int32) of the nonzero pixels of a uint8 mask."""
    # cv2.findNonZero is several times faster than np.nonzero on large masks.
    points = cv2.findNonZero(mask)
    if points is None:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty
    points = points.reshape(-1, 2)
    return points[:, 0], points[:, 1]


def label_components(
    mask: np.ndarray,
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Label 8-connected components with their stats and centroids.

    Same result as ``cv2.connectedComponentsWithStats``. Labels are 16-bit while they fit:
    OpenCV's statistics cost three times as much with 32-bit labels, whatever the mask
    holds. A mask with more labels than that makes OpenCV refuse (it checks before each new
    label), and it is labelled again with 32-bit labels by BBDT, the faster algorithm there.
    """
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_BBDT)


def component_labels(mask: np.ndarray) -> tuple[int, np.ndarray]:
    """Label 8-connected components without statistics: 16-bit labels while they fit.

    The same labels as ``cv2.connectedComponents`` (and BBDT, which labels a mask with
    more than 65,535 of them), with half the memory for the look-ups that follow.
    """
    try:
        return cv2.connectedComponents(mask, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_BBDT)


def shrink_mask(mask: np.ndarray) -> np.ndarray:
    """Halve a 0/255 mask, keeping a pixel wherever any of its four sources was set."""
    h, w = mask.shape
    return cv2.threshold(
        cv2.resize(mask, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA),
        0,
        255,
        cv2.THRESH_BINARY,
    )[1]


def rotate_image(
    gray: np.ndarray, angle: float, *, fill: int = 255, interpolation: int = cv2.INTER_CUBIC
) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees, growing the canvas so nothing is cut.

    Args:
        gray: 2-D uint8 image.
        angle: Counter-clockwise angle in degrees (any value).
        fill: Grey level of the uncovered corners.
        interpolation: OpenCV interpolation flag.

    Returns:
        The rotated image.
    """
    h, w = gray.shape[:2]
    rad = math.radians(angle)
    cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
    new_w = int(math.ceil(w * cos + h * sin - 1e-6))
    new_h = int(math.ceil(w * sin + h * cos - 1e-6))
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle, 1.0)
    matrix[0, 2] += (new_w - w) / 2.0
    matrix[1, 2] += (new_h - h) / 2.0
    return cv2.warpAffine(
        gray,
        matrix,
        (new_w, new_h),
        flags=interpolation,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )


def _tan32(angle: float) -> np.float32:
    """Return the tangent of an angle in degrees as float32: all a profile score sees of it."""
    return np.float32(math.tan(math.radians(angle)))


def _profile_score(
    ys: np.ndarray, xs: np.ndarray, angle: float, pad: int, nbins: int, *, soft: bool = False
) -> float:
    """Sharpness of the projection after undoing a counter-clockwise skew of ``angle``."""
    # A line rotated counter-clockwise rises to the right: y = y0 - x tan(a), so y0 = y + x tan(a).
    t = _tan32(angle)
    # ys + xs * t + pad, summed in place (the same float32 sums: fewer arrays to allocate).
    pos = xs * t
    pos += ys
    pos += np.float32(pad)
    if soft:
        # Each pixel puts 1 - frac on its row and frac on the next: the row's count minus its
        # fractions plus the row above's, one weighted count fewer (the slow kind). The same
        # float64 histogram to the bit: pos >= 1, so every frac is a multiple of 2^-23 and
        # every partial sum of up to 2^24 of them is exact in any order.
        rows = pos.astype(np.int32)
        count = np.bincount(rows, minlength=nbins + 1)
        if ys.size * (nbins + 1) < 2**30:
            # A row's fractions are its positions' sum less row x count: with every position
            # a multiple of 2^-23 below nbins + 1, each partial sum of up to ys.size of them
            # is exact too, so the same histogram comes without an array of fractions.
            frac = np.bincount(rows, weights=pos, minlength=nbins + 1)
            frac -= np.arange(nbins + 1) * count
        else:
            frac = np.bincount(rows, weights=pos - rows, minlength=nbins + 1)
        hist = count - frac
        hist[1:] += frac[:-1]
    else:
        rows = (pos + np.float32(0.5)).astype(np.int32)
        hist = np.bincount(rows, minlength=nbins + 1).astype(np.float64)
    diff = np.diff(hist)
    return float(diff @ diff)
