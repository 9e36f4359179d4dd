"""Extraction rules on text fixtures: symbols, dates, headers, marks, signatures, profiles."""

from __future__ import annotations

import pytest

import extract
from core import fields
from core.models import OcrWord, PageText
from extract._validate import make_date

PARTY_SYMBOLS = [
    "36-HD/VPTW",
    "11-HD/VPTW",
    "01-HD/VPTW",
    "31-QĐ/TW",
    "91-QĐ/TW",
    "08-QĐi/TW",
    "205-QĐ/TW",
    "101-QĐ/TW",
    "29-QĐ/TW",
    "01-HD/TW",
    "09-HD/BTCTW",
    "12-HD/BTCTW",
    "05-CT/TW",
    "29-CT/TW",
    "64-CV/TW",
    "14514-CV/VPTW",
    "127-QĐ/TW",
    "24-BS/UBKTTU",
    "26-HD/ĐU",
    "15-HD/ĐUK",
    "05-KH/BTCTU",
    "02-HD/QU",
    "57-NQ/TW",
    "204-QĐ/TW",
    "14-KH/BTCTU",
    "04-QyĐ/ĐU",
]
STATE_SYMBOLS = [
    "30/2020/NĐ-CP",
    "02/2019/TT-BNV",
    "01/2019/TT-BNV",
    "01/2011/TT-BNV",
    "05/2025/TT-BNV",
    "13/2023/NĐ-CP",
    "34/2017/NĐ-CP",
    "01/2013/NĐ-CP",
    "111/2004/NĐ-CP",
    "28/2018/QĐ-TTg",
    "89/2009/QĐ-TTg",
    "55/2005/TTLT-BNV-VPCP",
    "666/2015/QĐ-UBND",
    "155/QĐ-BGDĐT",
    "2500/QĐ-BGDĐT",
    "1893/QĐ-ĐDN",
    "93/QĐ-KTNN",
    "6085/QĐ-BYT",
    "15/QĐ-BNV",
    "05/BNV-VP",
    "12/UBND-VX",
    "2975/UBND-KSTT",
    "879/VTLTNN-NVĐP",
    "678/BTL-CT",
    "29/2018/QH14",
]


@pytest.mark.parametrize("symbol", PARTY_SYMBOLS)
def test_party_symbols_parse(symbol: str) -> None:
    parts = extract.parse_symbol(symbol)
    assert parts["style"] == "party"
    assert parts["number"] == symbol.split("-")[0]
    assert parts["type"] == symbol.split("-")[1].split("/")[0]


@pytest.mark.parametrize("symbol", STATE_SYMBOLS)
def test_state_symbols_parse(symbol: str) -> None:
    parts = extract.parse_symbol(symbol)
    assert parts["style"] == "state"
    assert parts["number"] == symbol.split("/")[0]


def test_state_symbol_type_and_cong_van() -> None:
    assert extract.parse_symbol("30/2020/NĐ-CP")["year"] == 2020
    assert extract.parse_symbol("155/QĐ-BGDĐT")["type"] == "QĐ"
    assert extract.parse_symbol("12/UBND-VX")["type"] == ""  # công văn: no type


def test_normalize_symbol_lookalikes_only_in_number() -> None:
    assert extract.normalize_symbol("I4 - KH / BTCTU") == "14-KH/BTCTU"
    assert extract.normalize_symbol("1O5/QÐ–UBND") == "105/QĐ-UBND"
    assert extract.normalize_symbol("08-QĐi/TW") == "08-QĐi/TW"  # the i of QĐi stays


def test_symbol_title_agreement() -> None:
    assert extract.symbol_agrees("KẾ HOẠCH", "KH", "party")
    assert extract.symbol_agrees("QUY ĐỊNH", "QĐi", "party")
    assert extract.symbol_agrees("QUY ĐỊNH", "QĐ", "party")
    assert extract.symbol_agrees("CÔNG VĂN", "", "state")
    assert not extract.symbol_agrees("KẾ HOẠCH", "BC", "party")


def test_dates_validated() -> None:
    assert make_date("20", "3", "2015") == ("2015-03-20", "")
    assert make_date("3O", "4", "2O18") == ("2018-04-30", "")
    assert make_date("31", "2", "2015") == (None, "date_invalid")
    assert make_date("1", "1", "1890")[1] == "date_implausible"


