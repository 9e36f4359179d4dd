"""Header fields on layouts no rule was tuned for: places, marks, issuers, subjects (issue 14)."""

from __future__ import annotations

import pytest

import extract
from core.models import OcrWord, PageText


def _fields(text: str) -> dict[str, object]:
    return extract.extract_fields([PageText(1, text)]).fields


def _state_letter(issuer_line: str, place: str) -> str:
    """A State công văn whose first line is ``issuer_line`` beside the Quốc hiệu."""
    return f"""{issuer_line} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/UBND-VP {place}, ngày 05 tháng 01 năm 2020
V/v rà soát hồ sơ cán bộ
Kính gửi: Các thôn"""


def _party(place_line: str) -> str:
    return f"""HUYỆN ỦY ĐAM RÔNG ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 05-KL/HU {place_line}
KẾT LUẬN
về công tác cán bộ
Ban Thường vụ Huyện ủy kết luận như sau:"""


@pytest.mark.parametrize(
    ("place_line", "place"),
    [
        ("Đạ K'Nàng, ngày 15 tháng 6 năm 2018", "Đạ K'Nàng"),
        ("N'Thol Hạ, ngày 15 tháng 6 năm 2018", "N'Thol Hạ"),
        ("B'Lá, ngày 15 tháng 6 năm 2018", "B'Lá"),
        ("Đạ K’Nàng, ngày 15 tháng 6 năm 2018", "Đạ K'Nàng"),  # a quote read for the apostrophe
        ("Đạ K' Nàng, ngày 15 tháng 6 năm 2018", "Đạ K'Nàng"),  # and set apart
        ("Phước Cát 2, ngày 15 tháng 6 năm 2018", "Phước Cát 2"),
        ("Đà Lạt, ngày 15 tháng 6 năm 2018", "Đà Lạt"),
    ],
)
def test_place_names_with_an_apostrophe(place_line: str, place: str) -> None:
    f = _fields(_party(place_line))
    assert (f["place"], f["date"]) == (place, "2018-06-15")


@pytest.mark.parametrize("month", ["Š", "S"])
def test_unreadable_month_keeps_the_place_and_leaves_the_date_to_review(month: str) -> None:
    # An italic 5 or 8 read as "Š": which digit it was cannot be told.
    res = extract.extract_fields([PageText(1, _party(f"Đam Rông, ngày 14 tháng {month} năm 2023"))])
    assert res.fields["place"] == "Đam Rông"
    assert res.fields.get("date") is None
    flags = [f["code"] for f in res.provenance["_flags"]["flags"] if f["field"] == "date"]
    assert "date_unreadable" in flags


def test_a_readable_date_after_an_unreadable_one_is_taken() -> None:
    text = _party("Lâm Đồng, ngày 1Š tháng 6 năm 2018").replace(
        "KẾT LUẬN", "Đà Lạt, ngày 15 tháng 6 năm 2018\nKẾT LUẬN"
    )
    f = _fields(text)
    assert (f["place"], f["date"]) == ("Đà Lạt", "2018-06-15")


def test_place_does_not_take_the_end_of_a_symbol() -> None:
    # Read across one line, the symbol's last capital ("…-VP") is not a one-letter place word.
    text = """SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 12/SNV-VP Lâm Hà, ngày 05 tháng 01 năm 2020
V/v rà soát hồ sơ cán bộ
Kính gửi: Các phòng"""
    assert _fields(text)["place"] == "Lâm Hà"


@pytest.mark.parametrize("mark", ["TỐI MẬT", "HỎA TỐC", "[MẬT]", "THƯỢNG KHẨN"])
def test_mark_above_a_one_line_issuer_is_not_its_superior(mark: str) -> None:
    text = f"""{mark}
SỞ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/SNV-VP Đà Lạt, ngày 05 tháng 01 năm 2020
V/v rà soát hồ sơ cán bộ
Kính gửi: Các phòng"""
    f = _fields(text)
    assert (f["issuer"], f["parent_issuer"]) == ("SỞ NỘI VỤ", "")


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("UBND TỈNH-LÂM ĐỒNG", "UBND TỈNH LÂM ĐỒNG"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"),
        ("ỦY-BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"),
        ("UBND HUYỆN-DI LINH", "UBND HUYỆN DI LINH"),
        # Printed hyphens between the two parts of a name stay.
        ("BAN THI ĐUA - KHEN THƯỞNG", "BAN THI ĐUA - KHEN THƯỞNG"),
        ("SỞ LAO ĐỘNG-THƯƠNG BINH VÀ XÃ HỘI", "SỞ LAO ĐỘNG-THƯƠNG BINH VÀ XÃ HỘI"),
    ],
)
def test_hyphen_read_in_a_word_gap_of_the_superior(line: str, name: str) -> None:
    text = f"""{line} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc
Số: 12/SNV-VP Đà Lạt, ngày 05 tháng 01 năm 2020
V/v rà soát hồ sơ cán bộ
Kính gửi: Các phòng"""
    f = _fields(text)
    assert (f["issuer"], f["parent_issuer"]) == ("SỞ NỘI VỤ", name)


