"""The stored scan of a page in a form a PDF can carry without re-encoding loss."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
from PIL import Image

from core.models import JPEG, PDF, PNG, TIFF, EncodedImage, PageRef
from core.settings import IngestSettings
from ingest._pdfpage import find_scan_image
from ingest._render import image_dpi, render_page
from ingest._tiffjpeg import tiff_jpeg

# Only grey and RGB are passed through: the searchable PDF declares an sRGB output intent
# (PDF/A-2b), under which DeviceCMYK is not allowed, and CMYK JPEGs from Photoshop-style
# writers store inverted samples that would need a /Decode array to show right.
_PASSTHROUGH = {"L": "DeviceGray", "RGB": "DeviceRGB"}


def encoded_page_image(ref: PageRef, cfg: IngestSettings) -> EncodedImage:
    """Return the page's scan for embedding: JPEG bytes as scanned where possible, else lossless.

    JPEG files and scanner PDFs with one plain JPEG per page keep their original bytes (no
    second lossy generation), and so do grey JPEG TIFFs, their strips joined into one stream
    (``ingest._tiffjpeg``). Everything else (JBIG2, CCITT, JPEG 2000, CMYK, DeviceN,
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
    if ref.detected_type == PNG:
        Image.MAX_IMAGE_PIXELS = int(cfg.max_image_megapixels * 1e6)
        try:
            png = _png_data(path)
        except (OSError, ValueError, struct.error, Image.DecompressionBombError):
            png = None  # the page as the OCR stage decodes it says what is wrong
        if png is not None:
            return png
    if ref.detected_type == TIFF:
        Image.MAX_IMAGE_PIXELS = int(cfg.max_image_megapixels * 1e6)
        try:
            joined = tiff_jpeg(path, ref.page_index)
        except (OSError, ValueError, EOFError, struct.error, Image.DecompressionBombError):
            joined = None  # the page as the OCR stage decodes it says what is wrong
        if joined is not None:
            return joined
    rendered = render_page(ref, cfg)
    return lossless(rendered.image, rendered.dpi)


def lossless(im: Image.Image, dpi: int) -> EncodedImage:
    """Return an L or RGB image as Flate-compressed pixels, packed to 1 bit when bilevel.

    Grey and colour rows are stored after PNG's Up filter (each row less the one above it,
    ``/Predictor 15`` with a filter byte a row), at zlib level 1. OpenCV's PNG writer at the
    same level, which tries every filter on every row, took two to four times the CPU on
    dev's TIFF and born-digital pages (0.2-0.3 s a page) for 2-7 % fewer bytes.
    """
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
    import numpy as np  # not at import: the web app imports ingest and stays without NumPy

    rows = np.asarray(im).reshape(im.height, -1)
    filtered = np.empty((rows.shape[0], rows.shape[1] + 1), np.uint8)
    filtered[:, 0] = _PNG_UP
    filtered[0, 1:] = rows[0]  # the row above the first is zeros
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # modulo 256, as PNG's filters
    return EncodedImage(
        zlib.compress(filtered.data, 1),
        "FlateDecode",
        _PASSTHROUGH[im.mode],
        8,
        im.width,
        im.height,
        dpi,
        predictor=15,
    )


_PNG_UP = 2  # PNG's filter type byte of the Up filter
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# (colour type, bit depth) of PNGs whose image data a PDF carries as it is: grey, RGB.
_PNG_KINDS = {(0, 1): ("DeviceGray", 1), (0, 8): ("DeviceGray", 8), (2, 8): ("DeviceRGB", 8)}


def _idat(png: bytes) -> tuple[bytes, bytes, set[bytes]]:
    """Return a PNG's header data, its image data (the IDAT chunks joined) and chunk types."""
    if not png.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    pos, header, parts, kinds = len(_PNG_SIGNATURE), b"", [], set()
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated PNG")
        kinds.add(kind)
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            parts.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if len(header) != 13 or not parts:
        raise ValueError("PNG without header or image data")
    return header, b"".join(parts), kinds


def _png_data(path: Path) -> EncodedImage | None:
    """Return a PNG scan's own compressed image data for the PDF, when it can carry it as is.

    A PNG stores zlib-compressed, row-filtered pixels, which is what a PDF's Flate filter with
    ``/Predictor 15`` reads: grey and RGB PNGs of 8 bits (or 1-bit black and white) go in
    without being decoded and compressed again. Not: interlaced, palette, 16-bit or
    transparent PNGs, an EXIF rotation, nor 8-bit grey pages of pure black and white (packed
    to 1 bit by ``lossless``, as when decoded).
    """
    data = path.read_bytes()
    header, idat, kinds = _idat(data)
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack(
        ">IIBBBBB", header
    )
    kind = _PNG_KINDS.get((colour, depth))
    if kind is None or interlace or b"tRNS" in kinds:
        return None
    with Image.open(io.BytesIO(data)) as im:
        if im.size != (width, height):
            return None
        # Pillow decodes the whole image to look for EXIF after it, but a PNG holds one only
        # in these chunks: without them its orientation is 1 (a page decoded once for nothing).
        if kinds & _EXIF_CHUNKS and im.getexif().get(0x0112, 1) not in (0, 1):
            return None
        dpi = image_dpi(im)
        grey = kind == ("DeviceGray", 8)
        if grey and not _grey_top(idat, width, height) and not any(im.histogram()[1:255]):
            return None
    return EncodedImage(idat, "FlateDecode", kind[0], kind[1], width, height, dpi, predictor=15)


# Where Pillow finds a PNG's orientation: EXIF (its own chunk, or hex in a text chunk) and XMP.
_EXIF_CHUNKS = {b"eXIf", b"tEXt", b"zTXt", b"iTXt"}
# Rows of an 8-bit grey PNG decoded to find a grey level before the whole page is.
_TOP_ROWS = (64, 512)


def _grey_top(idat: bytes, width: int, height: int) -> bool:
    """Whether the first rows of an 8-bit grey PNG hold a level other than black and white.

    A scan shows one in its first row, and then the page is not bilevel: decoding the first
    rows alone (Pillow's decoder stops when the rows it was given are full) spares decoding
    the whole page. False says nothing: the whole page must then be looked at.
    """
    for rows in _TOP_ROWS:
        if rows >= height:
            return False
        try:
            top = Image.frombytes("L", (width, rows), idat, "zip", "L")
        except ValueError:
            return False
        if any(top.histogram()[1:255]):
            return True
    return False


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
