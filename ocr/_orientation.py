"""Page orientation (0/90/180/270): cheap image tests first, the engine's OSD when unsure."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ocr._deskew import LineBlobs, find_line_blobs, ink_points
from ocr.engine import OsdResult

# Text-line length found across over the length found down (or the reverse), and the length
# (inches) below which a direction counts as empty; text pages give ratios in the tens.
_AXIS_SURE = 3.0
_AXIS_FLOOR_IN = 0.5
# Share of the ink outside the x-height band that lies above it, as (above - below) / (sum).
_UPRIGHT_SURE = 0.15
_MIN_LINES = 3
_OSD_MIN_CONF = 0.5  # below this OSD is no better than a coin
_OSD_SURE_CONF = 2.0


OsdFunc = Callable[[np.ndarray, int], OsdResult | None]


def line_axis(ink: np.ndarray, dpi: float, max_deg: float) -> tuple[bool, float, LineBlobs]:
    """Tell whether text lines run across (0/180) or up and down (90/270).

    Letters are smeared along the rows and, separately, along the columns; only the direction
    the lines really run in yields long, thin, text-thick blobs.

    Args:
        ink: Ink mask of the page as scanned.
        dpi: Resolution of ``ink``.
        max_deg: Largest skew to allow for.

    Returns:
        ``(vertical, ratio, blobs)``: ``vertical`` is True for 90/270 pages; ``ratio`` is the
        line length found in the winning direction over the other (large is sure); ``blobs``
        are the winning line blobs with angles as seen after a quarter turn clockwise.
    """
    across = find_line_blobs(ink, dpi, max_deg)
    down = find_line_blobs(np.ascontiguousarray(ink.T), dpi, max_deg)
    vertical = down.total > across.total
    win, lose = (down, across) if vertical else (across, down)
    ratio = win.total / max(lose.total, _AXIS_FLOOR_IN)
    if vertical:
        # Transposing mirrors the page where a quarter turn would not: mirror the angles back.
        win = LineBlobs(-win.angles, win.lengths)
    return vertical, ratio, win


def upright_score(text: np.ndarray, skew: float, dpi: float) -> tuple[float, int]:
    """Score how upright a page of text is, from where ink sits around each line's core.

    Accents, capitals and ascenders put far more ink above the x-height band than descenders
    and dots below put under it; Vietnamese stacks tone marks on top, so the asymmetry is strong.
    The page is cut into vertical strips so side-by-side header blocks do not blur the lines.

    Args:
        text: Mask of letter-sized ink with lines running across (up to 180° and ``skew``).
        skew: Counter-clockwise skew of the lines, undone by shearing the pixel rows.
        dpi: Resolution of ``text``.

    Returns:
        ``(score, lines)``: score in [-1, 1], positive when upright, negative when upside down;
        ``lines`` is the number of text lines measured.
    """
    xs, ys = ink_points(text)
    if ys.size == 0:
        return 0.0, 0
    height, width = text.shape
    strips = max(1, min(3, width // max(1, round(2.0 * dpi))))
    # Shearing the coordinates levels the lines without warping the image.
    tan = np.float32(np.tan(np.radians(skew)))
    pad = int(abs(tan) * width / 2) + 2
    rows = (ys + (xs.astype(np.float32) - width / 2) * tan + pad).astype(np.intp)
    nbins = height + 2 * pad + 1
    strip = xs * strips // width
    profiles = np.bincount(strip * nbins + rows, minlength=strips * nbins).reshape(strips, nbins)
    above = below = 0.0
    lines = 0
    min_height = max(3, round(0.04 * dpi))
    for profile in profiles.astype(np.float64):
        if profile.max() <= 0:
            continue
        floor = 0.02 * profile.max() + 1.0
        on = np.concatenate(([False], profile > floor, [False]))
        edges = np.flatnonzero(np.diff(on.astype(np.int8)))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            if stop - start < min_height:
                continue
            line = profile[start:stop]
            core = np.flatnonzero(line >= 0.5 * line.max())
            above += line[: core[0]].sum()
            below += line[core[-1] + 1 :].sum()
            lines += 1
    total = above + below
    if total <= 0:
        return 0.0, lines
    return (above - below) / total, lines


def rotate_quarter(image: np.ndarray, rotation: int) -> np.ndarray:
    """Undo a counter-clockwise page rotation of ``rotation`` degrees (a multiple of 90)."""
    turns = (rotation // 90) % 4
    if turns == 0:
        return image
    # np.rot90 turns counter-clockwise; undoing means turning clockwise the same amount.
    return np.ascontiguousarray(np.rot90(image, -turns))


def is_sure(axis_ratio: float, upright: float, lines: int) -> bool:
    """Return True when both image tests decided with a clear margin on enough text lines."""
    return axis_ratio >= _AXIS_SURE and abs(upright) >= _UPRIGHT_SURE and lines >= _MIN_LINES


def combine_with_osd(image_rotation: int, osd: OsdResult | None) -> tuple[int, bool]:
    """Resolve an unsure image-based rotation with OSD run on the page turned as the tests said.

    On pages with one or two lines OSD, even at low confidence, was right more often than the
    accent test, so it decides from a low bar; the result counts as sure when OSD is confident
    or simply agrees with the image tests.

    Args:
        image_rotation: Rotation the image tests chose.
        osd: OSD result on the page after undoing ``image_rotation``, or ``None``.

    Returns:
        ``(rotation, sure)``.
    """
    if osd is None or osd.confidence < _OSD_MIN_CONF:
        return image_rotation, False
    sure = osd.rotation == 0 or osd.confidence >= _OSD_SURE_CONF
    return (image_rotation + osd.rotation) % 360, sure
