"""Lexicon repairs on text fixtures: names, places, one-letter syllables, titles, recipients."""

from __future__ import annotations

import pytest

import extract
from core.models import ExtractedFields, OcrWord, PageText
from extract._closing import _agreeable, _voted_name, name_in
from extract._layout import Segment
from extract._lexicon import load_syllables, one_letter_fix, repair_invalid_syllables
from extract._names import is_known_surname, repair_person_name
from extract._patterns import VV_LINE
from extract._places import _national_names, repair_place_names
from tests.extract._pages import two_column_page

needs_syllables = pytest.mark.skipif(
    load_syllables() is None, reason="hunspell-vi (vi_VN.dic) is not installed"
)

HEADER = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN TỔ CHỨC TỈNH ỦY
*
Số 21-HD/BTCTU Lâm Đồng, ngày 4 tháng 5 năm 2018
"""
BODY = "Căn cứ Điều lệ Đảng;\nBan Tổ chức Tỉnh ủy hướng dẫn như sau.\n"
CLOSING = """hết nội dung.
Nơi nhận: K/T TRƯỞNG BAN
- Ban Thường vụ Tỉnh ủy (b/c), PHÓ TRƯỞNG BAN
- Các huyện ủy,
- Lưu VT.
{name}
"""


def _flags(res: ExtractedFields, field: str) -> list[str]:
    """Details of the ``repaired`` flags on one field."""
    return [
        f["detail"]
        for f in res.provenance["_flags"]["flags"]
        if f["field"] == field and f["code"] == "repaired"
    ]


# --- personal names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Nguyên Công Sơn", "Nguyễn Công Sơn"),
        ("NGUYÊN CÔNG SƠN", "NGUYỄN CÔNG SƠN"),
        ("Trân Văn Bình", "Trần Văn Bình"),
        ("Pham Thị Hoa", "Phạm Thị Hoa"),
        ("Bủi Minh Đức", "Bùi Minh Đức"),
    ],
)
def test_surname_modeled_to_one_common_surname_is_repaired(read: str, fixed: str) -> None:
    assert repair_person_name(read) == (fixed, ["surname_model"])


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Công Sơn",  # already right
        "Ha Phi",  # K'Ho name of the Central Highlands: "Ha" is a real name, not "Hà"
        "Doan Văn Hùng",  # Doãn or Đoàn: ambiguous, kept
        "Nguyễn Nguyên Hân",  # "Nguyên" as a middle name stays
        "Hà Phương",
        "Xyz Văn An",  # unknown first word folding to no surname: kept
        "Nguyên",  # one word is no full name
    ],
)
def test_names_that_must_not_change(name: str) -> None:
    assert repair_person_name(name) == (name, [])


@needs_syllables
def test_invalid_given_name_syllable_folded_to_one_form() -> None:
    assert repair_person_name("Lê Văn Tuan") == ("Lê Văn Tuấn", ["given_name_model"])
    assert repair_person_name("Trần Thị Hưong") == ("Trần Thị Hương", ["given_name_model"])


def test_known_surnames_either_case_and_tone_style() -> None:
    assert is_known_surname("NGUYỄN") and is_known_surname("Huỳnh") and is_known_surname("Ha")
    assert not is_known_surname("Nguyên") and not is_known_surname("Ngề")


def test_signer_surname_repaired_with_flag_and_lower_confidence() -> None:
    good = extract.extract_fields(
        [PageText(1, HEADER + BODY), PageText(2, CLOSING.format(name="Nguyễn Công Sơn"))]
    )
    bad = extract.extract_fields(
        [PageText(1, HEADER + BODY), PageText(2, CLOSING.format(name="Nguyên Công Sơn"))]
    )
    assert bad.fields["signer_name"] == "Nguyễn Công Sơn"
    assert bad.provenance["signer_name"]["rule"].endswith("+surname_model")
    assert "repaired" in bad.provenance["signer_name"]["flags"]
    assert bad.confidence["signer_name"] < good.confidence["signer_name"]
    assert _flags(bad, "signer_name") == ["Nguyên Công Sơn → Nguyễn Công Sơn"]
    assert _flags(good, "signer_name") == []


def _w(text: str, left: int, top: int, line: int) -> OcrWord:
    return OcrWord(text, 95.0, left, top, 22 * len(text), 30, 1, 1, line)


def _closing_page(name: str) -> PageText:
    rows = [
        ("hết nội dung của văn bản này và các phụ lục kèm theo", ""),
        ("Nơi nhận:", "GIÁM ĐỐC"),
        ("- Sở Nội vụ;", ""),
        ("- Lưu: VT.", ""),
        ("", name),
    ]
    return two_column_page(rows)


def test_name_without_a_surname_is_read_again() -> None:
    asked: list[int] = []

    def reader(page: int, box: tuple[int, int, int, int]) -> list[str]:
        asked.append(page)
        return ["GIÁM ĐỐC", "Ngô Thu Nga"]

    res = extract.extract_fields([_closing_page("Ngề Thu Nga")], line_reader=reader)
    assert asked == [4]
    assert res.fields["signer_name"] == "Ngô Thu Nga"
    assert res.provenance["signer_name"]["rule"] == "signature_reread_name_last"


def test_reread_without_a_surname_does_not_replace_the_first_read() -> None:
    res = extract.extract_fields(
        [_closing_page("Ngề Thu Nga")], line_reader=lambda p, b: ["GIÁM ĐỐC", "Ngà Thu Nga"]
    )
    # The first read stays; the name model then mends its surname ("Ngề" is no name).
    assert res.fields["signer_name"] == "Ngô Thu Nga"
    assert "surname_model" in res.provenance["signer_name"]["rule"]


def test_sound_name_is_not_read_again() -> None:
    asked: list[int] = []

    def reader(page: int, box: tuple[int, int, int, int]) -> list[str]:
        asked.append(page)
        return []

    res = extract.extract_fields([_closing_page("Ha Phi")], line_reader=reader)
    assert res.fields["signer_name"] == "Ha Phi" and asked == []


# --- place names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        (
            "xã Quảng An, huyện Quảng Điền, tỉnh Thừa Thiên Huê",
            "xã Quảng An, huyện Quảng Điền, tỉnh Thừa Thiên Huế",
        ),
        (
            "Giáo viên Trường Trung học phổ thông Báo Lộc",
            "Giáo viên Trường Trung học phổ thông Bảo Lộc",
        ),
        ("HUYỆN ỦY DILINH", "HUYỆN ỦY DI LINH"),
        ("LÂM ĐÔNG", "LÂM ĐỒNG"),
        ("thành phố Đa Lạt, tỉnh Lâm Dồng", "thành phố Đà Lạt, tỉnh Lâm Đồng"),
        ("(Khánh Hoả)", "(Khánh Hòa)"),
    ],
)
def test_place_names_repaired_by_the_gazetteer(read: str, fixed: str) -> None:
    assert repair_place_names(read)[0] == fixed


@pytest.mark.skipif(not _national_names(), reason="vietnam-provinces is not installed")
@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("huyện Krông Pác, tỉnh Đắk Lắk", "huyện Krông Pắc, tỉnh Đắk Lắk"),
        ("Mưởng Tè, Lai Châu", "Mường Tè, Lai Châu"),
        ("huyện Thói Bình", "huyện Thới Bình"),
    ],
)
def test_districts_of_every_province_come_from_the_gso_list(read: str, fixed: str) -> None:
    assert repair_place_names(read)[0] == fixed


@pytest.mark.parametrize(
    "text",
    [
        "huyện Đức Thọ, tỉnh Hà Tĩnh",  # right already
        "tỉnh Thanh Hoá",  # old tone placement, as printed: kept
        "Nguyễn Thị Huê",  # one syllable is never matched (a given name here)
        "bảo lộc tài sản",  # not capitalised: no proper name
        "Bà Rịa - Vũng Tàu",
        "Trường Chính trị tỉnh",
    ],
)
def test_text_that_must_not_change(text: str) -> None:
    assert repair_place_names(text) == (text, [])


def test_profile_place_repaired_and_flagged() -> None:
    text = """SƠ YẾU LÝ LỊCH
