"""Lexicon repairs of extracted values, each recorded and flagged for review.

Run after the fields are read: personal names by the surname and given-name lexicons, place
names in place-bearing fields by the gazetteer, and one-letter misreads in the subject by the
syllable list. A repaired field keeps its provenance, gets the rule name appended
(``signature_name_last+surname_fold``), a lower confidence and a ``repaired`` flag whose
detail shows what was read, so a reviewer sees every change.
"""

from __future__ import annotations

from collections.abc import Callable

from extract._lexicon import repair_invalid_syllables
from extract._names import repair_person_name
from extract._places import repair_place_names
from extract._result import Result

REPAIR_CONFIDENCE = 0.85  # factor on a repaired field's confidence
NAME_FIELDS = ("signer_name", "profile.ho_ten", "profile.ho_ten_khai_sinh")
PLACE_FIELDS = (
    "place",
    "issuer",
    "parent_issuer",
    "subject",
    "profile.noi_sinh",
    "profile.que_quan",
    "profile.noi_o",
    "profile.nghe_nghiep",
)
SYLLABLE_FIELDS = ("subject",)


def _get(res: Result, key: str) -> str | None:
    if key.startswith("profile."):
        value = (res.fields.get("profile") or {}).get(key.split(".", 1)[1])
    else:
        value = res.fields.get(key)
    return value if isinstance(value, str) and value else None


def _set(res: Result, key: str, value: str) -> None:
    if key.startswith("profile."):
        res.fields["profile"][key.split(".", 1)[1]] = value
    else:
        res.fields[key] = value


def _apply(res: Result, key: str, fix: Callable[[str], tuple[str, list[str]]], rule: str) -> None:
    value = _get(res, key)
    if value is None:
        return
    new, changes = fix(value)
    _record(res, key, value, new, changes, rule)


def _record(res: Result, key: str, value: str, new: str, changes: list[str], rule: str) -> None:
    if new == value:
        return
    _set(res, key, new)
    names = changes if rule == "" else [rule]
    prov = res.provenance.setdefault(key, {"page": None, "box": None, "rule": ""})
    prov["rule"] = "+".join([prov.get("rule") or "", *names]).strip("+")
    if key in res.confidence:
        res.confidence[key] = round(res.confidence[key] * REPAIR_CONFIDENCE, 3)
    detail = f"{value} → {new}" if rule == "" else f"{', '.join(changes)}: {value} → {new}"
    res.flag(key, "repaired", detail)


def repair_fields(res: Result) -> None:
    """Apply the lexicon repairs to the extracted fields of one document, in place."""
    for key in NAME_FIELDS:
        value = _get(res, key)
        if value is not None:
            words = res.words.get(key) or []
            # The value's own words end the OCR words behind it (a label may precede them).
            confs = [w.conf / 100 for w in words[-len(value.split()) :]] if words else None
            if "_name_agreed" in str((res.provenance.get(key) or {}).get("rule") or ""):
                confs = [1.0] * len(value.split())  # readings that agree are what is printed
            new, changes = repair_person_name(value, confs)
            _record(res, key, value, new, changes, "")
    for key in PLACE_FIELDS:
        _apply(res, key, repair_place_names, "gazetteer_place")
    for key in SYLLABLE_FIELDS:
        _apply(res, key, repair_invalid_syllables, "syllable_one_letter")
