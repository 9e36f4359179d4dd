"""Gazetteer repair of Vietnamese place names in free text (folded, spacing-tolerant match).

OCR misreads the marks of place names (``Thừa Thiên Huê``, ``Báo Lộc``) and, in capitals, the
space between their syllables (``DILINH``). A run of capitalised words whose folded form equals
exactly one gazetteer name of two or more syllables is rewritten to that name in the printed
letter case; a run that already reads as the name (either tone placement) is left as printed.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from core.text import fold, normalize_vi

_GAZETTEER = Path(__file__).resolve().parent / "data" / "vi_places.txt"
_TOKEN = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_MAX_WORDS = 4
_UNIT_TYPES = ("Thành phố ", "Tỉnh ", "Quận ", "Huyện ", "Thị xã ")


@lru_cache(maxsize=1)
def _divisions() -> tuple[tuple[str, bool], ...]:
    """Return (name without its unit type, is a province) of every GSO province and district.

    From the ``vietnam-provinces`` 0.6 package (units before the 2025 merger, the era of the
    archive); empty where it is not installed, leaving the bundled gazetteer alone.
    """
    try:
        data = files("vietnam_provinces") / "data" / "nested-divisions.json"
        tree = json.loads(data.read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError):
        return ()
    out = []
    for province in tree:
        for unit in (province, *province.get("districts", ())):
            name = str(unit.get("name", ""))
            for prefix in _UNIT_TYPES:
                name = name.removeprefix(prefix)
            out.append((normalize_vi(name), unit is province))  # the list mixes hoà/hòa
    return tuple(out)


def _national_names() -> list[str]:
    """Return every province and district name of the GSO list, without its unit type."""
    return [name for name, _ in _divisions()]


@lru_cache(maxsize=1)
def _province_keys() -> frozenset[str]:
    return frozenset(_key(name) for name, province in _divisions() if province)


def is_province(name: str) -> bool:
    """Whether ``name`` is a province's (``Lâm Đồng``), not a district's or a commune's."""
    return _key(name) in _province_keys()


def complete_province(head: str) -> str | None:
    """Return the one province whose name ``head``'s words begin and do not end, else None.

    An address cut at the line's edge (``tỉnh Lâm``) names Lâm Đồng; ``tỉnh Hà`` names none
    (Hà Nội, Hà Giang, Hà Nam, Hà Tĩnh).
    """
    key = _key(head)
    found = {
        name
        for name, province in _divisions()
        if province and _key(name).startswith(f"{key} ") and key
    }
    return found.pop() if len(found) == 1 else None


# Two words that belong together in an organ's name: a place name cannot start on the second.
_ORG_PAIRS = frozenset(
    {"nhan dan", "hoi dong", "uy ban", "ban chap", "chap hanh", "thuong vu", "kiem tra"}
)


def _key(text: str) -> str:
    return " ".join(fold(text).casefold().replace("-", " ").split())


@lru_cache(maxsize=1)
def local_names() -> tuple[str, ...]:
    """Return the bundled gazetteer's names (Lâm Đồng's units), as printed."""
    lines = _GAZETTEER.read_text(encoding="utf-8").splitlines()
    return tuple(n for line in lines if (n := line.strip()) and not n.startswith("#"))


def known_names() -> list[str]:
    """Return every place name known: the bundled gazetteer's, then the national list's."""
    return [*local_names(), *_national_names()]


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """Return (spaced folded key → name, glued folded key → name), ambiguous keys dropped."""
    names = known_names()
    spaced: dict[str, set[str]] = {}
    for name in names:
        if len(name.replace("-", " ").split()) >= 2:
            spaced.setdefault(_key(name), set()).add(name)
    one = {k: next(iter(v)) for k, v in spaced.items() if len(v) == 1}
    glued: dict[str, set[str]] = {}
    for k, v in one.items():
        glued.setdefault(k.replace(" ", ""), set()).add(v)
    return one, {k: next(iter(v)) for k, v in glued.items() if len(v) == 1}


def _split(token: str) -> tuple[str, str, str]:
    """Return (leading punctuation, word, trailing punctuation) of a token."""
    m = _TOKEN.match(token)
    return (m[1], m[2], m[3]) if m else ("", token, "")


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _in_case(name: str, printed: list[str]) -> str:
    if all(w.isupper() or not any(c.isalpha() for c in w) for w in printed):
        return name.upper()
    return name


