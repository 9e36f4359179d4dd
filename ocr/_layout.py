"""Turning Tesseract's words back into lines of text."""

from __future__ import annotations

from collections.abc import Sequence

from core.models import OcrWord


def words_to_text(words: Sequence[OcrWord]) -> str:
    """Join words into lines (one per Tesseract line) in the order Tesseract read them."""
    lines: list[str] = []
    current: tuple[int, int, int] | None = None
    buf: list[str] = []
    for w in words:
        key = (w.block, w.par, w.line)
        if key != current and buf:
            lines.append(" ".join(buf))
            buf = []
        current = key
        buf.append(w.text)
    if buf:
        lines.append(" ".join(buf))
    return "\n".join(lines)


def mean_confidence(words: Sequence[OcrWord]) -> float:
    """Return the character-weighted mean word confidence (0..100), 0 for no words."""
    total = sum(len(w.text) for w in words)
    if not total:
        return 0.0
    return sum(w.conf * len(w.text) for w in words) / total
