"""The search analysis agrees with core.text on real Vietnamese and matches tantivy's words."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from core.text import nfc, normalize_tone_placement
from search._analysis import WORD_RE, Phrase, exact_form, exact_text, parse_query

DIC = Path("/usr/share/hunspell/vi_VN.dic")
TONES = "\u0300\u0301\u0309\u0303\u0323"


def _syllables() -> set[str]:
    if not DIC.exists():
        pytest.skip("hunspell-vi is not installed (scripts/setup.sh installs it)")
    out = set()
    for line in DIC.read_text(encoding="utf-8").splitlines()[1:]:
        word = nfc(line.split("/")[0].strip().lower())
        if word and WORD_RE.fullmatch(word):
            out.add(word)
    return out


def _old_convention(word: str) -> str:
    """Return ``word`` with its tone on the second vowel of an open oa/oe/uy (hoà, thuỷ)."""
    d = unicodedata.normalize("NFD", word)
    tones = [c for c in d if c in TONES]
    bare = nfc("".join(c for c in d if c not in TONES))
    for pair in ("oa", "oe", "uy"):
        if len(tones) == 1 and bare.endswith(pair) and not bare.endswith("q" + pair):
            return nfc(bare + tones[0])
    return word


def test_exact_form_equals_core_normalizer_on_every_dictionary_syllable() -> None:
    words = _syllables()
    assert len(words) > 5000
    lone_y = re.compile(r"^(?:qu|[hklmst])[yýỳỷỹỵ]$")
    for word in words:
        for variant in (word, _old_convention(word), word.upper()):
            core = normalize_tone_placement(variant.lower())
            if lone_y.match(core):  # kỹ/kĩ: keyed with i (next test)
                continue
            assert exact_form(variant) == core, variant


@pytest.mark.parametrize(
    ("y", "i"),
    [
        ("kỹ", "kĩ"),
        ("Lý", "lí"),
        ("tỷ", "tỉ"),
        ("quy", "qui"),
        ("quý", "quí"),
        ("hy", "hi"),
        ("mỹ", "mĩ"),
        ("sỹ", "sĩ"),
        ("công ty", "công ti"),
    ],
)
def test_lone_y_and_i_spellings_share_one_key(y: str, i: str) -> None:
    assert exact_form(y) == exact_form(i) == i.lower()


@pytest.mark.parametrize("word", ["thủy", "vy", "ý", "yêu", "quyết", "tuy", "khuya", "mây"])
def test_y_elsewhere_is_kept(word: str) -> None:
    assert exact_form(word) == word


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("HOÀ", "hòa"),
        ("khoẻ", "khỏe"),
        ("Thuỷ", "thủy"),
        ("quà", "quà"),
        ("hoàn", "hoàn"),
        ("khuỷu", "khuỷu"),
        ("hoá đơn", "hóa đơn"),
        ("Uỷ ban", "ủy ban"),
    ],
)
def test_open_rhyme_convention(printed: str, key: str) -> None:
    assert exact_form(printed) == key


def test_words_split_like_tantivys_simple_tokenizer() -> None:
    # Underscore and punctuation separate words; letters with marks and digits do not.
    assert (
        exact_text("Số: 14-KH/BTCTU, ngày 20/3/2015; đảng_viên")
        == "số 14 kh btctu ngày 20 3 2015 đảng viên"
    )
    (phrase,) = parse_query("hoà_bình").clauses
    assert isinstance(phrase, Phrase)
    assert [t.exact for t in phrase.terms] == ["hòa", "bình"]