PARTY_TEXT = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN TỔ CHỨC TỈNH ỦY
*
Số 14-KH/BTCTU Lâm Đồng, ngày 20 tháng 3 năm 2015
MẬT
KẾ HOẠCH
Kiểm tra công tác đảng viên năm 2015
Căn cứ Quy định số 29-QĐ/TW ngày 25/7/2016 của Ban Chấp hành Trung ương;
Việc bảo vệ bí mật nhà nước thực hiện theo quy định.
"""
PARTY_LAST = """hết nội dung.
Nơi nhận: K/T TRƯỞNG BAN
- Ban Thường vụ Tỉnh ủy (b/c), PHÓ TRƯỞNG BAN
- Các huyện ủy,
- Lưu VT.
Nguyễn Văn An
"""


def test_party_document_from_text() -> None:
    res = extract.extract_fields([PageText(1, PARTY_TEXT), PageText(2, PARTY_LAST)])
    f = res.fields
    assert res.kind == "party_document"
    assert f["doc_type"] == "KẾ HOẠCH"
    assert (f["number"], f["symbol"]) == ("14", "14-KH/BTCTU")
    assert (f["issuer"], f["parent_issuer"]) == ("BAN TỔ CHỨC TỈNH ỦY", "ĐẢNG BỘ TỈNH LÂM ĐỒNG")
    assert (f["place"], f["date"]) == ("Lâm Đồng", "2015-03-20")
    assert f["subject"] == "Kiểm tra công tác đảng viên năm 2015"
    assert f["secrecy"] == "MẬT"
    assert f["signing_authority"] == "K/T TRƯỞNG BAN"
    assert f["signer_title"] == "PHÓ TRƯỞNG BAN"
    assert f["signer_name"] == "Nguyễn Văn An"
    assert f["recipients"] == ["Ban Thường vụ Tỉnh ủy (b/c),", "Các huyện ủy,", "Lưu VT."]
    assert f["page_count"] == 2
    assert res.provenance["symbol"]["page"] == 1
    assert res.provenance["signer_name"]["page"] == 2
    assert 0 < res.confidence["symbol"] <= 1
    assert res.provenance["_flags"]["flags"] == []


def test_ocr_diacritic_errors_tolerated() -> None:
    text = PARTY_TEXT.replace("ĐẢNG CỘNG SẢN", "ĐÁNG GỘNG SẢN").replace("TỔ CHỨC", "TỐ CHỨC")
    text = text.replace("KẾ HOẠCH", "KÉ HOẠCH")
    res = extract.extract_fields([PageText(1, text)])
    assert res.kind == "party_document"
    assert res.fields["doc_type"] == "KẾ HOẠCH"
    assert res.fields["issuer"] == "BAN TỔ CHỨC TỈNH ỦY"


def test_symbol_title_mismatch_is_flagged_not_fixed() -> None:
    res = extract.extract_fields([PageText(1, PARTY_TEXT.replace("14-KH/", "14-BC/"))])
    assert res.fields["symbol"] == "14-BC/BTCTU"
    codes = [x["code"] for x in res.provenance["_flags"]["flags"]]
    assert "symbol_type_mismatch" in codes
    assert "symbol_type_mismatch" in res.provenance["symbol"]["flags"]


def test_state_cong_van_old_tone_urgency() -> None:
    text = """UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc
