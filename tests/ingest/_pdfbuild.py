"""Test pages with a known pattern, and one-page PDFs that carry them in a chosen encoding.

The pattern is a black rectangle and a line of Vietnamese text at known places on a white
page; :func:`check_pattern` tells whether an image shows it with the right polarity.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import FONT

W, H, DPI = 600, 800, 100
RECT = (60, 80, 260, 220)  # left, top, right, bottom: black
TEXT_AT = (60, 300)
TEXT_BOX = (60, 300, 540, 360)  # where the text is: some dark, mostly light
BLANK = (320, 420, 560, 760)  # nothing drawn: white
COLOUR_RECT = (320, 80, 540, 220)  # coloured patch on colour pages


GREY_RECT = (320, 232, 540, 288)  # mid grey (128) on grey and colour pages


@dataclass(frozen=True)
class Sub:
    """A stream inside the image dictionary: a function, an ICC profile, a soft mask..."""

    data: bytes
    entries: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageImage:
    """One page's image: its raw (encoded) stream bytes and its dictionary entries."""

    data: bytes
    entries: dict[str, Any]
    width: int = W
    height: int = H
    dpi: int = DPI
    rotate: int = 0


def pattern(
    mode: str = "L", colour: tuple[int, ...] | None = None, *, grey: bool = True
) -> Image.Image:
    """Return the test page: black rectangle, text, grey and optional coloured patches.

    CMYK pages are drawn in CMYK so that black is K ink, as a print workflow has it.
    """
    cmyk = mode == "CMYK"
    im = Image.new("CMYK" if cmyk else "RGB", (W, H), (0, 0, 0, 0) if cmyk else (255,) * 3)
    draw = ImageDraw.Draw(im)
    black = (0, 0, 0, 255) if cmyk else (0, 0, 0)
    draw.rectangle(RECT, fill=black)
    draw.text(TEXT_AT, "Số hóa hồ sơ 2024", fill=black, font=ImageFont.truetype(str(FONT), 44))
    if grey:
        draw.rectangle(GREY_RECT, fill=(0, 0, 0, 127) if cmyk else (128, 128, 128))
    if colour is not None:
        draw.rectangle(COLOUR_RECT, fill=colour)
    return im.convert(mode) if mode not in ("RGB", "CMYK") else im


def _mean(gray: np.ndarray, box: tuple[int, int, int, int], inset: int = 6) -> float:
    left, top, right, bottom = box
    return float(gray[top + inset : bottom - inset, left + inset : right - inset].mean())


def check_pattern(
    im: Image.Image,
    size: tuple[int, int] = (W, H),
    *,
    grey: bool = False,
    colour: tuple[int, int, int] | None = None,
) -> None:
    """Assert the image is the pattern: right size, dark rectangle and text, light paper.

    ``grey`` also checks the mid-grey patch (a 16-bit image scaled wrongly turns it white or
    black); ``colour`` checks the coloured patch's RGB, within a tolerance.
    """
    assert im.size == size, im.size
    gray = np.asarray(im.convert("L"), dtype=np.float64)
    assert _mean(gray, RECT) < 40, f"rectangle not dark: {_mean(gray, RECT):.0f}"
    assert _mean(gray, BLANK) > 215, f"paper not light: {_mean(gray, BLANK):.0f}"
    text = gray[TEXT_BOX[1] : TEXT_BOX[3], TEXT_BOX[0] : TEXT_BOX[2]]
    dark = float((text < 100).mean())
    assert 0.05 < dark < 0.5, f"text share of dark pixels {dark:.2f}"
    if grey:
        assert 100 < _mean(gray, GREY_RECT) < 156, f"grey patch: {_mean(gray, GREY_RECT):.0f}"
    if colour is not None:
        rgb = np.asarray(im.convert("RGB"), dtype=np.float64)
        left, top, right, bottom = COLOUR_RECT
        got = rgb[top + 6 : bottom - 6, left + 6 : right - 6].reshape(-1, 3).mean(axis=0)
        assert all(abs(g - c) < 40 for g, c in zip(got, colour, strict=True)), got


