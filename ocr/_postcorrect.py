"""Vietnamese post-correction of OCR words: syllable validity plus a diacritic confusion model.

Tesseract's Vietnamese errors are mostly wrong marks on the right letters (``Tổ``→``Tố``,
``chi``→``chỉ``, ``đai``→``đại``). So candidates for a word are only the syllables with the
same base letters (same ``fold``), and a change is made only when evidence picks one:
- an invalid syllable (not in the syllable list) becomes the valid one closest in marks, if
  exactly one is closest;
- a valid syllable that forms no known word with its neighbours becomes the look-alike that
  does, if exactly one does.
Numbers, symbols (``14-KH/BTCTU``), dates and anything with a digit or slash are never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from core.models import OcrWord
from core.syllables import DEFAULT_SYLLABLES, load_syllables
from core.text import fold, normalize_vi

_DATA = Path(__file__).resolve().parent / "data"
_WORDS_FILE = _DATA / "vi_admin_words.txt"
_SPLIT = re.compile(r"^(\W*)(.*?)(\W*)$", re.UNICODE)
_LETTERS_ONLY = re.compile(r"^[^\W\d_]+$", re.UNICODE)
# Letters Tesseract emits for Vietnamese ones in degraded print.
_GLYPH_FIXES = str.maketrans({"ø": "g", "Ø": "G", "ð": "đ", "Ð": "Đ", "ſ": "s"})


@dataclass(frozen=True)
class Lexicon:
    """Valid syllables grouped by their folded form, and syllable pairs that form words."""

    syllables: frozenset[str]
    by_fold: dict[str, tuple[str, ...]]
    pairs: frozenset[tuple[str, str]]


@lru_cache(maxsize=4)
def load_lexicon(syllable_file: Path = DEFAULT_SYLLABLES) -> Lexicon | None:
    """Load the syllable list (Debian ``hunspell-vi``) and the word list; None if missing."""
    listed = load_syllables(syllable_file)
    if listed is None:
        return None
    syllables = set(listed)
    words = [
        normalize_vi(line).lower().split()
        for line in _WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for w in words:
        syllables.update(w)
    pairs = {(w[i], w[i + 1]) for w in words for i in range(len(w) - 1)}
    by_fold: dict[str, list[str]] = {}
    for s in syllables:
        by_fold.setdefault(fold(s), []).append(s)
    return Lexicon(
        frozenset(syllables), {k: tuple(sorted(v)) for k, v in by_fold.items()}, frozenset(pairs)
    )


@lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    """Return the tone-placement-normalized lower-case form (cached: words repeat a lot)."""
    return normalize_vi(word).lower()


@lru_cache(maxsize=65536)
def _folded(word: str) -> str:
    return fold(word)


def _marks(s: str) -> list[str]:
    """Return, per base letter, the combining marks on it."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", s.replace("đ", "d\u0335")):
        if unicodedata.combining(ch) and out:
            out[-1] += ch
        else:
            out.append("")
    return out


def _mark_distance(a: str, b: str) -> int:
    return sum(len(set(x) ^ set(y)) for x, y in zip(_marks(a), _marks(b), strict=False))


def _with_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=65536)
def _core(token: str) -> tuple[str, str, str] | None:
    m = _SPLIT.match(token)
    if not m:
        return None
    pre, core, post = m.groups()
    if not core or not _LETTERS_ONLY.match(core):
        return None  # digits, slashes, hyphens: numbers, dates and symbols stay as read
    return pre, core, post


def _fix_invalid(
    core: str, lex: Lexicon, prev: str | None = None, nxt: str | None = None
) -> str | None:
    """Return the valid syllable an invalid reading stands for, or None when none is clear.

    The closest in marks wins; of several equally close (``đầt``: ``đất`` and ``đật``), the one
    that forms a known word with a neighbour, if exactly one does.
    """
    low = normalize_vi(core.translate(_GLYPH_FIXES).lower())
    if low in lex.syllables:
        return low
    candidates = lex.by_fold.get(fold(low), ())
    if not candidates:
        return None
    scored = sorted((_mark_distance(low, c), c) for c in candidates)
    closest = [c for d, c in scored if d == scored[0][0]]
    if len(closest) == 1:
        return closest[0]
    forming = [c for c in closest if _forms_word(lex, prev, c, nxt)]
    return forming[0] if len(forming) == 1 else None


def _forms_word(lex: Lexicon, prev: str | None, syl: str, nxt: str | None) -> bool:
    return (prev is not None and (prev, syl) in lex.pairs) or (
        nxt is not None and (syl, nxt) in lex.pairs
    )


def correct_words(words: Sequence[OcrWord], lex: Lexicon) -> tuple[list[OcrWord], int]:
    """Return the words with look-alike syllables corrected, and how many were changed."""
    cores = [_core(w.text) for w in words]
    lows = [_norm(c[1]) if c else None for c in cores]
    changed = 0
    out = list(words)
    for i, (w, parts) in enumerate(zip(words, cores, strict=True)):
        if parts is None:
            continue
        pre, core, post = parts
        if core.isupper() and len(core) > 1 and _folded(core.lower()) not in lex.by_fold:
            continue  # abbreviations: UBND, HĐND, BTCTU
        same_line = [
            j
            for j in (i - 1, i + 1)
            if 0 <= j < len(words)
            and (words[j].block, words[j].par, words[j].line) == (w.block, w.par, w.line)
        ]
        prev = lows[i - 1] if i - 1 in same_line else None
        nxt = lows[i + 1] if i + 1 in same_line else None
        low = lows[i]
        assert low is not None
        new: str | None = None
        if low not in lex.syllables:
            new = _fix_invalid(core, lex, prev, nxt)
        elif not _forms_word(lex, prev, low, nxt):
            alts = [
                a
                for a in lex.by_fold.get(_folded(low), ())
                if a != low and _forms_word(lex, prev, a, nxt)
            ]
            if len(alts) == 1:
                new = alts[0]
        printed = core.lower()
        if new is None and low in lex.syllables:
            new = printed  # a mixed-case syllable ("viỆc") is a recognition slip
        if new is None:
            continue
        # Same syllable (placement aside): only a case slip is fixed, the printed tone
        # placement is kept.
        text = _with_case(core, printed if normalize_vi(new) == low else new)
        if text != core:
            out[i] = replace(w, text=pre + text + post)
            lows[i] = normalize_vi(new)
            changed += 1
    return out, changed


def syllable_counts(words: Sequence[OcrWord], lex: Lexicon) -> tuple[int, int]:
    """Return how many alphabetic words are valid Vietnamese syllables, and how many are not.

    Abbreviations in capitals (UBND, BTCTU) are not counted either way.
    """
    valid = invalid = 0
    for w in words:
        parts = _core(w.text)
        if parts is None:
            continue
        core = parts[1]
        low = _norm(core)
        if low in lex.syllables:
            valid += 1
        elif not (core.isupper() and len(core) > 1):
            invalid += 1
    return valid, invalid


def valid_share(words: Sequence[OcrWord], lex: Lexicon) -> float:
    """Return the share of alphabetic words that are valid Vietnamese syllables (1.0 if none).

    Abbreviations in capitals (UBND, BTCTU) are not counted either way.
    """
    valid, invalid = syllable_counts(words, lex)
    return valid / (valid + invalid) if valid + invalid else 1.0
