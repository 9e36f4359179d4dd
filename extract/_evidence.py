"""What the rest of a document and the name model say about a field's value.

Calibration features (``extract._calibrate.features``) beyond the rule's own reading: a value
printed twice and read alike twice is rarely misread twice the same way, and a name whose every
word is a known name syllable with one spelling is likelier right than one with a rare word or
a word that another mark turns into another name.
"""

from __future__ import annotations

import re
from typing import Any

from core.models import ExtractedFields
from core.text import fold, normalize_vi
from extract._names import name_support
from extract._orgcode import code_spells, issuer_code
from extract._validate import parse_symbol, symbol_agrees

_PUNCT = ",.;:()[]\"'“”‘’!?-–"


def value_text(value: Any) -> str:
    """Return a field's value as one string (list items joined by spaces, None as empty)."""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value if v)
    return "" if value is None else str(value)


def _key_words(text: str) -> list[str]:
    words = (w.strip(_PUNCT) for w in normalize_vi(text).casefold().split())
    return [w for w in words if w]


def document_key(text: str) -> dict[str, list[int]]:
    """Return where each word of the document stands (case folded), the form ``echoes`` reads."""
    at: dict[str, list[int]] = {}
    for i, w in enumerate(_key_words(text)):
        at.setdefault(w, []).append(i)
    return at


def echoes(value: str, doc_key: dict[str, list[int]]) -> int:
    """Return how often a value of two or more words is printed in the document (0 for shorter)."""
    words = _key_words(value)
    if len(words) < 2:
        return 0
    starts = set(doc_key.get(words[0], ()))
    for k, w in enumerate(words[1:], 1):
        starts &= {i - k for i in doc_key.get(w, ())}
    return len(starts)


def name_evidence(value: str) -> dict[str, float]:
    """Return the name model's features of a person's name (none for an empty value)."""
    if not value.strip():
        return {}
    surname, unknown, ambiguous = name_support(value)
    return {
        "name_surname_unknown": float(not surname),
        "name_unknown_words": float(min(unknown, 3)),
        "name_ambiguous_words": float(min(ambiguous, 3)),
    }


# A document's header fields: lost together when a dirty drum or a stamp eats the header.
_HEADER = ("number", "symbol", "date", "issuer")


def document_context(fields: ExtractedFields, key: str) -> dict[str, float]:
    """Return what the rest of ``key``'s document says about how well it was read.

    Errors come by document, not by field: a header the OCR lost takes the number, the date and
    the issuer together, and a page too dirty for one field is too dirty for its neighbours. So
    a field is judged also by its document's *other* fields (``fields.confidence`` holds the
    rules' raw values here): how many header fields came out empty, and what share of the
    rest a rule was unsure of. Profiles (no header) count only the second.
    """
    others = [k for k in fields.confidence if k != key and not k.startswith("_")]
    if not others:
        return {}
    weak = sum(fields.confidence[k] < 0.5 for k in others) / len(others)
    out = {"doc_weak_share": weak}
    if fields.kind != "profile":
        missing = sum(not value_text(fields.fields.get(k)).strip() for k in _HEADER if k != key)
        out["doc_header_missing"] = float(missing)
    out.update(cross_checks(fields.fields, key))
    return out


def cross_checks(fields: dict[str, Any], key: str) -> dict[str, float]:
    """Return which other fields of the document vouch for ``key``'s value, or contradict it.

    A document says some things twice in different places: the symbol's type abbreviation the
    title (``KH`` and KẾ HOẠCH), its year the date's, its issuer code the issuer's words
    (``BDVTU``: BAN DÂN VẬN of TỈNH ỦY), the issuer's name the place, ``KT. TRƯỞNG BAN`` the
    title PHÓ TRƯỞNG BAN. Two fields misread so that they still agree are rare, so agreement is
    evidence for both; a check that cannot be made (no year in a Party symbol) says nothing.
    """
    symbol = value_text(fields.get("symbol"))
    parts = parse_symbol(symbol) if symbol else {}
    out: dict[str, float] = {}
    if key in ("doc_type", "symbol", "number") and parts.get("style"):
        doc_type = value_text(fields.get("doc_type"))
        if doc_type and (parts.get("type") or doc_type == "CÔNG VĂN"):
            agrees = symbol_agrees(doc_type, str(parts.get("type") or ""), str(parts["style"]))
            out["type_agrees" if agrees else "type_conflicts"] = 1.0
    date = value_text(fields.get("date"))
    if key in ("date", "symbol", "number") and parts.get("year") and date[:4].isdigit():
        out["year_agrees" if str(parts["year"]) == date[:4] else "year_conflicts"] = 1.0
    code = issuer_code(parts)
    if key in ("issuer", "parent_issuer", "symbol", "number") and code:
        issuer = value_text(fields.get("issuer"))
        org = f"{issuer} {value_text(fields.get('parent_issuer'))}"
        if issuer and code_spells(code, org):
            out["code_spells_issuer"] = 1.0
    place = fold(value_text(fields.get("place"))).upper().strip()
    # One word of a place proves nothing: ``Đồng`` is in LÂM ĐỒNG as a cut place.
    if key in ("place", "issuer", "parent_issuer") and len(place.split()) >= 2:
        org = fold(f"{fields.get('issuer') or ''} {fields.get('parent_issuer') or ''}").upper()
        if re.search(rf"(?<!\w){re.escape(place)}(?!\w)", org):
            out["place_in_issuer"] = 1.0
    authority = value_text(fields.get("signing_authority"))
    title = value_text(fields.get("signer_title"))
    deputy = re.match(r"^K\W{0,2}T\W{0,2}\s*(.+)$", authority)
    if key in ("signer_title", "signing_authority") and deputy and title:
        head = deputy.group(1).strip()
        out["deputy_title_agrees"] = float(title.startswith(f"PHÓ {head}"))
    return out
