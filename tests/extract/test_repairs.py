"""Lexicon repairs on text fixtures: names, places, one-letter syllables, titles, recipients."""

from __future__ import annotations

import extract
from core.models import ExtractedFields, PageText
from extract._patterns import VV_LINE

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
    return [f["detail"] for f in res.provenance["_flags"]["flags"]
            if f["field"] == field and f["code"] == "repaired"]


# --- title and V/v lines ------------------------------------------------------------------

def test_title_with_a_speck_read_as_detached_colon() -> None:
    text = HEADER + "HƯỚNG DẪN :\nQuản lý hồ sơ đảng viên\n" + BODY
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields["doc_type"] == "HƯỚNG DẪN"
    assert res.provenance["doc_type"]["rule"] == "title_line"
    assert res.fields["subject"] == "Quản lý hồ sơ đảng viên"


def test_glued_colon_line_is_not_a_title() -> None:
    text = ("UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Số: 15/QĐ-UBND Đà Lạt, ngày 05 tháng 01 năm 2020\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành.\n")
    res = extract.extract_fields([PageText(1, text)])
    assert res.provenance["doc_type"]["rule"] != "title_line"
    assert "subject" not in res.fields


def test_v_slash_needs_a_lower_case_subject_after_it() -> None:
    assert VV_LINE.match("V/ rà soát hồ sơ")
    assert not VV_LINE.match("V/ Ban Tổ chức")
    assert not VV_LINE.match("V/2020")
