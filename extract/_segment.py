"""Splitting a batch's pages (in natural file order) into documents by their first pages."""

from __future__ import annotations

from collections.abc import Sequence

from core.models import PageText
from core.text import fold
from extract._patterns import NUMBER_LINE, PARTY_HEADER, PROFILE_TITLE, STATE_HEADER


def first_page_score(text: str) -> int:
    """Return how many first-page signs a page carries (national/Party header, number, form)."""
    head = fold(text).upper()[:1500]
    score = 0
    if PARTY_HEADER.search(head) or STATE_HEADER.search(head):
        score += 2
    if NUMBER_LINE.search(head):
        score += 1
    if PROFILE_TITLE.search(head):
        score += 2
    return score


def split_documents(pages: Sequence[PageText]) -> list[list[int]]:
    """Group consecutive pages into documents; a page with first-page signs starts a new one.

    Returns lists of ``page_id`` in order. The first page always starts a document, so nothing
    is ever left out; reviewers can move boundaries afterwards.
    """
    docs: list[list[int]] = []
    for page in pages:
        if not docs or first_page_score(page.text) >= 2:
            docs.append([page.page_id])
        else:
            docs[-1].append(page.page_id)
    return docs
