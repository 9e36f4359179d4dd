"""Splitting a batch's pages (in natural file order) into documents by their first pages."""

from __future__ import annotations

from collections.abc import Sequence

from core.models import PageText
from extract._header import find_number
from extract._layout import PageLayout, layout_page
from extract._patterns import (
    DATE_WORDS,
    FORM_CODE,
    MOTTO,
    PARTY_HEADER,
    PROFILE_TITLE,
    STATE_HEADER,
)
from extract._result import strip_noise
from extract._vocab import canonical_doc_type

_TOP = 12  # segments that count as the top of a page
START_THRESHOLD = 3


def first_page_signs(lay: PageLayout) -> dict[str, int]:
    """Return the first-page signs found at the top of a page with their weights."""
    top = lay.segments[:_TOP]
    signs: dict[str, int] = {}
    for seg in top:
        fu = seg.fu
        if PARTY_HEADER.search(fu) or STATE_HEADER.search(fu):
            signs["national_or_party_header"] = 2
        if MOTTO.search(fu):
            signs["motto"] = 1
        if PROFILE_TITLE.match(fu) or FORM_CODE.match(fu):
            signs["form_title"] = 3
        if DATE_WORDS.search(fu) and seg.index < 8:
            signs["place_date"] = 1
        if canonical_doc_type(strip_noise(seg.text)) and not seg.text.rstrip().endswith(":"):
            signs["type_title"] = 1
    if find_number(top):
        signs["number_line"] = 2
    return signs


def first_page_score(text: str) -> int:
    """Return the weight of first-page signs on a page given as plain text."""
    return sum(first_page_signs(layout_page(PageText(0, text))).values())


def split_documents(pages: Sequence[PageText]) -> list[list[int]]:
    """Group consecutive pages into documents; a page with first-page signs starts a new one.

    A page starts a document when the signs at its top weigh at least ``START_THRESHOLD``
    (national or Party header 2, ``Số …`` line 2, form title 3, motto, place-date line and type
    title 1 each): a header alone with a date, or a number line with a title, is enough, while a
    continuation page (page number, body text, a signature's place-date line) is not.
    Returns lists of ``page_id`` in order; the first page always starts a document.
    """
    docs: list[list[int]] = []
    for page in pages:
        score = sum(first_page_signs(layout_page(page)).values())
        if not docs or score >= START_THRESHOLD:
            docs.append([page.page_id])
        else:
            docs[-1].append(page.page_id)
    return docs
