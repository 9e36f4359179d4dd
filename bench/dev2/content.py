"""What a dev2 document says: header fields, title, subject, body paragraphs and closing.

The layout (``layout.py``) decides where each piece goes and what becomes a printed line; this
module only decides the words, from the original texts in ``texts/`` and the name, place and
issuer models. Everything is drawn from one ``random.Random`` so a seed fixes the document.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from bench.dev2 import names, places
from bench.dev2.orgs import Issuer, Signer
from bench.dev2.texts.domains import DOMAINS

TITLES = {
    "NQ": "NGHỊ QUYẾT",
    "QĐ": "QUYẾT ĐỊNH",
    "CT": "CHỈ THỊ",
    "KL": "KẾT LUẬN",
    "BB": "BIÊN BẢN",
    "CTr": "CHƯƠNG TRÌNH",
    "KH": "KẾ HOẠCH",
    "BC": "BÁO CÁO",
    "TB": "THÔNG BÁO",
    "TTr": "TỜ TRÌNH",
    "HD": "HƯỚNG DẪN",
    "QĐi": "QUY ĐỊNH",
    "CV": "CÔNG VĂN",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


@dataclass(slots=True)
class Para:
    """A body paragraph. ``style``: para, heading, center, center_bold, item, italic, right."""

    text: str
    style: str = "para"
    bold_prefix: str = ""  # printed in bold at the start of the first line ("Điều 1.")


@dataclass(slots=True)
class Closing:
    """Recipients and the signature block(s) at the end of a document."""

    recipients: list[str]  # items as printed without the leading "- "
    signer_name: str
    authority: tuple[str, ...]
    title: str
    second: tuple[str, str] | None = None  # (title, name) of a left signature (BIÊN BẢN)
    seal: bool = True


@dataclass(slots=True)
class Document:
    """A typed document (Party or State), ready for layout."""

    kind: str
    code: str  # type abbreviation, "CV" for công văn
    issuer: Issuer
    number: str
    symbol: str
    place: str
    date: dt.date
    date_line: str
    subject: str
    secrecy: str
    urgency: str
    kinh_gui: list[str]
    body: list[Para]
    closing: Closing
    mark_style: str = "left"  # left | center | top
    mark_boxed: bool = True
    used: set[str] = field(default_factory=set)  # sentence templates added by more()

    @property
    def doc_type(self) -> str:
        """The doc_type field: the printed title, ``CÔNG VĂN`` for công văn."""
        return TITLES[self.code]

    def fields(self) -> dict[str, object]:
        """Ground-truth fields in the dev corpus layout."""
        out: dict[str, object] = {
            "kind": self.kind,
            "doc_type": self.doc_type,
            "number": self.number,
            "symbol": self.symbol,
            "issuer": self.issuer.name,
            "issuer_parent": self.issuer.parent,
            "place": self.place,
            "date": self.date.isoformat(),
            "subject": self.subject,
            "signer_name": self.closing.signer_name,
            "signer_title": self.closing.title,
            "signer_authority": " ".join(self.closing.authority),
            "secrecy": self.secrecy,
        }
        if self.urgency:
            out["urgency"] = self.urgency
        out["recipients"] = list(self.closing.recipients)
        return out


@dataclass(slots=True)
class Values:
    """Placeholder values for one document's sentences."""

    year: int
    district: str
    commune: str
    rng: random.Random
    cache: dict[str, str] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        """Fill ``{y}``, ``{d}``, ``{n1}``… in ``text``; each key keeps one value per document."""
        keys = {
            "y": str(self.year),
            "y0": str(self.year - 1),
            "y1": str(self.year + 1),
            "d": self.district,
            "c": self.commune,
        }
        r = self.rng
        gen = {
            "n1": lambda: str(r.randint(2, 9)),
            "n2": lambda: str(r.randint(10, 40)),
            "n3": lambda: str(r.randint(11, 28)),
            "n4": lambda: str(r.randint(120, 1900)),
            "p1": lambda: f"{r.randint(5, 35)},{r.randint(1, 9)}",
            "p2": lambda: str(r.randint(81, 99)),
            "m": lambda: f"{r.randint(1, 98)}.{r.randint(0, 999):03d}",
            "ha": lambda: f"{r.randint(12, 950)},{r.randint(1, 9)}",
        }
        for k, f in gen.items():
            if "{" + k + "}" in text and k not in self.cache:
                self.cache[k] = f()
        return text.format(**keys, **{k: self.cache.get(k, "") for k in gen})


