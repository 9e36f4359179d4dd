"""A date whose digit OCR could not read, read again from its own line.

The whole-page pass reads an italic 8 or 5 as ``Š`` or ``§`` now and then; read alone, as one
line, the same print reads right. The second reading is taken only where it agrees with
every digit the first one did read (day or year), so a misread there cannot slip in.
"""

from __future__ import annotations

from extract._layout import Segment
from extract._marks import LineReader
from extract._patterns import DATE_DIGITS, DATE_WORDS, fold_upper
from extract._result import Result
from extract._validate import make_date

UNREADABLE = ("date_unreadable", "date_invalid")


def _parts(text: str) -> tuple[str, str, str] | None:
    m = DATE_WORDS.search(fold_upper(text))
    if not m:
        return None
    return m["d"].translate(DATE_DIGITS), m["m"].translate(DATE_DIGITS), m["y"]


def _agrees(first: str, again: str) -> bool:
    """Whether the second reading is all digits and keeps what the first read as digits."""
    if not again.isdigit():
        return False
    return not first.isdigit() or int(first) == int(again)


def reread_date(seg: Segment | None, res: Result, reader: LineReader | None) -> None:
    """Fill ``date`` from a second reading of ``seg`` (the place and date line) if it agrees."""
    if seg is None or reader is None or seg.box is None or res.fields.get("date"):
        return
    first = _parts(seg.text)
    if first is None:
        return
    left, top, width, height = seg.box
    box = (max(0, left - height), max(0, top - height // 2), width + 2 * height, 2 * height)
    for text in reader(seg.page, box):
        again = _parts(text)
        if again is None or not all(_agrees(a, b) for a, b in zip(first, again, strict=True)):
            continue
        iso, problem = make_date(*again)
        if iso is None or problem:
            continue
        res.put("date", iso, seg, "date_reread", 0.8)
        res.flags = [f for f in res.flags if not (f["field"] == "date" and f["code"] in UNREADABLE)]
        return
