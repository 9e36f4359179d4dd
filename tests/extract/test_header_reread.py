"""A first-page header the page's OCR lost, read again from its band (extract._reheader)."""

from __future__ import annotations

import extract
from core.models import PageText
from extract._calibrate import family, load_map
from tests.extract._pages import two_column_page

# Readings of a streaked band: debris before the lines, "năm" garbled past recognition.
STREAKED = [
    "j§ . LÍNH ỦY LẤM ý làn       ĐANG CỘNG SẢN VIỆT #4",
    "b         Số 6-KH/TU nễ        Lâm Đồng, ngày 22 tháng 05 nh 2013 '§-",
    "ki        Số 6-KH/TU Ề        Lâm Đồng, ngày 22 tháng.05 ni: 2013 §-",
]


def _headless_page(page_id: int = 7) -> PageText:
    """A first page whose header lines OCR lost: streak debris, then the title and body."""
    page = two_column_page(
        [
            ("ỳ Ñ", "ị ‡"),
            ("KẾ HOẠCH", ""),
            ("Xử lý các vụ phá rừng, lấn chiếm đất lâm nghiệp", ""),
            ("Thực hiện nhiệm vụ năm 2013, Ban Thường vụ Tỉnh ủy xây dựng kế hoạch:", ""),
        ],
        page_id=page_id,
    )
    return PageText(page_id, "", page.words, width=1654, height=2339)


def test_a_lost_header_is_read_again_from_the_band_above_the_title() -> None:
    asked: list[tuple[int, tuple[int, int, int, int]]] = []

    def reader(page_id: int, box: tuple[int, int, int, int]) -> list[str]:
        asked.append((page_id, box))
        return STREAKED

    plain = extract.extract_fields([_headless_page()])
    assert not {"symbol", "number", "date", "place"} & set(plain.fields)
    res = extract.extract_fields([_headless_page()], band_reader=reader)
    assert res.fields["symbol"] == "6-KH/TU" and res.fields["number"] == "6"
    assert res.fields["date"] == "2013-05-22" and res.fields["place"] == "Lâm Đồng"
    # The whole width, from the top down to the title (the row at y 150).
    assert asked == [(7, (0, 0, 1654, 150))]
    cmap = load_map()
    assert cmap is not None
    for key in ("symbol", "number", "date", "place"):
        assert res.provenance[key]["rule"].startswith("header_reread")
        # Named apart, so the calibration map weighs these rules on their own (on the three
        # calibration sets their values were 33 right of 34): the shown confidence is the
        # map's, the raw one is kept beside it, and a rule the map has no weight for (too
        # rare there: this party symbol's) is held below the gate.
        assert res.provenance[key]["raw_confidence"] != res.confidence[key]
        weighed = f"rule={family(key)}:{res.provenance[key]['rule']}" in cmap.weights
        assert weighed or res.confidence[key] < 0.9, key


def test_one_reading_alone_or_readings_that_disagree_are_not_taken() -> None:
    alone = extract.extract_fields([_headless_page()], band_reader=lambda p, b: STREAKED[:2])
    assert not {"symbol", "date"} & set(alone.fields)
    differ = [
        "Số 6-KH/TUS    Lâm Đồng, ngày 22 tháng 05 năm 2013",
        "Số 6-KH/TUẾ    Lâm Đồng, ngày 22 tháng 05 năm 2012",
    ]
    res = extract.extract_fields([_headless_page()], band_reader=lambda p, b: differ)
    # The codes differ in a letter and the years in a digit: only the number, printed large
    # at the start, is agreed on.
    assert "symbol" not in res.fields and "date" not in res.fields
    assert res.fields["number"] == "6"
    assert res.provenance["number"]["rule"] == "header_reread_number"


def test_a_header_read_on_the_page_is_not_read_again() -> None:
    page = two_column_page(
        [
            ("TỈNH ỦY LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM"),
            ("Số 6-KH/TU", "Lâm Đồng, ngày 22 tháng 5 năm 2013"),
            ("KẾ HOẠCH", ""),
            ("Xử lý các vụ phá rừng, lấn chiếm đất lâm nghiệp", ""),
        ]
    )

    def reader(page_id: int, box: tuple[int, int, int, int]) -> list[str]:
        raise AssertionError("the header was read")

    res = extract.extract_fields([page], band_reader=reader)
    assert res.fields["symbol"] == "6-KH/TU" and res.fields["date"] == "2013-05-22"


def test_a_mark_standing_alone_in_a_band_reading_counts() -> None:
    # dev2-fit doc_0060's boxed TỐI MẬT: neither the page's OCR nor the mark reader saw it;
    # one reading of the lost header's band has it alone in its cell, run together.
    readings = [
        "Số:11537//TTr;SÝT      Lñim(ĐồinganigàiJ21{HiáiisjJ6|riăin‡201#\n1 sslTÔHMATN,  —",
        "Só:I1537//TTr;SÝT      1ầim(Đồngansài/J21{Hiáiie\nmm       TÔIMẬT       KHẨN]",
    ]
    res = extract.extract_fields([_headless_page()], band_reader=lambda p, b: readings)
    assert res.fields["secrecy"] == "TỐI MẬT" and res.fields["urgency"] == "KHẨN"
    assert res.provenance["secrecy"]["rule"] == "mark_band_reread"
    assert res.confidence["secrecy"] < 0.9  # never auto-accepted from one noisy reading
    # Prose and debris in the cells are no mark.
    plain = ["bảo vệ bí mật nhà nước      ĐẢNG CỘNG SẢN VIỆT NAM\nsslTÔHMATN"] * 2
    res = extract.extract_fields([_headless_page()], band_reader=lambda p, b: plain)
    assert res.fields["secrecy"] == ""