def test_superior_printed_on_two_lines() -> None:
    text = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN LÂM HÀ Độc lập - Tự do - Hạnh phúc
PHÒNG NỘI VỤ
Số: 45/PNV Lâm Hà, ngày 05 tháng 01 năm 2020
V/v rà soát hồ sơ cán bộ
Kính gửi: Các xã"""
    f = _fields(text)
    assert (f["issuer"], f["parent_issuer"]) == ("PHÒNG NỘI VỤ", "ỦY BAN NHÂN DÂN HUYỆN LÂM HÀ")


def test_issuer_on_three_lines_under_its_superior() -> None:
    text = """TỈNH ỦY LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN CHỈ ĐẠO THỰC HIỆN
QUY CHẾ DÂN CHỦ
Ở CƠ SỞ
*
Số 12-KH/BCĐ Đà Lạt, ngày 05 tháng 3 năm 2021
KẾ HOẠCH
kiểm tra việc thực hiện quy chế dân chủ
I. MỤC ĐÍCH"""
    f = _fields(text)
    assert f["issuer"] == "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ"
    assert f["parent_issuer"] == "TỈNH ỦY LÂM ĐỒNG"


def test_issuer_without_superior_on_two_lines() -> None:
    text = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN ĐẠ TẺH Độc lập - Tự do - Hạnh phúc
Số: 40/KL-UBND Đạ Tẻh, ngày 21 tháng 09 năm 2014
KẾT LUẬN
Về thực hiện Chương trình mục tiêu quốc gia phát triển kinh tế
- xã hội vùng đồng bào dân tộc thiểu số và miền núi năm 2014
Thực hiện Quyết định thanh tra số 120/QĐ-TTr ngày 06/09/2014, Đoàn thanh tra"""
    f = _fields(text)
    assert (f["issuer"], f["parent_issuer"]) == ("ỦY BAN NHÂN DÂN HUYỆN ĐẠ TẺH", "")
    # A wrapped line opening on the second half of a pair ("kinh tế - xã hội") goes on.
    assert f["subject"] == (
        "Về thực hiện Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào "
        "dân tộc thiểu số và miền núi năm 2014"
    )


def test_vv_line_read_before_the_right_block() -> None:
    # Read column by column, the V/v line under the number comes before the place and date.
    text = """UBND TỈNH LÂM ĐỒNG
SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG
Số: 16/STNMT-MT
V/v trồng rừng thay thế và trồng cây
phân tán năm 2018
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lâm Đồng, ngày 24 tháng 02 năm 2018
Kính gửi: Sở Nội vụ"""
    f = _fields(text)
    assert (f["doc_type"], f["subject"]) == (
        "CÔNG VĂN",
        "trồng rừng thay thế và trồng cây phân tán năm 2018",
    )
    assert (f["issuer"], f["parent_issuer"]) == (
        "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
        "UBND TỈNH LÂM ĐỒNG",
    )


@pytest.mark.parametrize(
    ("place_line", "place"),
    [
        ("Đụ Têh, ngày 15 tháng 6 năm 2018", "Đạ Tẻh"),  # one letter per word off
        ("Đan Rông, ngày 15 tháng 6 năm 2018", "Đam Rông"),
        ("Lắm Động, ngày 15 tháng 6 năm 2018", "Lâm Đồng"),
        ("Di Linh, ngày 15 tháng 6 năm 2018", "Di Linh"),  # read right: left alone
        ("Đạ K'Nàng, ngày 15 tháng 6 năm 2018", "Đạ K'Nàng"),  # not "Đà Nẵng"
    ],
)
def test_misread_place_repaired_from_the_gazetteer(place_line: str, place: str) -> None:
    res = extract.extract_fields([PageText(1, _party(place_line))])
    assert res.fields["place"] == place
    repaired = [f for f in res.provenance["_flags"]["flags"] if f["field"] == "place"]
    assert bool(repaired) == (place_line.split(",")[0] != place)


