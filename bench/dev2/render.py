"""Draw a laid-out page: text, rules, boxes, leaders, photos, and the marks that are not text.

Those marks are red round seals with ring text, pen signatures and handwritten notes.

Seals and pen marks are blended by multiplication, as ink over ink: printed black stays black
under a red seal, paper turns red. Handwritten notes are set in TeX Gyre Chorus (a chancery
script face) and then warped and inked unevenly; ticks, underlines and brackets are pen strokes.
None of them is in the ground truth.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.dev2 import fonts
from bench.dev2.layout import Page

SEAL_RED = (208, 36, 48)
PEN_BLUE = (28, 52, 168)
PEN_COLORS = [PEN_BLUE, (20, 20, 30), (190, 30, 40), (20, 110, 60)]
CHORUS = "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyrechorus-mediumitalic.otf"
NOTES = [
    "Đã xem",
    "đã xem",
    "Chuyển VP",
    "Lưu hồ sơ",
    "Trình LĐ",
    "Đ/c Hùng xử lý",
    "Sao gửi các ban",
    "Photo 05 bản",
    "Đã xem, lưu",
]


def _ink(page: np.ndarray, mask: np.ndarray, color: tuple[int, int, int]) -> None:
    """Multiply-blend ``color`` ink with coverage ``mask`` (0..1) into ``page`` in place."""
    m = mask[..., None].astype(np.float32)
    tint = 1.0 - (1.0 - np.asarray(color, np.float32) / 255.0) * m
    page[:] = np.clip(page.astype(np.float32) * tint, 0, 255).astype(np.uint8)


def _paste_mask(
    page: np.ndarray, layer: np.ndarray, x0: int, y0: int, color: tuple[int, int, int]
) -> None:
    h, w = layer.shape
    H, W = page.shape[:2]
    xa, ya, xb, yb = max(0, x0), max(0, y0), min(W, x0 + w), min(H, y0 + h)
    if xa >= xb or ya >= yb:
        return
    _ink(page[ya:yb, xa:xb], layer[ya - y0 : yb - y0, xa - x0 : xb - x0], color)


def _uneven(mask: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    """Stamp-ink unevenness: a blurred noise field and a few dropouts."""
    h, w = mask.shape
    small = rng.random((max(2, h // 12), max(2, w // 12))).astype(np.float32)
    field = (
        np.asarray(
            Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC),
            np.float32,
        )
        / 255.0
    )
    grain = rng.random((h, w)).astype(np.float32)
    out = mask * (1 - strength + strength * field) * np.where(grain < 0.06, 0.35, 1.0)
    return np.clip(out, 0, 1)


def seal(r: int, text: str, seed: int) -> np.ndarray:
    """Return a round seal's coverage mask: double ring, ring text over the top, a star."""
    fonts.check_text(fonts.FAMILIES[fonts.SEAL_FAMILY].path("b"), text)
    rng = random.Random(seed)
    size = 2 * r + 8
    im = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(im)
    c = size / 2
    ring = max(2, round(r * 0.055))
    d.ellipse((c - r, c - r, c + r, c + r), outline=255, width=ring)
    ri = r * 0.70
    d.ellipse((c - ri, c - ri, c + ri, c + ri), outline=255, width=max(1, ring // 2))
    rt = r * 0.85
    # The ring text fills up to 300 degrees of the ring; a long name gets smaller letters.
    px = max(8, round(r * 0.2))
    while True:
        font = fonts.load(fonts.SEAL_FAMILY, "b", px)
        widths = [font.getlength(ch) * 1.12 for ch in text]
        total = sum(widths)
        if total <= rt * math.radians(300) or px <= 8:
            break
        px -= 1
    span = total / rt
    start = -math.pi / 2 - span / 2
    acc = 0.0
    for ch, w in zip(text, widths, strict=True):
        ang = start + span * (acc + w / 2) / total
        acc += w
        if ch == " ":
            continue
        glyph = Image.new("L", (px * 2, px * 2), 0)
        ImageDraw.Draw(glyph).text((px, px), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.BICUBIC)
        gx = c + rt * math.cos(ang) - px
        gy = c + rt * math.sin(ang) - px
        im.paste(255, (round(gx), round(gy)), glyph)
    # A five-pointed star in the centre and two small ones closing the ring text.
    for sx, sy, sr in (
        (c, c + r * 0.02, r * 0.36),
        (c - r * 0.55 * math.sin(0.9), c + r * 0.82 * math.cos(0.5), r * 0.07),
        (c + r * 0.55 * math.sin(0.9), c + r * 0.82 * math.cos(0.5), r * 0.07),
    ):
        pts = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            rad = sr if k % 2 == 0 else sr * 0.4
            pts.append((sx + rad * math.cos(a), sy + rad * math.sin(a)))
        d.polygon(pts, fill=255)
    im = im.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
    mask = np.asarray(im, np.float32) / 255.0
    return _uneven(mask, np.random.default_rng(seed), rng.uniform(0.25, 0.55)) * rng.uniform(
        0.75, 0.95
    )


def _stroke_mask(w: int, h: int, pts: list[tuple[float, float]], width: float) -> np.ndarray:
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).line(pts, fill=255, width=max(1, round(width)), joint="curve")
    im = im.filter(ImageFilter.GaussianBlur(max(0.4, width / 5)))
    return np.asarray(im, np.float32) / 255.0


def signature(w: int, h: int, seed: int, dpi: int) -> np.ndarray:
    """Return a pen signature (a looping cursive run and a flourish) as a coverage mask."""
    rng = random.Random(seed)
    loops = rng.randint(3, 7)
    amp = rng.uniform(0.18, 0.32) * h
    pts = []
    phase = rng.uniform(0, math.tau)
    for i in range(260):
        t = i / 259
        x = w * (0.08 + 0.7 * t) + amp * 0.8 * math.cos(math.tau * loops * t + phase)
        y = h * (0.45 + 0.12 * math.sin(math.tau * 1.3 * t)) + amp * math.sin(
            math.tau * loops * t + phase
        ) * (1 - 0.5 * t)
        pts.append((x, y))
    fl = [
        (w * 0.1 + w * 0.85 * t, h * (0.72 - 0.25 * t * t) + rng.uniform(-1, 1))
        for t in np.linspace(0, 1, 40)
    ]
    width = dpi / 200 * rng.uniform(2.0, 3.4)
    return np.maximum(_stroke_mask(w, h, pts, width), _stroke_mask(w, h, fl, width * 0.8))


def note(text: str, px: int, seed: int) -> np.ndarray:
    """Return a handwritten note in a script face, slanted, warped and unevenly inked."""
    fonts.check_text(__import__("pathlib").Path(CHORUS), text)
    rng = np.random.default_rng(seed)
    font = ImageFont.truetype(CHORUS, px)
    w = round(font.getlength(text)) + px
    h = round(px * 1.8)
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).text(
        (px // 2, h // 2), text, font=font, fill=255, anchor="lm", stroke_width=max(0, px // 28)
    )
    arr = np.asarray(im, np.float32) / 255.0
    # A gentle wave: each column is shifted up or down, as a hand drifts.
    shift = (np.sin(np.linspace(0, rng.uniform(2, 5), w)) * px * 0.08).astype(int)
    out = np.zeros_like(arr)
    for x in range(w):
        out[:, x] = np.roll(arr[:, x], shift[x])
    img = Image.fromarray((out * 255).astype(np.uint8)).rotate(
        float(rng.uniform(-12, 12)), expand=True, resample=Image.BICUBIC
    )
    return np.asarray(img, np.float32) / 255.0


def tick(size: int, seed: int, dpi: int) -> np.ndarray:
    rng = random.Random(seed)
    pts = [
        (size * 0.1, size * 0.55),
        (size * 0.38, size * 0.85 + rng.uniform(-2, 2)),
        (size * 0.92, size * 0.12),
    ]
    return _stroke_mask(size, size, pts, dpi / 200 * 3)


def render(page: Page, seed: int) -> Image.Image:
    """Draw every operation of ``page`` on white paper (RGB)."""
    img = Image.new("RGB", (page.width, page.height), (255, 255, 255))
    d = ImageDraw.Draw(img)
    deferred = []
    for op in page.ops:
        kind = op[0]
        if kind == "text":
            _, x, y, text, family, style, px, color = op
            d.text((x, y), text, font=fonts.load(family, style, px), fill=color, anchor="ls")
        elif kind == "rule":
            _, x0, y0, x1, y1, w = op
            d.line((x0, y0, x1, y1), fill=(25, 25, 25), width=w)
        elif kind == "box":
            _, x0, y0, x1, y1, w, color = op
            d.rectangle((x0, y0, x1, y1), outline=color, width=w)
        elif kind == "dots":
            _, x0, x1, y, step, r = op
            x = x0
            while x < x1:
                d.ellipse((x - r, y - r, x + r, y + r), fill=(40, 40, 40))
                x += step
        elif kind == "photo":
            _, x0, y0, x1, y1, pseed = op
            _photo(img, (x0, y0, x1, y1), pseed)
        else:
            deferred.append(op)
    arr = np.array(img)
    dpi_guess = page.width / 8.27
    for op in deferred:  # ink marks after the print, seals last (they sit on top)
        kind = op[0]
        if kind == "signature":
            _, x, y, w, h, sseed = op
            col = PEN_BLUE if sseed % 3 else (25, 25, 35)
            _paste_mask(arr, signature(w, max(8, h), sseed, round(dpi_guess)), x, y, col)
        elif kind == "hand":
            _, what, x, y, size, hseed, color = op
            if what == "note":
                text = NOTES[hseed % len(NOTES)]
                _paste_mask(arr, note(text, size, hseed), x, y, color)
            elif what == "tick":
                _paste_mask(arr, tick(size, hseed, round(dpi_guess)), x, y, color)
            else:  # underline or margin bracket: one wavering stroke
                rng = random.Random(hseed)
                w, h = (
                    (size, max(8, size // 8)) if what == "underline" else (max(8, size // 8), size)
                )
                n = 12
                pts = [
                    (
                        (w * i / n) if what == "underline" else w / 2 + rng.uniform(-2, 2),
                        (h / 2 + rng.uniform(-2, 2)) if what == "underline" else h * i / n,
                    )
                    for i in range(n + 1)
                ]
                _paste_mask(
                    arr, _stroke_mask(w + 4, h + 4, pts, dpi_guess / 200 * 2.6), x, y, color
                )
    for op in deferred:
        if op[0] == "seal":
            _, cx, cy, r, text, sseed = op
            m = seal(r, text, sseed)
            _paste_mask(arr, m, cx - m.shape[1] // 2, cy - m.shape[0] // 2, SEAL_RED)
    return Image.fromarray(arr)


def _photo(img: Image.Image, box: tuple[int, int, int, int], seed: int) -> None:
    """Paste a 3x4 portrait: pale background, dark hair and shoulders, a face oval."""
    rng = random.Random(seed)
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    ph = Image.new("RGB", (w, h), tuple(rng.randint(170, 215) for _ in range(3)))
    d = ImageDraw.Draw(ph)
    suit = tuple(rng.randint(20, 70) for _ in range(3))
    d.ellipse((-w * 0.1, h * 0.68, w * 1.1, h * 1.5), fill=suit)
    skin = (rng.randint(190, 225), rng.randint(150, 185), rng.randint(120, 150))
    d.ellipse((w * 0.27, h * 0.18, w * 0.73, h * 0.72), fill=skin)
    d.chord((w * 0.25, h * 0.12, w * 0.75, h * 0.55), 180, 360, fill=(25, 22, 20))
    ph = ph.filter(ImageFilter.GaussianBlur(w / 90))
    img.paste(ph, (x0, y0))
    ImageDraw.Draw(img).rectangle(box, outline=(60, 60, 60), width=1)
