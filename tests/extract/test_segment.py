"""Document boundaries: first-page signs inside files, file edges, series of scans, photos."""

from __future__ import annotations

import pytest

import extract
from core.models import PageText
from extract._segment import is_administrative, same_series

PARTY_FIRST = (
    "ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG CỘNG SẢN VIỆT NAM\nBAN TỔ CHỨC TỈNH ỦY\n"
    "Số 14-KH/BTCTU\nLâm Đồng, ngày 20 tháng 3 năm 2015\nKẾ HOẠCH\nrà soát hồ sơ đảng viên"
)
BODY = (
    "Các chi bộ tổ chức rà soát, thống kê, phân loại hồ sơ đảng viên theo từng chi bộ và "
    "báo cáo kết quả về Ban Tổ chức Tỉnh ủy trước ngày mười lăm tháng mười hai năm nay."
)
CONTINUED = "2\n" + BODY
ENGLISH = (
    "The quarterly report of the irrigation project was prepared by the consultants and "
    "submitted to the steering committee for their review and approval before the meeting."
)


def pages(*specs: tuple[str, str, int]) -> list[PageText]:
    return [PageText(i + 1, text, file=f, frame=n) for i, (text, f, n) in enumerate(specs)]


def test_series_of_single_page_scans():
    assert same_series("quyen/IMG_0041.jpg", "quyen/IMG_0042.jpg")
    assert same_series("hs_12_p1.png", "hs_12_p2.png")
    assert not same_series("hs_12_p2.png", "hs_13_p1.png")  # the next dossier starts
    assert not same_series("a/IMG_0041.jpg", "b/IMG_0042.jpg")  # another folder
    assert not same_series("IMG_0041.jpg", "IMG_0043.jpg")  # a page is missing
    assert not same_series("IMG_0041.jpg", "IMG_0042.pdf")
    assert not same_series("bao_cao.pdf", "ke_hoach.pdf")


def test_a_new_file_starts_a_document_without_a_header():
    # The second file's first page has no first-page sign (its header was unreadable): the
    # file edge is still a boundary, so it cannot inherit the first document's level.
    got = extract.split_documents(
        pages((PARTY_FIRST, "a.pdf", 0), (BODY, "a.pdf", 1), (BODY, "b.pdf", 0))
    )
    assert got == [[1, 2], [3]]


def test_a_page_numbered_above_one_continues_across_files():
    got = extract.split_documents(pages((PARTY_FIRST, "a.pdf", 0), (CONTINUED, "b.pdf", 0)))
    assert got == [[1, 2]]


def test_scans_of_one_volume_follow_the_pages_not_the_files():
    got = extract.split_documents(
        pages(
            (PARTY_FIRST, "IMG_0001.jpg", 0),
            (BODY, "IMG_0002.jpg", 0),
            (PARTY_FIRST, "IMG_0003.jpg", 0),
            (BODY, "IMG_0004.jpg", 0),
        )
    )
    assert got == [[1, 2], [3, 4]]


def test_inside_a_file_first_page_signs_decide():
    got = extract.split_documents(
        pages((PARTY_FIRST, "q.pdf", 0), (BODY, "q.pdf", 1), (PARTY_FIRST, "q.pdf", 2))
    )
    assert got == [[1, 2], [3]]


def test_a_foreign_paper_is_a_document_of_its_own():
    assert not is_administrative(PageText(1, ENGLISH))
    assert is_administrative(PageText(1, BODY))
    got = extract.split_documents(
        pages((PARTY_FIRST, "q.pdf", 0), (ENGLISH, "q.pdf", 1), (BODY, "q.pdf", 2))
    )
    assert got == [[1], [2], [3]]


def test_a_photo_is_alone_but_a_blank_back_stays():
    photo = PageText(2, "", file="q.pdf", frame=1, flags=("low_quality", "no_text"))
    blank = PageText(2, "", file="q.pdf", frame=1, flags=("blank_page",))
    first = PageText(1, PARTY_FIRST, file="q.pdf", frame=0)
    assert extract.split_documents([first, photo]) == [[1], [2]]
    assert extract.split_documents([first, blank]) == [[1, 2]]


@pytest.mark.parametrize(
    ("grouping", "want"), [("file", [[1, 2], [3], [4]]), ("dossier", [[1, 2, 3, 4]])]
)
def test_batch_grouping_options(grouping, want):
    specs = pages(
        (PARTY_FIRST, "a.pdf", 0),
        (PARTY_FIRST, "a.pdf", 1),
        (BODY, "b.pdf", 0),
        (PARTY_FIRST, "c.pdf", 0),
    )
    assert extract.split_documents(specs, grouping) == want


