"""Synthetic OCR pages for extraction tests: rows of a left and a right column."""

from __future__ import annotations

from core.models import OcrWord, PageText


def word(text: str, left: int, top: int, line: int, conf: float = 95.0) -> OcrWord:
    """One OCR word, as wide as its letters."""
    return OcrWord(text, conf, left, top, 22 * len(text), 30, 1, 1, line)


def two_column_page(rows: list[tuple[str, str]], page_id: int = 4, step: int = 100) -> PageText:
    """A page whose every row has a left text (x from 100) and a right text (x from 900)."""
    words = tuple(
        word(t, x0 + step * i, 100 + 50 * n, n)
        for n, (left, right) in enumerate(rows)
        for x0, col in ((100, left), (900, right))
        for i, t in enumerate(col.split())
    )
    return PageText(page_id, "", words)