def capital(s: str) -> str:
    """Upper-case the first letter only (``k'Ho`` stays as written after it)."""
    return s[:1].upper() + s[1:]


def actor(iss: Issuer) -> str:
    """Return how the body names the issuer (``Ban Thường vụ Huyện ủy``, ``Sở Nội vụ``)."""
    n = iss.name
    if iss.kind == "party":
        if n.startswith(("TỈNH ỦY", "HUYỆN ỦY", "THÀNH ỦY")):
            return "Ban Thường vụ " + n.split(" ")[0].title() + " " + n.split(" ")[1].lower()
        if n.startswith("ĐẢNG ỦY XÃ") or n.startswith(("ĐẢNG ỦY PHƯỜNG", "ĐẢNG ỦY THỊ TRẤN")):
            return "Ban Thường vụ Đảng ủy"
        if n.startswith("ĐẢNG ỦY KHỐI"):
            return "Ban Thường vụ Đảng ủy Khối"
        head = {
            "BAN TỔ CHỨC": "Ban Tổ chức",
            "ỦY BAN KIỂM TRA": "Ủy ban Kiểm tra",
            "BAN TUYÊN GIÁO": "Ban Tuyên giáo",
            "BAN DÂN VẬN": "Ban Dân vận",
            "BAN NỘI CHÍNH": "Ban Nội chính",
            "VĂN PHÒNG": "Văn phòng",
        }.get(n)
        if head:
            parent = iss.parent.split(" ")
            return f"{head} {parent[0].title()} {parent[1].lower()}"
        if n.startswith("BAN CHỈ ĐẠO"):
            return "Ban Chỉ đạo"
        if n.startswith("ĐẢNG ĐOÀN"):
            return "Đảng đoàn Hội đồng nhân dân tỉnh"
        return "Ban cán sự đảng Ủy ban nhân dân tỉnh"
    if n.startswith(("ỦY BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN ")):
        body = "Ủy ban nhân dân" if n.startswith("ỦY") else "Hội đồng nhân dân"
        unit = iss.name_lines[-1]
        for word in ("THÀNH PHỐ", "THỊ TRẤN", "PHƯỜNG", "HUYỆN", "TỈNH", "XÃ"):
            if unit.startswith(word + " "):
                place = unit[len(word) + 1 :]
                return f"{body} {word.lower()} {'' if word == 'TỈNH' else place.title()}".strip()
        return body
    return STATE_ACTORS.get(n, capital(n.lower()))


STATE_ACTORS = {
    "SỞ NỘI VỤ": "Sở Nội vụ",
    "SỞ TÀI CHÍNH": "Sở Tài chính",
    "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN": "Sở Nông nghiệp và Phát triển nông thôn",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO": "Sở Giáo dục và Đào tạo",
    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG": "Sở Tài nguyên và Môi trường",
    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ": "Sở Kế hoạch và Đầu tư",
    "SỞ Y TẾ": "Sở Y tế",
    "BAN DÂN TỘC": "Ban Dân tộc tỉnh",
    "THANH TRA TỈNH": "Thanh tra tỉnh",
    "BAN CHỈ ĐẠO CÁC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA": (
        "Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh"
    ),
    "BAN THI ĐUA - KHEN THƯỞNG": "Ban Thi đua - Khen thưởng",
    "CHI CỤC VĂN THƯ - LƯU TRỮ": "Chi cục Văn thư - Lưu trữ",
    "PHÒNG NỘI VỤ": "Phòng Nội vụ",
    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO": "Phòng Giáo dục và Đào tạo",
    "PHÒNG NÔNG NGHIỆP VÀ PTNT": "Phòng Nông nghiệp và PTNT",
    "PHÒNG TÀI CHÍNH - KẾ HOẠCH": "Phòng Tài chính - Kế hoạch",
}


def _pick(rng: random.Random, pool: list[str], k: int) -> list[str]:
    return rng.sample(pool, min(k, len(pool)))


