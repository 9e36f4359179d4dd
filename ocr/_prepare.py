"""Page preparation before OCR: orientation, deskew and measured cleaning of one page."""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from core.errors import InputError
from core.states import PageFlag
from ocr._clean import (
    PageAnalysis,
    analyse_page,
    clean_page,
    drop_specks,
    lift_streaks,
    may_be_specked,
)
from ocr._deskew import (
    SkewEstimate,
    find_line_blobs,
    line_skew,
    projection_skew,
    rotate_image,
    shrink_mask,
)
from ocr._orientation import (
    OsdFunc,
    combine_with_osd,
    is_sure,
    line_axis,
    rotate_quarter,
    upright_score,
)

# Below this the page is left as scanned: interpolation would cost more than the tilt.
_MIN_SKEW = 0.05
# The two skew methods must agree within this many degrees before the page is rotated.
_AGREE_DEG = 0.5
# Orientation needs some text; skew needs a few lines. Counted in ink pixels at WORK_DPI.
_MIN_INK_PIXELS = 300


@dataclass(frozen=True, slots=True)
class PreparedPage:
    """A page made ready for Tesseract.

    Attributes:
        image: uint8 greyscale, upright and deskewed; the input array itself when nothing
            needed changing (never modified in place).
        rotation: Counter-clockwise rotation of the whole page found in the scan (0/90/180/270);
            fixing it rotated the page by ``-rotation``.
        skew_deg: Counter-clockwise rotation of the content found in the scan (OpenCV/PIL sign);
            deskewing rotated by ``-skew_deg``. 0.0 when not corrected.
        flags: What happened, in order: ``blank_page``; ``orientation_osd`` (the image tests
            were unsure and Tesseract OSD was asked), ``orientation_unsure``;
            ``skew_methods_disagree``, ``skew_unconfirmed`` (no text lines to check the
            projection against), ``skew_out_of_range``; ``cleaned_border``,
            ``cleaned_background``, ``cleaned_speckle``, ``cleaned_streaks``.
        timings_ms: Milliseconds per step.
        review: ``image`` before dirty-drum specks were lifted (only on streaked pages): what
            the review screen shows and the mark re-reader reads, since the lift also pales
            stamps; ``None`` when it would equal ``image``.
        despecked: ``image`` with the specks of dense toner noise erased
            (``ocr._clean.drop_specks``), a second reading to try; ``None`` on pages without
            such noise.
    """

    image: np.ndarray
    rotation: int
    skew_deg: float
    flags: tuple[str, ...]
    timings_ms: dict[str, float]
    review: np.ndarray | None = None
    despecked: np.ndarray | None = None


