"""Decoding a PDF page's scan image as stored, or saying in one word why it cannot be.

pikepdf's ``PdfImage`` does the decoding (JBIG2 through jbig2dec, CCITT through libtiff,
JPEG and JPEG 2000 through Pillow, the rest through qpdf) and applies /Decode and soft
masks. What it cannot do (DeviceN and Separation colour, CCITT with EncodedByteAlign, a
missing jbig2dec, damaged data) is reported as :class:`StoredImageUnusable`, and the caller
renders the page with poppler instead.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import pikepdf
from pikepdf.exceptions import (
    DependencyError,
    HifiPrintImageNotTranscodableError,
    NotExtractableError,
    UnsupportedImageTypeError,
)
from PIL import Image, ImageOps

from ingest._pixels import page_pixels

log = logging.getLogger(__name__)

# Fallback reasons, recorded on the page as ``rendered_fallback:<reason>``.
DEVICE_N = "devicen"
SEPARATION = "separation"
DECODER_MISSING = "decoder_missing"
UNSUPPORTED = "unsupported_encoding"
DECODE_FAILED = "decode_failed"
SIZE_MISMATCH = "size_mismatch"

_BILEVEL_FILTERS = ("/JBIG2Decode", "/CCITTFaxDecode")


class StoredImageUnusable(Exception):
    """The stored image cannot be taken as it is; ``reason`` is one of the codes above."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def decode_stored(stream: pikepdf.Stream) -> Image.Image:
    """Return the image's pixels as a viewer shows them, in mode L or RGB.

    Raises:
        StoredImageUnusable: the image must be rendered instead; the reason says why.
        Image.DecompressionBombError: the decoded image is over the pixel limit.
    """
    family = colorspace_family(stream)
    if family in ("/DeviceN", "/NChannel"):
        # Colorants mixed through a tint transform: only a renderer evaluates that.
        raise StoredImageUnusable(DEVICE_N, "DeviceN colour space")
    if family == "/Separation":
        raise StoredImageUnusable(SEPARATION, "Separation colour space")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pim = pikepdf.PdfImage(stream)
            im = pim.as_pil_image()
            im.load()  # JPEG, JPEG 2000 and TIFF-wrapped CCITT decode lazily
            im = _apply_jpeg_decode(stream, im)
            pixels = page_pixels(im)
        except Image.DecompressionBombError:
            raise
        except DependencyError as e:  # jbig2dec not installed
            raise StoredImageUnusable(DECODER_MISSING, str(e)) from e
        except HifiPrintImageNotTranscodableError as e:
            raise StoredImageUnusable(DEVICE_N, str(e) or "high-fidelity print image") from e
        except (UnsupportedImageTypeError, NotExtractableError, NotImplementedError) as e:
            raise StoredImageUnusable(UNSUPPORTED, f"{type(e).__name__}: {e}") from e
        except Exception as e:  # any decoder failure on damaged or odd data: render instead
            raise StoredImageUnusable(DECODE_FAILED, f"{type(e).__name__}: {e}") from e
    for w in caught:
        log.info("image decoded as stored with a note: %s", w.message)
    expected = (int(stream.Width), int(stream.Height))
    if pixels.size != expected:
        raise StoredImageUnusable(SIZE_MISMATCH, f"decoded {pixels.size}, declared {expected}")
    return pixels


def colorspace_family(stream: pikepdf.Stream) -> str:
    """Return the colour space's family name (``/DeviceGray``, ``/Indexed``, ``/DeviceN``...)."""
    cs: Any = stream.get("/ColorSpace")
    if isinstance(cs, pikepdf.Array) and len(cs):
        return str(cs[0])
    return str(cs) if cs is not None else ""


def is_grey(stream: pikepdf.Stream) -> bool:
    """Return whether the image has one grey channel (bilevel or grey), not colour."""
    if stream.get("/ImageMask", False):
        return True
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
    if any(f in _BILEVEL_FILTERS for f in names):
        return True
    cs: Any = stream.get("/ColorSpace")
    family = colorspace_family(stream)
    if family == "/ICCBased":
        return int(cs[1].get("/N", 3)) == 1
    return family in ("/DeviceGray", "/CalGray")


def _apply_jpeg_decode(stream: pikepdf.Stream, im: Image.Image) -> Image.Image:
    """Apply a /Decode array to a JPEG, which pikepdf leaves to the codec.

    The one case the codec does handle is Adobe's inverted CMYK: Photoshop stores CMYK JPEG
    samples inverted, says so in an APP14 marker (which Pillow honours) and PDF writers add
    /Decode [1 0 1 0 1 0 1 0] for viewers that ignore the marker. Applying that array again
    would invert the colours back. Other inverting arrays (a negative grey scan) are applied.
    """
    decode = stream.get("/Decode")
    if decode is None or "/DCTDecode" not in str(stream.get("/Filter")):
        return im
    pairs = [(float(decode[i]), float(decode[i + 1])) for i in range(0, len(decode) - 1, 2)]
    if all(p == (0.0, 1.0) for p in pairs) or len(pairs) != len(im.getbands()):
        return im
    if im.mode == "CMYK" and "adobe" in im.info:
        return im
    if all(p == (1.0, 0.0) for p in pairs):
        return ImageOps.invert(im) if im.mode != "CMYK" else _invert_bands(im)
    lut: list[int] = []
    for lo, hi in pairs:
        lut.extend(round(min(1.0, max(0.0, lo + v / 255 * (hi - lo))) * 255) for v in range(256))
    return im.point(lut)


def _invert_bands(im: Image.Image) -> Image.Image:
    return Image.merge(im.mode, [ImageOps.invert(b) for b in im.split()])