@pytest.mark.parametrize(
    ("issuer", "place_line", "place"),
    [
        # The words before the last were lost under a seal or a streak: the issuer names them.
        ("HUYỆN ỦY DI LINH", "Linh, ngày 15 tháng 6 năm 2018", "Di Linh"),
        # No locality in the issuer's lines: the one place of the province ending so.
        ("BAN TỔ CHỨC", "Lạt, ngày 15 tháng 6 năm 2018", "Đà Lạt"),
        # Several places of the province end in Hà (Lâm Hà, Tân Hà): left as read.
        ("BAN TỔ CHỨC", "Hà, ngày 15 tháng 6 năm 2018", "Hà"),
    ],
)
def test_a_place_that_lost_its_first_words_gets_them_back(
    issuer: str, place_line: str, place: str
) -> None:
    text = _party(place_line).replace("HUYỆN ỦY ĐAM RÔNG", issuer)
    assert _fields(text)["place"] == place


def test_one_word_place_repaired_from_the_issuer_name() -> None:
    # "Mađaguôi" is a town of one word (not in the gazetteer); the issuer names it.
    text = """ĐẢNG BỘ HUYỆN ĐẠ HUOAI ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG ỦY THỊ TRẤN MAĐAGUÔI
*
Số 1059-BB/ĐU Madaguôi, ngày 22 tháng 10 năm 2012
BIÊN BẢN
họp tổ chức các hoạt động mừng Đảng, mừng Xuân năm 2012
Hôm nay, vào lúc 8 giờ"""
    f = _fields(text)
    assert (f["place"], f["issuer"]) == ("Mađaguôi", "ĐẢNG ỦY THỊ TRẤN MAĐAGUÔI")
    assert f["parent_issuer"] == "ĐẢNG BỘ HUYỆN ĐẠ HUOAI"


def test_subject_line_broken_inside_a_place_name_goes_on() -> None:
    text = """HUYỆN ỦY ĐỨC TRỌNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN DÂN VẬN
*
Số 37-HD/BDVHU Đức Trọng, ngày 5 tháng 1 năm 2010
HƯỚNG DẪN
Bảo tồn và phát huy không gian văn hóa cồng chiêng Tây
Nguyên
Để thống nhất thực hiện, Ban Dân vận Huyện ủy hướng dẫn như sau:"""
    assert _fields(text)["subject"] == (
        "Bảo tồn và phát huy không gian văn hóa cồng chiêng Tây Nguyên"
    )


def test_superior_ending_on_a_place_is_not_joined_to_a_garbled_issuer() -> None:
    text = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
HUYƑN UY CÁT TIÊN
*
Số 470-CT/HU Cát Tiên, ngày 25 tháng 10 năm 2021
CHỈ THỊ
Về thực hiện công tác cải cách hành chính năm 2021
Một số cán bộ, công chức chưa nắm vững quy định"""
    f = _fields(text)
    assert f["parent_issuer"] == "ĐẢNG BỘ TỈNH LÂM ĐỒNG"
    # ... and the issuer's organ words, one letter off "HUYỆN ỦY", are repaired.
    assert f["issuer"] == "HUYỆN ỦY CÁT TIÊN"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Y BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),  # the first letter lost
        ("BAN DÂN VẬN", "BAN DÂN VẬN"),
        ("THỊ ỦY BẢO LỘC", "THỊ ỦY BẢO LỘC"),  # two letters from TỈNH ỦY: kept
        ("ĐẢNG BỘ XÃ LỘC AN", "ĐẢNG BỘ XÃ LỘC AN"),  # two letters from ĐẢNG ỦY: kept
    ],
)
def test_organ_words_one_letter_off(line: str, name: str) -> None:
    assert _fields(_state_letter(line, "Bảo Lộc"))["issuer"] == name


def test_unit_word_glued_to_the_place_after_it() -> None:
    text = """TỈNH ỦYLÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN TỔ CHỨC