1. Họ và tên: TRẦN VĂN AN
2. Quê quán: xã Gia Hiệp, huyện Di Linh, tỉnh Lâm Dồng
3. Nơi ở hiện nay: phường 1, thành phố Báo Lộc, tỉnh Lâm Đồng
4. Nghề nghiệp: Chuyên viên
"""
    res = extract.extract_fields([PageText(1, text)])
    p = res.fields["profile"]
    assert p["que_quan"] == "xã Gia Hiệp, huyện Di Linh, tỉnh Lâm Đồng"
    assert p["noi_o"] == "phường 1, thành phố Bảo Lộc, tỉnh Lâm Đồng"
    assert res.provenance["profile.que_quan"]["rule"] == "form_label+gazetteer_place"
    assert "repaired" in res.provenance["profile.noi_o"]["flags"]
    assert p["nghe_nghiep"] == "Chuyên viên"
    assert "flags" not in res.provenance["profile.nghe_nghiep"]


# --- one-letter syllable misreads ---------------------------------------------------------


@needs_syllables
def test_one_letter_fix_only_for_invalid_syllables_with_one_candidate() -> None:
    assert one_letter_fix("heạch") == "hoạch"
    assert one_letter_fix("xị") is None  # valid syllable
    assert one_letter_fix("covid") is None  # no syllable one letter away
    assert one_letter_fix("Nguyên") is None  # capitalised: a name, never touched
    assert one_letter_fix("2010") is None
    text, changes = repair_invalid_syllables("bổ sung quy heạch cán bộ năm 2010;")
    assert text == "bổ sung quy hoạch cán bộ năm 2010;" and changes == ["heạch→hoạch"]


@needs_syllables
def test_subject_one_letter_misread_repaired_and_flagged() -> None:
    state = """UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc
