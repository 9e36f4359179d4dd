"""A header the page's OCR lost, read again from the band above the title.

Dirty-drum streaks or dense speckle through a header can make Tesseract's page layout drop
it whole although a person reads it easily (dev2-fit doc_0071: ``TỈNH ỦY LÂM ĐỒNG``,
``Số 6-KH/TU`` and the place and date line all missing from the page text): number, symbol,
date and place are lost together, and no rule on the page text brings them back. When the
first page yields no symbol or no date, the band above the title is read again several ways
(``ocr.read_noisy_band``) and each line is parsed alone, wherever in the line its ``Số`` or
``ngày`` starts (the band is read across both columns, after streak debris). A value is kept
only when two readings agree on it: one reading of a noisy band misreads a digit now and then
(``2013`` as ``2012``), two rarely misread it the same way.
"""

from __future__ import annotations

import re
from collections import Counter

from extract._header import find_number, parse_place_date, put_symbol, repair_place, symbol_of
from extract._layout import PageLayout, Segment
from extract._marks import BandReader
from extract._patterns import DATE_DIGITS, LOOSE_DATE, clean_letters
from extract._result import Result
from extract._validate import parse_symbol

_BAND_SHARE = 0.3  # of the page height: the band read when the title was not found
_AGREE = 2  # readings that must give the same value
_REREAD = 0.8  # certainty of a value read again, against the page's own reading
_ISSUERS = ("issuer", "parent_issuer")
_NUMBER_WORD = re.compile(r"(?<![^\W_])[S§][O0](?![^\W\d_])")


def reread_header(lay: PageLayout, res: Result, reader: BandReader | None) -> None:
    """Fill a first page's missing ``symbol``/``number`` and ``date``/``place`` from a re-read."""
    missing_symbol, missing_date = "symbol" not in res.fields, "date" not in res.fields
    if reader is None or not (missing_symbol or missing_date) or not lay.has_boxes:
        return
    width = lay.page_width or lay.right
    height = lay.page_height or lay.height
    if width <= 0 or height <= 0:
        return
    title = lay.segments[res.title_index] if res.title_index is not None else None
    bottom = title.top if title is not None else 0
    if bottom <= 0:
        bottom = int(_BAND_SHARE * height)
    box = (0, 0, width, bottom)
    readings = list(reader(lay.page, box))
    res.band_readings = readings
    segs = [
        Segment(lay.page, clean_letters(line).strip(), box=box)
        for text in readings
        for line in text.splitlines()
        if line.strip()
    ]
    if missing_symbol:
        _symbol(segs, res)
    if missing_date:
        _date(segs, res)


def _numbers(seg: Segment) -> list[tuple[Segment, re.Match[str]]]:
    """Return the ``Số …`` parts of a line as segments of their own, with the symbol match."""
    out = []
    for m in _NUMBER_WORD.finditer(seg.fu):
        part = Segment(seg.page, seg.text[m.start() :], box=seg.box)
        found = find_number([part])
        if found:
            out.append(found)
    return out


def _symbol(segs: list[Segment], res: Result) -> None:
    found = [pair for seg in segs for pair in _numbers(seg)]
    # A code that does not parse (``11537/TTr``: the organ part lost) is not taken from a band.
    symbols = Counter(s for s in (symbol_of(sm) for _, sm in found) if parse_symbol(s)["style"])
    if symbols:
        value, n = symbols.most_common(1)[0]
        if n >= _AGREE:
            seg, sm = next((seg, sm) for seg, sm in found if symbol_of(sm) == value)
            put_symbol(seg, sm, res, scale=_REREAD)
            return
    # Readings that differ in a letter of the code (``6-KH/TUS``, ``6-KH/TUẾ``) still agree on
    # the number, printed in larger digits at the start.
    numbers = Counter(sm["num"] for _, sm in found if sm["num"].isdigit())
    if numbers:
        value, n = numbers.most_common(1)[0]
        if n >= _AGREE:
            seg = next(seg for seg, sm in found if sm["num"] == value)
            res.put("number", value, seg, "header_reread_number", _REREAD * 0.9)


def _date(segs: list[Segment], res: Result) -> None:
    readings: list[tuple[Segment, Result]] = []
    for seg in segs:
        m = LOOSE_DATE.search(seg.fu)
        if m is None:
            continue
        day, month = (m[k].translate(DATE_DIGITS) for k in ("d", "m"))
        # Written out again as the printed line, so the page's own rules read date and place.
        line = f"{seg.text[: m.start()]}ngày {day} tháng {month} năm {m['y']}"
        one = Result()
        written = Segment(seg.page, line, box=seg.box)
        if parse_place_date([written], one) is not None:
            # Each reading's place is mended alone (``âm Đồng`` → ``Lâm Đồng``), against the
            # localities of the issuer read on the page, before the readings are compared.
            one.fields.update({k: res.fields[k] for k in _ISSUERS if res.fields.get(k)})
            repair_place(one, written)
            readings.append((written, one))
    votes = Counter(one.fields["date"] for _, one in readings)
    if not votes:
        return
    value, n = votes.most_common(1)[0]
    if n < _AGREE:
        return
    agreeing = [(seg, one) for seg, one in readings if one.fields["date"] == value]
    seg = agreeing[0][0]
    res.put("date", value, seg, "header_reread", _REREAD * 0.95)
    places = Counter(one.fields["place"] for _, one in agreeing if one.fields.get("place"))
    if places and "place" not in res.fields:
        place, k = places.most_common(1)[0]
        if k >= _AGREE:
            at = next(s for s, one in agreeing if one.fields.get("place") == place)
            res.put("place", place, at, "header_reread", _REREAD * 0.9)