*
Số 21-TB/BTCTU Lâm Đồng, ngày 28 tháng 3 năm 2021
THÔNG BÁO
Kết luận của Thường trực Tỉnh ủy
Ngày 24/03/2021, đồng chí Bí thư chủ trì"""
    f = _fields(text)
    assert (f["issuer"], f["parent_issuer"]) == ("BAN TỔ CHỨC", "TỈNH ỦY LÂM ĐỒNG")


@pytest.mark.parametrize(
    ("number_line", "number", "symbol"),
    [
        (": _Số: 06/TB-UBND", "06", "06/TB-UBND"),  # specks read as an underscore
        ("Số: 3330/CTr--UBND", "3330", "3330/CTr-UBND"),  # a separator read twice
        ("Số §-BC/BDVTU", "8", "8-BC/BDVTU"),  # an 8 read as §
        ("Sá: 14/TB-UBND", "14", "14/TB-UBND"),  # "Số:" read "Sá:"
        ("._'§ố:97/TB-UBND", "97", "97/TB-UBND"),  # its S read as §, specks before
        ("Số: 727/&TB-UBND", "727", "727/TB-UBND"),  # a speck after the slash read as &
        ("Số: 52*/TB-UBND", "52", "52/TB-UBND"),
    ],
)
def test_number_line_read_with_ocr_noise(number_line: str, number: str, symbol: str) -> None:
    text = f"""ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN CÁT TIÊN Độc lập - Tự do - Hạnh phúc
{number_line} Cát Tiên, ngày 01 tháng 8 năm 2017
THÔNG BÁO
Phòng, chống bệnh dịch tả lợn châu Phi
Ngày 28/7/2017, đồng chí Chủ tịch chủ trì"""
    f = _fields(text)
    assert (f["number"], f["symbol"]) == (number, symbol)
    assert f["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN CÁT TIÊN"


@pytest.mark.parametrize(
    ("date_line", "iso"),
    [
        ("Đam Rông, ngày TÌ tháng 9 năm 2022", "2022-09-11"),
        ("Đam Rông, ngày 14 tháng § năm 2023", "2023-08-14"),
        ("Đạ Tẻh, ngày 2] tháng 09 năm 2014", "2014-09-21"),
        ("Phước Lộc, ngày 27 tháng †! năm 2011", "2011-11-27"),  # a specked 1 as a dagger
        ("Đạ Tẻh, ngày /30 tháng 10 năm 1989", "1989-10-30"),  # a speck before the day
        ('Lâm Đồng, ngày 24 tháng 09 (tănm"2021', "2021-09-24"),  # "năm" specked
        ("Lâm Đồng, ngày 3 tháng 4 nărn 2015", "2015-04-03"),
    ],
)
def test_date_digits_read_as_look_alike_signs(date_line: str, iso: str) -> None:
    assert _fields(_party(date_line))["date"] == iso


@pytest.mark.parametrize(
    "date_line",
    [
        "Đà Lạt, ngờy 08 tháng 05 năm 2019",  # a mark misread on the middle letter
        "Đà Lạt, ngà 08 tháng 05 năm 2019",  # the last letter lost
        "Đà Lạt, nsàu 08 tháng 05 năm 2019",  # only N and A kept
        "Đà Lạt, ngày 08 tháns 05 năm 2019",
        "Đà Lạt, ngày 08 thúng 05 năm 2019",
        "Đà Lạt, ngà 08 tháns 05 năm 2019",
        "Đà Lạt, ngày 08 thán:05 năm 2019",  # the G of tháng read as a colon
    ],
)
def test_date_words_misread_or_short_of_a_letter(date_line: str) -> None:
    f = _fields(_party(date_line))
    assert (f["place"], f["date"]) == ("Đà Lạt", "2019-05-08")


def test_vv_read_with_a_plus_and_a_year_wrapped_alone() -> None:
    text = """HUYỆN ỦY ĐẠ TẺH ĐẢNG CỘNG SẢN VIỆT NAM
BAN TỔ CHỨC
*
Số 6-CV/BTCHU Đạ Tẻh, ngày 6 tháng 4 năm 2014
V/+ tuyển dụng công chức cấp xã năm
2014
Kính gửi: Các chi bộ"""
    f = _fields(text)
    assert (f["doc_type"], f["subject"]) == ("CÔNG VĂN", "tuyển dụng công chức cấp xã năm 2014")


def test_noise_read_after_the_issuer_name_is_dropped() -> None:
    text = """ĐẢNG BỘ HUYỆN LÂM HÀ ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG ỦY THỊ TRẤN ĐINH VĂN NT nGẴằẶ...ỔỐ.....= H