Số: 05/SNV-VP Đà Lạt, ngày 05 tháng 01 năm 2020
HOẢ TỐC
V/v rà soát hồ sơ cán bộ
Kính gửi: Các phòng chuyên môn
"""
    res = extract.extract_fields([PageText(7, text)])
    f = res.fields
    assert res.kind == "state_document"
    assert (f["issuer"], f["parent_issuer"]) == ("SỞ NỘI VỤ", "UBND TỈNH LÂM ĐỒNG")
    assert (f["doc_type"], f["subject"]) == ("CÔNG VĂN", "rà soát hồ sơ cán bộ")
    assert (f["place"], f["date"], f["symbol"]) == ("Đà Lạt", "2020-01-05", "05/SNV-VP")
    assert f["urgency"] == "HỎA TỐC"
    assert f["secrecy"] == ""


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("TỐI MẬT", "TỐI MẬT"),
        ("|TUYỆT MẬT|", "TUYỆT MẬT"),
        ("[MẬT]", "MẬT"),
        ("bảo vệ bí mật nhà nước", ""),
        ("Mật", ""),
        ("MẬT khẩu hệ thống", ""),
    ],
)
def test_secrecy_mark_must_stand_alone(line: str, level: str) -> None:
    text = PARTY_TEXT.replace("MẬT\n", "").replace("Việc bảo vệ", line + "\nViệc bảo vệ")
    assert extract.extract_fields([PageText(1, text)]).fields["secrecy"] == level


@pytest.mark.parametrize(
    ("read", "level"),
    [
        ("qMẬT”", "MẬT"),  # the box's left stroke read as a letter
        ("TỐI MẬTl", "TỐI MẬT"),
        ("|TUYỆT MẬT|", "TUYỆT MẬT"),
        ("aMẬT khẩu", ""),
        ("bí mật", ""),
        ("qmật", ""),
    ],
)
def test_a_frame_stroke_read_as_a_letter_does_not_hide_a_mark(read: str, level: str) -> None:
    assert extract.mark_level(read) == level


@pytest.mark.parametrize(
    ("line", "secrecy", "urgency"),
    [("TỐIMẬT", "TỐI MẬT", ""), ("TUYỆTMẬT", "TUYỆT MẬT", ""), ("HỎATỐC", "", "HỎA TỐC")],
)
def test_a_mark_read_with_its_words_run_together(line: str, secrecy: str, urgency: str) -> None:
    # The patterns let the space go; the level lookup raised KeyError on such a line, and the
    # whole document's extraction with it.
    text = f"ỦY BAN KIỂM TRA\nSố: 12/CT-UBKT\n{line}\nCHỈ THỊ\nVề việc kiểm tra\nNội dung."
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields.get("secrecy", "") == secrecy
    assert res.fields.get("urgency", "") == urgency


@pytest.mark.parametrize(
    ("line", "secrecy"),
    [
        ("TỘIMẬT ” 'zjy", "TỐI MẬT"),  # the box's strokes and specks read as small letters
        ("TUYỆT MẬT .. sjq", "TUYỆT MẬT"),
        ("MẬT khẩu", ""),  # a word after it: prose, not a mark
    ],
)
def test_a_mark_followed_by_specks_in_the_header(line: str, secrecy: str) -> None:
    text = f"ỦY BAN KIỂM TRA\nSố: 12/CT-UBKT\n{line}\nCHỈ THỊ\nVề việc kiểm tra\nNội dung."
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields.get("secrecy", "") == secrecy
    # Below the header, in the body, such a line is no mark.
    body = "ỦY BAN KIỂM TRA\nSố: 12/CT-UBKT\nCHỈ THỊ\nVề việc kiểm tra\nNội dung.\n" + line
    assert extract.extract_fields([PageText(1, body)]).fields.get("secrecy", "") == ""


def test_secret_words_in_an_issuer_name_are_not_a_mark() -> None:
    text = PARTY_TEXT.replace("MẬT\n", "").replace(
        "BAN TỔ CHỨC TỈNH ỦY", "BAN CHỈ ĐẠO BẢO VỆ BÍ MẬT NHÀ NƯỚC"
    )
    assert extract.extract_fields([PageText(1, text)]).fields["secrecy"] == ""
    merged = PARTY_TEXT.replace("MẬT\n", "").replace("BTCTU Lâm", "BTCTU TỐI MẬT Lâm")
    assert extract.extract_fields([PageText(1, merged)]).fields["secrecy"] == "TỐI MẬT"


def _w(text: str, left: int, top: int, line: int, conf: float = 95.0) -> OcrWord:
    return OcrWord(text, conf, left, top, 22 * len(text), 30, 1, 1, line)


def _words(row: list[tuple[str, int]], top: int, line: int) -> list[OcrWord]:
    return [_w(t, x, top, line) for t, x in row]


HEADER_WORDS = (
    _words([("SỞ", 100), ("NỘI", 160), ("VỤ", 240), ("Độc", 900), ("lập", 990)], 100, 1)
    + _words(
        [
            ("Số:", 120),
            ("12/UBND-VX", 200),
            ("Hà", 900),
            ("Nội,", 960),
            ("ngày", 1060),
            ("3", 1170),
            ("tháng", 1200),
            ("4", 1340),
            ("năm", 1380),
            ("2018", 1470),
        ],
        160,
        2,
    )
    + _words([("CHỈ", 600), ("THỊ", 700)], 260, 3)
    + _words([("Về", 450), ("công", 520), ("tác", 640), ("văn", 720), ("thư", 800)], 310, 4)
    + _words(
        [
            ("Căn", 100),
            ("cứ", 200),
            ("Luật", 260),
            ("Lưu", 400),
            ("trữ", 480),
            ("năm", 560),
            ("2011", 640),
            ("quy", 760),
            ("định", 840),
            ("việc", 960),
            ("lưu", 1080),
            ("trữ", 1160),
            ("tài", 1240),
            ("liệu", 1320),
        ],
        420,
        5,
    )
)


def test_word_boxes_split_columns_and_give_provenance() -> None:
    calls: list[tuple[int, tuple[int, int, int, int]]] = []

    def reader(page: int, box: tuple[int, int, int, int]) -> list[str]:
        calls.append((page, box))
        return ["|TỐI MẬT"]

    res = extract.extract_fields([PageText(3, "", tuple(HEADER_WORDS))], mark_reader=reader)
    f = res.fields
    assert f["issuer"] == "SỞ NỘI VỤ"
    assert (f["place"], f["date"]) == ("Hà Nội", "2018-04-03")
    assert f["symbol"] == "12/UBND-VX"
    assert (f["doc_type"], f["subject"]) == ("CHỈ THỊ", "Về công tác văn thư")
    assert res.provenance["issuer"]["box"] == [100, 100, 184, 30]
    assert res.provenance["symbol"]["box"][0] == 200  # the symbol word, not "Số:"
    assert f["secrecy"] == "TỐI MẬT" and res.provenance["secrecy"]["rule"] == "mark_reread"
    assert calls and calls[0][0] == 3 and calls[0][1][3] >= 290
    flags = {x["code"] for x in res.provenance["_flags"]["flags"]}
    assert "symbol_type_mismatch" in flags  # CHỈ THỊ with a công văn symbol


def test_profile_form_fields() -> None:
    text = """Mẫu 2-HSĐV
