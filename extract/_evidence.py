"""What the rest of a document and the name model say about a field's value.

Calibration features (``extract._calibrate.features``) beyond the rule's own reading: a value
printed twice and read alike twice is rarely misread twice the same way, and a name whose every
word is a known name syllable with one spelling is likelier right than one with a rare word or
a word that another mark turns into another name.
"""

from __future__ import annotations

from typing import Any

from core.models import ExtractedFields
from core.text import normalize_vi
from extract._names import name_support

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
    return out