*
Số 694-QĐ/ĐU Đỉnh Văn, ngày 1 tháng 1 năm 2023
QUYẾT ĐỊNH
Ban hành Kế hoạch xử lý các vụ phá rừng
BAN THƯỜNG VỤ ĐẢNG ỦY"""
    f = _fields(text)
    assert (f["issuer"], f["parent_issuer"]) == (
        "ĐẢNG ỦY THỊ TRẤN ĐINH VĂN",
        "ĐẢNG BỘ HUYỆN LÂM HÀ",
    )
    assert f["place"] == "Đinh Văn"  # a commune of Lâm Đồng in the gazetteer


@pytest.mark.parametrize(
    "line",
    [
        "nh ĐẢNG ỦY THỊ TRẤN ĐINH VĂN Y vụ vò cv ố co y6",  # specks read as small syllables
        "_ ĐẢNG ỦY THỊ TRẤN ĐINH VĂN ›",
    ],
)
def test_specks_read_as_small_words_around_the_issuer_are_dropped(line: str) -> None:
    text = f"""ĐẢNG BỘ HUYỆN LÂM HÀ ĐẢNG CỘNG SẢN VIỆT NAM
{line}
Số 694-QĐ/ĐU Đinh Văn, ngày 1 tháng 1 năm 2023
QUYẾT ĐỊNH
Ban hành Kế hoạch xử lý các vụ phá rừng"""
    f = _fields(text)
    assert (f["issuer"], f["parent_issuer"]) == (
        "ĐẢNG ỦY THỊ TRẤN ĐINH VĂN",
        "ĐẢNG BỘ HUYỆN LÂM HÀ",
    )


def test_issuer_locality_one_letter_off_the_place_is_spelt_as_placed() -> None:
    text = """ĐẢNG BỘ HUYỆN LÂM HÀ ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG ỦY THỊ TRẤN ĐINH VÀNG
Số 694-QĐ/ĐU Đinh Văn, ngày 1 tháng 1 năm 2023
QUYẾT ĐỊNH
Ban hành Kế hoạch xử lý các vụ phá rừng"""
    f = _fields(text)
    assert (f["place"], f["issuer"]) == ("Đinh Văn", "ĐẢNG ỦY THỊ TRẤN ĐINH VĂN")
    assert f["parent_issuer"] == "ĐẢNG BỘ HUYỆN LÂM HÀ"  # another locality: as read


def test_issuer_of_another_locality_keeps_its_name() -> None:
    text = """UBND HUYỆN LÂM HÀ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHÒNG NỘI VỤ Độc lập - Tự do - Hạnh phúc
Số: 12/TB-PNV Lâm Hà, ngày 3 tháng 5 năm 2019
THÔNG BÁO
Về việc tuyển dụng viên chức"""
    f = _fields(text)
    assert (f["place"], f["issuer"], f["parent_issuer"]) == (
        "Lâm Hà",
        "PHÒNG NỘI VỤ",
        "UBND HUYỆN LÂM HÀ",
    )


def test_a_header_line_with_real_small_words_is_no_capitals_run() -> None:
    from extract._header import _capitals_run

    # Words of four letters or more outside the capitals: a sentence, not specks.
    assert _capitals_run("Căn cứ Luật TỔ CHỨC chính quyền") == "Căn cứ Luật TỔ CHỨC chính quyền"
    assert _capitals_run("ỦY BAN NHÂN DÂN PHƯỜNG 1") == "ỦY BAN NHÂN DÂN PHƯỜNG 1"


@pytest.mark.parametrize("name", ["ỦY BAN NHÂN DÂN XÃ B'LÁ", "ỦY BAN NHÂN DÂN PHƯỜNG 1"])
def test_names_ending_on_an_apostrophe_word_or_a_number_are_kept(name: str) -> None:
    assert _fields(_state_letter(name, "Bảo Lâm"))["issuer"] == name


def test_place_whose_first_capital_was_lost_is_the_one_the_issuer_names() -> None:
    # "âm Hà": Lâm Hà and Nam Hà are both one letter away; the superior names Lâm Hà.
    text = """HUYỆN ỦY LÂM HÀ ĐẢNG CỘNG SẢN VIỆT NAM
