"""Splitting a batch's pages (in natural file order) into documents.

A boundary error is a security error: a MẬT report merged into the ordinary directive before
it becomes readable by everyone. So a document never runs across a file edge without
evidence. Inside a file, and across files that are numbered single-page scans of one volume
(``quyen_0001.jpg``, ``quyen_0002.jpg``), a page starts a document when its top carries
first-page signs. A new file that is not the next scan of such a series starts a document
unless the page itself says it continues (a page number above 1 at its top and no first-page
sign). A page that is not an administrative document at all (a photo, a foreign paper) is a
document of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import PurePosixPath

from core.models import PageText
from core.states import PageFlag, flag_names
from extract._header import find_number
from extract._layout import PageLayout, layout_page
from extract._lexicon import is_valid_syllable
from extract._patterns import (
    DATE_WORDS,
    FORM_CODE,
    MARK_ALONE,
    MOTTO,
    NOI_NHAN,
    PARTY_HEADER,
    PROFILE_TITLE,
    STATE_HEADER,
    speck_line,
)
from extract._result import strip_noise
from extract._vocab import canonical_doc_type

_TOP = 12  # segments that count as the top of a page
START_THRESHOLD = 3
# "2", "- 2 -", "Trang 2", "2/5" alone at the top of a page.
_PAGE_NUMBER = re.compile(
    r"^[\s\-–.]{0,3}(?:TRANG\s*)?(?P<n>\d{1,3})(?:\s*/\s*\d{1,3})?[\s\-–.]{0,3}$"
)
_DIGITS = re.compile(r"(\d+)")
_MIN_WORDS_FOR_LANGUAGE = 12
_MIN_VIETNAMESE_SHARE = 0.35
_MIN_FOREIGN_SHARE = 0.6


class Grouping(StrEnum):
    """How a batch's files become documents (chosen when the batch is created)."""

    AUTO = "auto"  # file edges are boundaries unless a page shows it continues
    FILE = "file"  # one file is one document
    DOSSIER = "dossier"  # every file of the batch is a page of one dossier


def first_page_signs(lay: PageLayout) -> dict[str, int]:
    """Return the first-page signs found at the top of a page with their weights."""
    # Specks above the header read as lines of one or two signs ("%", "‡", "nu"); they would
    # push the header's own lines out of the top window, so they do not count as lines.
    top = [seg for seg in lay.segments if not speck_line(seg.text)][:_TOP]
    signs: dict[str, int] = {}
    for rank, seg in enumerate(top):
        fu = seg.fu
        if PARTY_HEADER.search(fu) or STATE_HEADER.search(fu):
            signs["national_or_party_header"] = 2
        if MOTTO.search(fu):
            signs["motto"] = 1
        if PROFILE_TITLE.match(fu) or FORM_CODE.match(fu):
            signs["form_title"] = 3
        if DATE_WORDS.search(fu) and rank < 8:
            signs["place_date"] = 1
        if canonical_doc_type(strip_noise(seg.text)) and not seg.text.rstrip().endswith(":"):
            signs["type_title"] = 1
        if MARK_ALONE.match(fu) and rank < 8:
            signs["secrecy_mark"] = 1  # printed on a document's first page only
    if find_number(top):
        signs["number_line"] = 2
    return signs


def first_page_score(text: str) -> int:
    """Return the weight of first-page signs on a page given as plain text."""
    return sum(first_page_signs(layout_page(PageText(0, text))).values())


def same_series(before: str, after: str) -> bool:
    """Whether ``after`` is the next single-page scan after ``before`` in one numbered series.

    Same folder, same extension, the same name but for its last number, which goes up by one
    (``IMG_0041.jpg`` → ``IMG_0042.jpg``, ``hs_12_p1.png`` → ``hs_12_p2.png``; not
    ``hs_12_p2.png`` → ``hs_13_p1.png``).
    """
    a, b = PurePosixPath(before), PurePosixPath(after)
    if a.parent != b.parent or a.suffix.lower() != b.suffix.lower():
        return False
    ta, tb = _DIGITS.split(a.stem), _DIGITS.split(b.stem)
    nums = [i for i, tok in enumerate(ta) if tok.isdigit()]
    if len(ta) != len(tb) or not nums:
        return False
    last = nums[-1]
    same_rest = all(x == y for i, (x, y) in enumerate(zip(ta, tb, strict=True)) if i != last)
    return same_rest and tb[last].isdigit() and int(tb[last]) == int(ta[last]) + 1


