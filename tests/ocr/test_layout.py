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
