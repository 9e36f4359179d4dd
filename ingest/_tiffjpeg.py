"""A grey JPEG-compressed TIFF page as one JPEG stream, for the PDF: its strips joined as stored.

A JPEG TIFF (compression 7) stores each band of rows, a strip, as a JPEG stream of its own
whose quantisation and Huffman tables sit once in the JPEGTables tag. Joined with restart
markers between them (as libtiff's tiff2pdf does), the strips form one baseline JPEG whose
pixels are those of the strips decoded one by one: a block of a one-component JPEG depends on
nothing outside its strip but the DC prediction, which a restart marker resets as a new stream
does. Colour strips are not joined (chroma upsampling blends across their edges), nor any
strip this module does not recognise to the byte: such a page is compressed again losslessly.
"""

from __future__ import annotations

import math
import re
import struct
from pathlib import Path

from PIL import Image, TiffImagePlugin

from core.models import EncodedImage
from ingest._render import image_dpi

_SOI, _EOI, _SOF0, _SOS, _DRI = b"\xff\xd8", b"\xff\xd9", 0xC0, 0xDA, 0xDD
_TABLES = (0xC4, 0xDB)  # DHT, DQT: only in JPEGTables, the same for every strip
# TIFF tags: compression, photometric, samples, bits, orientation, planar, tiles, strips
_JPEG_NEW, _MIN_IS_BLACK = 7, 1


def tiff_jpeg(path: Path, index: int) -> EncodedImage | None:
    """Return the page's strips joined as one JPEG for the PDF; None when they cannot be.

    Only 8-bit grey pages (black is 0), upright, in strips whose height is a whole number of
    blocks, each a baseline stream with the TIFF's tables and nothing else of its own.
    """
    with Image.open(path) as im:
        if not isinstance(im, TiffImagePlugin.TiffImageFile):
            return None
        if index:
            im.seek(index)
        tags = im.tag_v2
        simple = (
            tags.get(259) == _JPEG_NEW
            and tags.get(262) == _MIN_IS_BLACK
            and tags.get(277, 1) == 1
            and tuple(tags.get(258, (8,))) == (8,)
            and tags.get(274, 1) == 1
            and tags.get(284, 1) == 1
            and 322 not in tags  # tiled
        )
        if not simple or 347 not in tags:
            return None
        width, height = im.size
        dpi = image_dpi(im)
        per_strip = int(tags.get(278, height))
        offsets, counts = tuple(tags.get(273, ())), tuple(tags.get(279, ()))
        tables = _segments(bytes(tags[347]))
    if tables is None or any(kind not in _TABLES for kind, _ in tables):
        return None
    if per_strip <= 0 or per_strip % 8 or len(offsets) != math.ceil(height / per_strip):
        return None
    # A strip must lie inside the file: a hostile byte count (4 GB) would be read as asked.
    size = path.stat().st_size
    if len(counts) != len(offsets) or any(
        o < 0 or c <= 0 or o + c > size for o, c in zip(offsets, counts, strict=True)
    ):
        return None
    interval = math.ceil(width / 8) * per_strip // 8
    if interval > 0xFFFF:
        return None
    with path.open("rb") as f:
        strips = []
        for offset, count in zip(offsets, counts, strict=True):
            f.seek(offset)
            strips.append(f.read(count))
    frame = scan = None
    data = []
    for i, strip in enumerate(strips):
        parts = _strip(strip)
        if parts is None:
            return None
        sof, sos, entropy = parts
        rows = min(per_strip, height - i * per_strip)
        # SOF0: precision, rows, columns, then one component's id, sampling and table.
        if len(sof) != 9 or struct.unpack(">BHHB", sof[:6]) != (8, rows, width, 1):
            return None
        if frame is None:
            frame, scan = sof[6:], sos
        elif sof[6:] != frame or sos != scan:
            return None
        data.append(entropy)
    assert frame is not None and scan is not None
    out = [_SOI]
    out += [_marker(kind, body) for kind, body in tables]
    out.append(_marker(_SOF0, struct.pack(">BHHB", 8, height, width, 1) + frame))
    out.append(_marker(_DRI, struct.pack(">H", interval)))
    out.append(_marker(_SOS, scan))
    for i, entropy in enumerate(data):
        if i:
            out.append(bytes((0xFF, 0xD0 + (i - 1) % 8)))  # RST0..RST7 in turn
        out.append(entropy)
    out.append(_EOI)
    return EncodedImage(b"".join(out), "DCTDecode", "DeviceGray", 8, width, height, dpi)


def _marker(kind: int, body: bytes) -> bytes:
    return bytes((0xFF, kind)) + struct.pack(">H", len(body) + 2) + body


def _segments(stream: bytes) -> list[tuple[int, bytes]] | None:
    """Return the marker segments of a tables-only JPEG stream (SOI, segments, EOI)."""
    if not stream.startswith(_SOI):
        return None
    pos = 2
    found: list[tuple[int, bytes]] = []
    while pos + 2 <= len(stream):
        if stream[pos] != 0xFF:
            return None
        kind = stream[pos + 1]
        if kind == 0xD9:
            return found
        if pos + 4 > len(stream):
            return None
        (length,) = struct.unpack(">H", stream[pos + 2 : pos + 4])
        found.append((kind, stream[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return None


def _strip(stream: bytes) -> tuple[bytes, bytes, bytes] | None:
    """Return a strip's SOF0 and SOS bodies and its entropy-coded data; None if not plain."""
    if not stream.startswith(_SOI):
        return None
    pos, sof = 2, None
    while pos + 4 <= len(stream):
        if stream[pos] != 0xFF:
            return None
        kind = stream[pos + 1]
        (length,) = struct.unpack(">H", stream[pos + 2 : pos + 4])
        body = stream[pos + 4 : pos + 2 + length]
        pos += 2 + length
        if kind == _SOF0:
            sof = body
        elif kind == _SOS:
            end = stream.rfind(_EOI)
            entropy = stream[pos:end]
            # One scan of the whole strip, without restart markers of its own.
            if sof is None or end < pos or _has_marker(entropy):
                return None
            return sof, body, entropy
        elif not (0xE0 <= kind <= 0xEF or kind == 0xFE):  # APPn and comments are dropped
            return None
    return None


def _has_marker(entropy: bytes) -> bool:
    """Whether entropy-coded data holds a marker (0xFF not followed by a stuffed 0x00)."""
    return _MARKER.search(entropy) is not None


_MARKER = re.compile(rb"\xff[^\x00]|\xff$")
