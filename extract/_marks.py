"""Secrecy (``MẬT``/``TỐI MẬT``/``TUYỆT MẬT``) and urgency marks on a document's first page.

Missing a secrecy mark is the worst error, so three sources are pooled and the highest level
wins: a segment that is the mark alone anywhere on the first page; a capitals mark token inside
a header line (two columns read across); and, when the caller gives a ``MarkReader``, a second
read of the header band of the page image — Tesseract usually drops a boxed mark entirely, which
no text rule can recover. Body prose (``bí mật nhà nước``) is never a mark: it is not alone on
its line and not in capitals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from extract._layout import PageLayout, Segment
from extract._lexicon import is_valid_syllable
from extract._patterns import MARK_ALONE, MARK_TOKEN, URGENCY_ALONE, fold_upper

# (page_id, (left, top, width, height) in word-box pixels) → texts of enclosed marks found there.
MarkReader = Callable[[int, tuple[int, int, int, int]], Sequence[str]]
# (page_id, box in word-box pixels) → the text lines read again in that region, top to bottom.
LineReader = Callable[[int, tuple[int, int, int, int]], Sequence[str]]
# (page_id, box in word-box pixels) → several readings of that region, each one whole text with
# its lines separated by newlines (the readings are compared, so they must stay apart).
BandReader = Callable[[int, tuple[int, int, int, int]], Sequence[str]]

# Keyed without spaces: the patterns accept a mark read with its words run together (TỐIMẬT).
SECRECY_LEVELS = {"MAT": "MẬT", "TOIMAT": "TỐI MẬT", "TUYETMAT": "TUYỆT MẬT"}
URGENCY_LEVELS = {"KHAN": "KHẨN", "THUONGKHAN": "THƯỢNG KHẨN", "HOATOC": "HỎA TỐC"}
_RANK = {"": 0, "MẬT": 1, "TỐI MẬT": 2, "TUYỆT MẬT": 3, "KHẨN": 1, "THƯỢNG KHẨN": 2, "HỎA TỐC": 3}


def _key(text: str) -> str:
    return "".join(text.split())


def _upper_at(seg: Segment, start: int, end: int) -> bool:
    letters = [ch for ch in seg.text[start:end] if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _without_frame_letters(text: str) -> str:
    """Drop a lower-case letter glued to a capitals word at either end (``qMẬT``, ``MẬTl``).

    Read inside its box, a mark's frame stroke comes out as such a letter; printed words never
    glue a lower-case letter to capitals.
    """
    t = text.strip()
    if len(t) > 2 and t[0].islower() and t[1].isupper():
        t = t[1:]
    if len(t) > 2 and t[-1].islower() and t[-2].isupper():
        t = t[:-1]
    return t


def mark_level(text: str) -> str:
    """Return the secrecy level a stand-alone mark text reads as (``""`` if it is none).

    Modifier letters and symbols (``ˆ``, ``˜``, specks read as spacing accents) are dropped
    first: they are no letters of a word, but the regex counts them as such. A mark whose
    first word was garbled reads at the level that word's ending names (``_garbled_level``).
    """
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Lm", "Sk"))
    m = MARK_ALONE.match(fold_upper(_without_frame_letters(text)))
    if m:
        return SECRECY_LEVELS[_key(m.group(1))]
    text = text.strip()
    m = _MARK_AFTER_WORD.match(fold_upper(text))
    if m and (level := _garbled_level(text[m.start(1) : m.end(1)])):
        return level
    m = _FRAMED_AT_END.search(fold_upper(text))
    return SECRECY_LEVELS[_key(m.group(1))] if m else ""


# The frame's left edge read as a bar or bracket just before the mark, a pen note beside the
# frame read before that: "“#2, đz„|[MẬT".
_FRAMED_AT_END = re.compile(r"[|\[]\s*(TUYET\s*MAT|TOI\s*MAT|MAT)[\W_]{0,6}$")


# One word, then MẬT alone at the end: ``?fĐVỆT MẬT`` (TUYỆT with a margin note over its T).
_MARK_AFTER_WORD = re.compile(r"^[\W_]{0,3}(\S{2,9})\s+MAT[\W_]{0,3}$")
_GARBLED_MAX_LETTERS = 7


def _is_word(word: str) -> bool:
    letters = "".join(ch for ch in word if ch.isalpha())
    return bool(is_valid_syllable(letters.lower()))


def _garbled_level(word: str) -> str:
    """Return the level a mark's garbled first word names by its ending, or ``""``.

    A pen note or a speck over ``TUYỆT`` or ``TỐI`` spoils its first letters but seldom its
    last two, and no other word is printed before ``MẬT`` in a mark. Reading such a mark as
    plain ``MẬT`` would show a TUYỆT MẬT document to every MẬT-cleared user, so the ending
    decides: ``-ỆT`` is TUYỆT, ``-ỐI`` is TỐI.
    """
    letters = "".join(ch for ch in word if ch.isalpha())
    if not 2 <= len(letters) <= _GARBLED_MAX_LETTERS:
        return ""
    folded = fold_upper(letters).replace("Ø", "O")  # a slashed O: the accent read through it
    if folded.endswith("ET"):
        return "TUYỆT MẬT"
    if folded.endswith("OI"):
        return "TỐI MẬT"
    return ""


# A mark at the start of a line, its word(s) ending there: what follows may be debris.
_MARK_LEAD = re.compile(r"^[\W_]{0,3}(TUYET\s*MAT|TOI\s*MAT|MAT)(?![A-Z])")
_DEBRIS_LETTERS = 6  # at most this many letters after the mark, none a capital or a syllable


def _mark_before_debris(seg: Segment) -> str:
    """Return the level of a capitals mark followed only by specks (``TỘIMẬT ” 'zjy``).

    A noisy scan glues the box's strokes and toner specks to the mark as a few small letters;
    printed text after a mark would hold a capital or a Vietnamese syllable (``MẬT khẩu``).
    """
    m = _MARK_LEAD.match(seg.fu)
    if not m or not _upper_at(seg, m.start(1), m.end(1)):
        return ""
    rest = seg.text[m.end() :]
    letters = [ch for ch in rest if ch.isalpha()]
    if len(letters) > _DEBRIS_LETTERS or any(ch.isupper() for ch in letters):
        return ""
    if any(len(w) > 1 and is_valid_syllable(w.lower()) for w in re.findall(r"[^\W\d_]+", rest)):
        return ""
    return SECRECY_LEVELS[_key(m.group(1))]


def urgency_level(text: str) -> str:
    """Return the urgency a stand-alone mark text reads as (``""`` if it is none)."""
    m = URGENCY_ALONE.match(fold_upper(text.strip()))
    return URGENCY_LEVELS[_key(m.group(1))] if m else ""


def header_band(lay: PageLayout, title_index: int | None) -> tuple[int, int, int, int]:
    """Return the page area where marks are printed: from the top to just above the body."""
    segs = lay.segments
    height = lay.height or 2000
    end = int(0.4 * height)
    if title_index is not None and title_index < len(segs):
        title = segs[title_index]
        # Marks sit between the number line and the body: below the title too (công văn).
        end = int(
            max(title.bottom, min(0.5 * height, max(title.bottom + 4 * title.height, 0.3 * height)))
        )
    width = lay.right - lay.left
    left = max(0, int(lay.left - 0.05 * width))
    return left, 0, int(width * 1.1), end


# A band read as one block keeps the columns' gap as a run of spaces (``mm    TÔIMẬT``).
_CELL_GAP = re.compile(r"\s{3,}")


def _cells(line: str) -> list[str]:
    return [c for c in _CELL_GAP.split(line.strip()) if c]


def find_marks(
    lay: PageLayout,
    header_end: int | None,
    reader: MarkReader | None,
    band_readings: Sequence[str] = (),
) -> tuple[tuple[str, Segment | None, str], tuple[str, Segment | None, str]]:
    """Return ((secrecy, segment, rule), (urgency, segment, rule)) for a first page.

    ``band_readings`` are readings of a header the page's OCR lost (``extract._reheader``):
    a mark standing alone in one of their cells counts, in one reading as on the page, where
    no other source found that level (a mark read on the page keeps its place on the page).
    """
    best: tuple[str, Segment | None, str] = ("", None, "")
    urgent: tuple[str, Segment | None, str] = ("", None, "")
    # Marks are printed in the header band; OCR may order a mark line after the title.
    band_end = header_band(lay, header_end)[3] if lay.has_boxes else None
    for seg in lay.segments:
        fu = seg.fu
        m = MARK_ALONE.match(fu)
        if m and _upper_at(seg, m.start(1), m.end(1)):
            level = SECRECY_LEVELS[_key(m.group(1))]
            if _RANK[level] > _RANK[best[0]]:
                best = (level, seg, "mark_alone")
        elif (band_end is not None and seg.top < band_end) or (
            band_end is None and header_end is not None and seg.index < header_end
        ):
            level = _mark_before_debris(seg)
            if _RANK[level] > _RANK[best[0]]:
                best = (level, seg, "mark_before_debris")
        u = URGENCY_ALONE.match(fu)
        if u and _upper_at(seg, u.start(1), u.end(1)):
            level = URGENCY_LEVELS[_key(u.group(1))]
            if _RANK[level] > _RANK[urgent[0]]:
                urgent = (level, seg, "urgency_alone")
        if header_end is not None and seg.index < header_end and not best[0]:
            for t in MARK_TOKEN.finditer(fu):
                # "BẢO VỆ BÍ MẬT NHÀ NƯỚC" in an issuer's name is not a mark.
                prose = fu[max(0, t.start(1) - 3) : t.start(1)].strip() == "BI" or fu[
                    t.end(1) :
                ].lstrip().startswith(("NHA NUOC", "KHAU"))
                if not prose and _upper_at(seg, t.start(1), t.end(1)):
                    level = SECRECY_LEVELS[_key(t.group(1))]
                    before = seg.text[: t.start(1)].split()
                    # In a line read across the columns the word before may be a real one
                    # (``XÃ TÂN HỘI``): only a word that is no syllable is a garbled mark word.
                    if level == "MẬT" and before and not _is_word(before[-1]):
                        level = _garbled_level(before[-1]) or level
                    best = (level, seg, "mark_in_header_line")
    if reader is not None and lay.has_boxes:
        title_index = header_end if header_end is not None else None
        for text in reader(lay.page, header_band(lay, title_index)):
            level = mark_level(text)
            if _RANK[level] > _RANK[best[0]]:
                best = (level, None, "mark_reread")
            u_level = urgency_level(text)
            if _RANK[u_level] > _RANK[urgent[0]]:
                urgent = (u_level, None, "urgency_reread")
    for cell in (c for text in band_readings for line in text.splitlines() for c in _cells(line)):
        level, u_level = mark_level(cell), urgency_level(cell)
        if _RANK[level] > _RANK[best[0]]:
            best = (level, None, "mark_band_reread")
        if _RANK[u_level] > _RANK[urgent[0]]:
            urgent = (u_level, None, "urgency_band_reread")
    return best, urgent
