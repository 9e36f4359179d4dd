"""Collecting field values with their confidence, provenance and review flags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.models import OcrWord
from extract._layout import Segment

_LEAD_NOISE = re.compile(r"^(?:[^\w(\"“]|_)+")
_TAIL_NOISE = re.compile(r"(?:[^\w)\"”]|_)+$")
_TAIL_NOISE_KEEP_DOT = re.compile(r"(?:[^\w)\"”.;,]|_)+$")


def strip_noise(text: str, keep_period: bool = False) -> str:
    """Trim punctuation and OCR specks at both ends (``'T/M …``, ``KẾ HOẠCH,``)."""
    text = _LEAD_NOISE.sub("", text.strip())
    return (_TAIL_NOISE_KEEP_DOT if keep_period else _TAIL_NOISE).sub("", text).strip()


def sub_box(seg: Segment, start: int, end: int) -> tuple[int, int, int, int] | None:
    """Return the box of the words covering characters ``start:end`` of the segment's text."""
    if not seg.words:
        return seg.box
    pos = 0
    chosen = []
    for w in seg.words:
        w_start, w_end = pos, pos + len(w.text)
        if w_end > start and w_start < end:
            chosen.append(w)
        pos = w_end + 1
    if not chosen or pos - 1 != len(seg.text):
        return seg.box
    left = min(w.left for w in chosen)
    top = min(w.top for w in chosen)
    right = max(w.left + w.width for w in chosen)
    bottom = max(w.top + w.height for w in chosen)
    return left, top, right - left, bottom - top


def _covering(seg: Segment, span: tuple[int, int] | None) -> list[OcrWord]:
    start, end = span if span is not None else (0, len(seg.text))
    out, pos = [], 0
    for w in seg.words:
        if pos + len(w.text) > start and pos < end:
            out.append(w)
        pos += len(w.text) + 1
    return out


def span_conf(seg: Segment, start: int, end: int) -> float:
    """Mean OCR confidence (0..1) of the words covering ``start:end``; the segment's otherwise."""
    if not seg.words:
        return seg.conf
    pos = 0
    confs = []
    for w in seg.words:
        if pos + len(w.text) > start and pos < end:
            confs.append(max(0.0, min(100.0, w.conf)) / 100.0)
        pos += len(w.text) + 1
    return sum(confs) / len(confs) if confs else seg.conf


@dataclass
class Result:
    """Fields being built for one document."""

    fields: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: list[dict[str, str]] = field(default_factory=list)
    title_index: int | None = None  # segment index of the type title (or V/v line), page 1
    words: dict[str, list[OcrWord]] = field(default_factory=dict)  # OCR words behind a value
    date_line: Segment | None = None  # a "ngày … tháng … năm" line with an unreadable digit
    band_readings: list[str] = field(default_factory=list)  # a lost header read again (_reheader)

    def put(
        self,
        key: str,
        value: Any,
        seg: Segment | None,
        rule: str,
        certainty: float,
        span: tuple[int, int] | None = None,
    ) -> None:
        """Store a value with confidence = OCR confidence × rule certainty and its provenance."""
        if seg is None:
            ocr, box, page = 1.0, None, None
        elif span is not None:
            ocr, box, page = span_conf(seg, *span), sub_box(seg, *span), seg.page
        else:
            ocr, box, page = seg.conf, seg.box, seg.page
        self.fields[key] = value
        self.words[key] = _covering(seg, span) if seg is not None else []
        self.confidence[key] = round(max(0.0, min(1.0, ocr * certainty)), 3)
        self.provenance[key] = {"page": page, "box": list(box) if box else None, "rule": rule}

    def flag(self, key: str, code: str, detail: str) -> None:
        """Record a validation problem on a field (kept, not silently fixed)."""
        self.flags.append({"field": key, "code": code, "detail": detail})
        if key in self.provenance:
            self.provenance[key].setdefault("flags", []).append(code)
