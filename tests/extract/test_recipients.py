"""The ``Nơi nhận`` list as OCR reads it: a lost heading, lost dashes, slips its form fixes."""

from __future__ import annotations

import pytest

import extract
from core.models import OcrWord, PageText
from tests.extract._pages import word

HEADER = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN TỔ CHỨC TỈNH ỦY
*
Số 21-HD/BTCTU Lâm Đồng, ngày 4 tháng 5 năm 2018
"""
BODY = "Căn cứ Điều lệ Đảng;\nBan Tổ chức Tỉnh ủy hướng dẫn như sau.\n"
LIST = [
    ("- Ban Thường vụ Tỉnh ủy (b/c),", "PHÓ TRƯỞNG BAN"),
    ("- Các huyện ủy,", ""),
    ("- Lưu VT.", "Lê Văn Hải"),
]
WANT = ["Ban Thường vụ Tỉnh ủy (b/c),", "Các huyện ủy,", "Lưu VT."]


def _line(text: str, x: int, n: int) -> list[OcrWord]:
    """One line of words set as print sets them: each as wide as its letters, a space apart."""
    out = []
    for t in text.split():
        out.append(word(t, x, 100 + 50 * n, n))
        x += 22 * len(t) + 14
    return out


def _closing(heading: str | None, rows: list[tuple[str, str]] = LIST) -> PageText:
    """A last page with word boxes: the body's end across the page, then the closing block."""
    body = "hết nội dung của hướng dẫn này, các cơ quan, đơn vị tổ chức thực hiện./."
    lines = [(body, "")]
    lines.append((heading or "", "K/T TRƯỞNG BAN"))
    lines += rows
    words = [w for n, (left, right) in enumerate(lines) for w in _line(left, 100, n)]
    words += [w for n, (_, right) in enumerate(lines) for w in _line(right, 1150, n)]
    return PageText(2, "", tuple(words))


def _extract(last: PageText) -> extract.ExtractedFields:
    return extract.extract_fields([PageText(1, HEADER + BODY), last])


@pytest.mark.parametrize("heading", ["Nơi nhữnh", "Noi HN,", 'Ninh "nhận:', "Nơi nha", None])
def test_a_list_whose_heading_was_garbled_or_lost_is_found_by_its_file_copy(
    heading: str | None,
) -> None:
    res = _extract(_closing(heading))
    assert res.fields["recipients"] == WANT
    assert res.provenance["recipients"]["rule"] == "file_copy_list"
    assert res.fields["signer_name"] == "Lê Văn Hải"
    assert res.fields["signing_authority"] == "K/T TRƯỞNG BAN"


def test_a_piece_of_a_line_read_apart_does_not_end_the_list() -> None:
    rows = [("- Ban Thường vụ Tỉnh ủy (b/c),", ""), ("đông", ""), *LIST[1:]]
    assert _extract(_closing("Nơi nha", rows)).fields["recipients"] == WANT


def test_without_a_file_copy_no_list_is_made_up() -> None:
    rows = [("- Các huyện ủy,", ""), ("- Các ban đảng,", ""), ("", "Lê Văn Hải")]
    assert not _extract(_closing(None, rows)).fields.get("recipients")


@pytest.mark.parametrize("body_line", ["Lưu ý các đơn vị báo cáo,", "lưu trữ hồ sơ,"])
def test_a_body_line_about_keeping_is_no_file_copy(body_line: str) -> None:
    rows = [("- Các huyện ủy,", ""), ("- Các ban đảng,", ""), (body_line, "Lê Văn Hải")]
    assert not _extract(_closing(None, rows)).fields.get("recipients")


@pytest.mark.parametrize("read", ["Các huyện ủy,", ": Các huyện ủy,", ". Các huyện ủy,"])
def test_an_item_whose_dash_was_lost_stays_in_the_list(read: str) -> None:
    rows = [LIST[0], (read, ""), LIST[2]]
    assert _extract(_closing("Nơi nhận:", rows)).fields["recipients"] == WANT


@pytest.mark.parametrize("read", ["HN TM La TÂN,", "Đệ # #7 zTgường NỘI Tỉnh,", "trực thuộc,"])
def test_specks_read_as_a_line_are_no_item(read: str) -> None:
    rows = [LIST[0], (read, ""), *LIST[1:]]
    assert _extract(_closing("Nơi nhận:", rows)).fields["recipients"] == WANT


def test_an_items_second_line_joins_it() -> None:
    rows = [LIST[0], ("- Các huyện ủy, thành ủy, đảng ủy", ""), ("trực thuộc,", ""), LIST[2]]
    got = _extract(_closing("Nơi nhận:", rows)).fields["recipients"]
    assert got[1] == "Các huyện ủy, thành ủy, đảng ủy trực thuộc,"