ĐẢNG CỘNG SẢN VIỆT NAM
PHIẾU ĐẢNG VIÊN:
1. Họ và tên đang dùng: NGÔ THANH NAM.
2. Giới tính:Nữ — -
3. Ngày, tháng, năm sinh: 06/01/1963 .
. Nơi si) xã Đức Thọ, huyện Đức Thọ,.tỉnh Hà Tĩnh
5. Quê quán: xã Đạ Sar, huyện Lạc Dương, tỉnh Lâm Đồng .
6. Nơi.ở hiện nay: xã Lát, huyện Lạc Dương
7. Dân tộc: Kiñh
8. Tôn gIáO: Không
9. Nghề nghiệp, chức vụ hiện nay: Chuyên viên Văn phòng Tỉnh ủy .
10. Ngày vào Đảng: 3103/2001 _
11. Ngày chính thức: 13/12/1988 .
12. Số thẻ đảng viên: 44.610162 .
"""
    last = "Lâm Đồng, ngày 18 tháng 1 năm 2015\nNGƯỜI KHAI\nLá an\nBùï ThịNam\n"
    res = extract.extract_fields([PageText(1, text), PageText(2, last)])
    p = res.fields["profile"]
    assert res.kind == "profile" and res.fields["doc_type"] == "PHIẾU ĐẢNG VIÊN"
    assert p["ho_ten"] == "NGÔ THANH NAM" and p["gioi_tinh"] == "Nữ"
    assert p["ngay_sinh"] == "1963-01-06" and p["ngay_vao_dang"] == "2001-03-31"
    assert p["noi_sinh"] == "xã Đức Thọ, huyện Đức Thọ, tỉnh Hà Tĩnh"
    assert p["noi_o"] == "xã Lát, huyện Lạc Dương" and p["dan_toc"] == "Kinh"
    assert p["ton_giao"] == "Không" and p["so_the_dang_vien"] == "44.610162"
    assert p["nghe_nghiep"] == "Chuyên viên Văn phòng Tỉnh ủy"
    assert res.fields["signer_name"] == "Bùi Thị Nam"
    assert res.provenance["profile.ngay_vao_dang"]["rule"] == "form_label"


def test_split_documents_across_files() -> None:
    cont = "tiếp theo nội dung của văn bản trước, các đơn vị thực hiện.\n- 2 -\n"
    state = PARTY_TEXT.replace("ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    profile = "SƠ YẾU LÝ LỊCH\n1. Họ và tên: A\n"
    profile_end = "Lâm Đồng, ngày 2 tháng 1 năm 2024\nNGƯỜI KHAI\nBùi Thị Lan\n"
    pages = [
        PageText(i, t)
        for i, t in enumerate(
            [PARTY_TEXT, cont, PARTY_LAST, state, profile, profile_end, PARTY_TEXT], start=1
        )
    ]
    assert extract.split_documents(pages) == [[1, 2, 3], [4], [5, 6], [7]]


def test_empty_input() -> None:
    assert extract.split_documents([]) == []
    res = extract.extract_fields([])
    assert res.kind == "other" and res.fields == {}


def test_extraction_reads_the_one_field_table() -> None:
    assert tuple(f"profile.{k}" for k in extract.PROFILE_KEYS) == tuple(
        f.key for f in fields.FIELDS if f.profile_key
    )


CLOSING_WORDS = (
    _words(
        [
            ("Điều", 100),
            ("3.", 200),
            ("Các", 260),
            ("đơn", 340),
            ("vị", 420),
            ("thi", 480),
            ("hành", 560),
            ("quyết", 680),
            ("định", 800),
            ("này", 900),
            ("từ", 1000),
            ("ngày", 1080),
            ("ký", 1200),
        ],
        100,
        1,
    )
    + _words([("Nơi", 100), ("nhận:", 180)], 200, 2)
    + _words([("-", 100), ("Như", 130), ("Điều", 220), ("3;", 320)], 240, 3)
    + _words([("-", 100), ("Lưu:", 130), ("VT.", 240)], 280, 4)
)


def test_signature_reread_when_the_seal_hid_it() -> None:
    asked: list[tuple[int, tuple[int, int, int, int]]] = []

    def reader(page: int, box: tuple[int, int, int, int]) -> list[str]:
        asked.append((page, box))
        return ["GIẢM ĐÓC", "C2 3<«z-", "Nguyễn Ngọc Trang"]

    page = PageText(9, "", tuple(CLOSING_WORDS))
    plain = extract.extract_fields([page])
    assert "signer_name" not in plain.fields
    res = extract.extract_fields([page], line_reader=reader)
    assert res.fields["signer_title"] == "GIÁM ĐỐC"
    assert res.fields["signer_name"] == "Nguyễn Ngọc Trang"
    assert res.fields["recipients"] == ["Như Điều 3;", "Lưu: VT."]
    assert res.provenance["signer_name"]["rule"] == "signature_reread_name_last"
    assert asked[0][0] == 9 and asked[0][1][1] < 200  # starts at the "Nơi nhận" row


def _two_columns(page_id: int, rows: list[tuple[str, str]]) -> PageText:
    """A page of two columns (left at x=100, right at x=900), one row per 50 px."""
    words = tuple(
        _w(t, x0 + 100 * i, 100 + 50 * n, n)
        for n, (left, right) in enumerate(rows)
        for x0, col in ((100, left), (900, right))
        for i, t in enumerate(col.split())
    )
    return PageText(page_id, "", words)


def test_reread_replaces_a_name_with_lowercase_words() -> None:
    rows = [
        ("hết nội dung của văn bản này và các phụ lục kèm theo", ""),
        ("Nơi nhận:", "K/T TRƯỞNG BAN"),
        ("- Các huyện ủy,", "PHÓ TRƯỞNG BAN"),
        ("- Lưu VT.", ""),
        ("", "Ngồ hu Nga"),
    ]
    page = _two_columns(4, rows)
    plain = extract.extract_fields([page])
    # Without a re-read the first read stays; only its surname is repaired, and flagged.
    assert plain.fields["signer_name"] == "Ngô hu Nga"
    assert plain.provenance["signer_name"]["rule"] == "signature_name_unsure+surname_model"
    assert "repaired" in plain.provenance["signer_name"]["flags"]
    res = extract.extract_fields([page], line_reader=lambda p, b: ["Ngô Thu Nga"])
    assert res.fields["signer_name"] == "Ngô Thu Nga"


def test_declarant_name_reconciled_from_its_two_prints() -> None:
    def row(text: str, top: int, line: int, low: str = "") -> list[OcrWord]:
        return [
            _w(t, 100 + 130 * i, top, line, 30.0 if t == low else 95.0)
            for i, t in enumerate(text.split())
        ]

    first = (
        row("SƠ YẾU LÝ LỊCH", 100, 1)
        + row("1. Họ và tên: PHAM HỒNG LAN", 160, 2, "PHAM")
        + row("2. Giới tính: Nữ", 220, 3)
    )
    last = row("NGƯỜI KHAI", 100, 1) + row("Phạm Hồng Lan", 300, 2)
    res = extract.extract_fields([PageText(1, "", tuple(first)), PageText(2, "", tuple(last))])
    assert res.fields["profile"]["ho_ten"] == "PHẠM HỒNG LAN"
    assert res.fields["signer_name"] == "Phạm Hồng Lan"
    assert res.provenance["profile.ho_ten"]["rule"] == "form_label+signature_name"


def test_decision_subject_stops_at_the_authority_line() -> None:
    # In a QUYẾT ĐỊNH the issuing authority, in capitals, follows the subject (trích yếu).
    text = """UBND TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ Độc lập - Tự do - Hạnh phúc
