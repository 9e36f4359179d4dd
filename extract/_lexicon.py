"""Vietnamese syllable list (Debian ``hunspell-vi``) for judging and repairing OCR'd syllables.

Post-correction in the OCR stage only swaps marks on the same letters. Extraction sees values
where one *letter* was misread (``quy heạch`` for ``quy hoạch``): such a syllable is invalid, and
when exactly one valid syllable differs from it in one letter, with the same tone, that one is
what was printed. Anything else (proper names, abbreviations, foreign words, digits) is kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from core.syllables import DEFAULT_SYLLABLES, load_syllables
from core.text import fold, normalize_vi

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_TOKEN = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_LOWER_WORD = re.compile(r"^[^\W\d_A-ZĐ]+$")


def tone_of(syllable: str) -> str:
    """Return the tone mark of a syllable ('' for the level tone)."""
    marks = [ch for ch in unicodedata.normalize("NFD", syllable) if ch in _TONES]
    return marks[-1] if marks else ""


@lru_cache(maxsize=4)
def _by_shape(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """Index valid syllables by (folded form with one letter blanked, tone)."""
    syllables = load_syllables(path) or frozenset()
    index: dict[tuple[str, str], list[str]] = {}
    for s in syllables:
        f, t = fold(s), tone_of(s)
        for i in range(len(f)):
            index.setdefault((f[:i] + "?" + f[i + 1 :], t), []).append(s)
    return {k: tuple(sorted(set(v))) for k, v in index.items()}


def is_valid_syllable(word: str, path: Path = DEFAULT_SYLLABLES) -> bool | None:
    """Whether ``word`` is a Vietnamese syllable; None when the list is not installed."""
    syllables = load_syllables(path)
    if syllables is None:
        return None
    return normalize_vi(word).lower() in syllables


def one_letter_fix(word: str, path: Path = DEFAULT_SYLLABLES) -> str | None:
    """Return the only valid syllable one letter away from an invalid lower-case ``word``.

    Same length, same tone, exactly one folded letter different; None when ``word`` is valid,
    not a plain lower-case word, or when zero or several syllables qualify.
    """
    syllables = load_syllables(path)
    low = normalize_vi(word)
    if syllables is None or not _LOWER_WORD.match(low) or low in syllables or len(low) < 2:
        return None
    f, t = fold(low), tone_of(low)
    if len(f) != len(low):
        return None
    index = _by_shape(path)
    found = {c for i in range(len(f)) for c in index.get((f[:i] + "?" + f[i + 1 :], t), ())}
    return found.pop() if len(found) == 1 else None


def repair_invalid_syllables(text: str, path: Path = DEFAULT_SYLLABLES) -> tuple[str, list[str]]:
    """Apply :func:`one_letter_fix` to every word of ``text``; return it and the changes."""
    out, changes = [], []
    for token in text.split(" "):
        m = _TOKEN.match(token)
        pre, core, post = m.groups() if m else ("", token, "")
        fixed = one_letter_fix(core, path) if core else None
        if fixed and fixed != core:
            changes.append(f"{core}→{fixed}")
            token = pre + fixed + post
        out.append(token)
    return " ".join(out), changes
