"""Calibrated field confidence: a raw ``ocr × certainty`` turned into "how often this is right".

The raw confidence a rule gives (``Result.put``) ranks fields well but does not say how often a
value is right. ``bench/calibrate.py`` measures that on a generated corpus with ground truth and
fits, per field family and stratum, a step map from raw confidence to the observed accuracy:

1. pool-adjacent-violators on (raw, right?) so accuracy never falls as raw rises;
2. each resulting step takes the *lower* Wilson bound of its accuracy, not the mean, so a step
   seen on 12 fields cannot claim 0.99; steps whose lower bounds still fall are pooled again.

The map is data (``extract/data/calibration.json``, with the corpus, seed, date and counts it
came from). A field whose family the map does not know keeps its raw value; a missing or broken
map leaves every confidence raw and logs one warning. The raw value stays in
``provenance[key]["raw_confidence"]`` so a reviewer can see both.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.models import ExtractedFields, PageText
from core.states import is_low_quality
from extract._fields import extract_fields as extract_raw_fields
from extract._marks import LineReader, MarkReader

log = logging.getLogger(__name__)

MAP_FILE = Path(__file__).resolve().parent / "data" / "calibration.json"
MAP_VERSION = 1
WILSON_Z = 1.96  # two-sided 95 %: a step's value is what its evidence supports at that level
# Never state that a value is certainly wrong or certainly right from a finite sample.
FLOOR, CEILING = 0.01, 0.999

_FAMILIES = {
    "date": "date",
    "number": "code",
    "symbol": "code",
    "profile.so_the_dang_vien": "code",
    "doc_type": "doc_type",
    "issuer": "org",
    "parent_issuer": "org",
    "signing_authority": "org",
    "place": "place",
    "signer_name": "name",
    "profile.ho_ten": "name",
    "profile.ho_ten_khai_sinh": "name",
    "signer_title": "title",
    "subject": "subject",
    "recipients": "recipients",
    "secrecy": "mark",
    "urgency": "mark",
}


def family(key: str) -> str | None:
    """Return the field family whose calibration a field shares; None for uncalibrated keys.

    Families pool fields read by similar rules from similar places, because one corpus holds
    too few of any single profile field to fit it alone.
    """
    if key in _FAMILIES:
        return _FAMILIES[key]
    if key.startswith("profile.ngay_"):
        return "date"
    if key.startswith("profile."):
        return "profile_text"
    return None


def stratum(key: str, provenance: dict[str, Any], poor_pages: Container[int] = ()) -> str:
    """Return the stratum of a field: a check on it failed or its page is poor → ``"doubt"``.

    A repaired value, a symbol that disagrees with the type, a date whose year disagrees with
    the symbol's, or a page the OCR stage marked low quality are right less often at the same
    raw confidence; everything else is ``"plain"``.
    """
    prov = provenance.get(key) or {}
    flags = set(prov.get("flags") or ())
    if flags - {"low_confidence"} or prov.get("page") in poor_pages:
        return "doubt"
    return "plain"


def wilson_lower(k: float, n: float, z: float = WILSON_Z) -> float:
    """Return the lower Wilson score bound of a proportion ``k / n`` (0 when ``n`` is 0)."""
    if n <= 0:
        return 0.0
    p = k / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z2 / n))


@dataclass(frozen=True)
class Step:
    """One step of a fitted map: raw values from ``lo`` up map to ``value`` (k right of n)."""

    lo: float
    hi: float
    n: int
    k: int
    value: float


def pav(points: Iterable[tuple[float, bool]]) -> list[tuple[float, float, int, int]]:
    """Return isotonic blocks ``(lo, hi, n, k)`` of outcomes ordered by raw value.

    Equal raw values always share a block (a map cannot tell them apart); adjacent blocks are
    pooled while a block's accuracy is above the next one's.
    """
    ties: dict[float, list[int]] = {}
    for raw, ok in points:
        nk = ties.setdefault(float(raw), [0, 0])
        nk[0] += 1
        nk[1] += int(bool(ok))
    blocks: list[list[float]] = []  # lo, hi, n, k
    for raw in sorted(ties):
        n, k = ties[raw]
        blocks.append([raw, raw, n, k])
        while len(blocks) > 1 and blocks[-2][3] / blocks[-2][2] >= blocks[-1][3] / blocks[-1][2]:
            last = blocks.pop()
            prev = blocks[-1]
            prev[1], prev[2], prev[3] = last[1], prev[2] + last[2], prev[3] + last[3]
    return [(b[0], b[1], int(b[2]), int(b[3])) for b in blocks]


def fit_steps(points: Iterable[tuple[float, bool]], min_n: int = 10) -> list[Step]:
    """Fit a monotone, conservative step map from (raw confidence, right?) pairs.

    Isotonic blocks (``pav``) thinner than ``min_n`` join their lower neighbour (the first
    joins the next); then, while a step's Wilson lower bound exceeds the next step's, the two
    are pooled. The result rises with raw confidence and never claims more than its evidence.
    """
    blocks = [list(b) for b in pav(points)]
    i = 0
    while i < len(blocks) and len(blocks) > 1:
        if blocks[i][2] >= min_n:
            i += 1
            continue
        j = i - 1 if i > 0 else i + 1
        lo, hi = min(blocks[i][0], blocks[j][0]), max(blocks[i][1], blocks[j][1])
        merged = [lo, hi, blocks[i][2] + blocks[j][2], blocks[i][3] + blocks[j][3]]
        first = min(i, j)
        blocks[first : first + 2] = [merged]
        i = max(0, first - 1)
    changed = True
    while changed:
        changed = False
        for i in range(len(blocks) - 1):
            a, b = blocks[i], blocks[i + 1]
            if wilson_lower(a[3], a[2]) > wilson_lower(b[3], b[2]):
                blocks[i : i + 2] = [[a[0], b[1], a[2] + b[2], a[3] + b[3]]]
                changed = True
                break
    return [
        Step(b[0], b[1], int(b[2]), int(b[3]), _clamp(wilson_lower(b[3], b[2]))) for b in blocks
    ]


def _clamp(value: float) -> float:
    return round(min(CEILING, max(FLOOR, value)), 3)


def apply_steps(steps: Sequence[Step], raw: float) -> float:
    """Return the calibrated value of ``raw``: the step whose range starts at or below it.

    Raw values between two steps take the lower one; below the first step, the first.
    """
    if not steps:
        return raw
    i = bisect.bisect_right([s.lo for s in steps], raw) - 1
    return steps[max(0, i)].value


@dataclass(frozen=True)
class CalibrationMap:
    """Fitted steps per ``family/stratum``, and where they came from."""

    steps: dict[str, list[Step]]
    provenance: dict[str, Any]

    def calibrate(self, key: str, raw: float, stratum_name: str = "plain") -> float:
        """Return the calibrated confidence of one field; raw when its family is unknown."""
        fam = family(key)
        if fam is None:
            return raw
        steps = self.steps.get(f"{fam}/{stratum_name}") or self.steps.get(f"{fam}/plain")
        if not steps:
            return raw
        if stratum_name != "plain" and f"{fam}/{stratum_name}" not in self.steps:
            # No fitted doubt curve: a doubted field still gets no more than the plain one.
            return min(raw, apply_steps(steps, raw))
        return apply_steps(steps, raw)

    def to_json(self) -> dict[str, Any]:
        """Return the map as the JSON document ``load_map`` reads."""
        return {
            "version": MAP_VERSION,
            "provenance": self.provenance,
            "steps": {
                name: [[s.lo, s.hi, s.n, s.k, s.value] for s in steps]
                for name, steps in sorted(self.steps.items())
            },
        }


def parse_map(doc: Any) -> CalibrationMap:
    """Build a map from its JSON document; raise ``ValueError`` when it is not one."""
    if not isinstance(doc, dict) or doc.get("version") != MAP_VERSION:
        raise ValueError("not a version 1 calibration map")
    steps: dict[str, list[Step]] = {}
    for name, rows in (doc.get("steps") or {}).items():
        parsed = [Step(float(r[0]), float(r[1]), int(r[2]), int(r[3]), float(r[4])) for r in rows]
        values = [s.value for s in parsed]
        los = [s.lo for s in parsed]
        if (
            any(not 0.0 <= v <= 1.0 for v in values)
            or values != sorted(values)
            or los != sorted(los)
        ):
            raise ValueError(f"steps of {name} are not monotone within [0, 1]")
        steps[str(name)] = parsed
    return CalibrationMap(steps, dict(doc.get("provenance") or {}))


@lru_cache(maxsize=4)
def load_map(path: Path = MAP_FILE) -> CalibrationMap | None:
    """Return the shipped map, or None (raw confidences) with a warning when it cannot be read."""
    try:
        return parse_map(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, IndexError, KeyError) as exc:
        log.warning("confidence calibration off, raw confidences kept (%s: %s)", path, exc)
        return None


def calibrate_fields(
    fields: ExtractedFields, pages: Sequence[PageText] = (), cmap: CalibrationMap | None = None
) -> ExtractedFields:
    """Return ``fields`` with calibrated confidences; the raw ones go into provenance."""
    cmap = cmap if cmap is not None else load_map()
    if cmap is None:
        return fields
    poor = {p.page_id for p in pages if is_low_quality(p.flags)}
    prov = {k: dict(v) if isinstance(v, dict) else v for k, v in fields.provenance.items()}
    conf = {}
    for key, raw in fields.confidence.items():
        value = cmap.calibrate(key, raw, stratum(key, prov, poor))
        conf[key] = value
        if family(key) is not None:
            prov.setdefault(key, {"page": None, "box": None, "rule": ""})["raw_confidence"] = raw
    return replace(fields, confidence=conf, provenance=prov)


def extract_fields(
    pages: Sequence[PageText],
    mark_reader: MarkReader | None = None,
    line_reader: LineReader | None = None,
) -> ExtractedFields:
    """Extract a document's fields (``extract._fields.extract_fields``) with calibrated confidence.

    ``confidence[key]`` is the calibrated value (how often such a field was right on the
    calibration corpus, conservatively); ``provenance[key]["raw_confidence"]`` keeps the rule's
    own ``ocr × certainty``.
    """
    return calibrate_fields(extract_raw_fields(pages, mark_reader, line_reader), pages)