Số: 1234/QĐ-SNV Lâm Đồng, ngày 11 tháng 3 năm 2020
QUYẾT ĐỊNH
Về việc phê duyệt Kế hoạch tuyên truyền thực hiện
nếp sống văn minh trong lễ hội năm 2020
GIÁM ĐỐC SỞ NỘI VỤ TỈNH LÂM ĐỒNG
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Kế hoạch kèm theo Quyết định này."""
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields["doc_type"] == "QUYẾT ĐỊNH"
    assert res.fields["subject"] == (
        "Về việc phê duyệt Kế hoạch tuyên truyền thực hiện nếp sống văn minh trong lễ hội năm 2020"
    )


def test_decision_subject_in_word_boxes_stops_at_the_centred_authority_line() -> None:
    words = (
        HEADER_WORDS[:12]
        + _words([("QUYẾT", 560), ("ĐỊNH", 720)], 260, 3)
        + _words(
            [("Về", 430), ("việc", 490), ("phê", 590), ("duyệt", 670), ("kế", 810), ("hoạch", 870)],
            310,
            4,
        )
        + _words(
            [
                ("GIÁM", 420),
                ("ĐỐC", 530),
                ("SỞ", 620),
                ("NỘI", 680),
                ("VỤ", 760),
                ("TỈNH", 820),
                ("LÂM", 930),
                ("ĐỒNG", 1010),
            ],
            360,
            5,
        )
        + HEADER_WORDS[-14:]
    )
    res = extract.extract_fields([PageText(3, "", tuple(words))])
    assert res.fields["doc_type"] == "QUYẾT ĐỊNH"
    assert res.fields["subject"] == "Về việc phê duyệt kế hoạch"


def test_birth_name_form_dated_at_its_foot_with_photo_specks_dropped() -> None:
    # The 2C form asks only for the birth name; the photo frame beside the lines reads as
    # specks; the form is dated where the declarant signs, OCR reading 11 as "II".
    text = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SƠ YẾU LÝ LỊCH
1. Họ và tên khai sinh: ĐINH THỊ NGỌC HUYỀN :
3. Giới tính: Nữ.
8. Dân tộc: Kinh . Lm
9. Tôn giáo: Không . Lm
10. Trình độ giáo dục phổ thông: 12/12...
"""
    last = (
        "Tôi xin cam đoan\nLâm Đồng, ngày 25 tháng II năm 2016\n' NGƯỜI KHAI\nĐinh Thị Ngọc Huyền"
    )
    res = extract.extract_fields([PageText(1, text), PageText(2, last)])
    p = res.fields["profile"]
    assert p["ho_ten"] == p["ho_ten_khai_sinh"] == "ĐINH THỊ NGỌC HUYỀN"
    assert res.provenance["profile.ho_ten"]["rule"] == "form_label_birth_name"
    assert (p["dan_toc"], p["ton_giao"], p["trinh_do_pho_thong"]) == ("Kinh", "Không", "12/12")
    assert (res.fields["place"], res.fields["date"]) == ("Lâm Đồng", "2016-11-25")