def _continues(lay: PageLayout) -> bool:
    """Whether a page shows it continues a document: a page number above 1 at its top."""
    for seg in lay.segments[:3]:
        m = _PAGE_NUMBER.match(seg.fu)
        if m and int(m["n"]) > 1:
            return True
    return False


# Words a page needs to be a document's first page by position alone: a sheet's blank back
# or a few lines left over stay with the document before them.
_BODY_WORDS = 30


def _has_body(page: PageText) -> bool:
    return sum(any(ch.isalpha() for ch in w) for w in page.text.split()) >= _BODY_WORDS


# The list's last item, the file copy ("Lưu: VT, NV.", "Lưu VP Đảng ủy Khối."): printed once,
# at the end, and read where a seal or speckle took the "Nơi nhận:" above it ("sẻ:").
_FILE_COPY = re.compile(r"^\W{0,3}LUU\s*:?\s*(?:VT|VP|VAN\s+PHONG)\b")


def _closes(lay: PageLayout) -> bool:
    """Whether a page carries a document's closing block: its ``Nơi nhận`` list."""
    return any(NOI_NHAN.match(seg.fu) or _FILE_COPY.match(seg.fu) for seg in lay.segments)


def is_administrative(page: PageText) -> bool:
    """Whether a page could belong to a Vietnamese administrative document.

    A picture (no text on a page that is not blank) or a page in another language (too few
    Vietnamese syllables) is not; a blank page (the back of a sheet) is, since it belongs
    with the sheet it came from.
    """
    flags = flag_names(page.flags)
    words = [w for w in page.text.split() if any(ch.isalpha() for ch in w)]
    if not words:
        return PageFlag.BLANK_PAGE in flags or PageFlag.NO_TEXT not in flags
    if len(words) < _MIN_WORDS_FOR_LANGUAGE:
        return True
    judged = [v for w in words if (v := is_valid_syllable(w.strip(".,;:()\"'"))) is not None]
    if not judged:  # no syllable list installed: cannot tell
        return True
    if sum(judged) >= _MIN_VIETNAMESE_SHARE * len(judged):
        return True
    # Few Vietnamese syllables: a paper in another language reads as clean words of plain
    # letters, a Vietnamese page OCR could not read as specks and broken marks. Only the
    # first is not administrative (a page garbled by the scanner stays with its document).
    plain = [w for w in words if re.fullmatch(r"[A-Za-z]{3,}[.,;:]?", w)]
    return len(plain) < _MIN_FOREIGN_SHARE * len(words)


def split_documents(pages: Sequence[PageText], grouping: str = Grouping.AUTO) -> list[list[int]]:
    """Group consecutive pages into documents (module docstring for the rules).

    A page starts a document when the signs at its top weigh at least ``START_THRESHOLD``
    (national or Party header 2, ``Số …`` line 2, form title 3, motto, place-date line, type
    title and secrecy mark 1 each). Returns lists of ``page_id`` in order.
    """
    docs: list[list[int]] = []
    prev: PageText | None = None
    alone = False  # the previous document is a non-administrative page on its own
    closed = False  # the previous page carried its document's closing block
    for page in pages:
        new_file = prev is None or page.file != prev.file
        if grouping == Grouping.FILE:
            start = new_file
        elif grouping == Grouping.DOSSIER:
            start = prev is None
        elif not is_administrative(page):
            docs.append([page.page_id])
            prev, alone = page, True
            continue
        else:
            lay = layout_page(page)
            signed = sum(first_page_signs(lay).values()) >= START_THRESHOLD
            if prev is None or alone:
                start = True
            elif new_file and page.frame == 0 and not same_series(prev.file, page.file):
                start = signed or not _continues(lay)
            else:
                # A page after one that closed its document ("Nơi nhận", printed once, at
                # the end) starts the next even when OCR could not read its header (a dirty
                # drum's noise over it): merged, a TỐI MẬT directive became the end of the
                # open minutes before it.
                start = signed or (closed and not _continues(lay) and _has_body(page))
            closed = _closes(lay)
        if start or not docs:
            docs.append([page.page_id])
        else:
            docs[-1].append(page.page_id)
        prev, alone = page, False
    return docs
