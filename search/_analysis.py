"""Vietnamese analysis shared by both backends: word forms, symbols and query parsing.

Both backends index text that Python has already split into words and joined by single
spaces, so their tokenizers (whitespace) see exactly the words this module sees, and the
query side can build terms without asking the engine. Two forms per word:

* exact: NFC, lower case, tone mark placed by the one convention of ``core.text`` (hòa/hoà,
  thủy/thuỷ give the same term), every other diacritic kept (ban ≠ bàn ≠ bán);
* folded: ``đ``→``d`` and every mark stripped (``đảng`` → ``dang``).

No stop list and no minimum length: ``ý``, ``ở``, ``an``, ``in`` are real syllables.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.text import fold, nfc

# Words are runs of letters and digits (no underscore): what tantivy's "simple" tokenizer
# takes, so text handed to it unsplit gives the words this module finds.
WORD_RE = re.compile(r"[^\W_]+")
_PHRASE_RE = re.compile(r'"([^"]*)"')
# An archive symbol: word characters joined by / (and -, .), e.g. 14-KH/BTCTU, 123/2015/QĐ-UBND.
_SYMBOL_RE = re.compile(r"^\w+(?:[-./]\w+)*/\w+(?:[-./]\w+)*$")
_DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
)
_SYMBOL_PREFIX_RE = re.compile(r"^(?:s[oố]\s*:?\s*)", re.IGNORECASE)


# The old/new convention split of real syllables: the open rhymes oa, oe, uy with the mark on
# the second vowel (hoà, khoẻ, thuỷ; qu- excepted: quý) move it to the first (hòa, khỏe, thủy).
# On every syllable of the hunspell-vi list, in either convention, this gives exactly
# core.text.normalize_tone_placement (tests/search/test_analysis.py) at a fraction of its cost:
# it touches only the few matching syllables instead of splitting every word of every page.
# Both patterns start with a plain character class (a fast scan in ``re``); what precedes the
# match is checked in the replacement function, not by a look-behind tried at every position.
_OPEN_RHYME = re.compile(r"[ou][àáảãạèéẻẽẹỳýỷỹỵ](?![^\W_])")
_TONE_OFF = {
    c: (unicodedata.normalize("NFD", c)[0], unicodedata.normalize("NFD", c)[1])
    for c in "àáảãạèéẻẽẹỳýỷỹỵ"
}
# i/y spellings of one syllable (kỹ/kĩ, lý/lí, tỷ/tỉ, quy/qui, hy/hi): a syllable made of one
# of the onsets h k l m s t qu and a lone y is keyed with i, so either spelling finds both.
_LONE_Y = re.compile(r"[hklmstu][yýỳỷỹỵ](?![^\W_])")
_I_FOR_Y = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")
_LONE_I = re.compile(r"^(?:qu|[hklmst])i$")


def _letter_before(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum())


def _move_tone(m: re.Match[str]) -> str:
    pair, start = m.group(), m.start()
    if pair[0] == "u" and start > 0 and m.string[start - 1] == "q":
        return pair  # quý, quà: the u belongs to the onset
    base, tone = _TONE_OFF[pair[1]]
    return nfc(pair[0] + tone) + base


def _y_to_i(m: re.Match[str]) -> str:
    pair, start, text = m.group(), m.start(), m.string
    onset_start = start - 1 if pair[0] == "u" else start
    if pair[0] == "u" and (start == 0 or text[start - 1] != "q"):
        return pair
    if _letter_before(text, onset_start):
        return pair  # not a syllable start: thủy, chị...
    return pair[0] + pair[1].translate(_I_FOR_Y)


def exact_form(text: str) -> str:
    """Return ``text`` NFC, lower-cased, tone marks by the one convention, lone y as i.

    Punctuation is kept (tantivy splits the result itself).
    """
    return _LONE_Y.sub(_y_to_i, _OPEN_RHYME.sub(_move_tone, nfc(text).lower()))


def has_y_spelling(folded: str) -> bool:
    """Return whether a folded word also occurs spelt with y (``ki``: ``kỹ``; highlighting)."""
    return _LONE_I.match(folded) is not None


@lru_cache(maxsize=300_000)
def exact_word(word: str) -> str:
    """Return the exact-field form of one word: lower case, tone placement normalised."""
    return exact_form(word)


@lru_cache(maxsize=300_000)
def folded_word(word: str) -> str:
    """Return the folded-field form of one word: its exact form, ``đ``→``d``, no marks."""
    return fold(exact_form(word))


def _fold_table() -> dict[int, str]:
    """Return a ``str.translate`` table doing lower case + fold one character to one.

    Keeping one character per character means offsets in folded text are offsets in the
    original, which is what snippets need.
    """
    table = {}
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        folded = fold(ch).lower()
        if len(folded) == 1 and folded != ch:
            table[cp] = folded
    return table


FOLD_TABLE = _fold_table()


def words(text: str) -> list[str]:
    """Split NFC ``text`` into words (no stop list, single letters kept)."""
    return WORD_RE.findall(nfc(text))


def exact_text(text: str) -> str:
    """Return ``text`` as space-joined exact-form words (what the exact fields index)."""
    return " ".join(WORD_RE.findall(exact_form(text)))


def fold_chars(text: str) -> str:
    """Return NFC ``text`` lower-cased and folded character by character (same length)."""
    return text.translate(FOLD_TABLE)


def folded_text(text: str) -> str:
    """Return ``text`` as space-joined folded words (what the folded fields index)."""
    return " ".join(WORD_RE.findall(fold_chars(exact_form(text))))


def symbol_key(symbol: str) -> str:
    """Return the keyword form of a document symbol: ``Số: 14-KH/BTCTU`` → ``14-kh/btctu``."""
    s = nfc(symbol).translate(_DASHES).strip()
    s = _SYMBOL_PREFIX_RE.sub("", s)
    return "".join(fold(s).lower().split())


def keyword(value: str) -> str:
    """Return the filter/facet form of a value: NFC, single spaces, ends stripped."""
    return " ".join(nfc(value).split())


@dataclass(frozen=True, slots=True)
class Term:
    """One query word in both forms."""

    exact: str
    folded: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """Consecutive words that must appear in this order."""

    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Symbol:
    """A document symbol typed by the user, with its words for finding it in the text."""

    key: str
    terms: tuple[Term, ...]


Clause = Term | Phrase | Symbol


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """A parsed query: every clause must match (AND); an empty plan matches everything."""

    clauses: tuple[Clause, ...] = ()

    @property
    def highlight_units(self) -> frozenset[tuple[str, ...]]:
        """Return the folded word sequences to mark: single words, or a phrase as a whole."""
        return frozenset(
            tuple(t.folded for t in ((c,) if isinstance(c, Term) else c.terms))
            for c in self.clauses
        )

    @property
    def empty(self) -> bool:
        """Return whether the query has no words (browse by filters only)."""
        return not self.clauses


def _terms(text: str) -> tuple[Term, ...]:
    return tuple(Term(exact_word(w), folded_word(w)) for w in WORD_RE.findall(text))


def parse_query(text: str) -> QueryPlan:
    """Parse what a user typed: words, ``"quoted phrases"`` and symbols like ``14-KH/BTCTU``.

    Args:
        text: The raw query, in any normalization form.

    Returns:
        The plan both backends turn into their own queries.
    """
    text = nfc(text)
    clauses: list[Clause] = []
    for match in _PHRASE_RE.finditer(text):
        terms = _terms(match.group(1))
        if len(terms) == 1:
            clauses.append(terms[0])
        elif terms:
            clauses.append(Phrase(terms))
    rest = _PHRASE_RE.sub(" ", text).replace('"', " ")
    for raw in rest.translate(_DASHES).split():
        token = raw.strip(".,;:()[]{}!?'")
        if _SYMBOL_RE.match(token):
            clauses.append(Symbol(symbol_key(token), _terms(token)))
        else:
            terms = _terms(token)
            # Hyphenated or dotted tokens (1-2, v.v) keep their order.
            clauses.extend(terms if len(terms) == 1 else [Phrase(terms)] if terms else [])
    seen: list[Clause] = []
    for c in clauses:
        if c not in seen:
            seen.append(c)
    return QueryPlan(tuple(seen))