def test_a_secrecy_mark_is_a_first_page_sign():
    marked = "MẬT\nBÁO CÁO\nkết quả kiểm tra"  # mark 1 + type title 1 + header 2 would be 4
    assert extract.first_page_score(marked) >= 2


def test_a_page_the_scanner_garbled_stays_with_its_document():
    garbled = ":uðÁn 5ộn] ưeq “8uoqd 22 - 'AN LA :HT- (9/q) na TỒN ỌS - :2nA nựy an 289 IS -" * 2
    assert is_administrative(PageText(2, garbled))
    got = extract.split_documents(
        pages((PARTY_FIRST, "q.pdf", 0), (garbled, "q.pdf", 1), (BODY, "q.pdf", 2))
    )
    assert got == [[1, 2, 3]]


def test_specks_at_the_top_are_no_page_number():
    speck_top = "L2\n4$\n+\n" + BODY
    got = extract.split_documents(pages((PARTY_FIRST, "a.pdf", 0), (speck_top, "b.pdf", 0)))
    assert got == [[1], [2]]


CLOSING = (
    "hết nội dung.\nNơi nhận:\n- Như trên,\n- Lưu VT.\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nLê Văn An"
)
# A first page whose header OCR read as noise (a dirty drum over it): no first-page sign.
GARBLED_FIRST = (
    ", gì Qớ\n; t8 & tết\ni lJ năm 2017 š\ncà b %, ko phòng, chẩng dịeh nhận COVID. 198 jonet\n"
    + BODY
)


def test_a_page_after_a_closed_document_starts_the_next_even_without_a_readable_header():
    got = extract.split_documents(
        pages(
            (PARTY_FIRST, "quyen.pdf", 0),
            (CLOSING, "quyen.pdf", 1),
            (GARBLED_FIRST, "quyen.pdf", 2),
            (BODY, "quyen.pdf", 3),
        )
    )
    assert got == [[1, 2], [3, 4]]


@pytest.mark.parametrize(
    "closing",
    [
        CLOSING,
        # dev2-fit2: a seal over "Nơi nhận:" ("sẻ:"); its list's file copy still closes it.
        "sẻ:\n'k^\nHà -UBMTTQ và các đoàn thể,\n- Thường trực Tỉnh ủy (hb/c),\n“Lưu VT,\ntiện",
        "hết nội dung.\n- Sở Nội vụ (b/c);\n- Lưu: VT, NV.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn An",
    ],
)
def test_a_page_after_a_closed_document_starts_the_next_whatever_closed_it(closing: str):
    got = extract.split_documents(
        pages(
            (PARTY_FIRST, "quyen.pdf", 0),
            (closing, "quyen.pdf", 1),
            (GARBLED_FIRST, "quyen.pdf", 2),
        )
    )
    assert got == [[1, 2], [3]]


def test_a_file_copy_named_in_the_body_closes_nothing():
    body = BODY + "\nCác đơn vị lưu VT hồ sơ theo quy định."
    got = extract.split_documents(
        pages((PARTY_FIRST, "quyen.pdf", 0), (body, "quyen.pdf", 1), (BODY, "quyen.pdf", 2))
    )
    assert got == [[1, 2, 3]]


@pytest.mark.parametrize(
    "after",
    [
        "2\n" + BODY,  # page 2 at its top: the document goes on
        "",  # a sheet's blank back
        "Phụ lục kèm theo",  # a few words left over
    ],
)
def test_what_follows_a_closing_page_and_continues_stays(after: str):
    got = extract.split_documents(
        pages((PARTY_FIRST, "quyen.pdf", 0), (CLOSING, "quyen.pdf", 1), (after, "quyen.pdf", 2))
    )
    assert got == [[1, 2, 3]]


def test_a_heading_with_specks_between_its_words_still_starts_a_document():
    """dev2-fit doc_0018: a guide's first page under a dirty drum, after the minutes' last
    page (signed by its secretary, no ``Nơi nhận``), its heading read with a colon in it."""
    minutes_end = "NGƯỜI GHI BIÊN BẢN\nNguyễn Hữu Việt"
    guide = (
        "CỘNG HÒA: XÃ HỘI CHỦ NGHĨA VIỆT\nNAM #&.\nền 8⁄HD- UBND\n"
        "Đúc Trọng, ngày 22 tháng 7 năm 2013\nHƯỚNG DẪN\n" + BODY
    )
    got = extract.split_documents(
        pages((PARTY_FIRST, "m.pdf", 0), (minutes_end, "m.pdf", 1), (guide, "m.pdf", 2))
    )
    assert got == [[1, 2], [3]]
