"""Looking inside PDF pages: the single scan image a scanner writes, and text layers."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from core.text import nfc


@dataclass(frozen=True, slots=True)
class ScanImage:
    """A page that is one image drawn over (nearly) the whole page, upright."""

    name: str
    width: int
    height: int
    dpi: int
    # How large the image is drawn on the page, in points: with the page box this gives the
    # size at which a renderer reproduces the scan pixel for pixel.
    drawn_w: float = 0.0
    drawn_h: float = 0.0


def find_scan_image(page: pikepdf.Page) -> ScanImage | None:
    """Return the page's full-page scan image when it can be taken out without rendering.

    Only the plain case is accepted: one image, drawn with a positive axis-aligned scale
    covering at least 90 % of the page. Anything else (flips, several images, vector text)
    is left to the renderer, which is slower but always right.
    """
    try:
        ops = pikepdf.parse_content_stream(page)
    except pikepdf.PdfError:
        return None
    images: Any = page.resources.get("/XObject", {}) if "/Resources" in page.obj else {}
    draws: list[tuple[str, list[float]]] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    for instruction in ops:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            return None  # inline images are rendered, not extracted
        operands, op = instruction.operands, instruction.operator
        name = str(op)
        if name == "cm":
            ctm = [float(v) for v in operands]
        elif name == "Do":
            draws.append((str(operands[0]), ctm))
        elif name in ("Tj", "TJ", "'", '"'):
            return None  # real text drawn: not a bare scan
    if len(draws) != 1:
        return None
    xname, (a, b, c, d, _e, _f) = draws[0]
    xobj = images.get(xname) if images else None
    if xobj is None or xobj.get("/Subtype") != "/Image":
        return None
    if b != 0 or c != 0 or a <= 0 or d <= 0:
        return None
    box = page.mediabox
    pw, ph = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    if a * d < 0.9 * pw * ph:
        return None
    width, height = int(xobj.Width), int(xobj.Height)
    dpi = round(width / (a / 72.0))
    return ScanImage(xname, width, height, dpi, a, d)


def page_texts(path: Path, timeout_s: int = 120) -> list[str] | None:
    """Return the extractable text of every page (pdftotext), or None if it cannot run."""
    try:
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    pages = out.stdout.decode("utf-8", "replace").split("\f")
    return [nfc(p) for p in pages]


def page_text(path: Path, index: int, timeout_s: int = 60) -> str:
    """Return the text layer of one page (0-based index)."""
    n = str(index + 1)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", n, "-l", n, str(path), "-"],
        capture_output=True,
        timeout=timeout_s,
        check=False,
    )
    return nfc(out.stdout.decode("utf-8", "replace")).strip("\f")
