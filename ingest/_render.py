"""Turning one page of a stored original into an image, one page in memory at a time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps, UnidentifiedImageError

from core.models import PDF, PageRef
from core.settings import IngestSettings
from ingest import errors as _errors
from ingest._pdfimage import StoredImageUnusable, decode_stored, is_grey
from ingest._pdfpage import ScanImage, find_scan_image
from ingest._pixels import page_pixels
from ingest._poppler import rasterize

log = logging.getLogger(__name__)

# How a page image was obtained (RenderedPage.origin).
AS_STORED = "as_stored"  # the scan image itself, decoded without resampling
RENDERED_FALLBACK = "rendered_fallback"  # the scan could not be decoded: poppler rendered it
RASTERIZED = "rasterized"  # not a scan (vector or mixed page): rendered at raster_dpi
FALLBACK_FLAG = "rendered_fallback"  # page flag prefix: rendered_fallback:<reason>


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page image as scanned (colour or grey, not yet straightened) and its resolution.

    ``origin`` says which path produced it; ``notes`` are page flags worth keeping (such as
    ``rendered_fallback:devicen``), never silent about a fallback.
    """

    image: Image.Image
    dpi: int
    origin: str = AS_STORED
    notes: tuple[str, ...] = ()


def render_page(ref: PageRef, cfg: IngestSettings) -> RenderedPage:
    """Return the image of one page.

    Scanner PDFs hold one image per page: it is taken out as stored (no resampling, no
    re-rendering), which is both faster and truer than rasterizing. When that image cannot be
    decoded as stored (DeviceN colour, an encoding without a decoder here, damaged data), the
    page is rendered by poppler at the scan's own resolution and the page says so. Other PDF
    pages are rendered by poppler at ``cfg.raster_dpi``, one page per call.

    Raises:
        InputError: the page image cannot be decoded or is over the pixel limit.
        StageError: the renderer failed for another reason.
    """
    Image.MAX_IMAGE_PIXELS = int(cfg.max_image_megapixels * 1e6)
    path = Path(ref.path)
    if ref.detected_type == PDF:
        return _render_pdf_page(path, ref.page_index, cfg)
    try:
        with Image.open(path) as im:
            if ref.page_index:
                im.seek(ref.page_index)
            dpi = image_dpi(im)
            im.load()
            frame = ImageOps.exif_transpose(im) if ref.page_index == 0 else im.copy()
            pixels = page_pixels(frame)
    except Image.DecompressionBombError as e:
        raise _errors.image_too_large(0, 0, cfg.max_image_megapixels) from e
    except (UnidentifiedImageError, OSError, EOFError, SyntaxError, ValueError) as e:
        raise _errors.image_corrupt(str(e)) from e
    return RenderedPage(pixels, dpi)


def image_dpi(im: Image.Image) -> int:
    """Return an image's declared resolution, or 200 when missing or implausible."""
    dpi = im.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    # Missing or nonsense resolution: assume a typical office scan.
    return value if 70 <= value <= 1200 else 200


@dataclass(frozen=True, slots=True)
class _Fallback:
    """What poppler needs to reproduce a scan page that could not be decoded as stored."""

    reason: str
    dpi: int
    size: tuple[int, int]
    grey: bool


def _render_pdf_page(path: Path, index: int, cfg: IngestSettings) -> RenderedPage:
    fallback: _Fallback | None = None
    try:
        with pikepdf.open(path) as pdf:
            page = pdf.pages[index]
            scan = find_scan_image(page)
            if scan is not None:
                stream = page.resources.XObject[scan.name]
                assert isinstance(stream, pikepdf.Stream)
                rotate = int(page.obj.get("/Rotate", 0)) % 360
                try:
                    image = decode_stored(stream)
                except StoredImageUnusable as e:
                    log.warning(
                        "%s page %d: scan image not usable as stored (%s); rendering "
                        "it with poppler at %d dpi",
                        path.name,
                        index + 1,
                        e,
                        scan.dpi,
                    )
                    fallback = _Fallback(
                        e.reason, scan.dpi, _native_size(page, scan), is_grey(stream)
                    )
                else:
                    if rotate:
                        # /Rotate turns the page clockwise for display; PIL rotates CCW.
                        image = image.rotate(-rotate, expand=True)
                    return RenderedPage(image, scan.dpi)
    except pikepdf.PasswordError as e:
        raise _errors.pdf_encrypted() from e
    except Image.DecompressionBombError as e:
        raise _errors.image_too_large(0, 0, cfg.max_image_megapixels) from e
    except (pikepdf.PdfError, OSError) as e:
        # An unreadable structure falls through to poppler, which repairs what it can.
        if isinstance(e, pikepdf.PdfError) and "password" in str(e).lower():
            raise _errors.pdf_encrypted() from e
    if fallback is not None:
        image = rasterize(path, index, dpi=fallback.dpi, size=fallback.size, grey=fallback.grey)
        return RenderedPage(
            page_pixels(image),
            fallback.dpi,
            RENDERED_FALLBACK,
            (f"{FALLBACK_FLAG}:{fallback.reason}",),
        )
    image = rasterize(path, index, dpi=cfg.raster_dpi)
    return RenderedPage(page_pixels(image), cfg.raster_dpi, RASTERIZED)


def _native_size(page: pikepdf.Page, scan: ScanImage) -> tuple[int, int]:
    """Return the rendered page size at which the scan's pixels map one to one.

    pdftoppm's -scale-to-x/-y measure the page before /Rotate, like the page box does.
    """
    box = page.cropbox
    pw, ph = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    width = max(1, round(pw * scan.width / scan.drawn_w))
    height = max(1, round(ph * scan.height / scan.drawn_h))
    return width, height
