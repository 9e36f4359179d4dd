"""The issuer code of a symbol read as the organ's initials (extract/_orgcode.py)."""

from __future__ import annotations

import pytest

from extract._orgcode import code_spells, committee_of, organ_under
from tests.extract.test_header_noise import _extract, _party_page


@pytest.mark.parametrize(
    ("code", "org"),
    [
        ("BDVTU", "BAN DÂN VẬN TỈNH ỦY LÂM ĐỒNG"),
        ("UBND", "ỦY BAN NHÂN DÂN HUYỆN CÁT TIÊN"),
        ("TTr", "THANH TRA TỈNH"),  # a capital and its small letters: one word
        ("SKHĐT", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"),  # VÀ has no letter in a code
        ("SLĐTBXH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"),
    ],
)
def test_a_code_spells_its_organ_by_initials(code: str, org: str) -> None:
    assert code_spells(code, org)


def test_a_code_does_not_spell_another_organ() -> None:
    assert not code_spells("BTCTU", "TỈNH ỦY LÂM ĐỒNG")
    assert not code_spells("HU", "TỈNH ỦY LÂM ĐỒNG")


@pytest.mark.parametrize(
    ("code", "read", "style", "organ"),
    [
        ("BTCTU", "TỈNH ỦY LÂM ĐỒNG", "party", "BAN TỔ CHỨC"),
        ("UBKTHU", "HUYỆN ỦY DI LINH", "party", "ỦY BAN KIỂM TRA"),
        ("BTCThU", "THÀNH ỦY ĐÀ LẠT", "party", "BAN TỔ CHỨC"),  # Th: one word, THÀNH
        ("VPTU", "TỈNH ỦY LÂM ĐỒNG", "party", "VĂN PHÒNG"),
        ("SYT", "UBND TỈNH LÂM ĐỒNG", "state", "SỞ Y TẾ"),
        ("STNMT", "SOAYGLE", "state", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
        # The read line is the organ itself, or the code's head names no organ of the lists,
        # or the code's tail is not the read superior's: nothing to say.
        ("TU", "TỈNH ỦY LÂM ĐỒNG", "party", None),
        ("BTCTU", "BAN TỔ CHỨC", "party", None),
        ("BXYZTU", "TỈNH ỦY LÂM ĐỒNG", "party", None),
        ("BTCHU", "TỈNH ỦY LÂM ĐỒNG", "party", None),
        ("PNV", "UBND HUYỆN LÂM HÀ", "state", None),
    ],
)
def test_the_organ_under_a_superior_read_alone(
    code: str, read: str, style: str, organ: str | None
) -> None:
    assert organ_under(code, read, style) == organ


def test_a_lost_organ_line_is_named_from_the_symbol() -> None:
    got = _extract(_party_page("TỈNH ỦY LÂM ĐỒNG", "", "Số 81-HD/BTCTU", "HƯỚNG DẪN"))
    assert (got.fields["issuer"], got.fields["parent_issuer"]) == (
        "BAN TỔ CHỨC",
        "TỈNH ỦY LÂM ĐỒNG",
    )
    assert got.provenance["issuer"]["rule"] == "issuer_from_symbol_code"
    # The organ's line read: the code agrees and nothing changes.
    read = _extract(_party_page("TỈNH ỦY LÂM ĐỒNG", "BAN TỔ CHỨC", "Số 81-HD/BTCTU", "HƯỚNG DẪN"))
    assert read.provenance["issuer"]["rule"] != "issuer_from_symbol_code"
    assert read.fields["issuer"] == "BAN TỔ CHỨC"


@pytest.mark.parametrize(
    ("code", "place", "name"),
    [
        ("HU", "Đức Trọng", "HUYỆN ỦY ĐỨC TRỌNG"),
        ("ThU", "Đà Lạt", "THÀNH ỦY ĐÀ LẠT"),
        ("TU", "Lâm Đồng", "TỈNH ỦY LÂM ĐỒNG"),
        ("ĐU", "Hòa Nam", None),  # a commune's or a bloc's: not one committee
        ("BTCTU", "Lâm Đồng", None),  # an organ's code
        ("HU", "", None),
        ("HU", "Lâm Đồng", None),  # a province's name: no Huyện ủy is named so
        ("TU", "Đà Lạt", None),  # a city's: no Tỉnh ủy
    ],
)
def test_a_bare_committee_code_names_the_committee_of_the_place(
    code: str, place: str, name: str | None
) -> None:
    assert committee_of(code, place) == name


def test_a_lost_committee_line_is_named_from_code_and_place() -> None:
    got = _extract(_party_page("", "nu ẽnn nan", "Số 5-CT/ThU", "CHỈ THỊ"))
    assert got.fields["issuer"] == "THÀNH ỦY ĐÀ LẠT"
    assert got.provenance["issuer"]["rule"] == "issuer_from_committee_code"
    # A committee line read stays as read.
    read = _extract(_party_page("", "THÀNH ỦY ĐÀ LẠT", "Số 5-CT/ThU", "CHỈ THỊ"))
    assert read.provenance["issuer"]["rule"] != "issuer_from_committee_code"
