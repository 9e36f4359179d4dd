"""Post-correction fixes look-alike syllables and never touches numbers, dates or symbols."""

from __future__ import annotations

import pytest

from core.models import OcrWord
from core.settings import OcrSettings
from ocr._postcorrect import correct_words, load_lexicon, valid_share
from ocr._quality import quality_flags

LEX = load_lexicon()
pytestmark = pytest.mark.skipif(LEX is None, reason="hunspell-vi (vi_VN.dic) is not installed")


def _run(text: str) -> tuple[str, int]:
    words = [OcrWord(t, 90.0, i * 50, 0, 40, 20, 1, 1, 1) for i, t in enumerate(text.split())]
    out, n = correct_words(words, LEX)
    return " ".join(w.text for w in out), n


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("quy định chỉ tiết thi hành", "quy định chi tiết thi hành"),  # dot of i read as a hook
        ("Luật sửa đối, bố sung", "Luật sửa đổi, bổ sung"),  # hook above read as acute
        ("Ban Tố chức Tỉnh ủy", "Ban Tổ chức Tỉnh ủy"),
        ("Luật Đất đại;", "Luật Đất đai;"),
        ("về viỆc sửa đổi", "về việc sửa đổi"),  # case slip inside a syllable
        ("bổ sunø một số", "bổ sung một số"),  # ø is not a Vietnamese letter
        ("thẩm định", "thẩm định"),
        ("chỉ đạo", "chỉ đạo"),  # a real word stays
        # Budget and inspection terms: the same slips in the words of that register.
        ("dự toán thu, chỉ ngân sách", "dự toán thu, chi ngân sách"),
        ("phòng, chống tham những", "phòng, chống tham nhũng"),
        ("bảo tôn văn hóa", "bảo tồn văn hóa"),
        ("chỉ tiêu kinh tế", "chỉ tiêu kinh tế"),  # chỉ tiêu and chi tiêu are both words
        # No syllable, two equally close (đất, đật): the one that forms a word with a neighbour.
        ("trái phép trên đầt nông nghiệp", "trái phép trên đất nông nghiệp"),
        ("Về tuyến dụng công chức", "Về tuyển dụng công chức"),
        ("tổ chức đẳng và đảng viên", "tổ chức đảng và đảng viên"),
    ],
)
def test_look_alikes(ocr, fixed):
    assert _run(ocr)[0] == fixed


@pytest.mark.parametrize(
    "text",
    [
        "Số 14-KH/BTCTU ngày 20/3/2015",
        "Số: 1234/QĐ-UBND",
        "30/2020/NĐ-CP",
        "148/2020 NĐ-CP",
        "UBND TỈNH LÂM ĐỒNG",
        "HĐND BTCTU TTr",
        "ngày 07 tháng 9 năm 2016",
        "Điều 1. Khoản 2",
    ],
)
def test_numbers_dates_symbols_and_abbreviations_are_never_touched(text):
    assert _run(text) == (text, 0)


def test_printed_tone_placement_is_kept():
    assert _run("CỘNG HOÀ XÃ HỘI") == ("CỘNG HOÀ XÃ HỘI", 0)
    assert _run("Cộng hòa xã hội") == ("Cộng hòa xã hội", 0)


def test_quality_gate_flags_garbage_and_low_confidence():
    cfg = OcrSettings()
    good = [OcrWord(t, 92.0, 0, 0, 1, 1) for t in ("Căn", "cứ", "Luật", "Lưu", "trữ", "2011")]
    assert quality_flags(92.0, valid_share(good, LEX), good, cfg) == []
    noise = [OcrWord(t, 41.0, 0, 0, 1, 1) for t in ("Ïịch", "xyzq", "wqk", "Căn")]
    flags = quality_flags(41.0, valid_share(noise, LEX), noise, cfg)
    assert flags[0] == "low_quality"
    assert "low_confidence:41" in flags
    assert any(f.startswith("invalid_syllables:") for f in flags)
    assert quality_flags(0.0, None, [], cfg) == ["low_quality", "no_text"]


def test_a_tie_no_neighbour_settles_stays_as_read():
    # đầt is no syllable; đất and đật are one mark away each and neither forms a word here.
    assert _run("ô đầt")[0] == "ô đầt"