def date_line(rng: random.Random, place: str, d: dt.date, kind: str) -> str:
    """``Lâm Đồng, ngày 05 tháng 3 năm 2017`` with the padding habits of the two systems."""
    style = rng.random()
    if kind == "state" and style < 0.65:  # NĐ 30: day < 10 and months 1, 2 padded
        day = f"{d.day:02d}"
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    elif style < 0.8:
        day, month = str(d.day), str(d.month)
    else:
        day, month = f"{d.day:02d}", f"{d.month:02d}"
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def _number(rng: random.Random) -> str:
    n = rng.choice(
        [rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 999), rng.randint(1000, 3999)]
    )
    return f"{n:02d}" if n < 10 and rng.random() < 0.7 else str(n)


def symbol_of(rng: random.Random, iss: Issuer, code: str, number: str, year: int) -> str:
    """Return the printed symbol (without ``Số``)."""
    if iss.kind == "party":
        typ = "QĐi" if code == "QĐi" and rng.random() < 0.6 else ("QĐ" if code == "QĐi" else code)
        return f"{number}-{typ}/{iss.code}"
    if code == "CV":
        return f"{number}/{iss.code}-{rng.choice(iss.units or ('VP',))}"
    legal = (
        code == "QĐ" and iss.code == "UBND" and iss.level != "commune" and rng.random() < 0.35
    ) or (code == "NQ" and iss.code == "HĐND" and rng.random() < 0.6)
    if legal:
        return f"{number}/{year}/{code}-{iss.code}"
    return f"{number}/{code}-{iss.code}"


def subject_for(rng: random.Random, code: str, topic: str) -> str:
    """Turn a topic into the subject printed under the title (or after ``V/v``)."""
    if code == "CV":
        return topic
    if code == "QĐ":
        return (
            rng.choice(["Về việc ", "Về việc ", "Ban hành Kế hoạch ", "Phê duyệt Đề án "]) + topic
            if not topic.startswith(("thành lập", "ban hành"))
            else capital(topic)
        )
    if code in ("NQ", "CT", "KL", "QĐi"):
        return "Về " + topic if rng.random() < 0.7 else "Về việc " + topic
    if code == "BC":
        return (
            rng.choice(["Kết quả ", "Tình hình ", "Sơ kết ", ""]) + topic
            if rng.random() < 0.7
            else capital(topic)
        )
    if code == "TTr":
        return rng.choice(["Về việc ", "Đề nghị phê duyệt ", "Đề nghị "]) + topic
    if code == "BB":
        return rng.choice(["Hội nghị ", "Họp "]) + topic
    return capital(topic)


def person_name(rng: random.Random) -> str:
    return names.person(rng).name


def _signer(rng: random.Random, iss: Issuer, code: str) -> Signer:
    opts = list(iss.signers)
    if code != "CV":  # "T/L", "TL." sign only correspondence
        opts = [s for s in opts if not (s[0] and s[0][-1].startswith(("T/L", "TL.")))] or opts
    return rng.choice(opts)


def build(
    rng: random.Random, iss: Issuer, code: str, domain: str, year: int, secrecy: str, urgency: str
) -> Document:
    """Write a whole typed document of type ``code`` for ``iss``."""
    loc = places.locality(rng)
    district = (
        iss.place if iss.level != "province" and iss.place in places.district_names() else loc.short
    )
    val = Values(year, district, places.locality(rng, district).commune, rng)
    dom = DOMAINS[domain]
    topic = val.fill(rng.choice(dom["topics"]))
    subject = subject_for(rng, code, topic)
    date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    number = _number(rng)
    symbol = symbol_of(rng, iss, code, number, year)
    dline = date_line(rng, iss.place, date, iss.kind)
    who = actor(iss)
    body = _body(rng, code, iss, who, dom, val, date, topic)
    kinh_gui: list[str] = []
    if code in ("CV", "TTr") or (code == "BC" and rng.random() < 0.4):
        targets = _addressees(rng, iss)
        kinh_gui = targets
    recips = _pick(rng, list(iss.recipients), rng.randint(2, 6)) + [iss.archive]
    if kinh_gui and rng.random() < 0.6:
        recips = ["Như trên" + ("," if iss.kind == "party" else ";")] + recips
    elif code == "QĐ" and iss.kind == "state" and rng.random() < 0.7:
        recips = ["Như Điều 3;"] + recips
    auth, title = _signer(rng, iss, code)
    signer = names.person(rng, ethnic_share=0.3).name
    second = None
    if code == "BB":
        auth, title = (), rng.choice(["CHỦ TRÌ", "CHỦ TRÌ HỘI NGHỊ", "CHỦ TỌA"])
        second = (
            rng.choice(["THƯ KÝ", "THƯ KÝ HỘI NGHỊ", "NGƯỜI GHI BIÊN BẢN"]),
            names.person(rng).name,
        )
        recips = []  # minutes are filed, not sent: no "Nơi nhận"
    closing = Closing(recips, signer, auth, title, second, seal=code != "BB" or rng.random() < 0.3)
    mark_style = rng.choice(["left", "left", "center", "top"])
    return Document(
        iss.kind,
        code,
        iss,
        number,
        symbol,
        iss.place,
        date,
        dline,
        subject,
        secrecy,
        urgency,
        kinh_gui,
        body,
        closing,
        mark_style,
        rng.random() < 0.75,
    )