Số: 05/SNV-VP Đà Lạt, ngày 05 tháng 01 năm 2020
V/ rà soát, bổ sung quy heạch cán bộ
Kính gửi: Các phòng chuyên môn
"""
    res = extract.extract_fields([PageText(1, state)])
    assert res.fields["doc_type"] == "CÔNG VĂN"  # "V/v" whose second "v" was lost
    assert res.fields["subject"] == "rà soát, bổ sung quy hoạch cán bộ"
    assert res.provenance["subject"]["rule"] == "vv_subject+syllable_one_letter"
    assert "repaired" in res.provenance["subject"]["flags"]


# --- title and V/v lines ------------------------------------------------------------------


def test_title_with_a_speck_read_as_detached_colon() -> None:
    text = HEADER + "HƯỚNG DẪN :\nQuản lý hồ sơ đảng viên\n" + BODY
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields["doc_type"] == "HƯỚNG DẪN"
    assert res.provenance["doc_type"]["rule"] == "title_line"
    assert res.fields["subject"] == "Quản lý hồ sơ đảng viên"


def test_glued_colon_line_is_not_a_title() -> None:
    text = (
        "UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 15/QĐ-UBND Đà Lạt, ngày 05 tháng 01 năm 2020\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành.\n"
    )
    res = extract.extract_fields([PageText(1, text)])
    assert res.provenance["doc_type"]["rule"] != "title_line"
    assert "subject" not in res.fields


def test_v_slash_needs_a_lower_case_subject_after_it() -> None:
    assert VV_LINE.match("V/ rà soát hồ sơ")
    assert not VV_LINE.match("V/ Ban Tổ chức")
    assert not VV_LINE.match("V/2020")


# --- recipients ---------------------------------------------------------------------------


def test_file_copy_item_closes_the_list_with_a_period() -> None:
    res = extract.extract_fields(
        [
            PageText(1, HEADER + BODY),
            PageText(2, CLOSING.format(name="Lê Văn Hải").replace("- Lưu VT.", "- Lưu: VT, TCCB,")),
        ]
    )
    assert res.fields["recipients"][-1] == "Lưu: VT, TCCB."
    assert res.provenance["recipients"]["rule"] == "noi_nhan_list+last_item_period"
    assert _flags(res, "recipients") == ["Lưu: VT, TCCB, → Lưu: VT, TCCB."]


@pytest.mark.parametrize(
    "read",
    ["(b/e),", "(Đ/c),", "(bíc),", "(Đb/c),", "thíc),", "(b/c),", "(b/ c),", "(bc),", "(b/),"]
    + ["(b/©),", "(híc),", "Œíc),"]
    # dev2-fit2: the slash read as a letter, the c as a capital, the b lost
    + ["(bí/c),", "(Bfc),", "(/c),", "(/e),", "(b/C),"],
)
def test_report_to_mark_read_with_slips(read: str) -> None:
    closing = CLOSING.format(name="Lê Văn Hải").replace("(b/c),", read)
    res = extract.extract_fields([PageText(1, HEADER + BODY), PageText(2, closing)])
    assert res.fields["recipients"][0] == "Ban Thường vụ Tỉnh ủy (b/c),"


def test_noi_nhan_read_without_its_i_still_opens_the_closing() -> None:
    closing = CLOSING.format(name="Lê Văn Hải").replace("Nơi nhận:", "Nở nhấn:")
    res = extract.extract_fields([PageText(1, HEADER + BODY), PageText(2, closing)])
    assert res.fields["recipients"] == ["Ban Thường vụ Tỉnh ủy (b/c),", "Các huyện ủy,", "Lưu VT."]
    assert res.fields["signing_authority"] == "K/T TRƯỞNG BAN"


@pytest.mark.parametrize("read", ["- Các huyện ủy:", "- Các huyện ủy"])
def test_a_separator_misread_or_lost_between_items_is_the_lists_own(read: str) -> None:
    closing = CLOSING.format(name="Lê Văn Hải").replace("- Các huyện ủy,", read)
    res = extract.extract_fields([PageText(1, HEADER + BODY), PageText(2, closing)])
    assert res.fields["recipients"] == ["Ban Thường vụ Tỉnh ủy (b/c),", "Các huyện ủy,", "Lưu VT."]


def test_a_tie_between_separators_keeps_the_first_read_one() -> None:
    from extract._closing import _separators

    assert _separators(["A,", "B;", "C", "Lưu VT."]) == ["A,", "B;", "C,", "Lưu VT."]


@pytest.mark.parametrize(
    ("read", "item"),
    [
        ("Lưu: VT,NV.", "Lưu: VT, NV."),  # the space after the comma lost
        ("Lưu: VT NV.", "Lưu: VT, NV."),  # the comma lost
        ("Lưu:VT,NV.", "Lưu:VT, NV."),  # no space after the colon either
        ("Lưu VT P1.", "Lưu VT, P1."),
        ("Lưu: VT, TCCB.", "Lưu: VT, TCCB."),
        ("Lưu VP Đảng ủy.", "Lưu VP Đảng ủy."),  # a unit's name, no list of abbreviations
        ("Các đơn vị UBND, HĐND,", "Các đơn vị UBND, HĐND,"),  # not the file copy
    ],
)
def test_file_copy_abbreviations_get_comma_and_space_back(read: str, item: str) -> None:
    from extract._closing import _file_copy_commas

    assert _file_copy_commas(read) == item


def test_a_file_copy_read_without_its_comma_is_mended_in_the_list() -> None:
    closing = CLOSING.format(name="Lê Văn Hải").replace("- Lưu VT.", "- Lưu VT P1.")
    res = extract.extract_fields([PageText(1, HEADER + BODY), PageText(2, closing)])
    assert res.fields["recipients"][-1] == "Lưu VT, P1."


def test_other_parentheses_in_recipients_stay() -> None:
    closing = CLOSING.format(name="Lê Văn Hải").replace("(b/c),", "(để t/h),")
    res = extract.extract_fields([PageText(1, HEADER + BODY), PageText(2, closing)])
    assert res.fields["recipients"][0] == "Ban Thường vụ Tỉnh ủy (để t/h),"


def test_other_last_items_keep_their_punctuation() -> None:
    res = extract.extract_fields(
        [
            PageText(1, HEADER + BODY),
            PageText(2, CLOSING.format(name="Lê Văn Hải").replace("- Lưu VT.\n", "")),
        ]
    )
    assert res.fields["recipients"] == ["Ban Thường vụ Tỉnh ủy (b/c),", "Các huyện ủy,"]
    assert res.provenance["recipients"]["rule"] == "noi_nhan_list"


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Trần Vẫn Phước", "Trần Văn Phước"),
        ("Lê Thì Hoa", "Lê Thị Hoa"),
        ("NGUYỄN VẤN AN", "NGUYỄN VĂN AN"),
    ],
)
def test_middle_name_misread_as_another_syllable_becomes_van_or_thi(read: str, fixed: str) -> None:
    assert repair_person_name(read) == (fixed, ["middle_name_model"])


@pytest.mark.parametrize("name", ["Nguyễn Vân Anh", "Hà Văn", "Lê Thị Thu Trang", "Đỗ Văn"])
def test_real_middle_names_and_two_word_names_are_kept(name: str) -> None:
    assert repair_person_name(name) == (name, [])


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Lê Văn Chỉ", "Lê Văn Chi"),  # the dot of i plus noise read as a hook
        ("Ngô Thanh Ấn", "Ngô Thanh An"),
        ("Lê Văn Thẳng", "Lê Văn Thắng"),  # under a seal
        ("Trần Phưởng Vân", "Trần Phương Vân"),
        ("Phạm Thi Hùng", "Phạm Thị Hùng"),  # the dot below lost: Thị is far commoner
        ("Hà ức Đông", "Hà Đức Đông"),  # a letter lost: a lower-case word is no name word
    ],
)
def test_the_name_model_prefers_common_names_one_mark_away(read: str, fixed: str) -> None:
    assert repair_person_name(read)[0] == fixed


def test_a_clearly_read_word_is_kept() -> None:
    # A real syllable read with high confidence is what the image says, however rare.
    assert repair_person_name("Lê Văn Thẳng", [0.97, 0.96, 0.95])[0] == "Lê Văn Thẳng"
    assert repair_person_name("Lê Văn Thẳng", [0.97, 0.96, 0.62])[0] == "Lê Văn Thắng"
    # But nobody is called Nguyên: a sharp reading of the surname is still a misreading.
    assert repair_person_name("Nguyên Văn An", [0.97, 0.96, 0.95])[0] == "Nguyễn Văn An"


def test_a_first_word_that_is_no_surname_is_read_as_the_likeliest_one() -> None:
    assert repair_person_name("Lả Văn An")[0] == "Lã Văn An"  # Lã is commoner than La
    assert repair_person_name("TỒN ĐÌNH ĐÔNG")[0] == "TÔN ĐÌNH ĐÔNG"


def test_names_of_the_highland_peoples_keep_their_own_syllables() -> None:
    assert repair_person_name("Kră Jăn Hạ Sơn")[0] == "Kră Jăn Ha Sơn"  # not "Kră Văn Hà Sơn"
    assert repair_person_name("Điều Ka Hương")[0] == "Điểu Ka Hương"
    assert repair_person_name("K'Brèo")[0] == "K'Brèo"


def test_a_sharply_read_highland_name_keeps_words_no_vietnamese_syllable_has() -> None:
    # "Din" is no Vietnamese syllable, but Churu names are not made of them.
    assert repair_person_name("Bo Bo Ha Din", [0.96, 0.95, 0.97, 0.95])[0] == "Bo Bo Ha Din"
    assert repair_person_name("Bo Bo Ha Din")[0] != "Bo Bo Ha Din"  # unsure: the model reads


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("}N. Hà Đức Đông", "Hà Đức Đông"),  # seal debris before the name
        ("XÓA, CỬ Hà Đình Ước", "Hà Đình Ước"),
        ("Ngưyễn Công Sơn", "Ngưyễn Công Sơn"),  # a misread head stays for the name model
        ("Touneh Hàn", "Touneh Hàn"),  # a Churu family name is a surname
        ("K/T BÍ THƯ", None),
        ("tui _ K'Tiếu", "K'Tiếu"),  # a stroke's loop read as a small word
        ("` N _. Hà Bức Đông", "Hà Bức Đông"),  # a lone letter is debris too
        ("KJen", "K'Jen"),  # the apostrophe of a K'Ho name lost
        ("KT. CHỦ TỊCH", None),
    ],
)
def test_name_in_a_reread_line(line, want):
    assert name_in(line) == want


def test_a_reread_takes_the_name_most_thresholds_agree_on():
    seg = Segment(1, "", box=(0, 0, 1, 1), conf=0.8, index=0)
    readings = ["Lê Quỳnh Xuân", "Lê Qưÿ Xuân", "Lê Quỳnh Xuân", "Lê Quý Hà Xuân"]
    names = [(seg, n) for t in readings if (n := name_in(t))]
    picked = _voted_name(names)
    assert picked is not None and picked[1] == "Lê Quỳnh Xuân"
    assert _voted_name([]) is None
    # A name-like line with no surname loses to any reading that starts with one.
    lines = [(seg, n) for t in ("Như trên,", "Hà Đức Đông") if (n := name_in(t))]
    assert _voted_name(lines)[1] == "Hà Đức Đông"


def test_a_name_of_no_known_words_stands_when_two_readings_agree_letter_for_letter():
    seg = Segment(1, "", box=(0, 0, 1, 1), conf=0.8, index=0)
    readings = ["Bo Bo Ha Din", "`  Bo Bo Ha Din", "Bo Bø Ha Din", "Tr Hn", "Bơ Bố Ha Din"]
    names = [(seg, n) for t in readings if (n := name_in(t))]
    assert _voted_name(names) == (seg, "Bo Bo Ha Din", True)
    # Once only: seal debris can look like anything, it does not repeat itself.
    assert _voted_name([(seg, n) for t in readings[2:] if (n := name_in(t))]) is None
    # Lone letters or lower-case words repeated are still debris.
    assert not _agreeable("Bo B") and not _agreeable("Bo bo") and not _agreeable("Din")


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("văn bản điện (ử", "văn bản điện tử"),  # a t read as an opening parenthesis
        ("dân tộc KˆHo tại Lạc Dương", "dân tộc K'Ho tại Lạc Dương"),
        ('K"Vin', "K'Vin"),
        ("(rong", "(rong"),  # "rong" is a word itself: left alone
        ("(b/c)", "(b/c)"),
        ("Điều 3 (mới)", "Điều 3 (mới)"),
        ("KHO BẠC", "KHO BẠC"),
    ],
)
def test_glyph_confusions_mended_in_place(read: str, want: str) -> None:
    from extract._patterns import clean_letters

    got = clean_letters(read)
    assert got == want and len(got) == len(read)  # positions still match the word boxes