def image_pdf(path: Path, pages: list[PageImage]) -> Path:
    """Write a PDF whose every page draws one image XObject over the whole page.

    Each ``PageImage.data`` is written as the stream's raw (encoded) bytes, its ``entries``
    become the image dictionary (Filter, DecodeParms, ColorSpace, BitsPerComponent, Decode,
    SMask...); a :class:`Sub` value becomes a stream of its own (e.g. ``JBIG2Globals``).
    """
    pdf = pikepdf.new()
    for spec in pages:
        image = pikepdf.Stream(pdf, b"")
        image.write(spec.data, filter=None)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height = spec.width, spec.height
        for key, value in spec.entries.items():
            image[f"/{key}"] = _pdf_value(pdf, value)
        pw, ph = spec.width * 72 / spec.dpi, spec.height * 72 / spec.dpi
        page = pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, pw, ph],
                Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
            )
        )
        if spec.rotate:
            page.obj.Rotate = spec.rotate
        page.obj.Contents = pikepdf.Stream(
            pdf, f"q {pw:.4f} 0 0 {ph:.4f} 0 0 cm /Im0 Do Q".encode()
        )
        pdf.pages.append(page)
    pdf.save(path)
    return path


def one_page_pdf(
    path: Path,
    data: bytes,
    *,
    width: int = W,
    height: int = H,
    dpi: int = DPI,
    rotate: int = 0,
    **entries: Any,
) -> Path:
    """Write a one-page PDF of one image (see :func:`image_pdf`)."""
    return image_pdf(path, [PageImage(data, entries, width, height, dpi, rotate)])


def _pdf_value(pdf: pikepdf.Pdf, value: Any) -> Any:
    if isinstance(value, Sub):
        stream = pikepdf.Stream(pdf, b"")
        stream.write(value.data, filter=None)
        for key, entry in value.entries.items():
            stream[f"/{key}"] = _pdf_value(pdf, entry)
        return pdf.make_indirect(stream)
    if isinstance(value, str) and value.startswith("/"):
        return pikepdf.Name(value)
    if isinstance(value, list):
        return pikepdf.Array([_pdf_value(pdf, v) for v in value])
    if isinstance(value, dict):
        return pikepdf.Dictionary({f"/{k}": _pdf_value(pdf, v) for k, v in value.items()})
    return value


def flate(raw: bytes) -> bytes:
    """Return zlib-compressed bytes (a FlateDecode stream's content)."""
    return zlib.compress(raw, 6)


def jpeg(im: Image.Image, **kw: Any) -> bytes:
    """Return JPEG bytes of an image."""
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=92, **kw)
    return buf.getvalue()


def ccitt(im: Image.Image, *, k: int, black_is_1: bool = False, byte_align: bool = False) -> bytes:
    """Return CCITT fax data of a page (K<0 Group 4, K=0 G3 1-D, K>0 G3 2-D), via libtiff.

    libtiff codes 0 bits as white runs. With ``black_is_1`` the caller will declare
    /BlackIs1 true, under which the filter turns *black* runs into 1 bits and DeviceGray
    shows 1 as white: the runs are coded from the inverted page so that the page looks
    right. ``byte_align`` pads each coded line to a byte boundary (T4Options fill bits).
    """
    dark = np.asarray(im.convert("L")) < 128
    coded = ~dark if black_is_1 else dark  # bits that libtiff codes as black runs
    ones = Image.fromarray(coded.astype(np.uint8) * 255).convert("1")
    buf = io.BytesIO()
    info: dict[int, int] = {278: im.height}
    if k < 0:
        compression = "group4"
    else:
        compression = "group3"
        info[292] = (1 if k > 0 else 0) | (4 if byte_align else 0)
    ones.save(buf, "TIFF", compression=compression, tiffinfo=info)
    with Image.open(io.BytesIO(buf.getvalue())) as tif:
        offset, length = tif.tag_v2[273][0], tif.tag_v2[279][0]
    return buf.getvalue()[offset : offset + length]


