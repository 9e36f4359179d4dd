"""The stored scan of a page in a form a PDF can carry without re-encoding loss."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
from PIL import Image

from core.models import JPEG, PDF, EncodedImage, PageRef
from core.settings import IngestSettings
from ingest._pdfpage import find_scan_image
from ingest._render import image_dpi, render_page

# Only grey and RGB are passed through: the searchable PDF declares an sRGB output intent
# (PDF/A-2b), under which DeviceCMYK is not allowed, and CMYK JPEGs from Photoshop-style
# writers store inverted samples that would need a /Decode array to show right.
_PASSTHROUGH = {"L": "DeviceGray", "RGB": "DeviceRGB"}


def encoded_page_image(ref: PageRef, cfg: IngestSettings) -> EncodedImage:
    """Return the page's scan for embedding: JPEG bytes as scanned where possible, else lossless.

    JPEG files and scanner PDFs with one plain JPEG per page keep their original bytes (no
    second lossy generation). Everything else (JBIG2, CCITT, JPEG 2000, CMYK, DeviceN,
    masked or 16-bit images, pages poppler had to render) is decoded the way the OCR stage
    sees it and embedded as Flate-compressed pixels: 1 bit per pixel when the page is pure
    black and white, which keeps bilevel scans small, else 8 bits per channel.
    """
    path = Path(ref.path)
    if ref.detected_type == JPEG:
        with Image.open(path) as jpg:
            orientation = jpg.getexif().get(0x0112, 1)
            if orientation in (0, 1) and jpg.mode in _PASSTHROUGH:
                return EncodedImage(
                    path.read_bytes(),
                    "DCTDecode",
                    _PASSTHROUGH[jpg.mode],
                    8,
                    jpg.width,
                    jpg.height,
                    image_dpi(jpg),
                )
    if ref.detected_type == PDF:
        passthrough = _pdf_jpeg(path, ref.page_index)
        if passthrough is not None:
            return passthrough
    rendered = render_page(ref, cfg)
    return lossless(rendered.image, rendered.dpi)


def lossless(im: Image.Image, dpi: int) -> EncodedImage:
    """Return an L or RGB image as Flate-compressed pixels, packed to 1 bit when bilevel."""
    if im.mode not in _PASSTHROUGH:
        im = im.convert("RGB")
    if im.mode == "L":
        histogram = im.histogram()
        if not any(histogram[1:255]):
            # Only black and white: 1-bit rows, where DeviceGray and Pillow agree 1 is white.
            bits = im.convert("1", dither=Image.Dither.NONE).tobytes()
            return EncodedImage(
                zlib.compress(bits, 6), "FlateDecode", "DeviceGray", 1, im.width, im.height, dpi
            )
    return EncodedImage(
        zlib.compress(im.tobytes(), 6),
        "FlateDecode",
        _PASSTHROUGH[im.mode],
        8,
        im.width,
        im.height,
        dpi,
    )


def _pdf_jpeg(path: Path, index: int) -> EncodedImage | None:
    with pikepdf.open(path) as pdf:
        page = pdf.pages[index]
        scan = find_scan_image(page)
        if scan is None or int(page.obj.get("/Rotate", 0)) % 360:
            return None
        stream = page.resources.XObject[scan.name]
        cs = stream.get("/ColorSpace")
        filt = stream.get("/Filter")
        if filt != pikepdf.Name.DCTDecode or str(cs) not in ("/DeviceGray", "/DeviceRGB"):
            return None
        if int(stream.get("/BitsPerComponent", 8)) != 8 or "/Decode" in stream:
            return None
        if "/SMask" in stream or "/Mask" in stream:
            return None  # the JPEG alone is not what the page shows
        return EncodedImage(
            stream.read_raw_bytes(), "DCTDecode", str(cs)[1:], 8, scan.width, scan.height, scan.dpi
        )
