"""First-pass field extraction from a document's recognized text."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from core.models import ExtractedFields, PageText
from core.text import collapse_ws, fold, nfc
from extract._patterns import (
    DATE_WORDS,
    DOC_TYPE_LINE,
    NUMBER_LINE,
    PARTY_HEADER,
    PROFILE_TITLE,
    SECRECY,
    STATE_HEADER,
)

_SPACES = re.compile(r"\s+")


def _kind(head: str) -> str:
    if PROFILE_TITLE.search(head):
        return "profile"
    if PARTY_HEADER.search(head):
        return "party_document"
    if STATE_HEADER.search(head):
        return "state_document"
    return "other"


def normalize_symbol(raw: str) -> str:
    """Return a document symbol without spaces, with ``Đ`` (not ``Ð``) and ASCII separators."""
    s = nfc(raw).replace("Ð", "Đ").replace("–", "-").replace("—", "-").replace("／", "/")
    return _SPACES.sub("", s).strip("-/.")


def _date(head: str) -> str | None:
    m = DATE_WORDS.search(head)
    if not m:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return None


def extract_fields(pages: Sequence[PageText]) -> ExtractedFields:
    """Extract the fields a first page states plainly: kind, type, number, symbol, date, secrecy.

    Confidence is 0..1 per field: 0.9 for a pattern match on the header lines; the OCR issue
    and the extraction issue refine both the rules and the scores.
    """
    if not pages:
        return ExtractedFields(kind="other", fields={}, confidence={})
    # Marks that did not compose under NFC would make folding shorten the text and shift the
    # offsets used to cut values out of it.
    text = "".join(ch for ch in nfc(pages[0].text) if unicodedata.category(ch) != "Mn")
    head = fold(text).upper()
    fields: dict[str, str] = {}
    conf: dict[str, float] = {}
    prov: dict[str, dict[str, object]] = {}
    kind = _kind(head[:1500])
    m = NUMBER_LINE.search(head[:1500])
    if m:
        number = text[m.start("num"):m.end("num")]
        symbol = normalize_symbol(number + text[m.start("sym"):m.end("sym")])
        fields.update(number=number, symbol=symbol)
        conf.update(number=0.9, symbol=0.8)
        prov["symbol"] = {"page": pages[0].page_id, "rule": "number_line"}
    m = DOC_TYPE_LINE.search(head[:3000])
    if m:
        fields["doc_type"] = collapse_ws(text[m.start(1):m.end(1)]).upper()
        conf["doc_type"] = 0.8
    date = _date(head[:2000])
    if date:
        fields["date"] = date
        conf["date"] = 0.9
    m = SECRECY.search(head[:2000])
    if m:
        fields["secrecy"] = collapse_ws(text[m.start(1):m.end(1)]).upper()
        conf["secrecy"] = 0.7
    return ExtractedFields(kind=kind, fields=fields, confidence=conf, provenance=prov)
