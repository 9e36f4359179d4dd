"""Header fields of noisy first pages and misread number lines (issue 14, dev2-fit misses)."""

from __future__ import annotations

import pytest

import extract
from core.models import PageText
from extract._vocab import repair_org_words


def _extract(text: str) -> extract.ExtractedFields:
    return extract.extract_fields([PageText(1, text)])


_PARTY = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
HUYỆN ỦY CÁT TIÊN
Số 03-CTr/HU Cát Tiên, ngày 11 tháng 02 năm 2024
CHƯƠNG TRÌNH
Xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc
Thực hiện nhiệm vụ năm 2024, Ban Thường vụ Huyện ủy xây dựng chương trình như sau:"""


def test_specks_above_the_header_do_not_push_it_out_of_reach() -> None:
    specks = "\n".join(["kệ:", "ạ Ệ: $ )", "*", "?", "¿ :", '"', "-", "' +", "`:", "tả"] * 2)
    got = _extract(specks + "\n" + _PARTY)
    assert got.kind == "party_document"
    f = got.fields
    assert (f["symbol"], f["number"], f["issuer"]) == ("03-CTr/HU", "03", "HUYỆN ỦY CÁT TIÊN")
    assert (f["date"], f["doc_type"]) == ("2024-02-11", "CHƯƠNG TRÌNH")


def _state(number_line: str) -> str:
    return f"""ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN DI LINH Độc lập - Tự do - Hạnh phúc
{number_line} Di Linh, ngày 05 tháng 01 năm 2020
V/v bảo tồn văn hóa cồng chiêng
Kính gửi: Các xã, thị trấn"""


@pytest.mark.parametrize(
    ("line", "symbol"),
    [
        ("Số: 72UBND-VX", "72/UBND-VX"),  # the slash lost: a State symbol has one of each
        ("Số: 5NQ-UBND", "5/NQ-UBND"),
        ("Số: 610NQ-UBND", "610/NQ-UBND"),
        ("Số 3953.KL/ĐU", "3953-KL/ĐU"),  # a dot read for the Party symbol's dash
        ("Số: 72/UBND-VX", "72/UBND-VX"),  # read right: unchanged
    ],
)
def test_a_number_glued_to_its_letters_gets_its_separator_back(line: str, symbol: str) -> None:
    f = _extract(_state(line)).fields
    assert f["symbol"] == symbol
    assert f["number"] == symbol.split("/")[0].split("-")[0]
    assert f["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN DI LINH"  # the number line is no organ's name


def test_a_symbol_whose_so_was_lost_is_not_the_issuer() -> None:
    text = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
THÀNH ỦY BẢO LỘC
06-CV/THU
Bảo Lộc, ngày 05 tháng 01 năm 2020
V/v giao khoán bảo vệ rừng
Kính gửi: Các chi bộ"""
    f = _extract(text).fields
    assert (f["issuer"], f["parent_issuer"]) == ("THÀNH ỦY BẢO LỘC", "ĐẢNG BỘ TỈNH LÂM ĐỒNG")


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("ỦY BAN NH ÂN DÂN TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),  # a word split
        ("ỦY BANNHÂNDÂN XÃ ĐẠ RSAL", "ỦY BAN NHÂN DÂN XÃ ĐẠ RSAL"),  # words glued
        ("ĐẢNG ỦY XA ĐẠ KHO", "ĐẢNG ỦY XÃ ĐẠ KHO"),  # a mark lost on the unit's level
        ("SỞ NÔNG NGHIỆP VÀ PHÁT TRIÊN NÔNG THÔN", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"),
        ("BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ", "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ"),
        ("UBND TP. ĐÀ LẠT", "UBND TP. ĐÀ LẠT"),
    ],
)
def test_organisation_words_are_read_by_their_letters(read: str, name: str) -> None:
    assert repair_org_words(read) == name


def test_a_department_name_on_two_lines_is_mended_whole() -> None:
    text = """UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NÔNG NGHIỆP VÀ PHÁT Độc lập - Tự do - Hạnh phúc
TRIÊN NÔNG THÔN
Số: 15/SNN-KH Đà Lạt, ngày 05 tháng 01 năm 2020
V/v phòng chống dịch bệnh
Kính gửi: Các huyện"""
    f = _extract(text).fields
    assert f["issuer"] == "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"


