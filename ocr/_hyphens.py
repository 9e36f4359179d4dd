"""Hyphens Tesseract reads in word gaps (``TỈNH-LÂM``, ``giám-sát``, ``-theo``), made gaps again.

A speck or a stroke of noise between two words is often read as a hyphen, and the two words
then come out as one (``VŨ-THANH``). Vietnamese prints hyphens between syllables only in
transliterations and a few proper names, so a hyphen between two real syllables is a gap, unless
the word is one of those: written with a capital and then small letters (``Gia-rai``,
``Xô-viết``, ``Mác-Lê-nin``) or listed in ``_PRINTED``. Symbols and numbers (``NQ-UBND``,
``2010-2015``) have parts that are no syllable and stay. The split words share the read word's
box by their share of its letters: Tesseract gives no letter boxes, and a word box is what
search highlighting and re-reads use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from core.models import OcrWord
from core.text import normalize_vi
from ocr._postcorrect import Lexicon

# Printed with hyphens between syllables that are each Vietnamese, in capitals as often as not.
_PRINTED = frozenset({"rịa-vũng", "ê-đê", "ba-na", "xơ-đăng", "cơ-ho", "chu-ru", "mơ-nông"})
_LETTERS = re.compile(r"^[^\W\d_]+$")
# "2.-Giao": a list number glued to the first word of its item by a speck.
_NUMBERING = re.compile(r"^(?:\d{1,3}|[IVXivx]{1,5}|[a-zđ])[.)]$")


def _syllable(part: str, lex: Lexicon) -> bool:
    return bool(_LETTERS.match(part)) and normalize_vi(part).lower() in lex.syllables


def _transliterated(parts: list[str]) -> bool:
    return parts[0][:1].isupper() and any(p[:1].islower() for p in parts[1:])


def _gaps(token: str, lex: Lexicon) -> list[str] | None:
    """Return the words a token splits into at its gap hyphens, or None to keep it."""
    parts = token.split("-")
    if len(parts) < 2 or any(not p for p in parts):
        return None
    if normalize_vi(token).lower() in _PRINTED or _transliterated(parts):
        return None
    pieces = [parts[0]]
    for part in parts[1:]:
        left = pieces[-1]
        gap = _syllable(part, lex) and (_syllable(left, lex) or bool(_NUMBERING.match(left)))
        if gap:
            pieces.append(part)
        else:
            pieces[-1] = f"{left}-{part}"
    return pieces if len(pieces) > 1 else None


def _share(word: OcrWord, pieces: list[str], spans: list[tuple[int, int]]) -> list[OcrWord]:
    total = max(1, spans[-1][1])
    return [
        replace(
            word,
            text=piece,
            left=word.left + word.width * start // total,
            width=max(1, word.width * (end - start) // total),
        )
        for piece, (start, end) in zip(pieces, spans, strict=True)
    ]


def split_gap_hyphens(words: Sequence[OcrWord], lex: Lexicon) -> tuple[list[OcrWord], int]:
    """Return the words with gap hyphens turned back into gaps, and how many words changed."""
    out: list[OcrWord] = []
    changed = 0
    for i, w in enumerate(words):
        line = (w.block, w.par, w.line)
        first_on_line = i == 0 or (words[i - 1].block, words[i - 1].par, words[i - 1].line) != line
        text = w.text
        if text.startswith("-") and not first_on_line and _syllable(text[1:].rstrip(",.;:"), lex):
            # Mid-line, a hyphen glued before a word is a speck; at a line's start a dash.
            out.append(replace(w, text=text[1:]))
            changed += 1
            continue
        lead = len(text) - len(text.lstrip("(\"'“"))
        tail = len(text) - len(text.rstrip(",.;:)\"'”"))
        core = text[lead : len(text) - tail]
        pieces = _gaps(core, lex)
        if pieces is None:
            out.append(w)
            continue
        pieces[0] = text[:lead] + pieces[0]
        pieces[-1] = pieces[-1] + text[len(text) - tail :]
        spans, at = [], 0
        for piece in pieces:
            spans.append((at, at + len(piece)))
            at += len(piece) + 1  # the hyphen's place
        out.extend(_share(w, pieces, spans))
        changed += 1
    return out, changed