def _dated_page(date_line: str) -> PageText:
    rows = [
        ("UBND HUYỆN ĐAM RÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Số: 3330/CTr-UBND", date_line),
        ("CHƯƠNG TRÌNH", ""),
        ("Công tác phòng, chống thiên tai năm 2023", ""),
    ]
    return _two_columns(5, rows)


def test_a_date_digit_ocr_could_not_read_is_read_again_from_its_line() -> None:
    page = _dated_page("Đam Rông, ngày 14 tháng Š năm 2023")
    plain = extract.extract_fields([page])
    assert "date" not in plain.fields and plain.fields["place"] == "Đam Rông"
    assert any(f["code"] == "date_unreadable" for f in plain.provenance["_flags"]["flags"])
    asked: list[tuple[int, tuple[int, int, int, int]]] = []

    def reader(page_id: int, box: tuple[int, int, int, int]) -> list[str]:
        asked.append((page_id, box))
        # Readings in turn: the same slip, a misread day (must not be taken), the right one.
        return [
            "Đam Rông, ngày 14 tháng Š năm 2023",
            "Đam Rông, ngày 16 tháng 8 năm 2023",
            "Đam Rông, ngày 14 tháng 8 năm 2023",
        ]

    res = extract.extract_fields([page], line_reader=reader)
    assert res.fields["date"] == "2023-08-14"
    assert res.provenance["date"]["rule"] == "date_reread" and res.confidence["date"] < 0.9
    assert not any(f["field"] == "date" for f in res.provenance["_flags"]["flags"])
    # The date line was asked for (after the signature column), with about a line's margin.
    page_id, (left, top, width, height) = asked[-1]
    assert page_id == 5 and top < 150 < top + height < 250 and left < 900


def test_a_reread_that_contradicts_the_readable_digits_is_not_taken() -> None:
    page = _dated_page("Đam Rông, ngày 14 tháng Š năm 2023")
    res = extract.extract_fields(
        [page], line_reader=lambda p, b: ["Đam Rông, ngày 16 tháng 8 năm 2023"]
    )
    assert "date" not in res.fields
    assert any(f["code"] == "date_unreadable" for f in res.provenance["_flags"]["flags"])
    readable = extract.extract_fields([_dated_page("Đam Rông, ngày 14 tháng 8 năm 2023")])
    assert readable.fields["date"] == "2023-08-14"
    assert readable.provenance["date"]["rule"] != "date_reread"


