"""Snippets: a window of the original page text, HTML-escaped, matched words in ``<mark>``.

Done in Python for both backends so the two give the same snippets: the stored text keeps
its original diacritics and the marks go around whole words whose folded form was asked for
(the same rule that made the page match through the folded field).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from core.text import nfc
from search._analysis import FOLD_TABLE, QueryPlan, folded_word, has_y_spelling

_WS_RE = re.compile(r"\s+")


def _letter_classes() -> dict[str, str]:
    """Return, for each folded letter, a regex class of every character that folds to it."""
    variants: dict[str, set[str]] = {}
    for cp, folded in FOLD_TABLE.items():
        variants.setdefault(folded, {folded}).add(chr(cp))
    for ch in list(variants):
        variants[ch] |= {v.upper() for v in variants[ch] if len(v.upper()) == 1}
    return {k: "[" + "".join(sorted(re.escape(c) for c in v)) + "]" for k, v in variants.items()}


_CLASSES = _letter_classes()


@lru_cache(maxsize=256)
def _pattern(units: frozenset[tuple[str, ...]]) -> re.Pattern[str]:
    """Return one regex finding any unit in *unfolded* text (``dang`` finds ``Đảng``).

    Each letter of a folded word becomes a class of its accented and upper-case variants; a
    phrase's words are joined by any run of non-word characters so it is marked as a whole.
    """

    def word(w: str) -> str:
        letters = "".join(_CLASSES.get(c, re.escape(c)) for c in w)
        if has_y_spelling(w):  # ki is also printed kỹ
            letters = letters[: -len(_CLASSES["i"])] + _CLASSES["i"][:-1] + _CLASSES["y"][1:]
        return letters

    alternatives = "|".join(
        r"\W+".join(word(w) for w in unit) for unit in sorted(units, key=lambda u: (-len(u), u))
    )
    # No leading look-behind: a pattern that starts with a character class is scanned fast
    # (3x here); match_spans drops matches that start inside a word.
    return re.compile(rf"(?:{alternatives})(?!\w)")


def match_spans(text: str, plan: QueryPlan) -> list[tuple[int, int]]:
    """Return the character spans of the words (or phrases) in NFC ``text`` the query asked for.

    One compiled regex per query runs over the original text: no per-word Python step and
    no folded copy of the page.
    """
    units = plan.highlight_units
    if not units:
        return []
    return [
        m.span()
        for m in _pattern(units).finditer(text)
        if not (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"))
    ]


def _clean(text: str) -> str:
    return html.escape(_WS_RE.sub(" ", text), quote=True)


def make_snippet(text: str, plan: QueryPlan, width: int = 240) -> str | None:
    """Return an HTML snippet around the densest group of matches, or None without matches.

    Args:
        text: Original page text (made NFC here).
        plan: The parsed query.
        width: Target length of the window in characters.
    """
    text = nfc(text)
    spans = match_spans(text, plan)
    if not spans:
        return None
    # Densest window: the start whose ``width`` characters hold the most distinct words
    # (sliding window, linear in the number of matches).
    keys = [folded_word(text[a:b]) for a, b in spans]
    counts: dict[str, int] = {}
    best = best_score = j = 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] - start <= width:
            counts[keys[j]] = counts.get(keys[j], 0) + 1
            j += 1
        if len(counts) > best_score:
            best, best_score = i, len(counts)
        if j > i:  # drop match i before the window moves on
            counts[keys[i]] -= 1
            if not counts[keys[i]]:
                del counts[keys[i]]
        else:
            j = i + 1
    lo = max(0, spans[best][0] - width // 4)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1  # never cut a word in half
    hi = min(len(text), lo + width)
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    parts = ["…" if lo > 0 else ""]
    pos = lo
    for a, b in spans:
        if a < lo or b > hi:
            continue
        parts.append(_clean(text[pos:a]))
        parts.append(f"<mark>{_clean(text[a:b])}</mark>")
        pos = b
    parts.append(_clean(text[pos:hi]))
    parts.append("…" if hi < len(text) else "")
    return "".join(parts).strip()