@pytest.mark.parametrize(
    ("read", "want"),
    [
        # A period read for the comma inside an item, after a whole word.
        (["TT Huyện ủy. TT HĐND huyện;", "Sở Nội vụ;", "Lưu: VT."],
         ["TT Huyện ủy, TT HĐND huyện;", "Sở Nội vụ;", "Lưu: VT."]),
        (["UBND các xã. thị trấn;", "Sở Nội vụ;", "Lưu: VT."],
         ["UBND các xã, thị trấn;", "Sở Nội vụ;", "Lưu: VT."]),
        # An abbreviation's period stays.
        (["UBND TP. Đà Lạt;", "Sở Nội vụ;", "Lưu: VT."],
         ["UBND TP. Đà Lạt;", "Sở Nội vụ;", "Lưu: VT."]),
        # An item ending otherwise than the list shows clearly takes its separator.
        (["Báo Lâm Đồng,", "Các ban đảng.", "Các huyện ủy,", "Lưu VT."],
         ["Báo Lâm Đồng,", "Các ban đảng,", "Các huyện ủy,", "Lưu VT."]),
        (["UBND các xã, thị trấn,", "Sở Nội vụ;", "Bộ Nội vụ;", "Lưu: VT."],
         ["UBND các xã, thị trấn;", "Sở Nội vụ;", "Bộ Nội vụ;", "Lưu: VT."]),
        # One separator each way: nothing to go by.
        (["Báo Lâm Đồng,", "Sở Nội vụ;", "Lưu: VT."], ["Báo Lâm Đồng,", "Sở Nội vụ;", "Lưu: VT."]),
        # The clerical office's T misread; the office of a committee stays.
        (["Sở Nội vụ;", "Lưu: VI, QLĐĐ."], ["Sở Nội vụ;", "Lưu: VT, QLĐĐ."]),
        (["Sở Nội vụ;", "Lưu VỊ P1."], ["Sở Nội vụ;", "Lưu VT, P1."]),
        (["Sở Nội vụ;", "Lưu: V{, NV."], ["Sở Nội vụ;", "Lưu: VT, NV."]),
        (["Sở Nội vụ;", "Lưu VP Đảng ủy."], ["Sở Nội vụ;", "Lưu VP Đảng ủy."]),
        (["Sở Nội vụ;", "Lưu Vụ Tổ chức."], ["Sở Nội vụ;", "Lưu Vụ Tổ chức."]),
        # The comma between two units read as a semicolon or a colon.
        (["Sở Nội vụ;", "Lưu: VI; NV."], ["Sở Nội vụ;", "Lưu: VT, NV."]),
        (["Sở Nội vụ;", "Lưu: VT: NV."], ["Sở Nội vụ;", "Lưu: VT, NV."]),
        # Lines read below the file copy are the page's foot.
        (["Sở Nội vụ;", "Bộ Nội vụ;", "Lưu: VT, NC.", "t2 3 7Rt cờ;", "8 PM VỊ cất"],
         ["Sở Nội vụ;", "Bộ Nội vụ;", "Lưu: VT, NC."]),
    ],
)  # fmt: skip
def test_the_lists_form_mends_what_ocr_slipped(read: list[str], want: list[str]) -> None:
    from extract._closing import _list_items

    assert _list_items(read) == want


@pytest.mark.parametrize(
    ("last", "item"),
    [("- Lưu VE", "Lưu VT."), ("- Lưu Văn phòng Tỉnh ủy", "Lưu Văn phòng Tỉnh ủy.")],
)
def test_a_file_copy_without_its_period_gets_it(last: str, item: str) -> None:
    rows = [*LIST[:2], (last, "Lê Văn Hải")]
    got = _extract(_closing("Nơi nhận:", rows))
    assert got.fields["recipients"] == [*WANT[:2], item]
    assert got.provenance["recipients"]["rule"] == "noi_nhan_list+last_item_period"


@pytest.mark.parametrize("heading", ["Nơi nhữnh K/T TRƯỞNG BAN", "K/T TRƯỞNG BAN"])
def test_a_text_only_page_finds_its_list_without_a_heading(heading: str) -> None:
    closing = f"""hết nội dung.
{heading}
- Ban Thường vụ Tỉnh ủy (b/c), PHÓ TRƯỞNG BAN
- Các huyện ủy,
- Lưu VT.
Lê Văn Hải
"""
    res = _extract(PageText(2, closing))
    assert res.fields["recipients"] == WANT
    assert res.fields["signer_name"] == "Lê Văn Hải"


@pytest.mark.parametrize(
    ("read", "item"),
    [
        ("- Các đồng chí Ủy viênBan___,", "Các đồng chí Ủy viên Ban,"),  # glued, underlined
        ("- Ban Tổ chức Tr ung ương (b/c),", "Ban Tổ chức Trung ương (b/c),"),  # cut in two
        ("- Ủy ban Kiểm tra Tỉnh ủ ủy,", "Ủy ban Kiểm tra Tỉnh ủy,"),  # a letter read twice
        ("- UBND, UBMTT xã,", "UBND, UBMTTQ xã,"),  # a standard abbreviation misread
        ("- UBND, UBMTT@ xã,", "UBND, UBMTTQ xã,"),
        ("- UBNB các xã, thị trấn;", "UBND các xã, thị trấn;"),
        ("- Các chỉ, đảng bộ cơ sở,", "Các chi, đảng bộ cơ sở,"),  # a Party cell
        ("- Các chỉ bộ trực thuộc,", "Các chi bộ trực thuộc,"),
        # What reads as printed stays.
        ("- Chỉ đạo các đảng bộ,", "Chỉ đạo các đảng bộ,"),
        ("- Ba ban đảng,", "Ba ban đảng,"),
        ("- UBND TP. Đà Lạt,", "UBND TP. Đà Lạt,"),
        ("- Đài PT-TH Lâm Đồng;", "Đài PT-TH Lâm Đồng;"),
        ("- BTVTU, TCCB,", "BTVTU, TCCB,"),
    ],
)
def test_items_mend_cut_glued_and_doubled_syllables(read: str, item: str) -> None:
    from extract._closing import _clean_item

    assert _clean_item(read) == item