def more(rng: random.Random, doc: Document, domain: str, year: int) -> None:
    """Lengthen a document by a few paragraphs of its domain (multi-page test documents)."""
    val = Values(year, doc.issuer.place, places.locality(rng).commune, rng)
    # Own-domain sentences first; once they are used up, other domains' (real documents drift
    # to related matters too). Templates are remembered so a long document never repeats one.
    own = DOMAINS[domain]
    others = [d for d in sorted(DOMAINS) if d != domain]
    rng.shuffle(others)
    pool = own["context"] + own["results"] + own["limits"] + own["aims"]
    for name in others:
        pool += DOMAINS[name]["context"] + DOMAINS[name]["results"]
    fresh = [t for t in pool if t not in doc.used]
    chosen = fresh[:4]
    doc.used.update(chosen)
    at = max(1, len(doc.body) - 1)
    doc.body[at:at] = [Para(val.fill(t)) for t in chosen]


def _addressees(rng: random.Random, iss: Issuer) -> list[str]:
    if iss.kind == "party":
        pool = [
            "Ban Thường vụ Tỉnh ủy",
            "Thường trực Tỉnh ủy",
            "Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
            "Các chi, đảng bộ cơ sở",
            "Ban Tổ chức Tỉnh ủy",
            "Ủy ban Kiểm tra Tỉnh ủy",
            "Các ban xây dựng Đảng Huyện ủy",
        ]
    else:
        pool = [
            "Ủy ban nhân dân tỉnh Lâm Đồng",
            "Các sở, ban, ngành thuộc tỉnh",
            "Ủy ban nhân dân các huyện, thành phố",
            "Sở Tài chính",
            "Sở Nội vụ",
            "Ủy ban nhân dân các xã, thị trấn",
            "Phòng Tài chính - Kế hoạch huyện",
        ]
    pool = [p for p in pool if actor(iss) not in p]
    return _pick(rng, pool, rng.choice([1, 1, 2, 3]))


def _numbered(items: list[str], style: str = "num") -> list[Para]:
    out = []
    for i, t in enumerate(items):
        prefix = (
            f"{i + 1}." if style == "num" else (f"{'abcdeghik'[i]})" if style == "alpha" else "-")
        )
        out.append(Para(f"{prefix} {t}", "para"))
    return out


