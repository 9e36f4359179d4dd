from core.models import OcrWord
from ocr._layout import words_to_text

W = 1600


def _line(n, *parts, line_h=30, y=0):
    """Words of one Tesseract line: parts are (x, text) with 20 px per character."""
    return [OcrWord(t, 90, x, y, 20 * len(t), line_h, 1, 1, n) for x, t in parts]


def test_header_read_across_is_reemitted_column_by_column():
    words = (
        _line(1, (100, "ĐẢNG"), (220, "BỘ"), (900, "ĐẢNG"), (1020, "CỘNG"))
        + _line(2, (150, "HUYỆN"), (290, "ỦY"))
        + _line(3, (120, "Số"), (180, "73-TB/HU"), (950, "Di"), (1010, "Linh,"))
        + _line(4, (700, "THÔNG"), (840, "BÁO"))  # centred title
        + _line(
            5,
            (100, "Căn"),
            (180, "cứ"),
            (240, "Luật"),
            (360, "Tổ"),
            (420, "chức"),
            (540, "chính"),
            (680, "quyền"),
            (820, "địa"),
            (900, "phương"),
            (1060, "ngày"),
            (1180, "19/6/2015;"),
        )
    )
    assert words_to_text(words, W).splitlines() == [
        "ĐẢNG BỘ",
        "HUYỆN ỦY",
        "Số 73-TB/HU",
        "ĐẢNG CỘNG",
        "Di Linh,",
        "THÔNG BÁO",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
    ]


def test_signature_zone_puts_recipients_before_signature():
    words = _line(1, (100, "Nơi"), (180, "nhận:"), (1000, "K/T"), (1100, "TRƯỞNG")) + _line(
        2, (100, "-"), (140, "Lưu"), (1050, "PHÓ")
    )
    assert words_to_text(words, W).splitlines() == ["Nơi nhận:", "- Lưu", "K/T TRƯỞNG", "PHÓ"]


def test_single_column_text_is_unchanged():
    words = _line(1, (100, "một"), (200, "hai")) + _line(2, (100, "ba"))
    assert words_to_text(words, W) == words_to_text(words) == "một hai\nba"


def _spaced(n, x, words, space=12, y=0, line_h=40):
    """One line's words from x on, 20 px per character and ``space`` px between them."""
    parts = []
    for t in words.split():
        parts.append((x, t))
        x += 20 * len(t) + space
    return _line(n, *parts, line_h=line_h, y=y)


def test_header_in_large_capitals_splits_at_a_narrow_gap():
    # The gap (100 px, 0.056 of the width) is under _COLUMN_GAP and 2.5 line heights, but
    # eight times the line's word spaces, in the middle of the page.
    width = 1776
    words = (
        _spaced(1, 420, "ỦY BAN NHÂN DÂN")
        + _spaced(1, 420 + 20 * 12 + 3 * 12 + 100, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA")
        + _spaced(2, 440, "TỈNH LÂM ĐỒNG", y=50)
        + _spaced(2, 980, "Độc lập - Tự do", y=50)
    )
    assert words_to_text(words, width).splitlines() == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
        "Độc lập - Tự do",
    ]


def test_narrow_gaps_outside_the_middle_or_beside_specks_stay_in_the_line():
    width = 1776
    # A wide space (80 px, 7 word spaces) near the right margin of a body line.
    body = _spaced(1, 600, "Căn cứ Luật Tổ chức chính quyền địa") + _spaced(1, 1324, "phương")
    # Specks before a line are no column (95 px, eight word spaces, in the middle band).
    speck = _line(2, (600, "'"), (625, "1"), y=50) + _spaced(2, 740, "Họ và tên khai sinh", y=50)
    assert words_to_text(body + speck, width).splitlines() == [
        "Căn cứ Luật Tổ chức chính quyền địa phương",
        "' 1 Họ và tên khai sinh",
    ]


def test_a_word_as_a_dict_is_what_asdict_makes_of_it():
    from dataclasses import asdict

    word = OcrWord("Nguyễn", 91.5, 10, 20, 30, 40, block=1, par=2, line=3)
    assert list(word.to_dict().items()) == list(asdict(word).items())
