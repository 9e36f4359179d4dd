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

_COLORSPACES = {"L": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK"}


def encoded_page_image(ref: PageRef, cfg: IngestSettings) -> EncodedImage:
    """Return the page's scan for embedding: JPEG bytes as scanned where possible, else lossless.

    JPEG files and scanner PDFs with one JPEG per page keep their original bytes (no second
    lossy generation); everything else becomes Flate-compressed pixels.
    """
    path = Path(ref.path)
    if ref.detected_type == JPEG:
        with Image.open(path) as jpg:
            orientation = jpg.getexif().get(0x0112, 1)
            if orientation in (0, 1) and jpg.mode in _COLORSPACES:
                return EncodedImage(
                    path.read_bytes(),
                    "DCTDecode",
                    _COLORSPACES[jpg.mode],
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
    im = rendered.image
    if im.mode not in ("L", "RGB"):
        im = im.convert("RGB")
    return EncodedImage(
        zlib.compress(im.tobytes(), 6),
        "FlateDecode",
        _COLORSPACES[im.mode],
        8,
        im.width,
        im.height,
        rendered.dpi,
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
        return EncodedImage(
            stream.read_raw_bytes(), "DCTDecode", str(cs)[1:], 8, scan.width, scan.height, scan.dpi
        )
