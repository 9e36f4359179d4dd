"""Turning Tesseract's words back into lines of text, in the reading order of these documents.

Vietnamese administrative pages put two blocks side by side at the top (issuing body on the
left; national or Party header and place/date on the right) and at the bottom (``Nơi nhận:`` on
the left; the signature on the right). Tesseract often reads such a pair across as one line
("ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM"). The archive's reading order is the left block
then the right block, so side-by-side zones are re-emitted column by column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import OcrWord

# A gap this wide (share of page width) between two words of one line separates two columns.
_COLUMN_GAP = 0.06
# A gap must also be this many times the line's height (wider than any word space).
_GAP_HEIGHTS = 2.5
# Headers set in large capitals leave a narrower gap between their two blocks than the rule
# above asks (``ỦY BAN NHÂN DÂN   CỘNG HÒA …`` at 0.058 of the width). A gap is a column gap too
# when it is this many times the line's other word spaces (justification spreads spaces evenly,
# so body lines stay far below), at least a line height and _NARROW_GAP of the width, near the
# middle of the page, with a word on each side. On dev2, 30 pages read better and 3 worse (CER
# 0.096 -> 0.087); held out, 21 better and 2 worse (0.142 -> 0.131); dev unchanged.
_SPACE_RATIO = 4.0
_NARROW_GAP = 0.03
_MIDDLE_BAND = (0.3, 0.7)


@dataclass
class _Line:
    words: list[OcrWord]

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.left + w.width for w in self.words)

    @property
    def height(self) -> int:
        return max(1, max(w.height for w in self.words))

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _lines(words: Sequence[OcrWord]) -> list[_Line]:
    lines: list[_Line] = []
    current: tuple[int, int, int] | None = None
    for w in words:
        key = (w.block, w.par, w.line)
        if key != current or not lines:
            lines.append(_Line([]))
            current = key
        lines[-1].words.append(w)
    return lines


def _word_each_side(left: Sequence[OcrWord], right: Sequence[OcrWord]) -> bool:
    return all(any(sum(ch.isalpha() for ch in w.text) >= 2 for w in side) for side in (left, right))


def _narrow_column_gap(
    ordered: list[OcrWord], gaps: list[int], at: int, line: _Line, page_width: int
) -> bool:
    others = sorted(g for i, g in enumerate(gaps) if i != at)
    if len(others) < 2:
        return False
    middle = (ordered[at].left + ordered[at].width + ordered[at + 1].left) / 2
    return (
        gaps[at] > max(_NARROW_GAP * page_width, line.height)
        and gaps[at] > _SPACE_RATIO * max(1, others[len(others) // 2])
        and _MIDDLE_BAND[0] * page_width < middle < _MIDDLE_BAND[1] * page_width
        and _word_each_side(ordered[: at + 1], ordered[at + 1 :])
    )


def _split(line: _Line, page_width: int) -> tuple[_Line | None, _Line | None]:
    """Return (left, right) parts of a line across a column gap; one side None if no gap."""
    ordered = sorted(line.words, key=lambda w: w.left)
    gaps = [b.left - (a.left + a.width) for a, b in zip(ordered, ordered[1:], strict=False)]
    at = max(range(len(gaps)), key=gaps.__getitem__, default=-1)
    if at >= 0 and (
        gaps[at] > max(_COLUMN_GAP * page_width, _GAP_HEIGHTS * line.height)
        or _narrow_column_gap(ordered, gaps, at, line, page_width)
    ):
        return _Line(ordered[: at + 1]), _Line(ordered[at + 1 :])
    middle = page_width / 2
    if line.right < middle + 0.05 * page_width and line.left < middle:
        return line, None
    if line.left > middle - 0.05 * page_width:
        return None, line
    return None, None  # spans the middle: body text or a centred title


def words_to_text(words: Sequence[OcrWord], page_width: int = 0) -> str:
    """Join words into lines; with ``page_width``, side-by-side blocks are read column-wise."""
    lines = _lines(words)
    if page_width <= 0:
        return "\n".join(line.text() for line in lines)
    out: list[str] = []
    zone: list[tuple[_Line | None, _Line | None]] = []

    def flush() -> None:
        two_sided = any(r for _, r in zone) and any(left for left, _ in zone)
        if two_sided:
            out.extend(left.text() for left, _ in zone if left)
            out.extend(r.text() for _, r in zone if r)
        else:
            out.extend(part.text() for left, r in zone if (part := left or r) is not None)
        zone.clear()

    for line in lines:
        left, right = _split(line, page_width)
        if left is None and right is None:
            flush()
            out.append(line.text())
        else:
            zone.append((left, right))
    flush()
    return "\n".join(out)


def mean_confidence(words: Sequence[OcrWord]) -> float:
    """Return the character-weighted mean word confidence (0..100), 0 for no words."""
    total = sum(len(w.text) for w in words)
    if not total:
        return 0.0
    return sum(w.conf * len(w.text) for w in words) / total