def png16_rgb(im: Image.Image) -> bytes:
    """Return a 16-bit-per-channel RGB PNG of an RGB image (Pillow writes no such PNG)."""
    arr = np.asarray(im.convert("RGB")).astype(">u2") * 257
    h, w = arr.shape[:2]
    raw = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    dpm = round(DPI / 0.0254)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"pHYs", struct.pack(">IIB", dpm, dpm, 1))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def tiff16_rgb(im: Image.Image) -> bytes:
    """Return an uncompressed 16-bit-per-channel RGB TIFF (Pillow writes no such TIFF)."""
    arr = np.asarray(im.convert("RGB")).astype("<u2") * 257
    h, w = arr.shape[:2]
    pixels = arr.tobytes()
    bps_at, xres_at, yres_at, data_at = 158, 164, 172, 180
    entries = [
        (256, 4, 1, w),
        (257, 4, 1, h),
        (258, 3, 3, bps_at),
        (259, 3, 1, 1),
        (262, 3, 1, 2),
        (273, 4, 1, data_at),
        (277, 3, 1, 3),
        (278, 4, 1, h),
        (279, 4, 1, len(pixels)),
        (282, 5, 1, xres_at),
        (283, 5, 1, yres_at),
        (296, 3, 1, 2),
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = (
            struct.pack("<HI", value, 0)[:4]
            if kind == 3 and count == 1
            else struct.pack("<I", value)
        )
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    ifd += struct.pack("<I", 0)
    head = b"II" + struct.pack("<HI", 42, 8) + ifd
    assert len(head) == bps_at
    return head + struct.pack("<3H", 16, 16, 16) + struct.pack("<II", DPI, 1) * 2 + pixels


def grey_icc_profile() -> bytes:
    """Return a minimal ICC v2 grey display profile (identity curve, D50 white).

    Pillow builds no grey profile and Debian ships none with the packages sohoa installs.
    """

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    d50 = s15(0.9642) + s15(1.0) + s15(0.8249)
    name = b"sohoa test grey\x00"
    desc = (
        b"desc"
        + bytes(4)
        + struct.pack(">I", len(name))
        + name
        + bytes(4)
        + bytes(4)
        + bytes(2)
        + bytes(1)
        + bytes(67)
    )
    tags = [
        (b"desc", desc),
        (b"wtpt", b"XYZ " + bytes(4) + d50),
        (b"kTRC", b"curv" + bytes(4) + struct.pack(">I", 0)),
        (b"cprt", b"text" + bytes(4) + b"CC0\x00"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = struct.pack(">I", len(tags)), b""
    for sig, data in tags:
        data += bytes(-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + bytes(4)
        + struct.pack(">I", 0x02100000)
        + b"mntr"
        + b"GRAY"
        + b"XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + bytes(4 * 6)
        + struct.pack(">I", 0)
        + d50
        + bytes(4)
    )
    header += bytes(128 - len(header))
    return header + table + body


RED_CMYK = (0, 255, 255, 0)
RED = (255, 0, 0)
PALETTE = bytes([255, 255, 255, 0, 0, 0, 255, 0, 0, 128, 128, 128])  # white black red grey


def dark(im: Image.Image) -> np.ndarray:
    """Return where an image is dark."""
    return np.asarray(im.convert("L")) < 128


def indices() -> np.ndarray:
    """Palette indices of the colour pattern: 0 paper, 1 ink, 2 red patch, 3 grey patch."""
    rgb = np.asarray(pattern("RGB", colour=RED)).astype(int)
    idx = np.zeros(rgb.shape[:2], np.uint8)
    idx[(rgb == 0).all(axis=2)] = 1
    idx[(rgb == (255, 0, 0)).all(axis=2)] = 2
    idx[(rgb == 128).all(axis=2)] = 3
    idx[(rgb.sum(axis=2) < 384) & (idx == 0)] = 1  # antialiased text edges
    return idx
