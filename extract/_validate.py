"""Symbol and date normalisation and the consistency checks that raise review flags."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.text import nfc
from extract._patterns import PARTY_SYMBOL, STATE_LAW_SYMBOL, STATE_SYMBOL, SYMBOL_SPECKS
from extract._places import edit_distance
from extract._vocab import ABBR_TYPE, TYPE_ABBR

_SPACES = re.compile(r"\s+")
_SPECKS = "[" + re.escape(SYMBOL_SPECKS) + "]"
_DIGIT_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "L": "1"})
# Archive years: the oldest Party/State files to a little past today.
MIN_YEAR = 1930


def normalize_symbol(raw: str) -> str:
    """Return a symbol without spaces, ``Đ`` (not ``Ð``), ASCII ``-`` and ``/``.

    OCR look-alikes are repaired in the number part only (``O``→``0``, ``l``/``I``→``1``); the
    letters after it are kept as read, since ``QĐi`` and ``ThU`` are real mixed-case codes.
    """
    s = nfc(raw).replace("Ð", "Đ").replace("đ", "đ")
    s = re.sub(r"[‐‑‒–—―−]", "-", s)
    s = re.sub(r"[／∕⁄]", "/", s)
    s = _SPACES.sub("", s).strip("-/.,;:")
    s = re.sub(rf"(?<=[-/]){_SPECKS}+|{_SPECKS}+(?=[-/])", "", s)  # specks beside a separator
    m = re.match(r"[0-9OolIL]+", s)
    if m:
        s = m.group(0).translate(_DIGIT_LOOKALIKE) + s[m.end() :]
    return s


def parse_symbol(symbol: str) -> dict[str, Any]:
    """Split a normalised symbol into style, number, type abbreviation, year and issuer code."""
    m = PARTY_SYMBOL.match(symbol)
    if m:
        return {"style": "party", "number": m["num"], "type": m["type"], "issuer": m["issuer"]}
    m = STATE_LAW_SYMBOL.match(symbol)
    if m:
        return {
            "style": "state",
            "number": m["num"],
            "type": m["type"],
            "year": int(m["year"]),
            "issuer": m["issuer"] or "",
        }
    m = STATE_SYMBOL.match(symbol)
    if m:
        codes = m["codes"].split("-")
        typ = codes[0] if codes[0].casefold() in ABBR_TYPE and len(codes) > 1 else ""
        issuer = "-".join(codes[1:] if typ else codes)
        return {"style": "state", "number": m["num"], "type": typ, "issuer": issuer}
    num = re.match(r"\d+", symbol)
    return {"style": "", "number": num.group(0) if num else "", "type": "", "issuer": ""}


def type_from_abbr(abbr: str) -> str | None:
    """Return the document type an abbreviation stands for (``KH`` → ``KẾ HOẠCH``)."""
    return ABBR_TYPE.get(abbr.casefold())


def symbol_agrees(doc_type: str, abbr: str, style: str) -> bool:
    """Whether a symbol's type abbreviation fits the title (State công văn carry no type)."""
    if doc_type == "CÔNG VĂN":
        return abbr in ("", "CV")
    if not abbr:
        return False
    wanted = TYPE_ABBR.get(doc_type)
    if wanted is None:
        return True  # a title we have no abbreviation for: nothing to contradict
    return abbr.casefold() in {a.casefold() for a in wanted}


def mended_abbr(doc_type: str, abbr: str) -> str | None:
    """Return the title's abbreviation a misread one stands for (``KIL`` under KẾT LUẬN: ``KL``).

    Only a read abbreviation that is none of ours (``CT`` under CHƯƠNG TRÌNH is CHỈ THỊ's, a
    contradiction to flag, not a misreading), one letter from exactly one of the title's.
    """
    if not abbr or abbr.casefold() in ABBR_TYPE:
        return None
    wanted = TYPE_ABBR.get(doc_type, set())
    near = [w for w in wanted if edit_distance(abbr.casefold(), w.casefold()) == 1]
    return near[0] if len(near) == 1 else None


def _digits(s: str) -> int:
    return int(s.translate(_DIGIT_LOOKALIKE))


def make_date(d: str, m: str, y: str, today: dt.date | None = None) -> tuple[str | None, str]:
    """Return (ISO date or None, problem) for day, month and year strings read by OCR."""
    try:
        day, month, year = _digits(d), _digits(m), _digits(y)
    except ValueError:
        return None, "date_unreadable"
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None, "date_invalid"
    limit = (today or dt.date.today()) + dt.timedelta(days=366)
    if not (year >= MIN_YEAR and value <= limit):
        return value.isoformat(), "date_implausible"
    return value.isoformat(), ""


def flag(flags: list[dict[str, str]], field: str, code: str, detail: str) -> None:
    """Append one review flag (field, stable code, human detail)."""
    flags.append({"field": field, "code": code, "detail": detail})
