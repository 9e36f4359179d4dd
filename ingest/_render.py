"""Turning one page of a stored original into an image, one page in memory at a time."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import StageError
from core.models import PDF, PageRef
from core.settings import IngestSettings
from ingest import errors as _errors
from ingest._pdfpage import find_scan_image


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page image as scanned (colour or grey, not yet straightened) and its resolution."""

    image: Image.Image
    dpi: int


def render_page(ref: PageRef, cfg: IngestSettings) -> RenderedPage:
    """Return the image of one page.

    Scanner PDFs hold one image per page: it is taken out as stored (no resampling, no
    re-rendering), which is both faster and truer than rasterizing. Other PDF pages are
    rendered by poppler at ``cfg.raster_dpi``, one page per call.

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
    except Image.DecompressionBombError as e:
        raise _errors.image_too_large(0, 0, cfg.max_image_megapixels) from e
    except (UnidentifiedImageError, OSError, EOFError, SyntaxError, ValueError) as e:
        raise _errors.image_corrupt(str(e)) from e
    return RenderedPage(_normalise_mode(frame), dpi)


def image_dpi(im: Image.Image) -> int:
    """Return an image's declared resolution, or 200 when missing or implausible."""
    dpi = im.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    # Missing or nonsense resolution: assume a typical office scan.
    return value if 70 <= value <= 1200 else 200


def _normalise_mode(im: Image.Image) -> Image.Image:
    if im.mode in ("L", "RGB"):
        return im
    if im.mode in ("1", "I;16", "I", "F"):
        return im.convert("L")
    return im.convert("RGB")


def _render_pdf_page(path: Path, index: int, cfg: IngestSettings) -> RenderedPage:
    try:
        with pikepdf.open(path) as pdf:
            page = pdf.pages[index]
            scan = find_scan_image(page)
            rotate = int(page.obj.get("/Rotate", 0)) % 360
            if scan is not None:
                stream = page.resources.XObject[scan.name]
                assert isinstance(stream, pikepdf.Stream)
                raw = pikepdf.PdfImage(stream)
                image = raw.as_pil_image()
                if rotate:
                    # /Rotate turns the page clockwise for display; PIL rotates CCW.
                    image = image.rotate(-rotate, expand=True)
                return RenderedPage(_normalise_mode(image), scan.dpi)
    except pikepdf.PasswordError as e:
        raise _errors.pdf_encrypted() from e
    except (pikepdf.PdfError, NotImplementedError, UnidentifiedImageError, OSError) as e:
        # Unusual image encodings fall through to the renderer below.
        if isinstance(e, pikepdf.PdfError) and "password" in str(e).lower():
            raise _errors.pdf_encrypted() from e
    dpi = cfg.raster_dpi
    try:
        images = convert_from_path(
            str(path), dpi=dpi, first_page=index + 1, last_page=index + 1, timeout=300
        )
    except (PDFPageCountError, PDFSyntaxError) as e:
        raise _errors.pdf_corrupt(str(e)) from e
    except Exception as e:  # pdf2image raises bare exceptions for poppler failures
        raise StageError(
            f"rendering page {index + 1} failed: {e}",
            code="render_failed",
            message_vi=f"Không dựng được ảnh trang {index + 1} của tệp PDF.",
        ) from e
    if not images:
        raise _errors.pdf_corrupt(f"page {index + 1} produced no image")
    return RenderedPage(_normalise_mode(images[0]), dpi)


def encode_png(image: Image.Image) -> bytes:
    """Return PNG bytes of an image (used for derived page images)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
