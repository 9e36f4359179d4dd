"""Printed line segments of a page, rebuilt from word boxes (or from plain text lines).

Tesseract often reads a two-column header across as one line (``SỞ NỘI VỤ Độc lập - …``). With
word boxes we cut every recognised line where the gap between two words is far wider than a word
space, so the left column (issuer, ``Số``, ``Nơi nhận``) and the right column (national header,
place and date, signature) come apart. Without boxes, one text line is one segment and the
callers cut at known anchors instead.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from core.models import OcrWord, PageText
from extract._patterns import clean_letters, fold_upper

# Word confidence assumed when a page has no boxes (text layer or plain-text fixture).
TEXT_ONLY_CONF = 0.9


@dataclass(slots=True)
class Segment:
    """One printed run of words on one line of one page."""

    page: int
    text: str
    box: tuple[int, int, int, int] | None = None  # left, top, width, height
    conf: float = TEXT_ONLY_CONF
    col: str = ""  # "L", "R" or "" (spans / unknown)
    index: int = 0
    words: list[OcrWord] = field(default_factory=list)

    @property
    def fu(self) -> str:
        """Folded upper-case text, same length as ``text``."""
        return fold_upper(self.text)

    @property
    def top(self) -> int:
        """Top edge (line index × 100 without boxes, so ordering still works)."""
        return self.box[1] if self.box else self.index * 100

    @property
    def bottom(self) -> int:
        """Bottom edge."""
        return self.box[1] + self.box[3] if self.box else self.index * 100 + 50

    @property
    def height(self) -> int:
        """Line height (50 without boxes)."""
        return self.box[3] if self.box else 50


@dataclass(slots=True)
class PageLayout:
    """The segments of a page in reading order, with the page's horizontal extent."""

    page: int
    segments: list[Segment]
    left: int = 0
    right: int = 0
    height: int = 0
    page_width: int = 0  # of the whole image (0: unknown; then the text's extent stands in)
    page_height: int = 0

    @property
    def has_boxes(self) -> bool:
        """Whether the segments carry word boxes."""
        return self.right > self.left

    @property
    def mid(self) -> float:
        """Horizontal middle of the text area."""
        return (self.left + self.right) / 2


def _union(words: list[OcrWord]) -> tuple[int, int, int, int]:
    left = min(w.left for w in words)
    top = min(w.top for w in words)
    right = max(w.left + w.width for w in words)
    bottom = max(w.top + w.height for w in words)
    return left, top, right - left, bottom - top


def _segment(words: list[OcrWord], page: int, gap_min: float) -> list[Segment]:
    words = sorted(words, key=lambda w: w.left)
    runs: list[list[OcrWord]] = [[words[0]]]
    for prev, w in zip(words, words[1:], strict=False):
        h = max(statistics.median([x.height for x in runs[-1]]), 8)
        if w.left - (prev.left + prev.width) > max(3.2 * h, gap_min):
            runs.append([w])
        else:
            runs[-1].append(w)
    out = []
    for run in runs:
        text = clean_letters(" ".join(w.text for w in run)).strip()
        if not text:
            continue
        conf = sum(max(0.0, min(100.0, w.conf)) for w in run) / (100.0 * len(run))
        out.append(Segment(page, text, _union(run), conf, words=run))
    return out


def layout_page(page: PageText) -> PageLayout:
    """Return the page's segments; words when available, otherwise the text lines."""
    words = [w for w in page.words if w.text.strip()]
    if not words:
        plain = [
            Segment(page.page_id, clean_letters(t).strip())
            for t in page.text.splitlines()
            if t.strip()
        ]
        for i, seg in enumerate(plain):
            seg.index = i
        return PageLayout(page.page_id, plain, page_width=page.width, page_height=page.height)
    left = min(w.left for w in words)
    right = max(w.left + w.width for w in words)
    bottom = max(w.top + w.height for w in words)
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    segs: list[Segment] = []
    gap_min = 0.05 * (right - left)
    for key in lines:  # dict keeps Tesseract's reading order
        segs.extend(_segment(lines[key], page.page_id, gap_min))
    mid = (left + right) / 2
    for seg in segs:
        if seg.box:
            x0, _, bw, _ = seg.box
            if x0 + bw < mid + 0.02 * (right - left):
                seg.col = "L"
            elif x0 > mid - 0.1 * (right - left):
                seg.col = "R"
    segs.sort(key=lambda s: (s.top, s.box[0] if s.box else 0))
    for i, seg in enumerate(segs):
        seg.index = i
    return PageLayout(page.page_id, segs, left, right, bottom, page.width, page.height)
