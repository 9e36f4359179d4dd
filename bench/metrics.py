"""Text and geometry measures used by the scorer: normalisation, Levenshtein, skew error."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Hashable, Sequence
from typing import Any

_WS = re.compile(r"\s+")


def normalize_text(text: str | None) -> str:
    """Return ``text`` in NFC with every whitespace run collapsed to one space, ends stripped."""
    if not text:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def strip_diacritics(text: str) -> str:
    """Remove combining marks (NFD, drop category Mn) and map đ→d, Đ→D; return NFC text."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", base.replace("đ", "d").replace("Đ", "D"))


def words_of(text: str) -> list[str]:
    """Split an already normalised text into words (empty text has no words)."""
    return text.split(" ") if text else []


def levenshtein(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Return the Levenshtein distance between two sequences (characters or words).

    Uses Hyyrö's bit-parallel form of Myers' algorithm on Python integers, so one text
    position costs a handful of big-integer operations instead of a row of the DP table.

    Args:
        a: First sequence (a string or a list of hashable tokens).
        b: Second sequence.

    Returns:
        The minimum number of single-element insertions, deletions and substitutions.
    """
    if len(a) < len(b):
        a, b = b, a
    # Common prefix and suffix never change the distance; trimming them is cheap.
    start = 0
    while start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[Hashable, int] = {}
    for i, token in enumerate(b):
        peq[token] = peq.get(token, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for token in a:
        eq = peq.get(token, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def skew_error(pred: float, true: float) -> float:
    """Return ``|pred - true|`` taken modulo 90° and folded into [0°, 45°]."""
    err = abs(float(pred) - float(true)) % 90.0
    return 90.0 - err if err > 45.0 else err


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0..100) with linear interpolation; NaN if empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def normalize_field(value: Any) -> str:
    """Normalise a field value for exact comparison: NFC, whitespace collapse, casefold.

    Lists are compared item by item (joined with a newline after normalising each item);
    ``None`` counts as empty.
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        items = (normalize_field(item) for item in value)
        return "\n".join(item for item in items if item)
    return normalize_text(str(value)).casefold()


# Ground-truth key -> export key where the corpus and the export contract name a field apart.
EXPORT_NAMES = {"signer_authority": "signing_authority", "issuer_parent": "parent_issuer"}
# Ground-truth document kinds -> the export's ``kind`` values.
GT_KINDS = {"party": "party_document", "state": "state_document", "profile": "profile"}


def truth_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Flatten ground-truth fields (``profile`` -> ``profile.<key>``) under export names."""
    flat: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, dict):
            flat.update({f"{name}.{k}": v for k, v in value.items()})
        elif name == "kind":
            flat[name] = GT_KINDS.get(str(value), value)
        else:
            flat[EXPORT_NAMES.get(name, name)] = value
    return flat


def predicted_field(fields: dict[str, Any], name: str) -> Any:
    """Look a (possibly dotted) field up in an export document, nested or flat."""
    if name in fields:
        return fields[name]
    head, _, tail = name.partition(".")
    nested = fields.get(head)
    if tail and isinstance(nested, dict):
        return nested.get(tail)
    return fields.get(tail) if tail else None