def test_an_authority_line_set_above_the_recipients_belongs_to_the_signature() -> None:
    page = _two_columns(
        6,
        [
            ("Ban Dân vận Tỉnh ủy kính trình Thường trực Tỉnh ủy xem xét.", ""),
            ("", "K/T TRƯỞNG BAN"),
            ("Nơi nhận:", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"),
            ("- Như trên,", ""),
            ("- Lưu VT.", ""),
            ("", "Hồ Ngọc Trâm"),
        ],
    )
    res = extract.extract_fields([page])
    assert res.fields["signing_authority"] == "K/T TRƯỞNG BAN"
    assert res.fields["signer_title"] == "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"
    assert res.fields["signer_name"] == "Hồ Ngọc Trâm"
    assert res.fields["recipients"] == ["Như trên,", "Lưu VT."]
    # Far above the recipients (the body's right column), such a line is not the signature's.
    rows = [("", "K/T TRƯỞNG BAN")] + [("nội dung văn bản", "")] * 6
    rows += [("Nơi nhận:", "PHÓ TRƯỞNG BAN"), ("- Lưu VT.", ""), ("", "Hồ Ngọc Trâm")]
    far = extract.extract_fields([_two_columns(7, rows)])
    assert not far.fields.get("signing_authority")


def test_form_signer_under_any_role_line_past_the_instruction() -> None:
    # An application names its signer "NGƯỜI LÀM ĐƠN", with the instruction to sign below it.
    text = (
        "ĐẢNG CỘNG SẢN VIỆT NAM\nĐƠN XIN VÀO ĐẢNG\nTôi là: Ma Đoan\nSinh ngày: 22/03/1963\n"
        "Dân tộc: Churu\nBảo Lộc, ngày 06 tháng 12 năm 2010\nNGƯỜI LÀM ĐƠN\n"
        "(Ký, ghi rõ họ tên)\nMa Đoan\n"
    )
    res = extract.extract_fields([PageText(1, text)])
    assert res.kind == "profile" and res.fields["doc_type"] == "ĐƠN XIN VÀO ĐẢNG"
    assert res.fields["signer_name"] == "Ma Đoan"
    assert res.provenance["signer_name"]["rule"] == "declarant_name"
    # A sentence that starts with "Người" is not a role line (the name may come from elsewhere).
    body = text.replace(
        "NGƯỜI LÀM ĐƠN\n(Ký, ghi rõ họ tên)\nMa Đoan\n",
        "Người giới thiệu: Lê Văn Tám\nLê Văn Tám\n",
    )
    other = extract.extract_fields([PageText(1, body)])
    assert (other.provenance.get("signer_name") or {}).get("rule") != "declarant_name"


def test_specks_read_inside_an_issuer_name_are_dropped() -> None:
    # A noisy photocopy's header: a quote before the name, stops between its words and a
    # small letter inside capitals; none of them is part of an organ's name.
    text = (
        'ĐẢNG,BỘ TỈNH LÂM. ĐỒNG\n"THÀNH Ủy ĐÀ LẠT\n*\nSố 03-BC/ThU\nĐẢNG CỘNG SẢN VIỆT NAM\n'
        "Đà Lạt, ngày 7 tháng 9 năm 2023\nBÁO CÁO\nKiểm tra việc thực hiện Quy định\n"
        "Thực hiện chỉ đạo của cấp trên, Ban Thường vụ Thành ủy báo cáo như sau.\n"
    )
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields["issuer"] == "THÀNH ỦY ĐÀ LẠT"
    assert res.fields["parent_issuer"] == "ĐẢNG BỘ TỈNH LÂM ĐỒNG"
    # A hyphen inside a name is the name's own.
    dept = "UBND TỈNH LÂM ĐỒNG\nSỞ VĂN HÓA - THỂ THAO\nSố: 12/SVHTT-VP\n"
    assert extract.extract_fields([PageText(1, dept)]).fields["issuer"] == "SỞ VĂN HÓA - THỂ THAO"
    # The dot of an abbreviation (no vowel) is the name's own too.
    city = "UBND TP. ĐÀ LẠT\nPHÒNG NỘI VỤ\nSố: 12/PNV-VP\n"
    assert extract.extract_fields([PageText(1, city)]).fields["parent_issuer"] == "UBND TP. ĐÀ LẠT"
    # A quote between two words is a speck; the apostrophe of a K'Ho place is the name's own.
    unit = "ỦY BAN'NHÂN DÂN\nHUYỆN DI LINH\nSố: 97/CT-UBND\n"
    assert extract.extract_fields([PageText(1, unit)]).fields["issuer"] == (
        "ỦY BAN NHÂN DÂN HUYỆN DI LINH"
    )
    kho = "HUYỆN ỦY ĐAM RÔNG\nĐẢNG ỦY XÃ ĐẠ K'NÀNG\nSố 12-BC/ĐU\n"
    assert extract.extract_fields([PageText(1, kho)]).fields["issuer"] == "ĐẢNG ỦY XÃ ĐẠ K'NÀNG"


@pytest.mark.parametrize(
    "title", ["CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "HẠT TRƯỞNG", "TỔNG GIÁM ĐỐC", "CỤC TRƯỞNG"]
)
def test_a_title_is_not_cut_to_a_shorter_one_inside_it(title: str) -> None:
    text = (
        "UBND TỈNH LÂM ĐỒNG\nCHI CỤC KIỂM LÂM\nSố: 12/CKL-VP\nLâm Đồng, ngày 3 tháng 4 năm 2015\n"
        f"V/v tăng cường bảo vệ rừng\nNội dung.\nNơi nhận:\n- Lưu: VT.\n{title}\nNguyễn Văn Hùng\n"
    )
    res = extract.extract_fields([PageText(1, text)])
    assert res.fields["signer_title"] == title
    assert res.fields["signer_name"] == "Nguyễn Văn Hùng"


def test_a_first_page_under_a_crown_of_specks_starts_a_document() -> None:
    # A dirty drum's specks above the header read as lines of one or two signs; the header,
    # date and type title below them still mark a first page (dev2 doc_0044 was merged into
    # the MẬT document before it and went out as secret).
    specks = "%\n\\\n.-\ns\nF\n‡\nnu\n:\n"
    first = (
        "TỈNH ỦY LÂM ĐỒNG ĐẢNG CỘNG SẲN VIỆT NAM\nỦY BAN KIỂM TRA\n‡\n:\n"
        "Lâm Đồng, ngày 22 tháng 1 năm 2020\nTHÔNG BÁO\nThanh tra việc quản lý vốn\n"
    )
    pages = [PageText(1, PARTY_TEXT), PageText(2, PARTY_LAST), PageText(3, specks + first)]
    assert extract.split_documents(pages) == [[1, 2], [3]]
    # Specks alone do not make a page a first page.
    cont = PageText(3, specks + "tiếp theo nội dung của văn bản trước.\n")
    assert extract.split_documents(pages[:2] + [cont]) == [[1, 2, 3]]


@pytest.mark.parametrize(
    ("title_line", "title"),
    [
        ("HJÓ CHỦ TỊCH", "PHÓ CHỦ TỊCH"),  # the PHÓ garbled under a seal: the head's title read
        ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"),  # a deputy's title stands
        ("ỦY VIÊN", "ỦY VIÊN"),
    ],
)
def test_who_signs_kt_for_a_head_is_that_heads_deputy(title_line: str, title: str) -> None:
    rows = [
        ("Ủy ban nhân dân huyện đề nghị các đơn vị thực hiện.", ""),
        ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"),
        ("- Như trên;", ";"),  # a speck between the two authority lines
        ("- Lưu: VT.", "KT. CHỦ TỊCH"),
        ("", title_line),
        ("", "Nguyễn Văn Hải"),
    ]
    res = extract.extract_fields([_two_columns(8, rows)])
    assert res.fields["signing_authority"] == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"
    assert res.fields["signer_title"] == title
    # Signing for the committee (TM.) the chair signs as chair.
    tm = [r if r[1] != "KT. CHỦ TỊCH" else (r[0], "") for r in rows]
    plain = extract.extract_fields([_two_columns(8, tm)])
    assert plain.fields["signing_authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert plain.fields["signer_title"] == ("CHỦ TỊCH" if title == "PHÓ CHỦ TỊCH" else title)


@pytest.mark.parametrize(
    ("read", "level"),
    [
        ("?fĐVỆT MẬT", "TUYỆT MẬT"),  # a pen note over TUYỆT's first letters (dev2-fit2)
        ("PẾĐVỆT MẬT", "TUYỆT MẬT"),
        ("xTỐI MẬT", "TỐI MẬT"),
        ("HỐI MẬT", "TỐI MẬT"),  # in a frame, a word before MẬT can only be TỐI or TUYỆT
        ("'YØI MẠT", "TỐI MẬT"),  # dev2-check3: the accent read through the O
        ("“#2, đz„|[MẬT", "MẬT"),  # a pen note before the frame's left edge
        ("đz| MẬT", "MẬT"),  # a word before it, but the frame's edge between them
        ("BÍ MẬT", ""),
        ("ĐĂNG KÝ MẬT", ""),
    ],
)
def test_a_mark_whose_first_word_is_garbled_keeps_its_level(read: str, level: str) -> None:
    """Read as plain MẬT, a TUYỆT MẬT document would be shown to every MẬT-cleared user."""
    assert extract.mark_level(read) == level


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("2ñoto 05 ƒÊEYỆT MẶT|", "TUYỆT MẬT"),  # the page's own reading of that header
        ("Photo 05 bản MẬT", "MẬT"),
    ],
)
def test_a_garbled_mark_word_in_a_header_line(line: str, level: str) -> None:
    text = f"{line}\nỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 28/CTr-UBND\nCHƯƠNG TRÌNH\n"
    text += "Về việc kiểm tra\nNội dung."
    assert extract.extract_fields([PageText(1, text)]).fields.get("secrecy", "") == level


def test_a_mark_after_specks_read_as_signs_stands_alone() -> None:
    """dev2-fit2 doc_0017: a dirty drum's specks before the mark read as ``+ † ``; the header
    was garbled, so the line came after the title and only the stand-alone rule can see it."""
    text = "ỦY BAN NHÂN DÂN\nSố: 03/HD-TCKH\nHƯỚNG DẪN\n+ † MẬT\nQuyết toán ngân sách\nNội dung."
    assert extract.extract_fields([PageText(1, text)]).fields.get("secrecy", "") == "MẬT"
