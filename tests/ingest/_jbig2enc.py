"""A small JBIG2 encoder for tests: embedded-stream JBIG2 as PDF carries it (ITU-T T.88).

Debian has no JBIG2 encoder (jbig2enc is not packaged), so the test files are made here:

* ``generic_mmr``: one page of one immediate generic region coded with MMR (T.6, the bits
  come from libtiff's Group 4 encoder through Pillow);
* ``symbol_page``: a symbol dictionary in a *globals* stream (arithmetic coding, generic
  template 0) and a page stream whose text region places those symbols, the way jbig2enc's
  ``-s`` mode (and most scanner software) writes JBIG2 with ``/JBIG2Globals``.

The arithmetic coder is the MQ coder of T.88 Annex E; integers and symbol ids follow Annex A.
Pixels are JBIG2's: 1 is black.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

# Table E.1: Qe, next index after an MPS, after an LPS, and whether an LPS switches the MPS.
_QE = [
    (0x5601, 1, 1, 1),
    (0x3401, 2, 6, 0),
    (0x1801, 3, 9, 0),
    (0x0AC1, 4, 12, 0),
    (0x0521, 5, 29, 0),
    (0x0221, 38, 33, 0),
    (0x5601, 7, 6, 1),
    (0x5401, 8, 14, 0),
    (0x4801, 9, 14, 0),
    (0x3801, 10, 14, 0),
    (0x3001, 11, 17, 0),
    (0x2401, 12, 18, 0),
    (0x1C01, 13, 20, 0),
    (0x1601, 29, 21, 0),
    (0x5601, 15, 14, 1),
    (0x5401, 16, 14, 0),
    (0x5101, 17, 15, 0),
    (0x4801, 18, 16, 0),
    (0x3801, 19, 17, 0),
    (0x3401, 20, 18, 0),
    (0x3001, 21, 19, 0),
    (0x2801, 22, 19, 0),
    (0x2401, 23, 20, 0),
    (0x2201, 24, 21, 0),
    (0x1C01, 25, 22, 0),
    (0x1801, 26, 23, 0),
    (0x1601, 27, 24, 0),
    (0x1401, 28, 25, 0),
    (0x1201, 29, 26, 0),
    (0x1101, 30, 27, 0),
    (0x0AC1, 31, 28, 0),
    (0x09C1, 32, 29, 0),
    (0x08A1, 33, 30, 0),
    (0x0521, 34, 31, 0),
    (0x0441, 35, 32, 0),
    (0x02A1, 36, 33, 0),
    (0x0221, 37, 34, 0),
    (0x0141, 38, 35, 0),
    (0x0111, 39, 36, 0),
    (0x0085, 40, 37, 0),
    (0x0049, 41, 38, 0),
    (0x0025, 42, 39, 0),
    (0x0015, 43, 40, 0),
    (0x0009, 44, 41, 0),
    (0x0005, 45, 42, 0),
    (0x0001, 45, 43, 0),
    (0x5601, 46, 46, 0),
]
# Template 0 with its default adaptive pixels A1..A4, as the symbol dictionary declares them.
_AT = (3, -1, -3, -1, 2, -2, -2, -2)


@dataclass
class _Contexts:
    state: dict[int, tuple[int, int]] = field(default_factory=dict)  # cx -> (index, mps)


class MQEncoder:
    """The MQ arithmetic encoder (T.88 E.2)."""

    def __init__(self) -> None:
        self.a, self.c, self.ct = 0x8000, 0, 12
        self.buf = bytearray([0])  # buf[0] is the spec's byte at BPST-1, never written out

    def encode(self, ctx: _Contexts, cx: int, d: int) -> None:
        index, mps = ctx.state.get(cx, (0, 0))
        qe, nmps, nlps, switch = _QE[index]
        self.a -= qe
        if d == mps:
            if self.a & 0x8000:
                self.c += qe
                return
            if self.a < qe:
                self.a = qe
            else:
                self.c += qe
            ctx.state[cx] = (nmps, mps)
        else:
            if self.a < qe:
                self.c += qe
            else:
                self.a = qe
            ctx.state[cx] = (nlps, 1 - mps if switch else mps)
        while True:
            self.a = (self.a << 1) & 0xFFFF
            self.c = (self.c << 1) & 0xFFFFFFFF
            self.ct -= 1
            if self.ct == 0:
                self._byteout()
            if self.a & 0x8000:
                break

    def _byteout(self) -> None:
        if self.buf[-1] == 0xFF:
            self._emit(20)
        elif self.c < 0x8000000:
            self._emit(19)
        else:
            self.buf[-1] += 1
            if self.buf[-1] == 0xFF:
                self.c &= 0x7FFFFFF
                self._emit(20)
            else:
                self._emit(19)

    def _emit(self, shift: int) -> None:
        self.buf.append((self.c >> shift) & 0xFF)
        self.c &= (1 << shift) - 1
        self.ct = 7 if shift == 20 else 8

    def finish(self) -> bytes:
        """Flush (E.2.9) and return the coded bytes, ending with the 0xFFAC marker."""
        tempc = self.c + self.a
        self.c |= 0xFFFF
        if self.c >= tempc:
            self.c -= 0x8000
        self.c <<= self.ct
        self._byteout()
        self.c <<= self.ct
        self._byteout()
        if self.buf[-1] != 0xFF:
            self.buf.append(0xFF)
        self.buf.append(0xAC)
        return bytes(self.buf[1:])


# Annex A.2: (lowest value, prefix bits after the sign, number of value bits) per range.
_INT_RANGES = [
    (0, (0,), 2),
    (4, (1, 0), 4),
    (20, (1, 1, 0), 6),
    (84, (1, 1, 1, 0), 8),
    (340, (1, 1, 1, 1, 0), 12),
    (4436, (1, 1, 1, 1, 1), 32),
]


def _encode_int(mq: MQEncoder, ctx: _Contexts, value: int | None) -> None:
    """Encode an integer (or OOB when ``value`` is None) with an IAx procedure."""
    prev = 1

    def bit(d: int) -> None:
        nonlocal prev
        mq.encode(ctx, prev, d)
        prev = ((prev << 1) | d) if prev < 256 else ((((prev << 1) | d) & 511) | 256)

    if value is None:  # OOB is "-0"
        for d in (1, 0, 0, 0):
            bit(d)
        return
    bit(1 if value < 0 else 0)
    magnitude = abs(value)
    low, prefix, nbits = next(r for r in reversed(_INT_RANGES) if magnitude >= r[0])
    for d in prefix:
        bit(d)
    for i in range(nbits - 1, -1, -1):
        bit(((magnitude - low) >> i) & 1)


def _encode_iaid(mq: MQEncoder, ctx: _Contexts, value: int, codelen: int) -> None:
    prev = 1
    for i in range(codelen - 1, -1, -1):
        d = (value >> i) & 1
        mq.encode(ctx, prev, d)
        prev = (prev << 1) | d


def _encode_generic(mq: MQEncoder, ctx: _Contexts, bits: np.ndarray) -> None:
    """Code a bitmap with generic region template 0, default AT pixels, no TPGDON (6.2.5)."""
    h, w = bits.shape
    padded = np.zeros((h + 2, w + 8), dtype=np.uint8)  # 2 rows above, 4 columns each side
    padded[2:, 4 : w + 4] = bits

    def px(x: int, y: int) -> int:
        return int(padded[y + 2, x + 4])

    a1x, a1y, a2x, a2y, a3x, a3y, a4x, a4y = _AT
    for y in range(h):
        for x in range(w):
            cx = (
                px(x - 1, y)
                | px(x - 2, y) << 1
                | px(x - 3, y) << 2
                | px(x - 4, y) << 3
                | px(x + a1x, y + a1y) << 4
                | px(x + 2, y - 1) << 5
                | px(x + 1, y - 1) << 6
                | px(x, y - 1) << 7
                | px(x - 1, y - 1) << 8
                | px(x - 2, y - 1) << 9
                | px(x + a2x, y + a2y) << 10
                | px(x + a3x, y + a3y) << 11
                | px(x + 1, y - 2) << 12
                | px(x, y - 2) << 13
                | px(x - 1, y - 2) << 14
                | px(x + a4x, y + a4y) << 15
            )
            mq.encode(ctx, cx, int(bits[y, x]))


def _segment(
    number: int, kind: int, page: int, data: bytes, refers_to: tuple[int, ...] = ()
) -> bytes:
    """Return one segment: header (7.2, one-byte page association) and data."""
    assert len(refers_to) <= 4 and number <= 256
    header = struct.pack(">IBB", number, kind, len(refers_to) << 5)
    header += bytes(refers_to) + bytes([page]) + struct.pack(">I", len(data))
    return header + data


def _page_info(width: int, height: int, dpi: int) -> bytes:
    ppm = round(dpi / 0.0254)  # resolution in pixels per metre
    return _segment(1, 48, 1, struct.pack(">IIIIBH", width, height, ppm, ppm, 0, 0))


def _region_info(width: int, height: int) -> bytes:
    return struct.pack(">IIIIB", width, height, 0, 0, 0)


def jbig2_bits(image: Image.Image) -> np.ndarray:
    """Return JBIG2 pixels of a page image: 1 where it is dark."""
    return (np.asarray(image.convert("L")) < 128).astype(np.uint8)


def generic_mmr(image: Image.Image, dpi: int) -> bytes:
    """Return an embedded JBIG2 page stream: one MMR-coded immediate lossless generic region."""
    w, h = image.size
    # libtiff codes 0 bits as white runs; JBIG2's MMR codes its 1 (black) pixels as black
    # runs, so hand libtiff the JBIG2 bits as they are.
    ones = Image.fromarray(jbig2_bits(image) * 255).convert("1")
    buf = io.BytesIO()
    ones.save(buf, "TIFF", compression="group4", tiffinfo={278: h})
    with Image.open(io.BytesIO(buf.getvalue())) as tif:
        offset, length = tif.tag_v2[273][0], tif.tag_v2[279][0]
    mmr = buf.getvalue()[offset : offset + length]
    region = _region_info(w, h) + bytes([0x01]) + mmr  # generic flags: MMR=1
    return _page_info(w, h, dpi) + _segment(2, 38, 1, region)


def _symbols(image: Image.Image) -> list[tuple[int, int, np.ndarray]]:
    """Cut a page into the bitmaps of its connected dark blobs, as (x, y, bitmap)."""
    bits = jbig2_bits(image)
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(bits, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        out.append((int(x), int(y), (labels[y : y + h, x : x + w] == i).astype(np.uint8)))
    return out


def symbol_page(image: Image.Image, dpi: int) -> tuple[bytes, bytes]:
    """Return (page stream, globals stream): symbols in the globals, placed by a text region.

    Equal blobs share one symbol, so the page really depends on the dictionary.
    """
    w, h = image.size
    placed = _symbols(image)
    unique: list[np.ndarray] = []
    ids = []
    for _x, _y, bm in placed:
        for k, known in enumerate(unique):
            if known.shape == bm.shape and np.array_equal(known, bm):
                ids.append(k)
                break
        else:
            unique.append(bm)
            ids.append(len(unique) - 1)
    # Height classes in increasing height, widths increasing inside a class (6.5.5).
    order = sorted(range(len(unique)), key=lambda k: (unique[k].shape[0], unique[k].shape[1]))
    new_id = {old: new for new, old in enumerate(order)}
    mq, gb, iadh, iadw, iaex = MQEncoder(), _Contexts(), _Contexts(), _Contexts(), _Contexts()
    height, k = 0, 0
    while k < len(order):
        hc = unique[order[k]].shape[0]
        _encode_int(mq, iadh, hc - height)
        height, width = hc, 0
        while k < len(order) and unique[order[k]].shape[0] == hc:
            bm = unique[order[k]]
            _encode_int(mq, iadw, bm.shape[1] - width)
            width = bm.shape[1]
            _encode_generic(mq, gb, bm)
            k += 1
        _encode_int(mq, iadw, None)  # end of the height class
    _encode_int(mq, iaex, 0)  # export flags: none off, then all on
    _encode_int(mq, iaex, len(order))
    flags = struct.pack(">H", 0) + struct.pack(">8b", *_AT)
    symdict = flags + struct.pack(">II", len(order), len(order)) + mq.finish()
    globals_stream = _segment(0, 0, 0, symdict)

    # The text region places every blob where it was, top to bottom, left to right.
    codelen = max(1, (len(order) - 1).bit_length())
    instances = sorted(
        ((x, y, new_id[i]) for (x, y, _bm), i in zip(placed, ids, strict=True)),
        key=lambda t: (t[1], t[0]),
    )
    text = _text_region(instances, codelen)
    region = _region_info(w, h) + struct.pack(">H", 1 << 4) + struct.pack(">I", len(instances))
    page = _page_info(w, h, dpi) + _segment(2, 6, 1, region + text, refers_to=(0,))
    return page, globals_stream


def _text_region(instances: list[tuple[int, int, int]], codelen: int) -> bytes:
    """Code symbol instances, one strip each (SBSTRIPS 1, REFCORNER top-left, 6.4.5)."""
    mq = MQEncoder()
    iadt, iafs, iads, iaid = _Contexts(), _Contexts(), _Contexts(), _Contexts()
    _encode_int(mq, iadt, 0)  # initial STRIPT: 0
    strip_t, first_s = 0, 0
    for x, y, sym in instances:
        _encode_int(mq, iadt, y - strip_t)  # each instance is a strip of its own
        strip_t = y
        _encode_int(mq, iafs, x - first_s)
        first_s = x
        _encode_iaid(mq, iaid, sym, codelen)
        _encode_int(mq, iads, None)
    return mq.finish()
