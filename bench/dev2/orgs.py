"""Issuing bodies of Lâm Đồng for dev2: header lines, symbol codes, signer blocks, recipients.

Party bodies print their header as in Hướng dẫn 36-HD/VPTW (the superior committee over the
issuing body, a ``*`` line, ``Số 12-CT/TU`` without a colon, signing forms with a slash:
``T/M``, ``K/T``, ``T/L``); State bodies as in Nghị định 30/2020 (governing body over the issuing
body, ``Số: 45/QĐ-UBND``, signing forms with a dot: ``TM.``, ``KT.``, ``TL.``, ``Q.``). Several
issuers print their own name on two lines and several have no superior line at all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.dev2.places import DISTRICTS, Locality, locality

Signer = tuple[tuple[str, ...], str]  # (authority lines, title line; "" = no title line)

PARTY_COMMITTEE: list[Signer] = [
    (("T/M BAN THƯỜNG VỤ",), "BÍ THƯ"),
    (("T/M BAN THƯỜNG VỤ",), "PHÓ BÍ THƯ"),
    (("K/T BÍ THƯ",), "PHÓ BÍ THƯ"),
    (("T/M BAN THƯỜNG VỤ",), "PHÓ BÍ THƯ THƯỜNG TRỰC"),
    (("T/M BAN CHẤP HÀNH",), "BÍ THƯ"),
]
PARTY_BAN: list[Signer] = [
    ((), "TRƯỞNG BAN"),
    (("K/T TRƯỞNG BAN",), "PHÓ TRƯỞNG BAN"),
    (("K/T TRƯỞNG BAN",), "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"),
]
PARTY_UBKT: list[Signer] = [
    (("T/M ỦY BAN KIỂM TRA",), "CHỦ NHIỆM"),
    (("K/T CHỦ NHIỆM",), "PHÓ CHỦ NHIỆM"),
]
PARTY_VP: list[Signer] = [
    ((), "CHÁNH VĂN PHÒNG"),
    (("K/T CHÁNH VĂN PHÒNG",), "PHÓ CHÁNH VĂN PHÒNG"),
]
PARTY_DU: list[Signer] = [
    (("T/M ĐẢNG ỦY",), "BÍ THƯ"),
    (("K/T BÍ THƯ",), "PHÓ BÍ THƯ"),
    (("T/M BAN THƯỜNG VỤ",), "PHÓ BÍ THƯ"),
]
PARTY_BCD: list[Signer] = [
    (("T/M BAN CHỈ ĐẠO",), "TRƯỞNG BAN"),
    (("K/T TRƯỞNG BAN",), "PHÓ TRƯỞNG BAN"),
]
PARTY_DD: list[Signer] = [(("T/M ĐẢNG ĐOÀN",), "BÍ THƯ"), (("K/T BÍ THƯ",), "PHÓ BÍ THƯ")]
PARTY_BCS: list[Signer] = [(("T/M BAN CÁN SỰ ĐẢNG",), "BÍ THƯ"), (("K/T BÍ THƯ",), "PHÓ BÍ THƯ")]
STATE_UBND: list[Signer] = [
    (("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH"),
    (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH"),
    (("KT. CHỦ TỊCH",), "PHÓ CHỦ TỊCH"),
    ((), "CHỦ TỊCH"),
]
STATE_SO: list[Signer] = [
    ((), "GIÁM ĐỐC"),
    (("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC"),
    (("Q. GIÁM ĐỐC",), ""),
    (("TL. GIÁM ĐỐC",), "CHÁNH VĂN PHÒNG"),
]
STATE_TTR: list[Signer] = [
    ((), "CHÁNH THANH TRA"),
    (("KT. CHÁNH THANH TRA",), "PHÓ CHÁNH THANH TRA"),
]
STATE_BAN: list[Signer] = [((), "TRƯỞNG BAN"), (("KT. TRƯỞNG BAN",), "PHÓ TRƯỞNG BAN")]
STATE_PHONG: list[Signer] = [((), "TRƯỞNG PHÒNG"), (("KT. TRƯỞNG PHÒNG",), "PHÓ TRƯỞNG PHÒNG")]
STATE_CC: list[Signer] = [((), "CHI CỤC TRƯỞNG"), (("KT. CHI CỤC TRƯỞNG",), "PHÓ CHI CỤC TRƯỞNG")]
STATE_HDND: list[Signer] = [((), "CHỦ TỊCH"), (("KT. CHỦ TỊCH",), "PHÓ CHỦ TỊCH")]

R_PARTY_PROV = [
    "Ban Tổ chức Trung ương (b/c),",
    "Văn phòng Trung ương Đảng (b/c),",
    "Thường trực Tỉnh ủy (b/c),",
    "Các đồng chí Tỉnh ủy viên,",
    "Các huyện ủy, thành ủy, đảng ủy trực thuộc,",
    "Các ban đảng, Văn phòng Tỉnh ủy,",
    "Đảng đoàn HĐND tỉnh,",
    "Ban cán sự đảng UBND tỉnh,",
    "Ủy ban Kiểm tra Tỉnh ủy,",
    "Các sở, ban, ngành, đoàn thể tỉnh,",
    "Báo Lâm Đồng,",
    "Các đồng chí Ủy viên Ban,",
]
R_PARTY_DIST = [
    "Thường trực Tỉnh ủy (b/c),",
    "Ban Tổ chức Tỉnh ủy (b/c),",
    "Ủy ban Kiểm tra Tỉnh ủy (b/c),",
    "Các đồng chí Huyện ủy viên,",
    "Các chi, đảng bộ cơ sở,",
    "Các ban xây dựng Đảng,",
    "UBMTTQ và các đoàn thể,",
    "Đảng ủy các xã, thị trấn,",
    "Chi bộ các cơ quan, đơn vị,",
]
R_PARTY_XA = [
    "Ban Thường vụ Huyện ủy (b/c),",
    "Ban Tổ chức Huyện ủy (b/c),",
    "Các chi bộ trực thuộc,",
    "Các đồng chí Đảng ủy viên,",
    "UBND, UBMTTQ xã,",
    "Các đoàn thể chính trị - xã hội xã,",
]
R_STATE_PROV = [
    "Văn phòng Chính phủ;",
    "Bộ Nội vụ;",
    "TT Tỉnh ủy, TT HĐND tỉnh;",
    "CT, các PCT UBND tỉnh;",
    "Các sở, ban, ngành thuộc tỉnh;",
    "UBND các huyện, thành phố;",
    "Cổng thông tin điện tử tỉnh;",
    "Đài PT-TH Lâm Đồng;",
    "Báo Lâm Đồng;",
    "LĐVP UBND tỉnh;",
    "Kho bạc Nhà nước tỉnh;",
]
R_STATE_DIST = [
    "TT Huyện ủy, TT HĐND huyện;",
    "CT, các PCT UBND huyện;",
    "Các phòng, ban thuộc huyện;",
    "UBND các xã, thị trấn;",
    "Sở Nội vụ (b/c);",
    "Chi cục Thuế khu vực;",
    "Kho bạc Nhà nước huyện;",
]


@dataclass(frozen=True, slots=True)
class Issuer:
    """One issuing body as printed in a header."""

    kind: str  # "party" or "state"
    parent_lines: tuple[str, ...]
    name_lines: tuple[str, ...]
    code: str  # issuer part of the symbol
    place: str  # place printed in the date line
    signers: tuple[Signer, ...]
    recipients: tuple[str, ...]
    archive: str  # last recipient line ("Lưu …")
    seal_text: str  # ring text of the round seal
    level: str = "province"
    units: tuple[str, ...] = field(default=())  # drafting units for State công văn symbols
    types: tuple[str, ...] = field(default=())  # document types it issues ("" = all usual)

    @property
    def name(self) -> str:
        """The issuer field: its name lines joined by a space."""
        return " ".join(self.name_lines)

    @property
    def parent(self) -> str:
        """The issuer_parent field ("" when no superior line is printed)."""
        return " ".join(self.parent_lines)


def _upper(s: str) -> str:
    return s.upper()


def party_issuers(rng: random.Random) -> list[Issuer]:
    """Every Party issuer kind; district and commune bodies are drawn with ``rng``."""
    tu = ("TỈNH ỦY LÂM ĐỒNG",)
    lv = "Lưu Văn phòng Tỉnh ủy."
    out = [
        Issuer(
            "party",
            (),
            ("TỈNH ỦY LÂM ĐỒNG",),
            "TU",
            "Lâm Đồng",
            tuple(PARTY_COMMITTEE),
            tuple(R_PARTY_PROV),
            lv,
            "TỈNH ỦY LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            tu,
            ("BAN TỔ CHỨC",),
            "BTCTU",
            "Lâm Đồng",
            tuple(PARTY_BAN),
            tuple(R_PARTY_PROV),
            "Lưu VT, TCCB.",
            "BAN TỔ CHỨC TỈNH ỦY LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            tu,
            ("ỦY BAN KIỂM TRA",),
            "UBKTTU",
            "Lâm Đồng",
            tuple(PARTY_UBKT),
            tuple(R_PARTY_PROV),
            "Lưu VT, P1.",
            "ỦY BAN KIỂM TRA TỈNH ỦY LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            tu,
            ("BAN TUYÊN GIÁO",),
            "BTGTU",
            "Đà Lạt",
            tuple(PARTY_BAN),
            tuple(R_PARTY_PROV),
            "Lưu VT.",
            "BAN TUYÊN GIÁO TỈNH ỦY LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            tu,
            ("BAN DÂN VẬN",),
            "BDVTU",
            "Lâm Đồng",
            tuple(PARTY_BAN),
            tuple(R_PARTY_PROV),
            "Lưu VT, DT-TG.",
            "BAN DÂN VẬN TỈNH ỦY LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            tu,
            ("BAN NỘI CHÍNH",),
            "BNCTU",
            "Lâm Đồng",
            tuple(PARTY_BAN),
            tuple(R_PARTY_PROV),
            "Lưu VT.",
            "BAN NỘI CHÍNH TỈNH ỦY LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            tu,
            ("VĂN PHÒNG",),
            "VPTU",
            "Lâm Đồng",
            tuple(PARTY_VP),
            tuple(R_PARTY_PROV),
            "Lưu VT, LT.",
            "VĂN PHÒNG TỈNH ỦY LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            ("ĐẢNG BỘ TỈNH LÂM ĐỒNG",),
            ("ĐẢNG ỦY KHỐI", "CÁC CƠ QUAN TỈNH"),
            "ĐUK",
            "Đà Lạt",
            tuple(PARTY_DU),
            tuple(R_PARTY_PROV),
            "Lưu VP Đảng ủy Khối.",
            "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH LÂM ĐỒNG",
        ),
        Issuer(
            "party",
            tu,
            ("BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ", "DÂN CHỦ Ở CƠ SỞ"),
            "BCĐ",
            "Lâm Đồng",
            tuple(PARTY_BCD),
            tuple(R_PARTY_PROV),
            "Lưu VT, BDV.",
            "TỈNH ỦY LÂM ĐỒNG",
            types=("KH", "BC", "HD", "TB", "CV", "CTr"),
        ),
        Issuer(
            "party",
            tu,
            ("ĐẢNG ĐOÀN HỘI ĐỒNG", "NHÂN DÂN TỈNH"),
            "ĐĐ",
            "Lâm Đồng",
            tuple(PARTY_DD),
            tuple(R_PARTY_PROV),
            "Lưu VT.",
            "TỈNH ỦY LÂM ĐỒNG",
            types=("TTr", "BC", "CV", "NQ", "KH"),
        ),
        Issuer(
            "party",
            tu,
            ("BAN CÁN SỰ ĐẢNG", "ỦY BAN NHÂN DÂN TỈNH"),
            "BCSĐ",
            "Lâm Đồng",
            tuple(PARTY_BCS),
            tuple(R_PARTY_PROV),
            "Lưu VT.",
            "TỈNH ỦY LÂM ĐỒNG",
            types=("TTr", "BC", "CV", "KH", "NQ"),
        ),
    ]
    for district, (short, _) in DISTRICTS.items():
        city = district.startswith("thành phố")
        name = f"THÀNH ỦY {short.upper()}" if city else f"HUYỆN ỦY {short.upper()}"
        code = "ThU" if city else "HU"
        body = name.split(" ", 2)[0] + " " + name.split(" ", 2)[1]
        out.append(
            Issuer(
                "party",
                ("ĐẢNG BỘ TỈNH LÂM ĐỒNG",),
                (name,),
                code,
                short,
                tuple(PARTY_COMMITTEE),
                tuple(R_PARTY_DIST),
                f"Lưu Văn phòng {body.title().replace('Ủy', 'ủy')}.",
                f"{name} TỈNH LÂM ĐỒNG",
                level="district",
            )
        )
        sub = rng.choice(
            [
                ("BAN TỔ CHỨC", "BTC", PARTY_BAN),
                ("ỦY BAN KIỂM TRA", "UBKT", PARTY_UBKT),
                ("BAN TUYÊN GIÁO", "BTG", PARTY_BAN),
                ("BAN DÂN VẬN", "BDV", PARTY_BAN),
            ]
        )
        suffix = "ThU" if city else "HU"
        out.append(
            Issuer(
                "party",
                (name,),
                (sub[0],),
                sub[1] + suffix,
                short,
                tuple(sub[2]),
                tuple(R_PARTY_DIST),
                "Lưu VT.",
                f"{sub[0]} {name}",
                level="district",
            )
        )
        loc = locality(rng, short)
        kind_word = (
            "PHƯỜNG"
            if loc.commune.lower().startswith("phường")
            else ("THỊ TRẤN" if loc.commune.startswith("thị trấn") else "XÃ")
        )
        cname = _upper(loc.commune_name)
        if cname.startswith("PHƯỜNG "):
            cname = cname[len("PHƯỜNG ") :]
        parent = (f"ĐẢNG BỘ {'THÀNH PHỐ' if city else 'HUYỆN'} {short.upper()}",)
        out.append(
            Issuer(
                "party",
                parent,
                (f"ĐẢNG ỦY {kind_word} {cname}",),
                "ĐU",
                _commune_place(loc),
                tuple(PARTY_DU),
                tuple(R_PARTY_XA),
                "Lưu VP Đảng ủy.",
                f"ĐẢNG ỦY {kind_word} {cname}",
                level="commune",
            )
        )
    return out


def _commune_place(loc: Locality) -> str:
    name = loc.commune_name
    return loc.short if name[0].isdigit() or name.startswith("Phường") else name


def state_issuers(rng: random.Random) -> list[Issuer]:
    """Every State issuer kind; district and commune bodies are drawn with ``rng``."""
    ub = ("UBND TỈNH LÂM ĐỒNG",)
    out = [
        Issuer(
            "state",
            (),
            ("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"),
            "UBND",
            "Lâm Đồng",
            tuple(STATE_UBND),
            tuple(R_STATE_PROV),
            "Lưu: VT, NC.",
            "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
            units=("VX", "NC", "KT", "TH", "NN", "ĐC"),
        ),
        Issuer(
            "state",
            (),
            ("HỘI ĐỒNG NHÂN DÂN", "TỈNH LÂM ĐỒNG"),
            "HĐND",
            "Lâm Đồng",
            tuple(STATE_HDND),
            tuple(R_STATE_PROV),
            "Lưu: VT, PCTHĐ.",
            "HỘI ĐỒNG NHÂN DÂN TỈNH LÂM ĐỒNG",
            types=("NQ", "BC", "TB", "KH"),
        ),
        Issuer(
            "state",
            ub,
            ("SỞ NỘI VỤ",),
            "SNV",
            "Lâm Đồng",
            tuple(STATE_SO),
            tuple(R_STATE_PROV),
            "Lưu: VT, XDCQ.",
            "SỞ NỘI VỤ TỈNH LÂM ĐỒNG",
            units=("XDCQ", "TCBC", "CCVC", "VP"),
        ),
        Issuer(
            "state",
            ub,
            ("SỞ TÀI CHÍNH",),
            "STC",
            "Đà Lạt",
            tuple(STATE_SO),
            tuple(R_STATE_PROV),
            "Lưu: VT, NS.",
            "SỞ TÀI CHÍNH TỈNH LÂM ĐỒNG",
            units=("NS", "QLG", "TCDN", "TCHCSN"),
        ),
        Issuer(
            "state",
            ub,
            ("SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"),
            "SNN",
            "Lâm Đồng",
            tuple(STATE_SO),
            tuple(R_STATE_PROV),
            "Lưu: VT, KHTC.",
            "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN TỈNH LÂM ĐỒNG",
            units=("KHTC", "TTBVTV", "KL"),
        ),
        Issuer(
            "state",
            ub,
            ("SỞ GIÁO DỤC VÀ ĐÀO TẠO",),
            "SGDĐT",
            "Lâm Đồng",
            tuple(STATE_SO),
            tuple(R_STATE_PROV),
            "Lưu: VT, GDTrH.",
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH LÂM ĐỒNG",
            units=("GDTrH", "GDTH", "TCCB", "KHTC"),
        ),
        Issuer(
            "state",
            ub,
            ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",),
            "STNMT",
            "Lâm Đồng",
            tuple(STATE_SO),
            tuple(R_STATE_PROV),
            "Lưu: VT, QLĐĐ.",
            "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH LÂM ĐỒNG",
            units=("QLĐĐ", "MT", "TNN"),
        ),
        Issuer(
            "state",
            ub,
            ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ",),
            "SKHĐT",
            "Đà Lạt",
            tuple(STATE_SO),
            tuple(R_STATE_PROV),
            "Lưu: VT, TH.",
            "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH LÂM ĐỒNG",
            units=("TH", "ĐKKD", "KTĐN"),
        ),
        Issuer(
            "state",
            ub,
            ("SỞ Y TẾ",),
            "SYT",
            "Lâm Đồng",
            tuple(STATE_SO),
            tuple(R_STATE_PROV),
            "Lưu: VT, NVY.",
            "SỞ Y TẾ TỈNH LÂM ĐỒNG",
            units=("NVY", "TCCB", "KHTC"),
        ),
        Issuer(
            "state",
            ub,
            ("BAN DÂN TỘC",),
            "BDT",
            "Lâm Đồng",
            tuple(STATE_BAN),
            tuple(R_STATE_PROV),
            "Lưu: VT, CS.",
            "BAN DÂN TỘC TỈNH LÂM ĐỒNG",
            units=("CS", "VP"),
        ),
        Issuer(
            "state",
            ub,
            ("THANH TRA TỈNH",),
            "TTr",
            "Lâm Đồng",
            tuple(STATE_TTR),
            tuple(R_STATE_PROV),
            "Lưu: VT, P2.",
            "THANH TRA TỈNH LÂM ĐỒNG",
            units=("P1", "P2", "VP"),
        ),
        Issuer(
            "state",
            ub,
            ("BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH", "MỤC TIÊU QUỐC GIA"),
            "BCĐ",
            "Lâm Đồng",
            tuple(STATE_BAN),
            tuple(R_STATE_PROV),
            "Lưu: VT, TH.",
            "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
            units=("VPĐP",),
            types=("KH", "BC", "TB", "CV", "QĐ", "HD"),
        ),
        Issuer(
            "state",
            ("SỞ NỘI VỤ",),
            ("BAN THI ĐUA - KHEN THƯỞNG",),
            "BTĐKT",
            "Lâm Đồng",
            tuple(STATE_BAN),
            tuple(R_STATE_PROV),
            "Lưu: VT, NV.",
            "BAN THI ĐUA - KHEN THƯỞNG TỈNH LÂM ĐỒNG",
            units=("NV",),
        ),
        Issuer(
            "state",
            ("SỞ NỘI VỤ",),
            ("CHI CỤC VĂN THƯ - LƯU TRỮ",),
            "CCVTLT",
            "Lâm Đồng",
            tuple(STATE_CC),
            tuple(R_STATE_PROV),
            "Lưu: VT, NV.",
            "CHI CỤC VĂN THƯ - LƯU TRỮ TỈNH LÂM ĐỒNG",
            units=("NV", "TTLT"),
        ),
    ]
    for district, (short, _) in DISTRICTS.items():
        city = district.startswith("thành phố")
        unit = ("THÀNH PHỐ " if city else "HUYỆN ") + short.upper()
        out.append(
            Issuer(
                "state",
                (),
                ("ỦY BAN NHÂN DÂN", unit),
                "UBND",
                short,
                tuple(STATE_UBND),
                tuple(R_STATE_DIST),
                "Lưu: VT, NV.",
                f"ỦY BAN NHÂN DÂN {unit}",
                level="district",
                units=("NV", "VX", "KT", "TNMT"),
            )
        )
        phong, pcode = rng.choice(
            [
                ("PHÒNG NỘI VỤ", "NV"),
                ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "GDĐT"),
                ("PHÒNG NÔNG NGHIỆP VÀ PTNT", "NN"),
                ("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "TCKH"),
            ]
        )
        out.append(
            Issuer(
                "state",
                (f"UBND {unit}",),
                (phong,),
                pcode,
                short,
                tuple(STATE_PHONG),
                tuple(R_STATE_DIST),
                "Lưu: VT.",
                f"ỦY BAN NHÂN DÂN {unit}",
                level="district",
                units=("VP",),
                types=("KH", "BC", "TB", "CV", "HD", "TTr"),
            )
        )
        loc = locality(rng, short)
        kind_word = (
            "PHƯỜNG"
            if loc.commune.lower().startswith("phường")
            else ("THỊ TRẤN" if loc.commune.startswith("thị trấn") else "XÃ")
        )
        cname = _upper(loc.commune_name).removeprefix("PHƯỜNG ")
        cunit = f"{kind_word} {cname}"
        out.append(
            Issuer(
                "state",
                (),
                ("ỦY BAN NHÂN DÂN", cunit),
                "UBND",
                _commune_place(loc),
                tuple(STATE_UBND),
                tuple(R_STATE_DIST),
                "Lưu: VT.",
                f"ỦY BAN NHÂN DÂN {cunit}",
                level="commune",
                units=("VP",),
            )
        )
    return out
