"""Type title and subject when the title line is lost, worn or far down (issue 14)."""

from __future__ import annotations

import extract
from core.models import PageText


def _extract(text: str) -> extract.ExtractedFields:
    return extract.extract_fields([PageText(1, text)])


_BODY = "Căn cứ chức năng, nhiệm vụ được giao; Ban Thường vụ Huyện ủy kính trình như sau:"


def test_a_title_below_a_page_of_specks_is_still_found() -> None:
    # Neither the number nor the date reads, so the title is looked for from the top, and
    # specks must not use up the lines it is looked for in.
    specks = "\n".join(["xe", "4. k1", "*", "ạ ˆ", "- *"])
    text = f"""ĐẢNG BỘ TỈNH LÂM ĐỒNG
ĐẢNG CỘNG SẢN VIỆT NAM
HUYỆN ỦY LẠC DƯƠNG
Sá Q1.TTr/HU
lực Dương, ngày 10 tháng 11
{specks}
TỜ TRÌNH
Đề nghị phê duyệt tuyên truyền, phổ biến, giáo dục pháp luật
{_BODY}"""
    f = _extract(text).fields
    assert f["doc_type"] == "TỜ TRÌNH"
    assert f["subject"] == "Đề nghị phê duyệt tuyên truyền, phổ biến, giáo dục pháp luật"


def test_a_speck_after_the_title_is_not_part_of_it() -> None:
    text = """HUYỆN ỦY DI LINH ĐẢNG CỘNG SẢN VIỆT NAM
ỦY BAN KIỂM TRA
Số 47-BB/UBKTHU Di Linh, ngày 11 tháng 01 năm 2018
BIÊN BẢN ã
Họp kiểm tra tài chính đảng tại các chi, đảng bộ cơ sở năm 2018
Vào lúc 8 giờ 00 phút, ngày 11 tháng 01 năm 2018, tại hội trường Ủy ban Kiểm tra."""
    f = _extract(text).fields
    assert f["doc_type"] == "BIÊN BẢN"
    assert f["subject"] == "Họp kiểm tra tài chính đảng tại các chi, đảng bộ cơ sở năm 2018"


def _letter(vv_line: str, symbol: str = "180-CV/BDVHU") -> str:
    return f"""HUYỆN ỦY ĐẠ TẺH ĐẢNG CỘNG SẢN VIỆT NAM
BAN DÂN VẬN
Số {symbol} Đạ Tẻh, ngày 7 tháng 5 năm 2024
{vv_line}
Kính gửi: Các ban xây dựng Đảng Huyện ủy"""


def test_a_worn_vv_under_a_cong_van_number_opens_the_subject() -> None:
    for worn in ("7/0", "V0"):
        got = _extract(_letter(f"{worn} tổ chức Đại hội đại biểu các dân tộc thiểu số"))
        assert got.fields["doc_type"] == "CÔNG VĂN"
        assert got.fields["subject"] == "tổ chức Đại hội đại biểu các dân tộc thiểu số"
        assert got.provenance["subject"]["rule"].startswith("vv_subject")


def test_a_worn_vv_is_not_trusted_under_another_type_or_for_a_word() -> None:
    got = _extract(_letter("7/0 tổ chức Đại hội đại biểu các dân tộc", "5-KH/BDVHU"))
    assert got.fields["doc_type"] == "KẾ HOẠCH"  # from the symbol; the line is no V/v
    assert "tổ chức" not in str(got.fields.get("subject") or "")
    got = _extract(_letter("Về tổ chức Đại hội đại biểu các dân tộc"))
    assert got.provenance.get("subject", {}).get("rule") != "vv_subject"


def test_the_subject_of_a_document_whose_title_was_lost_follows_the_header() -> None:
    text = f"""TỈNH ỦY LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN NỘI CHÍNH
Số 452-HD/BNCTU Lâm Đồng, ngày 13 tháng 2 năm 2022
THƯỢNG KHẨN
HƯỚNG
Phòng, chống sốt xuất huyết tại các huyện phía Nam
{_BODY}"""
    got = _extract(text)
    assert got.fields["doc_type"] == "HƯỚNG DẪN"  # the symbol's HD
    assert got.fields["subject"] == "Phòng, chống sốt xuất huyết tại các huyện phía Nam"
    assert got.provenance["subject"]["rule"].startswith("subject_after_date")
    # Read from where a title would lead it, it is trusted less than after a title.
    assert got.confidence["subject"] < 0.8


def _decision(subject_lines: str) -> str:
    return f"""ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
THÀNH ỦY BẢO LỘC
Số 06-QĐ/ThU Bảo Lộc, ngày 17 tháng 7 năm 2010
QUYẾT ĐỊNH
{subject_lines}
"""


def test_after_a_units_level_only_its_name_carries_the_subject() -> None:
    body = "Mùa khô năm nay được dự báo kéo dài, nguy cơ xảy ra cháy rừng ở mức cao."
    got = _extract(_decision(f"Về giao khoán bảo vệ rừng cho cộng đồng dân cư thôn\n{body}"))
    assert got.fields["subject"] == "Về giao khoán bảo vệ rừng cho cộng đồng dân cư thôn"
    got = _extract(_decision(f"Về tranh chấp đất đai tại thôn 8,\nPhường 5\n{body}"))
    assert got.fields["subject"] == "Về tranh chấp đất đai tại thôn 8, Phường 5"
    got = _extract(_decision(f"Về phát triển du lịch tại huyện\nLạc Dương năm 2020\n{body}"))
    assert got.fields["subject"] == "Về phát triển du lịch tại huyện Lạc Dương năm 2020"


def test_a_garbled_header_is_a_state_document_by_its_motto_and_its_title_follows_it() -> None:
    # National title garbled under a fold, number and date lines unreadable: the motto still
    # names the kind, and the title is looked for below it, past the header's own lines.
    text = f"""s$ w FT. Trê# 4A
KHÂN
. k tìt can f
ỦY BAN NHÂN DÂN 'CỘNG lBỘÁ XÃ HỘI CHÚNGHIẢ VIỆT NAM
TỈNH LÂM ĐỒNG
Độc lập - Tự do - Hạnh phúc
—Ymtẽ i:1 tra ` +
` zSố: “Huấn. UỗND vo xeksol ` Uy bẩn ø Äehi 25
- sở: St ` : yẾ - sp „
x# + .- *
BIÊN BẢN
Họp chỉnh lý tài liệu tồn đọng tại các cơ quan, đơn vị năm 2019
{_BODY}"""
    got = _extract(text)
    assert got.kind == "state_document"
    assert got.fields["doc_type"] == "BIÊN BẢN"
    assert (
        got.fields["subject"] == "Họp chỉnh lý tài liệu tồn đọng tại các cơ quan, đơn vị năm 2019"
    )