BAN TUYÊN GIÁO
*
Số 3525-CTr/BTGHU âm Hà, ngày 21 tháng 4 năm 2019
CHƯƠNG TRÌNH
Phòng, chống bệnh dịch tả lợn châu Phi
Thực hiện nhiệm vụ năm 2019, Ban Tuyên giáo Huyện ủy xây dựng chương trình"""
    assert _fields(text)["place"] == "Lâm Hà"


def _row(words: list[tuple[str, int]], top: int, line: int) -> list[OcrWord]:
    return [OcrWord(t, 95.0, x, top, 22 * len(t), 30, 1, 1, line) for t, x in words]


def _cat_tien_header(symbol: str) -> list[OcrWord]:
    """Word boxes of a Huyện ủy Cát Tiên header: issuer, Party line, number, place and date."""
    return (
        _row([("HUYỆN", 100), ("ỦY", 240), ("CÁT", 310), ("TIÊN", 400)], 100, 1)
        + _row([("ĐẢNG", 700), ("CỘNG", 820), ("SẢN", 940), ("VIỆT", 1030), ("NAM", 1140)], 100, 2)
        + _row([("Số", 120), (symbol, 190)], 160, 3)
        + _row([("Cát", 700), ("Tiên,", 780), ("ngày", 900), ("10", 1000)], 160, 4)
        + _row([("tháng", 1060), ("12", 1190), ("năm", 1250), ("2024", 1340)], 160, 4)
    )


def test_subject_stops_at_a_wider_body_line_even_when_specks_widen_the_page() -> None:
    # Specks at the far left edge make the text area wide, so the first body line (its first
    # word misread, "Jày" for "Ngày") looks centred; it is wider than the subject above it.
    words = (
        _cat_tien_header("1293-TB/HU")
        + _row([("THÔNG", 560), ("BÁO", 700)], 230, 5)
        + _row([("Thu,", 430), ("nộp,", 530), ("quản", 640), ("lý", 760), ("đảng", 820)], 280, 6)
        + _row([("phí", 950)], 280, 6)
        + _row([("Jày", 340), ("23-11-2024,", 430), ("đồng", 700), ("chí", 810)], 330, 7)
        + _row([("Võ", 900), ("Mỹ", 970), ("Lệ,", 1040), ("Phó", 1120), ("Chủ", 1200)], 330, 7)
        + _row([("tịch", 1280)], 330, 7)
        + _row([("lật", 5)], 700, 8)
    )
    res = extract.extract_fields([PageText(1, "", tuple(words))])
    assert res.fields["doc_type"] == "THÔNG BÁO"
    assert res.fields["subject"] == "Thu, nộp, quản lý đảng phí"


@pytest.mark.parametrize(
    ("subject", "fixed"),
    [
        ("Vẻ việc cấp giấy chứng nhận", "Về việc cấp giấy chứng nhận"),
        ("Về việc cấp giấy chứng nhận", "Về việc cấp giấy chứng nhận"),
        ("Vẻ đẹp của quê hương", "Vẻ đẹp của quê hương"),  # a real "vẻ" stays
        ("phòng, chống dịch bệnh COVTD-19 mới", "phòng, chống dịch bệnh COVID-19 mới"),
        (
            "Kiểm tra tài chính tại các chỉ, đảng bộ cơ sở",
            "Kiểm tra tài chính tại các chi, đảng bộ cơ sở",
        ),
        ("Tiết kiệm trong chỉ thường xuyên năm 2024", "Tiết kiệm trong chi thường xuyên năm 2024"),
        ("Chỉ bộ thôn 3 họp", "Chi bộ thôn 3 họp"),
        (
            "Tăng cường chỉ đạo công tác dân vận",
            "Tăng cường chỉ đạo công tác dân vận",
        ),  # a real "chỉ"
    ],
)
def test_fixed_phrases_of_subjects(subject: str, fixed: str) -> None:
    text = f"""TỈNH ỦY LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 1466-NQ/TU Lâm Đồng, ngày 6 tháng 4 năm 2015
NGHỊ QUYẾT
{subject}
Ngày 15/03/2015, Ban Thường vụ Tỉnh ủy họp"""
    assert _fields(text)["subject"] == fixed


def test_a_date_under_the_title_is_the_body_s() -> None:
    # The date line was unreadable: the body's "Ngày 15/03/2015" is not the document's date,
    # and the title is still found.
    text = """TỈNH ỦY LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
Lắm Động, Hgàu 6 Hung ‡ năm 2015
NGHỊ QUYẾT
Về việc cấp giấy chứng nhận quyền sử dụng đất
Ngày 15/03/2015, Ban Thường vụ Tỉnh ủy họp"""
    f = _fields(text)
    assert "date" not in f
    assert (f["doc_type"], f["subject"]) == (
        "NGHỊ QUYẾT",
        "Về việc cấp giấy chứng nhận quyền sử dụng đất",
    )


def test_place_of_a_date_line_whose_place_ocr_garbled_is_the_issuers_locality() -> None:
    text = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
HUYỆN ỦY DI LINH
Số 1906-KH/HU DL kính, ngày 18 tháng 1 năm 2022
KẾ HOẠCH
Phòng, chống dịch bệnh COVID-19 trong tình hình mới"""
    f = _fields(text)
    assert (f["place"], f["date"]) == ("Di Linh", "2022-01-18")


def test_place_of_a_line_whose_date_words_ocr_garbled() -> None:
    text = """TỈNH ỦY LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
Số 12-NQ/TU
Lắm Động, Hgàu 6 Hung ‡ năm 2015
NGHỊ QUYẾT
Về việc cấp giấy chứng nhận quyền sử dụng đất lần đầu"""
    f = _fields(text)
    assert f["place"] == "Lâm Đồng"
    assert "date" not in f or not f["date"]  # the day and month stay unread: review


