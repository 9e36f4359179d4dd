"""Vietnamese text normalization shared by extraction, search and evaluation.

Rules: always NFC; tone marks placed by one convention (below); folding maps ``đ``→``d``
explicitly because NFD-strip keeps it and ASCII-ignore deletes it.

Tone placement: both ``hòa`` and ``hoà`` are valid NFC, and archives hold both (Decree 30's own
text prints ``HOẢ TỐC``; most typists since Unikey's default write ``hòa``). We normalize to the
*new* placement, what people type into a search box: in the open rhymes ``oa, oe, uy`` the mark
sits on the first vowel (``hòa``, ``khỏe``, ``thủy``). Either choice works as long as index,
query and comparison share it; stored OCR text keeps the placement as printed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (grave, acute, hook above, tilde, dot below).
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_WS_RE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC."""
    return unicodedata.normalize("NFC", text)


def collapse_ws(text: str) -> str:
    """Collapse every whitespace run (newlines included) to one space and strip the ends."""
    return _WS_RE.sub(" ", text).strip()


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Return the syllable without its tone mark, and the mark (None if level tone)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = None
    kept = []
    for ch in decomposed:
        if ch in _TONES:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _place_tone(base: str, tone: str) -> str:
    """Put ``tone`` on the vowel where the new convention wants it."""
    lower = base.lower()
    vowels = "aăâeêioôơuưy"
    idx = [i for i, ch in enumerate(lower) if ch in vowels]
    if not idx:
        return nfc(base + tone)
    # qu- and gi- onsets: the u/i belongs to the onset when another vowel follows.
    if len(idx) > 1 and (
        (lower.startswith("qu") and idx[0] == 1) or (lower.startswith("gi") and idx[0] == 1)
    ):
        idx = idx[1:]
    target = idx[0]
    if len(idx) == 1:
        target = idx[0]
    else:
        # A vowel with a diacritic (ă â ê ô ơ ư) always carries the tone; ươ → on ơ.
        marked = [i for i in idx if lower[i] in "ăâêôơư"]
        if marked:
            target = marked[-1]
        elif idx[-1] < len(lower) - 1:
            # Rhyme closed by a consonant: mark on the last vowel (hoàn, toán, thuyết).
            target = idx[-1]
        elif len(idx) == 3:
            target = idx[1]  # khuỷu, ngoẹo-style triphthongs: middle vowel
        else:
            target = idx[0]  # mùa, mía, hài, cái, and (new style) hòa, khỏe, thủy
    out = base[: target + 1] + tone + base[target + 1 :]
    return nfc(out)


def normalize_tone_placement(text: str) -> str:
    """Rewrite every syllable so its tone mark sits where the new convention puts it."""
    text = nfc(text)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        base, tone = _split_tone(word)
        if tone is None:
            return word
        return _place_tone(base, tone)

    return _WORD_RE.sub(fix, text)


def normalize_vi(text: str) -> str:
    """Return NFC text with consistent tone placement: the form for comparing and indexing."""
    # Extraction and the document split ask for single words, over and over (the syllable
    # check: 10,000 calls for dev's 40 pages in the parent alone). ASCII carries no mark, so
    # it is its own form; other short strings are cached.
    if text.isascii():
        return text
    if len(text) <= _SHORT:
        return _normalize_short(text)
    return normalize_tone_placement(nfc(text))


_SHORT = 32


@lru_cache(maxsize=8192)
def _normalize_short(text: str) -> str:
    return normalize_tone_placement(nfc(text))


def fold(text: str) -> str:
    """Strip all Vietnamese marks: ``Đảng ủy`` → ``Dang uy``. Keeps case."""
    # Extraction folds the same short words over and over (156,000 calls, 9,300 distinct
    # strings on the dev corpus), half of them plain ASCII, which folding leaves as they are.
    if text.isascii():
        return text
    return _fold(text)


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    text = nfc(text).replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


# Control characters (C0, DEL, C1) and the bidi overrides/isolates that reorder what is shown.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def has_control(text: str) -> bool:
    """Return whether ``text`` holds a control or bidi-override character."""
    return _CONTROL_RE.search(text) is not None


def single_line(text: str, limit: int) -> str:
    """Return untrusted text fit for one stored line: NFC, no controls, single spaces, bounded.

    For what is recorded rather than refused (a user name tried at a failed login): control
    and bidi characters are dropped, whitespace runs become one space, and it is cut to
    ``limit`` characters.
    """
    return collapse_ws(_CONTROL_RE.sub(" ", nfc(text)))[:limit].strip()
