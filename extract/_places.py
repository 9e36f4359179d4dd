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


def _national_names() -> list[str]:
    """Return every province and district name of the GSO list, without its unit type.

    From the ``vietnam-provinces`` 0.6 package (units before the 2025 merger, the era of the
    archive); an empty list where it is not installed, leaving the bundled gazetteer alone.
    """
    try:
        data = files("vietnam_provinces") / "data" / "nested-divisions.json"
        tree = json.loads(data.read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError):
        return []
    out = []
    for province in tree:
        for unit in (province, *province.get("districts", ())):
            name = str(unit.get("name", ""))
            for prefix in _UNIT_TYPES:
                name = name.removeprefix(prefix)
            out.append(normalize_vi(name))  # the list mixes hoà/hòa
    return out


def _key(text: str) -> str:
    return " ".join(fold(text).casefold().replace("-", " ").split())


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """Return (spaced folded key → name, glued folded key → name), ambiguous keys dropped."""
    names = [
        line.strip()
        for line in _GAZETTEER.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ] + _national_names()
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