@pytest.mark.parametrize(
    "place_line",
    [
        "DL kính, ngày 18 tháng 1 năm 2022",  # not the issuer's locality: nothing is guessed
        "Nhiều năm qua, công tác cán bộ được quan tâm từ năm 2015",  # a body line, no place
    ],
)
def test_garbled_words_that_name_no_known_place_leave_the_place_empty(place_line: str) -> None:
    text = f"""HUYỆN ỦY ĐAM RÔNG ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 05-KL/HU
{place_line}
KẾT LUẬN
về công tác cán bộ"""
    assert not _fields(text).get("place")


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("SỞ TÀI NGỦYÊS VÀHÔI TRƯỞNG", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),  # misread, glued words
        ("SỞ NỘIVU", "SỞ NỘI VỤ"),
        ("SỞ VĂN HÓA - THỂ THAO", "SỞ VĂN HÓA - THỂ THAO"),  # real words: printed so
        ("SỞ Y TẾ", "SỞ Y TẾ"),
    ],
)
def test_a_misread_department_is_its_national_name(line: str, want: str) -> None:
    text = f"""UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
{line} Độc lập - Tự do - Hạnh phúc
Số: 16/STNMT-MT Lâm Đồng, ngày 24 tháng 02 năm 2018
V/v trồng rừng thay thế
Kính gửi: UBND các huyện"""
    assert _fields(text)["issuer"] == want


def _party_head(number_line: str, title: str = "TỜ TRÌNH") -> str:
    return f"""ĐẢNG BỘ TỈNH LÂM ĐỒNG
HUYỆN ỦY LẠC DƯƠNG
*
{number_line}
ĐẢNG CỘNG SẢN VIỆT NAM
Lạc Dương, ngày 10 tháng 11 năm 2015
{title}
Đề nghị phê duyệt kế hoạch tuyên truyền
Ban Thường vụ Huyện ủy trình như sau:"""


@pytest.mark.parametrize(
    ("number_line", "symbol"),
    [
        ("Số 01-TTr/HU", "01-TTr/HU"),
        ("Sá Q1.TTr/HU", "01-TTr/HU"),  # "Số" past recognition, 0 read Q, the hyphen a dot
        ("01-TTr/HU", "01-TTr/HU"),  # "Số" lost at the page's edge
        ("4. 01-TTr/HU", "01-TTr/HU"),
        ("12-QĐ/HU", "12-QĐ/HU"),  # a code's own Q stays (QĐ, the commonest type)
        ("Sá Q2.QĐ/HU", "02-QĐ/HU"),
        ("Sá Q1.XYZ/HU", None),  # no type abbreviation: a stray token, not a symbol
        ("nhận 01-TTr/HU ngày", None),  # words around it: a line of text, not the number line
    ],
)
def test_a_symbol_whose_so_was_lost_or_misread(number_line: str, symbol: str | None) -> None:
    title = "QUYẾT ĐỊNH" if "QĐ" in number_line else "TỜ TRÌNH"
    res = extract.extract_fields([PageText(1, _party_head(number_line, title))])
    assert res.fields.get("symbol") == symbol
    if symbol is not None and not number_line.startswith("Số"):
        assert res.provenance["symbol"]["rule"] == "bare_symbol_party"
        assert res.fields["number"] == symbol[:2]


def test_a_bare_symbol_names_the_type_of_a_letter_without_a_title() -> None:
    text = _party_head("06-CV/ThU", title="V/v giao khoán bảo vệ rừng")
    res = extract.extract_fields([PageText(1, text)])
    assert (res.fields.get("symbol"), res.fields.get("doc_type")) == ("06-CV/ThU", "CÔNG VĂN")


def _commune_head(date_line: str) -> str:
    return f"""ĐẢNG BỘ HUYỆN DI LINH
ĐẢNG ỦY XÃ HÒA NAM
*
Số 05-QĐ/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
{date_line}
QUYẾT ĐỊNH
Ban hành Kế hoạch cải cách hành chính năm 2019
Tại phiên họp ở Di Linh, ngày 12 tháng 7 năm 2019, Đảng ủy đã thống nhất"""


