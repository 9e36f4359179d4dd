"""Fonts for dev2 and the glyph check that every rendered character really has a glyph.

dev is printed in Liberation Serif 2 and FreeSerif; dev2 uses other Vietnamese-capable faces
from Debian packages: TeX Gyre Termes, Pagella, Schola and Heros (``fonts-texgyre``), Noto Serif
and Noto Sans (``fonts-noto-core``) and DejaVu Serif (``fonts-dejavu-core``). Liberation 1.x has
no Vietnamese glyphs and is never used. A character missing from a font's cmap would be drawn as
the .notdef box while the ground truth holds the letter, so :func:`check_text` refuses it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

_GYRE = Path("/usr/share/texmf/fonts/opentype/public/tex-gyre")
_NOTO = Path("/usr/share/fonts/truetype/noto")
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True, slots=True)
class Family:
    """A font family: its name, the Debian package and the four style files."""

    name: str
    package: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def path(self, style: str) -> Path:
        """Return the file of ``style`` (``r``, ``b``, ``i`` or ``bi``)."""
        return {"r": self.regular, "b": self.bold, "i": self.italic, "bi": self.bold_italic}[style]


def _gyre(name: str, stem: str) -> Family:
    return Family(
        name,
        "fonts-texgyre",
        *(_GYRE / f"texgyre{stem}-{s}.otf" for s in ("regular", "bold", "italic", "bolditalic")),
    )


FAMILIES: dict[str, Family] = {
    "TeX Gyre Termes": _gyre("TeX Gyre Termes", "termes"),
    "TeX Gyre Pagella": _gyre("TeX Gyre Pagella", "pagella"),
    "TeX Gyre Schola": _gyre("TeX Gyre Schola", "schola"),
    "TeX Gyre Heros": _gyre("TeX Gyre Heros", "heros"),
    "Noto Serif": Family(
        "Noto Serif",
        "fonts-noto-core",
        *(_NOTO / f"NotoSerif-{s}.ttf" for s in ("Regular", "Bold", "Italic", "BoldItalic")),
    ),
    "Noto Sans": Family(
        "Noto Sans",
        "fonts-noto-core",
        *(_NOTO / f"NotoSans-{s}.ttf" for s in ("Regular", "Bold", "Italic", "BoldItalic")),
    ),
    "DejaVu Serif": Family(
        "DejaVu Serif",
        "fonts-dejavu-core",
        *(_DEJAVU / f"DejaVuSerif{s}.ttf" for s in ("", "-Bold", "-Italic", "-BoldItalic")),
    ),
}
# Share of documents per family: Times-like faces dominate real administrative documents.
WEIGHTS = {
    "TeX Gyre Termes": 34,
    "Noto Serif": 18,
    "DejaVu Serif": 12,
    "TeX Gyre Pagella": 12,
    "TeX Gyre Schola": 10,
    "TeX Gyre Heros": 7,
    "Noto Sans": 7,
}
# The seal's ring text is set in a sans face, as rubber-stamp makers do.
SEAL_FAMILY = "TeX Gyre Heros"


class MissingGlyph(RuntimeError):
    """A text would be drawn with a character its font has no glyph for."""


@functools.cache
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap() or {}
        return frozenset(cp for cp, glyph in cmap.items() if glyph != ".notdef")


def missing_chars(path: Path, text: str) -> set[str]:
    """Characters of ``text`` (whitespace aside) that the font file has no glyph for."""
    have = _cmap(path)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in have}


def check_text(path: Path, text: str) -> None:
    """Raise :class:`MissingGlyph` if any character of ``text`` lacks a glyph in ``path``."""
    miss = missing_chars(path, text)
    if miss:
        shown = ", ".join(f"{c!r} U+{ord(c):04X}" for c in sorted(miss))
        raise MissingGlyph(f"{path.name} has no glyph for {shown} in {text!r}")


@functools.lru_cache(maxsize=256)
def load(family: str, style: str, px: int) -> ImageFont.FreeTypeFont:
    """Return a Pillow font of ``family`` in ``style`` at ``px`` pixels."""
    return ImageFont.truetype(str(FAMILIES[family].path(style)), px)


def installed() -> list[str]:
    """Names of the families whose four files are all present."""
    return [
        n for n, f in FAMILIES.items() if all(f.path(s).exists() for s in ("r", "b", "i", "bi"))
    ]