def repair_place_names(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with misread gazetteer names repaired, and the changes made."""
    spaced, glued = _index()
    tokens = text.split(" ")
    parts = [_split(t) for t in tokens]
    out: list[str] = []
    changes: list[str] = []
    i = 0
    while i < len(tokens):
        done = False
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            window = parts[i : i + n]
            cores = [c for _, c, _ in window]
            # Inner words must not carry punctuation (``Huế, Đà`` spans two names).
            if (
                not all(c and _capitalised(c) for c in cores)
                or any(post for _, _, post in window[:-1])
                or any(pre for pre, _, _ in window[1:])
            ):
                continue
            key = _key(" ".join(cores))
            name = spaced.get(key) if n > 1 else glued.get(key.replace(" ", ""))
            if name is not None and i > 0 and _key(f"{parts[i - 1][1]} {cores[0]}") in _ORG_PAIRS:
                name = None  # "NHÂN DÂN PHƯỜNG": "DÂN" ends "NHÂN DÂN", no "Đan Phượng" begins
            if name is None:
                continue
            printed = " ".join(cores)
            new = _in_case(name, cores)
            if normalize_vi(printed).replace(" - ", "-") != normalize_vi(new).replace(" - ", "-"):
                changes.append(f"{printed}→{new}")
                out.append(window[0][0] + new + window[-1][2])
            else:
                out.extend(tokens[i : i + n])
            i += n
            done = True
            break
        if not done:
            out.append(tokens[i])
            i += 1
    return " ".join(out), changes


def spans_place_name(before: str, after: str) -> bool:
    """Whether the last words of ``before`` and the first of ``after`` form one gazetteer name.

    A line break inside a place name (``… huyện Đơn`` / ``Dương lần thứ 8``) does not end the
    text it wraps.
    """
    spaced, _ = _index()
    left = [_split(t)[1] for t in before.split()[-(_MAX_WORDS - 1) :]]
    right = [_split(t)[1] for t in after.split()[: _MAX_WORDS - 1]]
    for i in range(len(left)):
        head = left[i:]
        if not all(w[:1].isupper() for w in head):
            continue
        for j in range(1, len(right) + 1):
            tail = right[:j]
            if not all(w[:1].isupper() for w in tail) or len(head) + j > _MAX_WORDS:
                break
            if _key(" ".join(head + tail)) in spaced:
                return True
    return False


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def closest_place(text: str, extra: tuple[str, ...] = ()) -> str | None:
    """Return the one known place name ``text`` is a misreading of, or None.

    ``text`` stands where only a place can (before ``, ngày …``). Candidates are the gazetteer's
    names and ``extra`` (the places named in the issuer's lines) with as many words; the
    folded spelling may differ by one letter per word, at most two in names longer than
    eight letters (``Đụ Têh`` → ``Đạ Tẻh``, ``Madaguôi`` → ``Mađaguôi``). A name read
    exactly, or two candidates equally close (unless only one is in ``extra``), leaves
    ``text`` alone.
    """
    key = _key(text)
    if not key or any(ch.isdigit() for ch in key):
        return None
    words = len(key.split())
    spaced, _ = _index()
    # One name per folded spelling; the gazetteer's spelling wins over the issuer's print,
    # whose marks OCR may have misread as well ("ĐẠ TÉH").
    named = {_key(n): n for n in extra if len(_key(n).split()) == words}
    by_key = dict(named)
    by_key.update({k: n for k, n in spaced.items() if len(k.split()) == words})
    scored = []
    for k, n in by_key.items():
        per_word = [edit_distance(a, b) for a, b in zip(key.split(), k.split(), strict=True)]
        if max(per_word) <= 1:
            scored.append((sum(per_word), k, n))
    if not scored:
        return None
    scored.sort()
    best, best_key, name = scored[0]
    limit = 1 if len(key) <= 8 else 2
    if best > limit:
        return None
    tied = {k for d, k, _ in scored if d == best}
    if len(tied) > 1:
        # Equally close: the one the issuer names (``âm Hà`` under ``HUYỆN ỦY LÂM HÀ`` is
        # Lâm Hà, not Nam Hà), if only one is.
        ours = tied & named.keys()
        if len(ours) != 1:
            return None
        best_key = ours.pop()
        name = by_key[best_key]
    if normalize_vi(name) == normalize_vi(text):
        return None
    return name


def completed_place(text: str, extra: tuple[str, ...]) -> str | None:
    """Return the place of ``extra`` whose first words ``text`` lost, or None.

    A place read as one word (``Đồng``, ``Lạt``, ``Linh``) lost the words before it at the edge
    of a seal or a streak; the issuer's lines name the locality (``… TỈNH LÂM ĐỒNG``):
    the one gazetteer name among ``extra`` that ends with that word is the place.
    """
    key = _key(text)
    if len(key.split()) != 1 or any(ch.isdigit() for ch in key):
        return None
    spaced, _ = _index()
    names = {
        spaced[k]
        for n in extra
        if len((k := _key(n)).split()) >= 2 and k in spaced and k.split()[-1] == key
    }
    if not names:
        # No locality in the issuer's lines: the province's own places (this archive's), the
        # last word spelt with its marks, if only one ends so (Lạt: Đà Lạt).
        word = normalize_vi(text).casefold()
        names = {
            n
            for n in local_names()
            if len(parts := normalize_vi(n).casefold().replace("-", " ").split()) >= 2
            and parts[-1] == word
        }
    return names.pop() if len(names) == 1 else None


def ends_with_place_name(text: str) -> bool:
    """Whether ``text`` ends with a gazetteer name of two or more words (``… TỈNH LÂM ĐỒNG``)."""
    spaced, _ = _index()
    words = [_split(t)[1] for t in text.split()]
    return any(
        _key(" ".join(words[-n:])) in spaced for n in range(2, min(_MAX_WORDS, len(words)) + 1)
    )


def place_named(text: str, extra: tuple[str, ...] = ()) -> str | None:
    """Return the known place ``text`` names, read exactly or misread (``closest_place``).

    A name of two or more words in the gazetteer, whatever its marks (``Lắm Động`` is Lâm
    Đồng), or one of ``extra`` (the localities the issuer is named after) one letter off per
    word at most (``DL kính`` under ``HUYỆN ỦY DI LINH``: documents are dated where their
    issuer sits). None when nothing, or more than one name, is that close.
    """
    key = _key(text)
    if not key or any(ch.isdigit() for ch in key) or len(key.split()) > _MAX_WORDS:
        return None
    spaced, _ = _index()
    if key in spaced:
        return spaced[key]
    near = closest_place(text, extra)
    if near is not None:
        return near
    words = key.split()
    ours = {
        n
        for n in extra
        if len(_key(n).split()) == len(words)
        and all(edit_distance(a, b) <= 1 for a, b in zip(words, _key(n).split(), strict=True))
    }
    return ours.pop() if len(ours) == 1 else None
