"""A subject read again where the document repeats it: its echo in the body.

The trích yếu is set in bold, often over a rule or a fold, and OCR misreads it more than body
text; yet many documents repeat it in their opening sentence ("…, Ủy ban nhân dân huyện báo
cáo kết quả tiếp công dân, giải quyết khiếu nại, tố cáo kéo dài tại huyện Cát Tiên như sau").
Each inner word of the subject is compared with the body's words of the same letters (marks
aside) printed beside the same neighbours:

- other marks (``công``/``cồng``): the echoes vote, one between both neighbours, a half beside
  one; the subject's own reading counts one and keeps a tie. Tesseract's word confidence does
  not tell the readings apart (0.97 for ``đài`` as for ``dài``), and a page misread alike
  (``cập giấy`` twice in a noisy body) must not outvote one clear subject;
- a word of one letter, of two that spell no Vietnamese word, or the same word twice (``và
  và``, a stray ``e``), that the body skips between the same neighbours and never prints
  between them: it goes (``bộ`` of ``các chi, đảng bộ cơ sở`` stays though the body says
  ``đảng cơ sở`` elsewhere).

A subject most of whose inner words are echoed between both neighbours is marked ``echoed``
in its rule, a reason the calibration may trust it more.
Nothing else changes: a word with other letters is another word, not a misreading.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from core.text import fold, normalize_vi
from extract._layout import PageLayout, Segment
from extract._lexicon import is_valid_syllable
from extract._result import Result

_EDGE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_MIN_WORDS = 4  # a shorter subject gives no context to compare
_ECHOED_SHARE = 0.6  # of the inner words, echoed between the same neighbours


@dataclass(frozen=True, slots=True)
class _Word:
    text: str  # letters as read, punctuation stripped
    key: str  # folded, lower case


def _word(token: str) -> _Word:
    m = _EDGE.match(token)
    core = m[2] if m else token
    return _Word(core, fold(core).casefold())


def _segment_words(seg: Segment) -> list[_Word]:
    return [_word(t) for t in seg.text.split()]


def _subject_span(first: PageLayout, res: Result) -> set[tuple[int, int]]:
    """Return the (page, index) of the segments that print the subject."""
    start = res.title_index
    if start is None:
        return set()
    subject = fold(str(res.fields.get("subject") or "")).casefold()
    used: set[tuple[int, int]] = set()
    for seg in first.segments[start : start + 6]:
        own = [w for w in _segment_words(seg) if w.key]
        if own and all(w.key in subject for w in own):
            used.add((seg.page, seg.index))
        elif used:
            break
    return used


def confirm_subject(layouts: list[PageLayout], res: Result) -> None:
    """Mend the subject's misread words from its echo in the body (module docstring)."""
    subject = str(res.fields.get("subject") or "")
    tokens = subject.split()
    if len(tokens) < _MIN_WORDS or not layouts:
        return
    used = _subject_span(layouts[0], res)
    body = [
        w
        for lay in layouts
        for seg in lay.segments
        if (seg.page, seg.index) not in used
        for w in _segment_words(seg)
        if w.key
    ]
    if not body:
        return
    words = [_word(t) for t in tokens]
    keys = [w.key for w in body]
    at: dict[str, list[int]] = defaultdict(list)  # where each word stands in the body
    for k, key in enumerate(keys):
        at[key].append(k)
    changed = False
    echoed = 0
    out: list[str] = []
    i = 0
    while i < len(tokens):
        w = words[i]
        left = _word(out[-1]).key if out else None
        right = words[i + 1].key if i + 1 < len(words) else None
        if left is None or right is None or not w.key:
            out.append(tokens[i])
            i += 1
            continue
        # A real two-letter word ("bộ" of "đảng bộ cơ sở") is no speck, echoed or not.
        short = len(w.text) == 1 or w.key == left or (len(w.text) == 2 and not _real(w.text))
        if short and _skipped(keys, at, left, right) and not _skipped(keys, at, left, w.key, right):
            changed = True
            i += 1
            continue
        better = _by_echo(w, body, keys, at[w.key], left, right)
        echoed += better is not None
        if better is not None and better != w.text:
            m = _EDGE.match(tokens[i])
            out.append(f"{m[1]}{better}{m[3]}" if m else better)
            changed = True
        else:
            out.append(tokens[i])
        i += 1
    marks = []
    if changed:
        fixed = normalize_vi(" ".join(out))
        res.flag("subject", "repaired", f"{subject} → {fixed}")
        res.fields["subject"] = fixed
        marks.append("body_echo")
    if echoed >= _ECHOED_SHARE * (len(tokens) - 2):
        marks.append("echoed")  # the body repeats it: a reason to trust it (calibration)
    if marks and "subject" in res.provenance:
        prov = res.provenance["subject"]
        prov["rule"] = "+".join([str(prov.get("rule") or ""), *marks]).strip("+")


def _real(text: str) -> bool:
    return is_valid_syllable(text) is not False


def _skipped(keys: list[str], at: dict[str, list[int]], *run: str) -> bool:
    """Whether the body prints the words ``run`` one after another somewhere."""
    n = len(run)
    return any(tuple(keys[k : k + n]) == run for k in at.get(run[0], ()))


def _by_echo(
    word: _Word, body: list[_Word], keys: list[str], where: list[int], left: str, right: str
) -> str | None:
    """Return the spelling of ``word`` its echoes outvote it with, None when none is echoed.

    An echo between both of the subject's neighbours counts one, beside one of them a half;
    the subject's own reading counts one and keeps a tie: a whole page misread alike
    (``cập giấy`` twice in a noisy body) must not outvote one clear subject.
    """
    own = normalize_vi(word.text).lower()
    votes: dict[str, float] = defaultdict(float)
    votes[own] += 1.0
    echoed = False
    for k in where:
        if not 0 < k < len(body) - 1:
            continue
        same = (keys[k - 1] == left) + (keys[k + 1] == right)
        if same:
            votes[normalize_vi(body[k].text).lower()] += same / 2
            echoed = echoed or same == 2
    if not echoed:
        return None
    best = max(votes, key=lambda v: (votes[v], v == own))
    if best == own:
        return word.text
    # Letter case as the subject printed it (a capital after a title, lower inside).
    if word.text[:1].isupper():
        best = best[:1].upper() + best[1:]
    elif word.text[:1].islower():
        best = best[:1].lower() + best[1:]
    return best
