#!/usr/bin/env python3
"""Generate the small sample scans in ``samples/`` and their expected outputs.

Deterministic (fixed seeds, fixed parameters): run from the repository root as

    .venv/bin/python samples/make_samples.py

Inputs are only ``samples/texts/*.txt`` (real public texts, see ``texts/SOURCES.md``) and the
system fonts Liberation Serif 2.x (package fonts-liberation2) and GNU FreeSerif
(fonts-freefont-ttf). Liberation 1.x lacks Vietnamese glyphs and is never used; every character
printed is checked against the font's .notdef glyph.

Outputs: the sample files in ``samples/`` and ``samples/expected/<file name>.json`` (one per
sample file). Geometry conventions of the expected JSON (same as the dev corpus):
  * ``skew_deg``: the page content was rotated counter-clockwise by this many degrees
    (OpenCV/PIL sign); deskewing rotates by -skew_deg.
  * ``rotation``: after the skew, the whole page was rotated counter-clockwise by 0/90/180/270;
    fixing it rotates by -rotation.
  * ``text``: the printed text, one printed line per line, in reading order (page number, left
    header block, right header block, title, body, ``Nơi nhận`` column, signature column).
    Stamps, signatures, rules, boxes and dotted leaders are not text.
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pikepdf
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "texts"
EXPECTED = HERE / "expected"

FONT_FILES = {
    "liberation": {
        "regular": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "bold": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        "italic": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
        "bolditalic": "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
    },
    "free": {
        "regular": "/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
        "bold": "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf",
        "italic": "/usr/share/fonts/truetype/freefont/FreeSerifItalic.ttf",
        "bolditalic": "/usr/share/fonts/truetype/freefont/FreeSerifBoldItalic.ttf",
    },
}

A4_MM = (210.0, 297.0)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def read_lines(name: str) -> list[str]:
    text = nfc((TEXTS / name).read_text(encoding="utf-8"))
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


# ------------------------------------------------------------------------------------------------
# fonts and glyph check

_FONT_CACHE: dict[tuple[str, str, int], ImageFont.FreeTypeFont] = {}
_CHECKED: set[tuple[str, str]] = set()


def get_font(family: str, style: str, size_px: int) -> ImageFont.FreeTypeFont:
    key = (family, style, size_px)
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(FONT_FILES[family][style], size_px)
    return _FONT_CACHE[key]


def _glyph_image(font: ImageFont.FreeTypeFont, ch: str) -> np.ndarray:
    size = font.size
    img = Image.new("L", (int(size * 4), int(size * 4)), 0)
    ImageDraw.Draw(img).text((size, size * 2), ch, font=font, fill=255, anchor="ls")
    a = np.asarray(img)
    ys, xs = np.nonzero(a > 0)
    if len(xs) == 0:
        return a[:0, :0]
    return a[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def missing_glyphs(font: ImageFont.FreeTypeFont, text: str) -> list[str]:
    """Characters of ``text`` that the font draws as its .notdef glyph (a box) or not at all."""
    notdef = _glyph_image(
        font, "\ue000"
    )  # private-use code point: absent from every font used here
    missing = []
    for ch in sorted(set(text)):
        if ch.isspace():
            continue
        g = _glyph_image(font, ch)
        if g.size == 0 or (g.shape == notdef.shape and np.array_equal(g, notdef)):
            missing.append(ch)
    return missing


def check_glyphs(font: ImageFont.FreeTypeFont, text: str) -> None:
    key = (str(font.path), text)
    if key in _CHECKED:
        return
    bad = missing_glyphs(font, text)
    if bad:
        raise RuntimeError(f"font {font.path!s} lacks glyphs {bad!r} needed for {text!r}")
    _CHECKED.add(key)


# ------------------------------------------------------------------------------------------------
# page canvas: ink mask + reading-order ground truth


class Page:
    """A clean A4 page: masks ``ink`` (255 = black ink), ``stamp`` (red) and ``sign`` (pen)."""

    def __init__(self, dpi: int, family: str):
        self.dpi = dpi
        self.family = family
        self.w = round(A4_MM[0] / 25.4 * dpi)
        self.h = round(A4_MM[1] / 25.4 * dpi)
        self.ink = Image.new("L", (self.w, self.h), 0)
        self.stamp = Image.new("L", (self.w, self.h), 0)
        self.sign = Image.new("L", (self.w, self.h), 0)
        self.draw = ImageDraw.Draw(self.ink)
        self.lines: list[str] = []

    # units
    def mm(self, v: float) -> int:
        """Millimetres to pixels."""
        return round(v / 25.4 * self.dpi)

    def pt(self, v: float) -> int:
        """Points to pixels."""
        return round(v / 72.0 * self.dpi)

    def font(self, style: str, size_pt: float) -> ImageFont.FreeTypeFont:
        """Return the page family's font in a style at a size in points."""
        return get_font(self.family, style, self.pt(size_pt))

    # drawing
    def text(
        self,
        x: float,
        y: float,
        s: str,
        style: str = "regular",
        size: float = 14,
        align: str = "left",
        underline: bool = False,
        record: bool = True,
    ) -> float:
        """Draw one printed line, baseline at y; x is the left edge, centre or right edge."""
        s = nfc(s)
        f = self.font(style, size)
        check_glyphs(f, s)
        w = f.getlength(s)
        x0 = {"left": x, "center": x - w / 2, "right": x - w}[align]
        self.draw.text((x0, y), s, font=f, fill=255, anchor="ls")
        if underline:
            uy = y + max(2, f.size // 10)
            self.draw.line([(x0, uy), (x0 + w, uy)], fill=255, width=max(1, int(f.size // 18)))
        if record:
            self.lines.append(s)
        return w

    def justified(
        self, x: float, y: float, words: list[str], width: float, style: str, size: float
    ) -> None:
        """Draw one justified line (recorded as its words joined by single spaces)."""
        f = self.font(style, size)
        s = " ".join(words)
        check_glyphs(f, s)
        widths = [f.getlength(w) for w in words]
        gaps = len(words) - 1
        extra = width - sum(widths)
        space = f.getlength(" ")
        if gaps == 0 or extra / gaps > 3 * space:
            self.draw.text((x, y), s, font=f, fill=255, anchor="ls")
        else:
            gap = extra / gaps
            cx = x
            for w, wd in zip(words, widths, strict=True):
                self.draw.text((cx, y), w, font=f, fill=255, anchor="ls")
                cx += wd + gap
        self.lines.append(s)

    def rule(self, x0: float, x1: float, y: float, width: int = 2) -> None:
        """Draw a horizontal rule (not text)."""
        self.draw.line([(x0, y), (x1, y)], fill=255, width=width)

    def box_text(self, x: float, y: float, s: str, size: float = 13) -> None:
        """Draw a boxed mark such as MẬT (x = left edge, y = baseline)."""
        w = self.text(x, y, s, "bold", size)
        f = self.font("bold", size)
        pad = self.pt(4)
        top = y - f.size * 0.95 - pad
        self.draw.rectangle(
            [x - pad, top, x + w + pad, y + pad + f.size * 0.1], outline=255, width=3
        )

    def dotted_leader(self, x0: float, x1: float, y: float) -> None:
        """Draw a dotted leader (not text) from x0 to x1 on baseline y."""
        step = self.pt(4.2)
        r = max(1, self.dpi // 110)
        x = x0 + step / 2
        while x < x1:
            self.draw.ellipse([x - r, y - r, x + r, y + r], fill=255)
            x += step


def wrap(
    words: list[str], font: ImageFont.FreeTypeFont, width: float, first_indent: float = 0
) -> list[list[str]]:
    lines: list[list[str]] = []
    cur: list[str] = []
    for w in words:
        avail = width - (first_indent if not lines else 0)
        trial = cur + [w]
        if cur and font.getlength(" ".join(trial)) > avail:
            lines.append(cur)
            cur = [w]
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


@dataclass
class Layout:
    """Flows body paragraphs over pages of one document."""

    dpi: int
    family: str
    body_size: float = 14
    line_factor: float = 1.32
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 18)  # top, bottom, left, right
    pages: list[Page] = field(default_factory=list)
    y: float = 0

    def new_page(self) -> Page:
        """Start a page; continuation pages get a page number."""
        p = Page(self.dpi, self.family)
        self.pages.append(p)
        self.y = p.mm(self.margins_mm[0])
        if len(self.pages) > 1:  # page number centred at the top of continuation pages
            self.y += p.pt(12)
            p.text(p.w / 2, self.y, str(len(self.pages)), "regular", 13, "center")
            self.y += p.pt(10)
        return p

    @property
    def page(self) -> Page:
        """The current page."""
        return self.pages[-1]

    @property
    def left(self) -> float:
        """Left text edge in pixels."""
        return self.page.mm(self.margins_mm[2])

    @property
    def right(self) -> float:
        """Right text edge in pixels."""
        return self.page.w - self.page.mm(self.margins_mm[3])

    @property
    def bottom(self) -> float:
        """Lowest baseline allowed."""
        return self.page.h - self.page.mm(self.margins_mm[1])

    def line_h(self, size: float | None = None) -> float:
        """Line pitch in pixels for a font size in points."""
        return self.page.pt(size or self.body_size) * self.line_factor

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` more pixels fit."""
        if self.y + height > self.bottom:
            self.new_page()

    def paragraph(
        self,
        text: str,
        style: str = "regular",
        size: float | None = None,
        indent_mm: float = 12.7,
        space_before_pt: float = 4,
        align: str = "justify",
    ) -> None:
        """Flow a paragraph (first-line indent, justified) over the pages."""
        size = size or self.body_size
        f = self.page.font(style, size)
        indent = self.page.mm(indent_mm)
        width = self.right - self.left
        lines = wrap(nfc(text).split(), f, width, indent)
        self.y += self.page.pt(space_before_pt)
        for i, ws in enumerate(lines):
            self.ensure(self.line_h(size))
            self.y += self.line_h(size)
            x = self.left + (indent if i == 0 else 0)
            w = width - (indent if i == 0 else 0)
            if align == "justify" and i < len(lines) - 1:
                self.page.justified(x, self.y, ws, w, style, size)
            elif align == "center":
                self.page.text(
                    (self.left + self.right) / 2, self.y, " ".join(ws), style, size, "center"
                )
            else:
                self.page.text(x, self.y, " ".join(ws), style, size)

    def centered_block(self, text: str, style: str, size: float, width_mm: float) -> list[str]:
        """Draw centred lines wrapped to ``width_mm``."""
        f = self.page.font(style, size)
        lines = [" ".join(ws) for ws in wrap(nfc(text).split(), f, self.page.mm(width_mm))]
        for ln in lines:
            self.y += self.line_h(size) * 0.95
            self.page.text((self.left + self.right) / 2, self.y, ln, style, size, "center")
        return lines


# ------------------------------------------------------------------------------------------------
# document parts


def party_header(
    lay: Layout, parent: str, issuer: str, number_line: str, place_date: str, secrecy: str = ""
) -> None:
    p = lay.page
    lx = p.mm(62)
    rx = p.mm(143)
    y0 = lay.y + p.pt(14)
    # left block
    p.text(lx, y0, parent, "regular", 13, "center")
    p.text(lx, y0 + p.pt(16), issuer, "bold", 13, "center")
    p.text(lx, y0 + p.pt(31), "*", "regular", 13, "center")
    p.text(lx, y0 + p.pt(47), number_line, "regular", 13, "center")
    if secrecy:
        f = p.font("bold", 13)
        p.box_text(lx - f.getlength(secrecy) / 2, y0 + p.pt(70), secrecy, 13)
    # right block
    w = p.text(rx, y0, "ĐẢNG CỘNG SẢN VIỆT NAM", "bold", 15, "center")
    p.rule(rx - w / 2, rx + w / 2, y0 + p.pt(6), 3)
    p.text(rx, y0 + p.pt(47), place_date, "italic", 14, "center")
    lay.y = y0 + p.pt(80 if secrecy else 62)


def state_header(
    lay: Layout,
    parent: str,
    issuer: str,
    number_line: str,
    place_date: str,
    subject_lines: list[str] | None = None,
    secrecy: str = "",
) -> None:
    p = lay.page
    lx = p.mm(60)
    rx = p.mm(140)
    y0 = lay.y + p.pt(14)
    p.text(lx, y0, parent, "regular", 13, "center")
    w = p.text(lx, y0 + p.pt(16), issuer, "bold", 13, "center")
    p.rule(lx - w / 3, lx + w / 3, y0 + p.pt(22), 2)
    p.text(lx, y0 + p.pt(40), number_line, "regular", 13, "center")
    yl = y0 + p.pt(40)
    for s in subject_lines or []:  # công văn: "V/v ..." under the number
        yl += p.pt(15)
        p.text(lx, yl, s, "regular", 12, "center")
    if secrecy:
        f = p.font("bold", 13)
        yl += p.pt(24)
        p.box_text(lx - f.getlength(secrecy) / 2, yl, secrecy, 13)
    p.text(rx, y0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold", 12.5, "center")
    w = p.text(rx, y0 + p.pt(16), "Độc lập - Tự do - Hạnh phúc", "bold", 13.5, "center")
    p.rule(rx - w / 2, rx + w / 2, y0 + p.pt(22), 2)
    p.text(rx, y0 + p.pt(40), place_date, "italic", 13.5, "center")
    lay.y = max(y0 + p.pt(58), yl + p.pt(18))


def draw_signature(p: Page, cx: float, cy: float, rng: np.random.Generator) -> None:
    """Draw a pen squiggle into the ``sign`` mask (not text)."""
    d = ImageDraw.Draw(p.sign)
    n = 7
    xs = cx + np.linspace(-p.mm(17), p.mm(17), n) + rng.normal(0, p.mm(2), n)
    ys = cy + rng.normal(0, p.mm(3.5), n)
    t = np.linspace(0, n - 1, 120)
    px = np.interp(t, np.arange(n), xs) + p.mm(2.5) * np.sin(t * 2.7)
    py = np.interp(t, np.arange(n), ys) + p.mm(3.0) * np.cos(t * 3.1 + 0.5)
    pts = [(float(a), float(b)) for a, b in zip(px, py, strict=True)]
    d.line(pts, fill=255, width=max(2, p.dpi // 70), joint="curve")
    d.line(
        [(px[-1] - p.mm(4), py[-1] + p.mm(3)), (px[-1] + p.mm(14), py[-1] - p.mm(2))],
        fill=255,
        width=max(2, p.dpi // 80),
    )


def draw_stamp(
    p: Page, cx: float, cy: float, ring_text: str, centre_text: str, angle: float
) -> None:
    """Draw a round office seal into the ``stamp`` mask (not text)."""
    size = p.mm(40)
    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    c = size / 2
    r1, r2 = size * 0.48, size * 0.44
    d.ellipse([c - r1, c - r1, c + r1, c + r1], outline=255, width=max(3, p.dpi // 50))
    d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=max(1, p.dpi // 120))
    f = get_font(p.family, "bold", p.pt(8.5))
    check_glyphs(f, ring_text + centre_text)
    rt = size * 0.36
    n = len(ring_text)
    span = 250.0
    for i, ch in enumerate(ring_text):
        a = 90 + span / 2 - span * (i + 0.5) / n
        g = Image.new("L", (int(f.size * 2), int(f.size * 2)), 0)
        ImageDraw.Draw(g).text((f.size, f.size), ch, font=f, fill=255, anchor="mm")
        g = g.rotate(a - 90, resample=Image.Resampling.BICUBIC)
        x = c + rt * math.cos(math.radians(a)) - f.size
        y = c - rt * math.sin(math.radians(a)) - f.size
        img.paste(255, (round(x), round(y)), g)
    # star
    rs, ri = size * 0.09, size * 0.036
    star = []
    for k in range(10):
        rr = rs if k % 2 == 0 else ri
        a = math.radians(90 + k * 36)
        star.append((c + rr * math.cos(a), c + size * 0.13 - rr * math.sin(a)))
    d.polygon(star, fill=255)
    f2 = get_font(p.family, "bold", p.pt(7.5))
    d.text((c, c - size * 0.10), centre_text, font=f2, fill=255, anchor="mm")
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC)
    p.stamp.paste(255, (round(cx - c), round(cy - c)), img)


def recipients_and_signature(
    lay: Layout,
    recipients: list[str],
    authority: list[str],
    signer: str,
    rng: np.random.Generator,
    party: bool,
    stamp: tuple[str, str] | None,
) -> None:
    """``Nơi nhận`` column (left) and signature column (right), side by side."""
    p = lay.page
    lh_r = p.pt(11) * 1.3
    need = max(p.pt(13) * 1.6 + lh_r * len(recipients), p.pt(14) * 1.4 * len(authority) + p.mm(30))
    lay.ensure(need + p.pt(24))
    p = lay.page
    y0 = lay.y + p.pt(24)
    # Nơi nhận (reading order: before the signature column)
    p.text(lay.left, y0, "Nơi nhận:", "bolditalic" if not party else "bold", 12, underline=party)
    y = y0 + p.pt(4)
    for r in recipients:
        y += lh_r
        p.text(lay.left, y, r, "regular", 11)
    # signature column
    sx = p.mm(145)
    ys = y0
    for a in authority:
        p.text(sx, ys, a, "bold", 13.5, "center")
        ys += p.pt(13.5) * 1.3
    sig_y = ys + p.mm(9)
    draw_signature(p, sx, sig_y, rng)
    if stamp:
        draw_stamp(
            p, sx - p.mm(17), sig_y - p.mm(2), stamp[0], stamp[1], float(rng.uniform(-25, 25))
        )
    yn = ys + p.mm(24)
    p.text(sx, yn, signer, "bold", 13.5, "center")
    lay.y = max(y, yn)


def vn_date(day: int, month: int, year: int, place: str, pad: bool) -> str:
    """``Lâm Đồng, ngày 08 tháng 02 năm 2021`` (state style pads day < 10 and months 1-2)."""
    d = f"{day:02d}" if pad else str(day)
    m = f"{month:02d}" if (pad and month <= 2) else str(month)
    return f"{place}, ngày {d} tháng {m} năm {year}"


# ------------------------------------------------------------------------------------------------
# scan degradation


@dataclass
class Scan:
    """Parameters of one simulated scan (recorded in the expected JSON)."""

    skew_deg: float
    rotation: int = 0
    color: bool = False
    contrast: float = 0.85  # ink darkness 0..1
    blur_sigma: float = 0.6
    noise_sigma: float = 5.0
    speckles: int = 200
    jpeg_quality: int | None = 60
    black_edge: str = ""  # "", "l", "r": dark scanner-lid strip
    yellowed: bool = False
    seed: int = 0

    def meta(self) -> dict:
        """Degradation parameters for the expected JSON."""
        d: dict[str, Any] = {
            "contrast": self.contrast,
            "speckles": self.speckles,
            "blur_sigma": self.blur_sigma,
            "noise_sigma": self.noise_sigma,
        }
        if self.black_edge:
            d["black_edge"] = self.black_edge
        if self.yellowed:
            d["yellowed"] = True
        if self.jpeg_quality:
            d["jpeg_quality"] = self.jpeg_quality
        return d


def low_freq(
    rng: np.random.Generator, h: int, w: int, cells: tuple[int, int] = (5, 4)
) -> np.ndarray:
    """Smooth random field in [-1, 1]."""
    small = rng.uniform(-1, 1, size=(cells[0], cells[1])).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(-1.5, 1.5)


def rotate_mask(a: np.ndarray, deg: float, border: float = 0.0) -> np.ndarray:
    h, w = a.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)  # positive = counter-clockwise
    return cv2.warpAffine(
        a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )


def degrade(page: Page, sc: Scan) -> np.ndarray:
    """Return a uint8 H×W (grey) or H×W×3 (RGB) scan of the page."""
    rng = np.random.default_rng(sc.seed)
    h, w = page.h, page.w
    ink = np.asarray(page.ink, dtype=np.float32) / 255.0
    stamp = np.asarray(page.stamp, dtype=np.float32) / 255.0
    sign = np.asarray(page.sign, dtype=np.float32) / 255.0
    # faded, uneven ink
    ink *= sc.contrast * (0.9 + 0.1 * low_freq(rng, h, w, (7, 5)))
    stamp *= 0.75 * (0.85 + 0.15 * low_freq(rng, h, w, (9, 7)))
    sign *= 0.9
    paper = np.ones((h, w), np.float32)
    ink, stamp, sign, paper = (rotate_mask(a, sc.skew_deg) for a in (ink, stamp, sign, paper))

    # paper and lid colours (RGB, 0..255)
    if sc.yellowed:
        base = np.array([236, 226, 194], np.float32)
    else:
        base = np.array([238, 238, 238], np.float32)
    shade = low_freq(rng, h, w, (4, 3)) * 9 + low_freq(rng, h, w, (12, 9)) * 3
    if sc.yellowed:  # brown blotches
        blot = np.clip(low_freq(rng, h, w, (14, 10)) - 0.55, 0, None) * 40
        shade = shade - blot
    lid = np.array([250, 250, 250], np.float32)
    img = base[None, None, :] + shade[..., None] * np.array([1.0, 1.0, 1.15], np.float32)
    img = img * paper[..., None] + lid[None, None, :] * (1 - paper[..., None])
    if sc.black_edge:
        ew = max(6, w // 90)
        ramp = np.clip(np.linspace(1.4, -0.4, ew * 2), 0, 1).astype(np.float32)
        col = np.zeros(w, np.float32)
        if sc.black_edge == "r":
            col[-ew * 2 :] = ramp[::-1]
        else:
            col[: ew * 2] = ramp
        img = img * (1 - col[None, :, None]) + 25 * col[None, :, None]

    ink_rgb = np.array([28, 26, 30], np.float32)
    red = np.array([200, 38, 48], np.float32)
    pen = np.array([40, 50, 140], np.float32) if sc.color else np.array([60, 60, 60], np.float32)
    for mask, colr in ((sign, pen), (ink, ink_rgb), (stamp, red)):
        # multiply-like blending: ink on paper
        m = mask[..., None]
        img = img * (1 - m) + (img * colr[None, None, :] / 255.0) * m
    if sc.blur_sigma > 0:
        img = cv2.GaussianBlur(img, (0, 0), sc.blur_sigma)
    if not sc.color:  # a grey scanner: luminance (the red stamp becomes mid grey)
        img = img @ np.array([0.299, 0.587, 0.114], np.float32)
    img = img + rng.normal(0, sc.noise_sigma, img.shape).astype(np.float32)
    # speckles: dark dust dots, a few small blobs
    for _ in range(sc.speckles):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.choice([1, 1, 1, 2, 2, 3]))
        v = float(rng.uniform(20, 110))
        cv2.circle(img, (x, y), r, (v, v, v) if img.ndim == 3 else v, -1, lineType=cv2.LINE_AA)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if sc.rotation:
        img = np.ascontiguousarray(np.rot90(img, k=sc.rotation // 90))  # counter-clockwise
    return img


def to_pil(a: np.ndarray) -> Image.Image:
    return Image.fromarray(a, "RGB" if a.ndim == 3 else "L")


def jpeg_bytes(a: np.ndarray, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    to_pil(a).save(buf, "JPEG", quality=quality, dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------
# writers


def write_pdf(path: Path, jpegs: list[tuple[bytes, int, int, int, bool]]) -> None:
    """Write an image-only PDF as a scanner does.

    One DCT (JPEG) image per page; the page size is the image size at its dpi.
    """
    pdf = pikepdf.new()
    for data, w, h, dpi, color in jpegs:
        img = pikepdf.Stream(pdf, data)
        img.Type = pikepdf.Name.XObject
        img.Subtype = pikepdf.Name.Image
        img.Width, img.Height = w, h
        img.ColorSpace = pikepdf.Name.DeviceRGB if color else pikepdf.Name.DeviceGray
        img.BitsPerComponent = 8
        img.Filter = pikepdf.Name.DCTDecode
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        content = f"q {pw:.3f} 0 0 {ph:.3f} 0 0 cm /Im0 Do Q".encode()
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, round(pw, 3), round(ph, 3)],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=img)),
            Contents=pikepdf.Stream(pdf, content),
        )
        pdf.pages.append(pikepdf.Page(page))
    pdf.docinfo["/Producer"] = "sohoa samples/make_samples.py (simulated scanner)"
    pdf.save(path, deterministic_id=True, compress_streams=True, min_version="1.4")


def page_record(no: int, file: str, frame: int, page: Page, sc: Scan, img: np.ndarray) -> dict:
    return {
        "page": no,
        "file": file,
        "frame": frame,
        "text": "\n".join(page.lines),
        "lines": list(page.lines),
        "rotation": sc.rotation,
        "skew_deg": sc.skew_deg,
        "dpi": page.dpi,
        "width": int(img.shape[1]),
        "height": int(img.shape[0]),
        "degradation": sc.meta(),
    }


def write_expected(doc: dict, file: str, records: list[dict]) -> None:
    out = {
        "id": doc["id"],
        "file": file,
        "format": Path(file).suffix.lstrip(".").replace("tif", "tiff"),
        "color": doc["color"],
        "files": doc["files"],
        "text_source": doc["text_source"],
        "fields": doc["fields"],
        "pages": [r for r in records if r["file"] == file],
    }
    for r in out["pages"]:
        assert r["text"] == nfc(r["text"])
    (EXPECTED / f"{file}.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


# ------------------------------------------------------------------------------------------------
# the documents


def party_plan(dpi: int) -> tuple[dict, list[Page]]:
    """Party KẾ HOẠCH, 2 pages, MẬT; body = Luật CNTT 2006, Điều 24-26."""
    rng = np.random.default_rng(101)
    lay = Layout(dpi, "liberation", body_size=14)
    lay.new_page()
    f: dict[str, Any] = {
        "kind": "party",
        "doc_type": "KẾ HOẠCH",
        "number": "14",
        "symbol": "14-KH/BTCTU",
        "issuer": "BAN TỔ CHỨC TỈNH ỦY",
        "issuer_parent": "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
        "place": "Lâm Đồng",
        "date": "2015-03-20",
        "subject": "Ứng dụng công nghệ thông tin trong công tác tổ chức xây dựng Đảng năm 2015",
        "signer_name": "Nguyễn Thị Bích Hạnh",
        "signer_title": "PHÓ TRƯỞNG BAN",
        "signer_authority": "K/T TRƯỞNG BAN",
        "secrecy": "MẬT",
        "recipients": [
            "Ban Thường vụ Tỉnh ủy (b/c),",
            "Các huyện ủy, thành ủy, đảng ủy trực thuộc,",
            "Văn phòng Tỉnh ủy,",
            "Các phòng thuộc Ban,",
            "Lưu VT.",
        ],
    }
    party_header(
        lay,
        f["issuer_parent"],
        f["issuer"],
        "Số " + f["symbol"],
        vn_date(20, 3, 2015, f["place"], pad=False),
        secrecy=f["secrecy"],
    )
    lay.y += lay.page.pt(16)
    lay.centered_block(f["doc_type"], "bold", 16, 150)
    lay.y += lay.page.pt(2)
    lay.centered_block(f["subject"], "bold", 14, 125)
    lay.y += lay.page.pt(10)
    for para in read_lines("luat_cntt_2006_dieu24_26.txt"):
        bold = para.startswith("Điều ")
        lay.paragraph(para, "bold" if bold else "regular")
    recipients_and_signature(
        lay,
        ["- " + r for r in f["recipients"]],
        [f["signer_authority"], f["signer_title"]],
        f["signer_name"],
        rng,
        party=True,
        stamp=("BAN TỔ CHỨC TỈNH ỦY LÂM ĐỒNG", "BTC"),
    )
    return f, lay.pages


def state_decision(dpi: int) -> tuple[dict, list[Page]]:
    """State QUYẾT ĐỊNH of Sở Nội vụ, 2 pages; body = QĐ 784/QĐ-BVHTTDL 2020."""
    rng = np.random.default_rng(202)
    lay = Layout(dpi, "liberation", body_size=14, line_factor=1.5)
    lay.new_page()
    f: dict[str, Any] = {
        "kind": "state",
        "doc_type": "QUYẾT ĐỊNH",
        "number": "1234",
        "symbol": "1234/QĐ-SNV",
        "issuer": "SỞ NỘI VỤ",
        "issuer_parent": "UBND TỈNH LÂM ĐỒNG",
        "place": "Lâm Đồng",
        "date": "2020-03-11",
        "subject": "Về việc phê duyệt Kế hoạch tuyên truyền thực hiện nếp sống văn minh"
        " trong lễ hội năm 2020",
        "signer_name": "Trần Văn Phước",
        "signer_title": "GIÁM ĐỐC",
        "signer_authority": "",
        "secrecy": "",
        "recipients": [
            "Như Điều 4;",
            "UBND tỉnh (b/c);",
            "Sở Văn hóa, Thể thao và Du lịch;",
            "Lưu: VT, VTLT.",
        ],
    }
    state_header(
        lay,
        f["issuer_parent"],
        f["issuer"],
        "Số: " + f["symbol"],
        vn_date(11, 3, 2020, f["place"], True),
    )
    lay.y += lay.page.pt(14)
    lay.centered_block(f["doc_type"], "bold", 14, 150)
    lay.centered_block(f["subject"], "bold", 14, 130)
    lay.y += lay.page.pt(8)
    lay.centered_block("GIÁM ĐỐC SỞ NỘI VỤ TỈNH LÂM ĐỒNG", "bold", 14, 150)
    lay.y += lay.page.pt(6)
    for para in read_lines("qd_784_2020_bvhttdl.txt"):
        if para == "QUYẾT ĐỊNH:":
            lay.y += lay.page.pt(6)
            lay.centered_block(para, "bold", 14, 150)
            continue
        lay.paragraph(para, "regular", space_before_pt=9)
    recipients_and_signature(
        lay,
        ["- " + r for r in f["recipients"]],
        [f["signer_title"]],
        f["signer_name"],
        rng,
        party=False,
        stamp=None,
    )
    return f, lay.pages


def state_letter(dpi: int) -> tuple[dict, list[Page]]:
    """State công văn (V/v ...), 1 page; body = Nghị định 30/2020/NĐ-CP, Điều 29."""
    rng = np.random.default_rng(303)
    lay = Layout(dpi, "liberation", body_size=13, line_factor=1.25, margins_mm=(15, 15, 28, 15))
    lay.new_page()
    f: dict[str, Any] = {
        "kind": "state",
        "doc_type": "CÔNG VĂN",
        "number": "587",
        "symbol": "587/SNV-CCVTLT",
        "issuer": "SỞ NỘI VỤ",
        "issuer_parent": "UBND TỈNH LÂM ĐỒNG",
        "place": "Lâm Đồng",
        "date": "2021-06-08",
        "subject": "hướng dẫn lập hồ sơ công việc",
        "signer_name": "Lê Thị Thu Trang",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_authority": "KT. GIÁM ĐỐC",
        "secrecy": "",
        "recipients": ["Như trên;", "Giám đốc Sở (b/c);", "Lưu: VT, CCVTLT."],
    }
    state_header(
        lay,
        f["issuer_parent"],
        f["issuer"],
        "Số: " + f["symbol"],
        vn_date(8, 6, 2021, f["place"], True),
        subject_lines=["V/v " + f["subject"]],
    )
    lay.y += lay.page.pt(8)
    p = lay.page
    lay.y += lay.line_h()
    kx = p.mm(60)
    p.text(kx, lay.y, "Kính gửi:", "regular", 14, record=False)
    gx = kx + p.font("regular", 14).getlength("Kính gửi: ")
    for i, g in enumerate(["- Các sở, ban, ngành thuộc tỉnh;", "- UBND các huyện, thành phố."]):
        if i:
            lay.y += lay.line_h(14)
        p.text(gx, lay.y, g, "regular", 14, record=bool(i))
        if not i:  # "Kính gửi:" and the first addressee share one printed line
            p.lines.append("Kính gửi: " + g)
    lay.y += lay.page.pt(6)
    for para in read_lines("nd_30_2020_dieu29.txt"):
        lay.paragraph(para, "bold" if para.startswith("Điều ") else "regular", space_before_pt=3)
    recipients_and_signature(
        lay,
        ["- " + r for r in f["recipients"]],
        [f["signer_authority"], f["signer_title"]],
        f["signer_name"],
        rng,
        party=False,
        stamp=("SỞ NỘI VỤ TỈNH LÂM ĐỒNG", "SNV"),
    )
    return f, lay.pages


def profile_form(dpi: int) -> tuple[dict, list[Page]]:
    """SƠ YẾU LÝ LỊCH (invented person), 2 pages, FreeSerif."""
    rng = np.random.default_rng(404)
    lay = Layout(dpi, "free", body_size=13.5, line_factor=1.55, margins_mm=(18, 20, 25, 18))
    raw = nfc((TEXTS / "so_yeu_ly_lich_invented.txt").read_text(encoding="utf-8"))
    pages_src = [
        [ln.strip() for ln in blk.splitlines() if ln.strip()] for blk in raw.split("---PAGE---")
    ]
    items = dict(ln.split(". ", 1)[1].split(": ", 1) for ln in pages_src[0])

    def iso(d: str) -> str:
        dd, mm_, yy = d.split("/")
        return f"{yy}-{mm_}-{dd}"

    name = items["Họ và tên khai sinh"]
    signer = " ".join(w.capitalize() for w in name.lower().split())
    f: dict[str, Any] = {
        "kind": "profile",
        "doc_type": "SƠ YẾU LÝ LỊCH",
        "number": "",
        "symbol": "",
        "issuer": "",
        "issuer_parent": "",
        "place": "Lâm Đồng",
        "date": "2016-11-25",
        "subject": "",
        "signer_name": signer,
        "signer_title": "",
        "signer_authority": "",
        "secrecy": "",
        "recipients": [],
        "profile": {
            "ho_ten": name,
            "gioi_tinh": items["Giới tính"],
            "ngay_sinh": iso(items["Sinh ngày"]),
            "noi_sinh": items["Nơi sinh"],
            "que_quan": items["Quê quán"],
            "noi_o": items["Nơi ở hiện nay"],
            "dan_toc": items["Dân tộc"],
            "ton_giao": items["Tôn giáo"],
            "nghe_nghiep": items["Nghề nghiệp, chức vụ hiện nay"],
            "ngay_vao_dang": iso(items["Ngày vào Đảng"]),
            "ngay_chinh_thuc": iso(items["Ngày chính thức"]),
            "so_the_dang_vien": items["Số thẻ đảng viên"],
        },
    }
    p = lay.new_page()
    cx = p.w / 2
    y = lay.y + p.pt(14)
    p.text(cx, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold", 13, "center")
    w = p.text(cx, y + p.pt(17), "Độc lập - Tự do - Hạnh phúc", "bold", 13.5, "center")
    p.rule(cx - w / 2, cx + w / 2, y + p.pt(23), 2)
    # photo box (not text)
    bx, by = lay.left, y + p.pt(40)
    d = ImageDraw.Draw(p.ink)
    d.rectangle([bx, by, bx + p.mm(30), by + p.mm(40)], outline=255, width=3)
    head = (bx + p.mm(15), by + p.mm(15))
    d.ellipse([head[0] - p.mm(7), head[1] - p.mm(9), head[0] + p.mm(7), head[1] + p.mm(9)], fill=70)
    d.pieslice([bx + p.mm(2), by + p.mm(24), bx + p.mm(28), by + p.mm(52)], 180, 360, fill=90)
    tx = (bx + p.mm(30) + lay.right) / 2
    p.text(tx, by + p.pt(40), "SƠ YẾU LÝ LỊCH", "bold", 18, "center")
    p.text(tx, by + p.pt(60), "(Dùng cho cán bộ, công chức, viên chức)", "italic", 12.5, "center")
    lay.y = by + p.mm(40) + p.pt(8)
    for ln in pages_src[0]:
        lay.y += lay.line_h()
        wdt = p.text(lay.left, lay.y, ln, "regular", lay.body_size)
        p.dotted_leader(lay.left + wdt + p.pt(3), lay.right, lay.y)
    # page 2
    p = lay.new_page()
    for ln in pages_src[1]:
        if ln.isupper():
            lay.y += p.pt(10)
            lay.centered_block(ln, "bold", 14, 160)
        elif ln.startswith("- "):
            lay.paragraph(ln, "regular", indent_mm=0, space_before_pt=2, align="left")
        else:
            lay.y += p.pt(8)
            lay.paragraph(ln, "regular", indent_mm=12.7, space_before_pt=0)
    sx = p.mm(140)
    lay.y += p.pt(30)
    p.text(sx, lay.y, vn_date(25, 11, 2016, f["place"], pad=False), "italic", 13.5, "center")
    lay.y += p.pt(20)
    p.text(sx, lay.y, "NGƯỜI KHAI", "bold", 13.5, "center")
    lay.y += p.pt(17)
    p.text(sx, lay.y, "(Ký, ghi rõ họ tên)", "italic", 12, "center")
    draw_signature(p, sx, lay.y + p.mm(13), rng)
    lay.y += p.mm(28)
    p.text(sx, lay.y, signer, "bold", 13.5, "center")
    return f, lay.pages


# ------------------------------------------------------------------------------------------------


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for old in EXPECTED.glob("*.json"):
        old.unlink()
    written: list[str] = []

    # 1. Party plan: 2-page image-only PDF, 200 dpi grey, JPEG inside
    f, pages = party_plan(200)
    assert len(pages) == 2, len(pages)
    scans = [
        Scan(
            skew_deg=2.4,
            contrast=0.88,
            blur_sigma=0.55,
            noise_sigma=5.0,
            speckles=260,
            jpeg_quality=45,
            seed=11,
        ),
        Scan(
            skew_deg=-1.7,
            contrast=0.8,
            blur_sigma=0.7,
            noise_sigma=6.0,
            speckles=340,
            jpeg_quality=45,
            black_edge="r",
            seed=12,
        ),
    ]
    name = "party_kh_14_btctu.pdf"
    jpegs, recs = [], []
    for i, (pg, sc) in enumerate(zip(pages, scans, strict=True)):
        img = degrade(pg, sc)
        jpegs.append(
            (
                jpeg_bytes(img, sc.jpeg_quality or 75, pg.dpi),
                img.shape[1],
                img.shape[0],
                pg.dpi,
                False,
            )
        )
        recs.append(page_record(i + 1, name, i, pg, sc, img))
    write_pdf(HERE / name, jpegs)
    doc = {
        "id": "party_kh_14_btctu",
        "color": False,
        "files": [name],
        "text_source": "texts/luat_cntt_2006_dieu24_26.txt",
        "fields": f,
    }
    write_expected(doc, name, recs)
    written.append(name)

    # 2. Profile form: 2-page colour TIFF (JPEG compression), yellowed paper
    f, pages = profile_form(200)
    assert len(pages) == 2, len(pages)
    scans = [
        Scan(
            skew_deg=-3.1,
            color=True,
            yellowed=True,
            contrast=0.8,
            blur_sigma=0.6,
            noise_sigma=4.0,
            speckles=180,
            jpeg_quality=50,
            seed=21,
        ),
        Scan(
            skew_deg=0.9,
            color=True,
            yellowed=True,
            contrast=0.78,
            blur_sigma=0.65,
            noise_sigma=4.0,
            speckles=220,
            jpeg_quality=50,
            seed=22,
        ),
    ]
    name = "profile_syll.tif"
    ims, recs = [], []
    for i, (pg, sc) in enumerate(zip(pages, scans, strict=True)):
        img = degrade(pg, sc)
        ims.append(to_pil(img))
        recs.append(page_record(i + 1, name, i, pg, sc, img))
    # YCbCr photometric: JPEG-in-TIFF is then half the size of RGB; readers decode to RGB
    ycc = [im.convert("YCbCr") for im in ims]
    ycc[0].save(
        HERE / name,
        save_all=True,
        append_images=ycc[1:],
        compression="jpeg",
        quality=50,
        dpi=(200, 200),
    )
    doc = {
        "id": "profile_syll",
        "color": True,
        "files": [name],
        "text_source": "texts/so_yeu_ly_lich_invented.txt",
        "fields": f,
    }
    write_expected(doc, name, recs)
    written.append(name)

    # 3. State decision: one image per page, p2 upside down (PNG, 16 grey levels)
    f, pages = state_decision(200)
    assert len(pages) == 2, len(pages)
    names = ["state_qd_p1.jpg", "state_qd_p2.png"]
    scans = [
        Scan(
            skew_deg=-0.25,
            contrast=0.9,
            blur_sigma=0.5,
            noise_sigma=5.0,
            speckles=150,
            jpeg_quality=55,
            seed=31,
        ),
        Scan(
            skew_deg=1.3,
            rotation=180,
            contrast=0.85,
            blur_sigma=0.55,
            noise_sigma=2.0,
            speckles=200,
            jpeg_quality=None,
            seed=32,
        ),
    ]
    recs = []
    for i, (pg, sc, nm) in enumerate(zip(pages, scans, names, strict=True)):
        img = degrade(pg, sc)
        if nm.endswith(".jpg"):
            (HERE / nm).write_bytes(jpeg_bytes(img, sc.jpeg_quality or 75, pg.dpi))
        else:
            q = (np.round(img.astype(np.float32) / 17.0) * 17).astype(np.uint8)  # 16 grey levels
            to_pil(q).save(HERE / nm, optimize=True, dpi=(pg.dpi, pg.dpi))
        recs.append(page_record(i + 1, nm, 0, pg, sc, img))
    doc = {
        "id": "state_qd",
        "color": False,
        "files": names,
        "text_source": "texts/qd_784_2020_bvhttdl.txt",
        "fields": f,
    }
    for nm in names:
        write_expected(doc, nm, recs)
    written += names

    # 4. Công văn: single colour JPEG, turned 90° counter-clockwise, red seal
    f, pages = state_letter(150)
    assert len(pages) == 1, len(pages)
    sc = Scan(
        skew_deg=3.6,
        rotation=90,
        color=True,
        yellowed=True,
        contrast=0.85,
        blur_sigma=0.45,
        noise_sigma=4.5,
        speckles=160,
        jpeg_quality=60,
        seed=41,
    )
    name = "cong_van.jpg"
    img = degrade(pages[0], sc)
    (HERE / name).write_bytes(jpeg_bytes(img, sc.jpeg_quality or 75, pages[0].dpi))
    doc = {
        "id": "cong_van",
        "color": True,
        "files": [name],
        "text_source": "texts/nd_30_2020_dieu29.txt",
        "fields": f,
    }
    write_expected(doc, name, [page_record(1, name, 0, pages[0], sc, img)])
    written.append(name)

    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    for nm in written:
        print(f"{nm:28s} {(HERE / nm).stat().st_size / 1024:8.1f} KiB")
    print(f"samples/ total {total / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