def _body(
    rng: random.Random,
    code: str,
    iss: Issuer,
    who: str,
    dom: dict[str, list[str]],
    val: Values,
    date: dt.date,
    topic: str,
) -> list[Para]:
    f = val.fill

    def some(key: str, lo: int, hi: int) -> list[str]:
        return [f(s) for s in _pick(rng, dom[key], rng.randint(lo, hi))]

    party = iss.kind == "party"
    meet = date - dt.timedelta(days=rng.randint(2, 20))
    meet_s = (
        f"{meet.day:02d}/{meet.month:02d}/{meet.year}"
        if rng.random() < 0.5
        else f"{meet.day}-{meet.month}-{meet.year}"
        if party
        else f"{meet.day}/{meet.month}/{meet.year}"
    )
    out: list[Para] = []
    if code in ("QĐ", "QĐi") and code == "QĐ":
        head = (
            f"BAN THƯỜNG VỤ {iss.name.split(' ')[0]} {iss.name.split(' ')[1]}"
            if party and iss.name.startswith(("TỈNH ỦY", "HUYỆN ỦY", "THÀNH ỦY"))
            else (
                "CHỦ TỊCH " + iss.name
                if iss.name.startswith("ỦY BAN")
                else (iss.name if party else _head_of(iss))
            )
        )
        out.append(Para(head, "center_bold"))
        bases = (
            [
                "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
                f"Căn cứ Quy chế làm việc của {who} nhiệm kỳ 2020 - 2025;",
            ]
            if party
            else [
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                f"Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm {2015};"
                if rng.random() < 0.5
                else f"Căn cứ Quyết định số {rng.randint(100, 2999)}/QĐ-UBND ngày "
                f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{val.year - 1} của Ủy ban nhân dân "
                "tỉnh;",
            ]
        )
        out += [Para(b, "italic") for b in bases]
        out.append(
            Para(
                "Xét đề nghị của "
                + rng.choice(["Trưởng phòng Nội vụ", "Chánh Văn phòng", "Trưởng Ban Tổ chức"])
                + ",",
                "italic",
            )
        )
        out.append(Para("QUYẾT ĐỊNH:" if not party else "QUYẾT ĐỊNH", "center_bold"))
        t1, t2 = (f(t) for t in _pick(rng, dom["tasks"], 2))
        arts = [
            f"{capital(topic)} theo nội dung đính kèm Quyết định này."
            if rng.random() < 0.5
            else t1,
            t2,
            "Quyết định này có hiệu lực kể từ ngày ký."
            + (
                f" {rng.choice(['Chánh Văn phòng', 'Thủ trưởng các cơ quan, đơn vị có liên quan'])}"
                " và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
            ),
        ]
        for i, a in enumerate(arts):
            out.append(Para(f"Điều {i + 1}. {a}", "para", bold_prefix=f"Điều {i + 1}."))
        return out
    if code == "QĐi":
        out.append(Para("Chương I", "center_bold"))
        out.append(Para("QUY ĐỊNH CHUNG", "center_bold"))
        out.append(
            Para(
                "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng",
                "para",
                bold_prefix="Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng",
            )
        )
        out.append(
            Para(
                f"Quy định này quy định việc {topic}; áp dụng đối với các tổ chức đảng, "
                f"đảng viên và cơ quan, đơn vị thuộc {who.replace('Ban Thường vụ ', '')}."
            )
        )
        out.append(Para("Điều 2. Nguyên tắc", "para", bold_prefix="Điều 2. Nguyên tắc"))
        out += [Para(t) for t in some("aims", 1, 2)]
        out.append(Para("Chương II", "center_bold"))
        out.append(Para("NỘI DUNG CỤ THỂ", "center_bold"))
        for i, t in enumerate(some("tasks", 3, 4)):
            out.append(Para(f"Điều {i + 3}. {t}", "para", bold_prefix=f"Điều {i + 3}."))
        out.append(Para("Quy định này có hiệu lực từ ngày ký và được phổ biến đến chi bộ./."))
        return out
    if code == "CT":
        out += [Para(t) for t in some("context", 2, 3)]
        aim = f(rng.choice(dom["aims"]))
        out.append(
            Para(f"Để {aim[0].lower()}{aim[1:-1]}, {who} {'chỉ thị' if party else 'yêu cầu'}:")
        )
        out += _numbered(some("tasks", 3, 5))
        out.append(
            Para(
                "Chỉ thị này được phổ biến đến chi bộ./."
                if party
                else "Yêu cầu thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện Chỉ thị này./."
            )
        )
        return out
    if code == "KL":
        lead = (
            (
                f"Tại phiên họp ngày {meet_s}, sau khi nghe báo cáo về {topic}, ý kiến tham gia "
                f"của "
                f"các đồng chí dự họp, {who} kết luận như sau:"
            )
            if party
            else (
                f"Thực hiện Quyết định thanh tra số {rng.randint(10, 299)}/QĐ-TTr ngày {meet_s}, "
                f"Đoàn "
                f"thanh tra đã tiến hành thanh tra {topic}. Xét báo cáo kết quả thanh tra của "
                f"Trưởng "
                f"đoàn, {who} kết luận như sau:"
            )
        )
        out.append(Para(lead))
        out.append(Para("1. Ưu điểm", "heading"))
        out += [Para(t) for t in some("results", 1, 2)]
        out.append(Para("2. Hạn chế, khuyết điểm", "heading"))
        out += [Para(t) for t in some("limits", 1, 2)]
        out.append(Para("3. Nhiệm vụ, giải pháp thời gian tới", "heading"))
        out += [Para(f"- {t}") for t in some("tasks", 2, 3)]
        return out
    if code == "BB":
        hour = rng.choice(["7 giờ 30", "8 giờ 00", "14 giờ 00", "13 giờ 30"])
        out.append(
            Para(
                f"Vào lúc {hour} phút, ngày {date.day:02d} tháng {date.month:02d} năm "
                f"{date.year}, tại hội trường {who.replace('Ban Thường vụ ', '')}, "
                f"{who} tổ chức họp về {topic}."
            )
        )
        out.append(Para("I. THÀNH PHẦN THAM DỰ", "heading"))
        out.append(Para(f"- Chủ trì: đồng chí {person_name(rng)}."))
        out.append(Para(f"- Thư ký: đồng chí {person_name(rng)}."))
        out.append(
            Para(
                f"- Có mặt: {rng.randint(9, 15)}/{rng.randint(15, 17)} đồng chí; vắng "
                f"{rng.randint(1, 2)} đồng chí có lý do."
            )
        )
        out.append(Para("II. NỘI DUNG", "heading"))
        out += [Para(t) for t in some("context", 1, 2)]
        out.append(
            Para(
                f"Ý kiến thảo luận của đồng chí {person_name(rng)}: {f(rng.choice(dom['limits']))}"
            )
        )
        out.append(Para("III. KẾT LUẬN", "heading"))
        out += [Para(f"- {t}") for t in some("tasks", 2, 3)]
        out.append(
            Para(
                f"Cuộc họp kết thúc vào lúc {rng.choice(['10 giờ 45', '11 giờ 30', '16 giờ 30'])}"
                " phút cùng ngày. Biên bản đã được đọc lại cho mọi người cùng nghe và "
                "thống nhất./."
            )
        )
        return out
    if code == "TB":
        boss = person_name(rng)
        out.append(
            Para(
                f"Ngày {meet_s}, đồng chí {boss}, "
                f"{rng.choice(['Bí thư', 'Phó Bí thư Thường trực', 'Chủ tịch', 'Phó Chủ tịch'])} "
                f"chủ trì buổi làm việc về {topic}. Sau khi nghe báo cáo và ý kiến của các "
                f"đại biểu, đồng chí {boss} kết luận như sau:"
            )
        )
        out += _numbered(some("tasks", 3, 4) + some("aims", 0, 1))
        out.append(Para(f"{who} thông báo để các cơ quan, đơn vị biết, thực hiện./."))
        return out
    if code == "TTr":
        out.append(
            Para(
                "Căn cứ "
                + rng.choice(["Nghị quyết Đại hội Đảng bộ", "chức năng, nhiệm vụ được giao"])
                + "; "
                f"{who} kính trình về việc {topic} như sau:"
            )
        )
        out.append(Para("1. Sự cần thiết", "heading"))
        out += [Para(t) for t in some("context", 2, 3)]
        out.append(Para("2. Nội dung đề nghị", "heading"))
        out += [Para(f"- {t}") for t in some("tasks", 2, 3)]
        out.append(Para("Kính trình xem xét, quyết định./."))
        return out
    if code == "CV":
        out += [Para(t) for t in some("context", 1, 2)]
        aim = f(rng.choice(dom["aims"]))
        out.append(
            Para(
                f"Để {aim[0].lower()}{aim[1:-1]}, {who} đề nghị các cơ quan, đơn vị "
                "thực hiện một số nội dung sau:"
            )
        )
        out += _numbered(some("tasks", 2, 4), rng.choice(["num", "dash", "alpha"]))
        out.append(
            Para(
                f"Kết quả thực hiện báo cáo về {who} trước ngày {rng.randint(5, 28)}/"
                f"{rng.randint(1, 12)}/{val.year} để tổng hợp./."
            )
        )
        return out
    # KH, CTr, HD, BC, NQ: sectioned documents.
    if code == "NQ":
        lead = (
            (
                f"Ngày {meet_s}, {who} họp, thảo luận và thống nhất ban hành Nghị quyết về {topic} "
                "như sau:"
            )
            if party
            else (
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; xét Tờ "
                "trình của "
                "Ủy ban nhân dân tỉnh, báo cáo thẩm tra của các ban và ý kiến thảo luận của đại "
                "biểu "
                "tại kỳ họp,"
            )
        )
        out.append(Para(lead))
        if not party:
            out.append(Para("QUYẾT NGHỊ:", "center_bold"))
            for i, t in enumerate(
                some("tasks", 2, 3) + ["Nghị quyết này có hiệu lực kể từ ngày được thông qua./."]
            ):
                out.append(Para(f"Điều {i + 1}. {t}", "para", bold_prefix=f"Điều {i + 1}."))
            return out
        sections = [
            ("TÌNH HÌNH VÀ NGUYÊN NHÂN", ["context", "limits"]),
            ("MỤC TIÊU", ["aims"]),
            ("NHIỆM VỤ VÀ GIẢI PHÁP", ["tasks"]),
            ("TỔ CHỨC THỰC HIỆN", []),
        ]
    elif code == "BC":
        out.append(Para(f"Thực hiện chỉ đạo của cấp trên, {who} báo cáo {topic} như sau:"))
        sections = [
            ("KẾT QUẢ THỰC HIỆN", ["context", "results"]),
            ("HẠN CHẾ, NGUYÊN NHÂN", ["limits"]),
            ("NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", ["tasks"]),
        ]
    elif code == "HD":
        out.append(Para(f"Để thống nhất thực hiện, {who} hướng dẫn {topic} như sau:"))
        sections = [
            ("MỤC ĐÍCH, YÊU CẦU", ["aims"]),
            ("NỘI DUNG", ["tasks"]),
            ("TỔ CHỨC THỰC HIỆN", []),
        ]
    else:  # KH, CTr
        out.append(
            Para(
                f"Thực hiện nhiệm vụ năm {val.year}, {who} xây dựng "
                f"{'kế hoạch' if code == 'KH' else 'chương trình'} {topic} như sau:"
            )
        )
        sections = [
            ("MỤC ĐÍCH, YÊU CẦU", ["aims"]),
            ("NỘI DUNG, NHIỆM VỤ", ["tasks"]),
            ("TỔ CHỨC THỰC HIỆN", []),
        ]
    for i, (head, keys) in enumerate(sections):
        out.append(Para(f"{ROMAN[i]}. {head}", "heading"))
        for key in keys:
            items = some(key, 1, 3)
            if key == "tasks":
                out += _numbered(items, rng.choice(["num", "dash"]))
            else:
                out += [Para(t) for t in items]
        if not keys:
            out.append(
                Para(
                    f"1. Các cơ quan, đơn vị căn cứ {'kế hoạch' if code != 'NQ' else 'nghị quyết'} "
                    "này xây dựng kế hoạch cụ thể, tổ chức triển khai thực hiện."
                )
            )
            out.append(
                Para(
                    f"2. Giao {rng.choice(['Văn phòng', 'Ban Tổ chức', 'Phòng Nội vụ'])} "
                    "theo dõi, đôn đốc, tổng hợp kết quả, báo cáo định kỳ 6 tháng, "
                    "hằng năm./."
                )
            )
    return out


def _head_of(iss: Issuer) -> str:
    n = iss.name
    if n.startswith("SỞ"):
        return "GIÁM ĐỐC " + n
    if n.startswith("THANH TRA"):
        return "CHÁNH THANH TRA TỈNH"
    if n.startswith("PHÒNG"):
        return "TRƯỞNG " + n
    if n.startswith("CHI CỤC"):
        return "CHI CỤC TRƯỞNG " + n[len("CHI CỤC ") :]
    return "TRƯỞNG " + n