def prepare_page(
    gray: np.ndarray,
    *,
    fix_orientation: bool = True,
    deskew: bool = True,
    max_deskew_deg: float = 10.0,
    dpi: int = 300,
    osd: OsdFunc | None = None,
) -> PreparedPage:
    """Turn a scanned page upright, level its text lines and clean what measurements call for.

    Orientation comes from two cheap image tests (line direction, then accents above versus
    below the lines); only when one of them is unsure is ``osd`` asked. Skew is measured by a
    projection profile and by text-line blobs, and corrected only when both agree.

    Args:
        gray: Page as a 2-D uint8 greyscale array.
        fix_orientation: Detect and undo 90/180/270 rotations.
        deskew: Detect and undo small skew.
        max_deskew_deg: Largest skew corrected, in degrees.
        dpi: Resolution of ``gray``.
        osd: Orientation detector asked when the image tests are unsure (the engine's
            ``orientation``); without one, an unsure page keeps the image tests' answer.

    Returns:
        The prepared page.

    Raises:
        InputError: ``gray`` is not a non-empty 2-D uint8 array.
    """
    if gray.ndim != 2 or gray.dtype != np.uint8 or gray.size == 0:
        raise InputError(
            f"prepare_page needs a 2-D uint8 greyscale image, got {gray.dtype} {gray.shape}",
            code="bad_image",
            message_vi="Ảnh trang không hợp lệ (cần ảnh xám 8 bit).",
        )
    timings: dict[str, float] = {}
    flags: list[str] = []
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round((now - clock) * 1000, 1)
        clock = now

    analysis = analyse_page(gray, dpi)
    work_dpi = dpi * analysis.scale
    lap("analyse")
    rotation, skew = 0, 0.0
    if cv2.countNonZero(analysis.ink) < _MIN_INK_PIXELS:
        flags.append(PageFlag.BLANK_PAGE)
    elif fix_orientation or deskew:
        # Search a little wider than the correction limit so a page just beyond it is seen as
        # such instead of as a false peak at the edge of the range.
        search_deg = max(max_deskew_deg + 1.0, 5.0)
        rotation, proj, line = _orient(analysis, work_dpi, search_deg, fix_orientation, osd, flags)
        if deskew:
            skew = _decide_skew(proj, line, max_deskew_deg, flags)
    lap("orientation")
    review, clean_flags = clean_page(gray, analysis)
    flags.extend(clean_flags)
    image = lift_streaks(review, analysis)
    if image is not review:
        flags.append(PageFlag.CLEANED_STREAKS)
    despecked = drop_specks(image, dpi) if may_be_specked(analysis) else image
    lap("clean")
    fill = 255 if "cleaned_background" in clean_flags else round(analysis.paper)

    def straighten(page: np.ndarray) -> np.ndarray:
        if skew:
            # Bilinear: as good as bicubic for Tesseract on these pages, and twice as fast.
            return rotate_image(page, -(rotation + skew), fill=fill, interpolation=cv2.INTER_LINEAR)
        return rotate_quarter(page, rotation)

    shown = None if image is review else straighten(review)
    other = None if despecked is image else straighten(despecked)
    image = straighten(image)
    lap("rotate")
    timings["total"] = round(sum(timings.values()), 1)
    return PreparedPage(image, rotation, skew, tuple(flags), timings, shown, other)


def _orient(
    analysis: PageAnalysis,
    dpi: float,
    search_deg: float,
    fix_orientation: bool,
    osd: OsdFunc | None,
    flags: list[str],
) -> tuple[int, SkewEstimate, SkewEstimate]:
    """Find the page rotation and both skew estimates measured on the page turned that way."""
    ink = analysis.ink
    # Line blobs are large: half the working resolution finds them four times faster.
    half = shrink_mask(ink)
    if not fix_orientation:
        blobs = find_line_blobs(half, dpi / 2, search_deg)
        return 0, projection_skew(ink, search_deg), line_skew(blobs)
    vertical, ratio, blobs = line_axis(half, dpi / 2, search_deg)
    rotation = 90 if vertical else 0
    turned = rotate_quarter(ink, rotation)
    proj = projection_skew(turned, search_deg)
    upright, lines = upright_score(rotate_quarter(analysis.text, rotation), proj.angle, dpi)
    if upright < 0:
        rotation += 180
    if is_sure(ratio, upright, lines):
        return rotation, proj, line_skew(blobs)
    result = None
    if osd is not None:
        result = osd(rotate_quarter(analysis.work, rotation), round(dpi))
        flags.append(PageFlag.ORIENTATION_OSD)
    final, sure = combine_with_osd(rotation, result)
    if not sure:
        flags.append(PageFlag.ORIENTATION_UNSURE)
    if (final - rotation) % 180:
        # OSD turned the page a quarter: the lines run the other way, measure them again.
        proj = projection_skew(rotate_quarter(ink, final), search_deg)
        blobs = find_line_blobs(rotate_quarter(half, final), dpi / 2, search_deg)
    return final, proj, line_skew(blobs)


def _decide_skew(proj: SkewEstimate, line: SkewEstimate, max_deg: float, flags: list[str]) -> float:
    """Return the skew to correct, or 0.0 when the two estimates do not support a correction."""
    if proj.strength <= 0:
        return 0.0
    if line.strength > 0 and abs(proj.angle - line.angle) > _AGREE_DEG:
        flags.append(PageFlag.SKEW_METHODS_DISAGREE)
        return 0.0
    if line.strength <= 0:
        flags.append(PageFlag.SKEW_UNCONFIRMED)
        return 0.0
    if abs(proj.angle) > max_deg:
        flags.append(PageFlag.SKEW_OUT_OF_RANGE)
        return 0.0
    if abs(proj.angle) < _MIN_SKEW:
        return 0.0
    return round(proj.angle, 3)
