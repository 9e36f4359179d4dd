"""Hyphens read in word gaps become gaps; printed hyphens, symbols and dashes stay."""

from __future__ import annotations

import pytest

from core.models import OcrWord
from ocr._hyphens import split_gap_hyphens
from ocr._postcorrect import load_lexicon

LEX = load_lexicon()
pytestmark = pytest.mark.skipif(LEX is None, reason="hunspell-vi (vi_VN.dic) is not installed")


def _words(text: str) -> list[OcrWord]:
    out, x = [], 0
    for t in text.split():
        out.append(OcrWord(t, 90.0, x, 10, 20 * len(t), 30, 1, 1, 1))
        x += 20 * len(t) + 15
    return out


def _run(text: str) -> tuple[str, int]:
    assert LEX is not None
    out, n = split_gap_hyphens(_words(text), LEX)
    return " ".join(w.text for w in out), n


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH-LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),
        ("công tác kiểm tra, giám-sát của", "công tác kiểm tra, giám sát của"),
        ("bí thư-chi bộ", "bí thư chi bộ"),
        ("VŨ-THANH BÌNH", "VŨ THANH BÌNH"),
        ("phát-hiện-sớm, khoanh vùng", "phát hiện sớm, khoanh vùng"),
        ("làm việc -theo quy định", "làm việc theo quy định"),  # a speck glued before a word
        ("2.-Giao Văn phòng", "2. Giao Văn phòng"),  # a list number glued to its item
        ("(giám-sát)", "(giám sát)"),
    ],
)
def test_gap_hyphens_become_gaps(ocr, fixed):
    text, n = _run(ocr)
    assert text == fixed
    assert n == 1


@pytest.mark.parametrize(
    "printed",
    [
        "Số: 03/NQ-UBND",  # symbols: parts that are no syllable
        "giai đoạn 2010-2015",
        "chủ nghĩa Mác-Lê-nin",  # transliterations: a capital, then small letters
        "đồng bào Gia-rai, Ê-đê",
        "tỉnh Bà Rịa-Vũng Tàu",
        "- Căn cứ Luật Tổ chức",  # a dash at the start of a line
        "-Căn cứ Luật",  # glued, but first on its line: a dash
        "Độc lập - Tự do - Hạnh phúc",
    ],
)
def test_printed_hyphens_stay(printed):
    assert _run(printed) == (printed, 0)


def test_split_words_share_the_box():
    assert LEX is not None
    (word,) = _words("giám-sát")
    out, _ = split_gap_hyphens([word], LEX)
    assert [w.text for w in out] == ["giám", "sát"]
    left, right = out
    assert left.left == word.left and right.left > left.left + left.width - 1
    assert right.left + right.width <= word.left + word.width
    assert all((w.top, w.height, w.line) == (word.top, word.height, word.line) for w in out)