def _party_header(first: str, second: str, place: str = "Đam Rông") -> str:
    return f"""{first}
{second}
*
Số 08-QĐ/HU {place}, ngày 06 tháng 01 năm 2018
QUYẾT ĐỊNH
về công tác cán bộ
Ban Thường vụ Huyện ủy quyết định như sau:"""


def test_a_superior_named_after_another_place_keeps_its_own_name() -> None:
    # LÂM ĐỒNG and ĐAM RÔNG are one letter apart per word, and both are places spelt right.
    f = _extract(_party_header("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "HUYỆN ỦY ĐAM RÔNG")).fields
    assert (f["issuer"], f["parent_issuer"]) == ("HUYỆN ỦY ĐAM RÔNG", "ĐẢNG BỘ TỈNH LÂM ĐỒNG")


@pytest.mark.parametrize(
    "first",
    [
        "ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT N",  # the heading cut at the page's edge
        "ĐẢNG BỘ TỈNH LÂM ĐỒNG _ ĐẲẢNG CỘNG SẢN VIỆT NAM",
    ],
)
def test_a_party_branch_line_is_the_superior_even_when_the_issuer_line_is_lost(
    first: str,
) -> None:
    f = _extract(_party_header(first, "THÀNH ủ HÀ LẬT. “===erensiseroaeere-ceo")).fields
    assert f["parent_issuer"] == "ĐẢNG BỘ TỈNH LÂM ĐỒNG"
    assert f.get("issuer") != "ĐẢNG BỘ TỈNH LÂM ĐỒNG"  # a Đảng bộ issues nothing itself
    full = _extract(_party_header(first, "HUYỆN ỦY ĐAM RÔNG")).fields
    assert (full["issuer"], full["parent_issuer"]) == ("HUYỆN ỦY ĐAM RÔNG", "ĐẢNG BỘ TỈNH LÂM ĐỒNG")


@pytest.mark.parametrize(
    ("first", "second", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN", "“4 HUYỆN DI LINH", "ỦY BAN NHÂN DÂN HUYỆN DI LINH"),
        ("ỦY BAN NHÂN DÂN 4 HUYỆN DI LINH", "", "ỦY BAN NHÂN DÂN HUYỆN DI LINH"),
        ("ỦY BAN NHÂN DÂN", "PHƯỜNG 1", "ỦY BAN NHÂN DÂN PHƯỜNG 1"),
    ],
)
def test_a_speck_before_the_units_level_is_dropped(first: str, second: str, issuer: str) -> None:
    text = f"""{first} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
{second} Độc lập - Tự do - Hạnh phúc
Số: 90/BC-UBND Di Linh, ngày 16 tháng 4 năm 2018
BÁO CÁO
Kết quả công tác năm 2018
Ủy ban nhân dân báo cáo như sau:"""
    assert _extract(text.replace("\n Độc", "\nĐộc")).fields["issuer"] == issuer


def test_a_unit_glued_to_its_place_is_set_apart() -> None:
    text = """HUYỆN ỦYLÂMHÀ ĐẢNG CỘNG SẢN VIỆT NAM
BAN TUYÊN GIÁO
*
Số 22-KH/BTGHU Lâm Hà, ngày 6 tháng 4 năm 2020
KẾ HOẠCH
Kiểm tra việc kê khai tài sản
Thực hiện nhiệm vụ năm 2020, Ban Tuyên giáo Huyện ủy xây dựng kế hoạch:"""
    f = _extract(text).fields
    assert (f["issuer"], f["parent_issuer"]) == ("BAN TUYÊN GIÁO", "HUYỆN ỦY LÂM HÀ")


def _party_page(parent: str, issuer: str, symbol_line: str, title: str) -> str:
    """A Party document's first page (HD 36) with these header lines, dated in Đà Lạt."""
    return (
        f"{parent} ĐẢNG CỘNG SẢN VIỆT NAM\n{issuer}\n*\n"
        f"{symbol_line} Đà Lạt, ngày 3 tháng 4 năm 2019\n{title}\n"
        "Về công tác kiểm tra năm 2019\nThực hiện nhiệm vụ năm 2019."
    )


@pytest.mark.parametrize(
    ("parent", "issuer", "want_parent", "want_issuer"),
    [
        # The left edge of the scan ate the first letters or word of both lines.
        ("BỘ TỈNH LÂM ĐỒNG", "ANH ỦY BẢO LỘC", "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "THÀNH ỦY BẢO LỘC"),
        ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "UYỆN ỦY LÂM HÀ", "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "HUYỆN ỦY LÂM HÀ"),
        # An ending two committee words share (TỈNH, THÀNH) is left as read.
        ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "NH ỦY ĐÀ LẠT", "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "NH ỦY ĐÀ LẠT"),
    ],
)
def test_a_header_line_cut_at_the_left_edge_gets_its_start_back(
    parent: str, issuer: str, want_parent: str, want_issuer: str
) -> None:
    got = _extract(_party_page(parent, issuer, "Số 12-CT/TU", "CHỈ THỊ")).fields
    assert (got["parent_issuer"], got["issuer"]) == (want_parent, want_issuer)


@pytest.mark.parametrize(
    ("symbol_line", "title", "symbol", "flag"),
    [
        # A speck column read as a letter in the small print of the symbol; the title is large.
        ("Số 696-KIL/UBKTTU", "KẾT LUẬN", "696-KL/UBKTTU", "repaired"),
        ("Số 12-NO/TU", "NGHỊ QUYẾT", "12-NQ/TU", "repaired"),
        # An accented letter is no code's: the symbol does not end there (was ``04-K``).
        ("Số 04-KƯ/ĐU", "KẾT LUẬN", "04-KL/ĐU", "repaired"),
        ("Số 31-NÕ/TU", "NGHỊ QUYẾT", "31-NQ/TU", "repaired"),
        # Another title's abbreviation is a contradiction to review, not a misreading.
        ("Số 12-CT/TU", "CHƯƠNG TRÌNH", "12-CT/TU", "symbol_type_mismatch"),
    ],
)
def test_a_symbol_type_one_letter_off_the_title_is_mended(
    symbol_line: str, title: str, symbol: str, flag: str
) -> None:
    got = _extract(_party_page("TỈNH ỦY LÂM ĐỒNG", "ỦY BAN KIỂM TRA", symbol_line, title))
    assert got.fields["symbol"] == symbol
    codes = {f["code"] for f in got.provenance["_flags"]["flags"] if f["field"] == "symbol"}
    assert flag in codes


def test_a_party_group_and_its_organ_are_one_issuer() -> None:
    got = _extract(
        _party_page(
            "TỈNH ỦY LÂM ĐỒNG",
            "BAN CÁN SỰ ĐẢNG\nỦY BAN NHÂN DÂN TỈNH",
            "Số 960-NQ/BCSĐ",
            "NGHỊ QUYẾT",
        )
    )
    assert got.fields["issuer"] == "BAN CÁN SỰ ĐẢNG ỦY BAN NHÂN DÂN TỈNH"
    assert got.fields["parent_issuer"] == "TỈNH ỦY LÂM ĐỒNG"


@pytest.mark.parametrize(
    ("issuer_lines", "date_place", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN\nHUYỆN ĐẠ", "Đạ Tẻh", "ỦY BAN NHÂN DÂN HUYỆN ĐẠ TẺH"),
        ("HUYỆN ỦY CÁT", "Cát Tiên", "HUYỆN ỦY CÁT TIÊN"),
        ("HUYỆN ỦY CÁT TIÊN", "Cát Tiên", "HUYỆN ỦY CÁT TIÊN"),  # whole: unchanged
        ("HUYỆN ỦY LÂM HÀ", "Đà Lạt", "HUYỆN ỦY LÂM HÀ"),  # dated elsewhere: unchanged
        ("HUYỆN ỦY LÂM", "Lâm Đồng", "HUYỆN ỦY LÂM"),  # a province is no huyện's place
    ],
)
def test_a_locality_cut_at_the_edge_is_completed_from_the_date_place(
    issuer_lines: str, date_place: str, issuer: str
) -> None:
    text = _party_page("ĐẢNG BỘ TỈNH LÂM ĐỒNG", issuer_lines, "Số 12-CT/HU", "CHỈ THỊ")
    got = _extract(text.replace("Đà Lạt, ngày", f"{date_place}, ngày"))
    assert got.fields["issuer"] == issuer