@pytest.mark.parametrize(
    ("date_line", "place", "date"),
    [
        ("Hòa Nam, ngày 13 tháng 7 năm 2019", "Hòa Nam", "2019-07-13"),
        # The date garbled past reading ("thiêng", the year cut): the place still stands.
        ("Hòa Nam, ngày l3 thiêng 7 năm 2", "Hòa Nam", None),
        ("Hoa Nam, ngàu l3 thiêng 7 năm 2", "Hòa Nam", None),  # marks lost: the gazetteer's
        # A name one letter off on a garbled line is a guess: left for review, and the body's
        # "Di Linh, ngày …" below the title is no place of the document.
        ("Hòa Nan, ngày l3 thiêng 7 năm 2", None, None),
    ],
)
def test_the_place_before_ngay_when_the_date_is_garbled(
    date_line: str, place: str | None, date: str | None
) -> None:
    res = extract.extract_fields([PageText(1, _commune_head(date_line))])
    assert (res.fields.get("place"), res.fields.get("date")) == (place, date)


def _state_conclusion(number_line: str, title: str = "KẾT LUẬN") -> str:
    return f"""ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN ĐẠ TẺH Độc lập - Tự do - Hạnh phúc
{number_line} Đạ Tẻh, ngày 06 tháng 11 năm 2015
{title}
Về tiêm chủng mở rộng cho trẻ em dưới một tuổi năm 2015
Thực hiện Quyết định thanh tra số 29/QĐ-TTr ngày 21/10/2015, Đoàn thanh tra đã làm việc."""


@pytest.mark.parametrize(
    ("number_line", "symbol", "mismatch"),
    [
        ("Số: 79/KL-UBND", "79/KL-UBND", False),
        # The hyphen read as a colon under a speck, and the type's L lost: the title says KL.
        ("Số: 79/K:UBND", "79/KL-UBND", False),
        ("Số: 79/K-UBND", "79/KL-UBND", False),
        ("Số: 79/TB-UBND", "79/TB-UBND", True),  # another type in full: a contradiction
    ],
)
def test_a_type_code_misread_in_a_state_symbol_is_the_titles(
    number_line: str, symbol: str, mismatch: bool
) -> None:
    res = extract.extract_fields([PageText(1, _state_conclusion(number_line))])
    assert res.fields["symbol"] == symbol
    flags = {f["code"] for f in res.provenance["_flags"]["flags"] if f["field"] == "symbol"}
    assert ("symbol_type_mismatch" in flags) == mismatch


@pytest.mark.parametrize("symbol", ["12/UBND-VP", "2115/NV-VP"])  # NV: one letter off CV
def test_a_cong_van_symbol_starts_with_its_issuer_and_is_left_alone(symbol: str) -> None:
    text = _state_letter("ỦY BAN NHÂN DÂN", "Đà Lạt").replace("12/UBND-VP", symbol)
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields["symbol"] == symbol
    flags = {f["code"] for f in res.provenance["_flags"]["flags"] if f["field"] == "symbol"}
    assert "symbol_type_mismatch" not in flags


@pytest.mark.parametrize("opener", ["Để", "Tại", "Thực hiện", "Theo"])
def test_subject_stops_where_the_body_opens_a_sentence(opener: str) -> None:
    # dev2-fit2: a speckled page's first body line read as wide as the subject and centred
    # like it; a capitalised sentence opener marks it as the body's first line.
    words = (
        _cat_tien_header("12-HD/HU")
        + _row([("HƯỚNG", 540), ("DẪN", 700)], 230, 5)
        + _row([("Công", 400), ("tác", 520), ("dân", 610), ("vận", 700), ("ở", 790)], 280, 6)
        + _row([("vùng", 840), ("đồng", 950), ("bào", 1060)], 280, 6)
        + _row([(opener, 400), ("nhiệm", 560), ("vụ,", 700), ("Ban", 790), ("Thường", 870)], 330, 7)
        + _row([("vụ", 1010), ("hướng", 1070)], 330, 7)
    )
    res = extract.extract_fields([PageText(1, "", tuple(words))])
    assert res.fields["subject"] == "Công tác dân vận ở vùng đồng bào"


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Gia Viễn, trvàu 18 tháng 12 năm 2023", "2023-12-18"),  # dev2-fit2: "ngày" specked
        ("Gia Viễn, ngày 18 tháng 12 năm 2023", "2023-12-18"),
        ("Gia Viễn trvàu 18 tháng 12 năm 2023", None),  # no place's comma: not that line
    ],
)
def test_place_date_line_whose_ngay_was_misread(line: str, date: str | None) -> None:
    text = f"ỦY BAN NHÂN DÂN\nXÃ GIA VIỄN\nSố: 12/KH-UBND\n{line}\nKẾ HOẠCH\nPhòng cháy\nNội dung."
    fields = extract.extract_fields([PageText(1, text)]).fields
    assert fields.get("date") == date
    if date:
        assert fields["place"] == "Gia Viễn"
