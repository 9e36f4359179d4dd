"""Personal forms for dev2, with label orders that differ from dev.

SƠ YẾU LÝ LỊCH (2C style), PHIẾU ĐẢNG VIÊN (2-HSĐV), LÝ LỊCH ĐẢNG VIÊN (1-HSĐV) and ĐƠN XIN
VÀO ĐẢNG (1-KNĐ).

Labels are numbered ``1)``, ``01.`` or not at all; several lines carry two fields
(``Dân tộc: Kinh      Tôn giáo: Không``); blanks after values are filled by dotted leaders
(drawn, not text). Ground truth: ``ho_ten`` as printed (capitals on most forms), dates ISO,
fields a form does not ask for are ``""``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bench.dev2 import names, places
from bench.dev2.layout import Layout, Page, Style, _fit

FORMS = ["SƠ YẾU LÝ LỊCH", "PHIẾU ĐẢNG VIÊN", "LÝ LỊCH ĐẢNG VIÊN", "ĐƠN XIN VÀO ĐẢNG"]
JOBS = [
    "Chuyên viên Ban Dân vận Huyện ủy Lâm Hà",
    "Giáo viên Trường Tiểu học Đạ Sar",
    "Phó Chủ tịch Ủy ban nhân dân xã Gia Hiệp",
    "Cán bộ Hội Liên hiệp Phụ nữ huyện Di Linh",
    "Kỹ sư nông nghiệp, Trạm Khuyến nông huyện Đơn Dương",
    "Bác sĩ Trung tâm Y tế huyện Cát Tiên",
    "Công chức Địa chính - Xây dựng xã Lộc Ngãi",
    "Kiểm lâm viên Hạt Kiểm lâm huyện Bảo Lâm",
    "Trưởng thôn Đạ Nhim, xã Đạ Nhim",
    "Nhân viên Văn thư Văn phòng Đảng ủy xã Tà Nung",
    "Kế toán Trường Trung học cơ sở Lộc Thắng",
    "Chuyên viên Sở Nội vụ tỉnh Lâm Đồng",
    "Nông dân",
    "Bí thư Chi đoàn thôn K'Long, xã Hiệp An",
]
RELIGIONS = ["Không", "Không", "Không", "Phật giáo", "Công giáo", "Tin lành"]


@dataclass(slots=True)
class Profile:
    """One person's facts and the form they fill."""

    form: str
    person: names.Person
    birth: dt.date
    birthplace: str
    home: str
    residence: str
    religion: str
    job: str
    joined: dt.date | None
    official: dt.date | None
    card: str
    place: str
    signed: dt.date
    caps: bool  # the name is printed in capitals

    @property
    def printed_name(self) -> str:
        """The name as the form prints it."""
        return self.person.upper if self.caps else self.person.name

    def fields(self) -> dict[str, object]:
        """Ground-truth fields in the dev corpus layout."""
        p = self.person
        party = self.form != "ĐƠN XIN VÀO ĐẢNG"
        prof = {
            "ho_ten": self.printed_name,
            "gioi_tinh": "Nam" if p.male else "Nữ",
            "ngay_sinh": self.birth.isoformat(),
            "noi_sinh": self.birthplace,
            "que_quan": self.home,
            "noi_o": self.residence,
            "dan_toc": p.ethnic,
            "ton_giao": self.religion,
            "nghe_nghiep": self.job,
            "ngay_vao_dang": self.joined.isoformat() if party and self.joined else "",
            "ngay_chinh_thuc": self.official.isoformat() if party and self.official else "",
            "so_the_dang_vien": self.card if party and self.form != "SƠ YẾU LÝ LỊCH" else "",
        }
        if self.form == "ĐƠN XIN VÀO ĐẢNG":
            prof["gioi_tinh"] = ""  # the application form does not ask for it
        return {"kind": "profile", "doc_type": self.form, "signer_name": p.name, "profile": prof}


def build(rng: random.Random, form: str) -> Profile:
    """Draw a person and the facts their form holds."""
    p = names.person(rng, ethnic_share=0.35)
    birth = dt.date(rng.randint(1958, 1998), rng.randint(1, 12), rng.randint(1, 28))
    joined = birth + dt.timedelta(days=rng.randint(19 * 365, 35 * 365))
    joined = min(joined, dt.date(2022, 6, 30))
    official = joined + dt.timedelta(days=365 + rng.randint(0, 40))
    card_raw = f"{rng.randint(10, 99)}{rng.randint(0, 999999):06d}"
    card = rng.choice([card_raw, f"{card_raw[:2]}.{card_raw[2:]}", card_raw])
    home = places.birthplace(rng, p.ethnic)
    residence = places.locality(rng).address(with_province=rng.random() < 0.85)
    signed = (
        dt.date(
            rng.randint(max(official.year + 1, 2010), 2024), rng.randint(1, 12), rng.randint(1, 28)
        )
        if form != "ĐƠN XIN VÀO ĐẢNG"
        else dt.date(min(2024, max(2010, birth.year + 20)), rng.randint(1, 12), rng.randint(1, 28))
    )
    rel = "Không" if p.ethnic == "Kinh" else rng.choice(RELIGIONS)
    return Profile(
        form,
        p,
        birth,
        places.birthplace(rng, p.ethnic),
        home,
        residence,
        rel,
        rng.choice(JOBS),
        joined,
        official,
        card,
        rng.choice(places.district_names() + ["Lâm Đồng"]),
        signed,
        caps=form != "ĐƠN XIN VÀO ĐẢNG" or rng.random() < 0.5,
    )


def _d(d: dt.date, style: str) -> str:
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


class FormWriter:
    """Writes ``label: value`` lines with dotted leaders, one or two fields per line."""

    def __init__(self, lay: Layout, rng: random.Random, label_style: str) -> None:
        self.lay, self.rng, self.ls = lay, rng, label_style
        self.pt = lay.st.body_pt - 0.5
        self.leaders = rng.random() < 0.75
        self.right_limit = lay.right  # narrowed beside the photo

    def _field(self, x: float, x_end: float, label: str, value: str) -> tuple[float, str]:
        lay, pt = self.lay, self.pt
        lw = lay.width(label + " ", self.ls, pt)
        vw = lay.width(value, "r", pt)
        return lw + vw, f"{label} {value}".strip()

    def line(self, *fields: tuple[str, str]) -> None:
        """One printed line holding one or two ``(label, value)`` fields."""
        lay, pt = self.lay, self.pt
        pitch = lay.pitch(pt) * 1.08
        lay.need(pitch)
        lay.y += pitch
        x = lay.left
        parts = []
        span = (self.right_limit - lay.left) / len(fields)
        for i, (label, value) in enumerate(fields):
            x0 = lay.left + i * span if i else x
            lay.text(x0, lay.y, label, self.ls, pt, record=False)
            vx = x0 + lay.width(label + " ", self.ls, pt)
            if value:
                lay.text(vx, lay.y, value, "r", pt, record=False)
            end = vx + lay.width(value, "r", pt)
            stop = (lay.left + (i + 1) * span) - lay.st.mm(3)
            if self.leaders and stop - end > lay.st.mm(4):
                lay.page.ops.append(
                    (
                        "dots",
                        round(end + lay.st.mm(1.5)),
                        round(stop),
                        round(lay.y),
                        max(3, lay.st.mm(0.9)),
                        max(1, round(lay.st.dpi / 150)),
                    )
                )
            parts.append(f"{label} {value}".strip())
        lay.page.lines.append(" ".join(parts))

    def long(self, label: str, value: str) -> None:
        """Write a field whose value may wrap onto continuation lines."""
        lay, pt = self.lay, self.pt
        width = self.right_limit - lay.left
        lw = lay.width(label + " ", self.ls, pt)
        words = lay.wrap(value, "r", pt, width, first_indent=lw)
        pitch = lay.pitch(pt) * 1.08
        for i, ln in enumerate(words):
            lay.need(pitch)
            lay.y += pitch
            text = " ".join(w for w, _ in ln)
            if i == 0:
                lay.text(lay.left, lay.y, label, self.ls, pt, record=False)
                lay.text(lay.left + lw, lay.y, text, "r", pt, record=False)
                lay.page.lines.append(f"{label} {text}")
            else:
                lay.text(lay.left, lay.y, text, "r", pt)


def layout_form(pr: Profile, st: Style, rng: random.Random) -> list[Page]:
    """Lay one personal form out on pages."""
    lay = Layout(st)
    W = lay.right - lay.left
    hp = st.head_pt
    party = pr.form != "SƠ YẾU LÝ LỊCH"
    # Header: the form's code on one side, the Party or national heading on the other.
    code = {
        "SƠ YẾU LÝ LỊCH": "Mẫu 2C-BNV/2008",
        "PHIẾU ĐẢNG VIÊN": "Mẫu 2-HSĐV",
        "LÝ LỊCH ĐẢNG VIÊN": "Mẫu 1-HSĐV",
        "ĐƠN XIN VÀO ĐẢNG": "Mẫu 1-KNĐ",
    }[pr.form]
    lay.y += lay.pitch(hp)
    if pr.form in ("PHIẾU ĐẢNG VIÊN", "ĐƠN XIN VÀO ĐẢNG"):
        lay.centered(lay.left, lay.left + 0.45 * W, lay.y, "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "r", hp)
        x1 = lay.right
        lay.text(x1 - lay.width(code, "i", hp), lay.y, code, "i", hp)
        lay.y += lay.pitch(hp)
        cb = f"Chi bộ: {places.locality(rng).commune_name}" if party else ""
        if cb:
            lay.centered(lay.left, lay.left + 0.45 * W, lay.y, cb, "r", hp)
        lay.y += lay.pitch(hp) * 0.3
        lay.centered(lay.left, lay.left + 0.45 * W, lay.y + lay.pitch(hp) * 0.6, "*", "r", hp)
        lay.y += lay.pitch(hp) * 0.8
        if pr.form == "ĐƠN XIN VÀO ĐẢNG":
            t = "ĐẢNG CỘNG SẢN VIỆT NAM"
            lay.y += lay.pitch(hp)
            lay.centered(
                lay.left + 0.4 * W, lay.right, lay.y, t, "b", _fit(lay, t, "b", hp + 1, 0.6 * W)
            )
    else:
        lay.text(lay.right - lay.width(code, "i", hp), lay.y, code, "i", hp)
        lay.y += lay.pitch(hp)
        if pr.form == "SƠ YẾU LÝ LỊCH":
            lay.text(lay.left, lay.y, "Cơ quan quản lý: Sở Nội vụ tỉnh Lâm Đồng", "r", hp)
        else:
            lay.centered(lay.left, lay.right, lay.y, "ĐẢNG CỘNG SẢN VIỆT NAM", "b", hp + 1)
    # Title with a photo box beside the first fields.
    tpt = st.body_pt + 2
    lay.y += round(lay.pitch(tpt) * 1.6)
    lay.centered(lay.left, lay.right, lay.y, pr.form, "b", tpt)
    if pr.form == "SƠ YẾU LÝ LỊCH" and rng.random() < 0.6:
        lay.y += lay.pitch(st.body_pt)
        lay.centered(lay.left, lay.right, lay.y, "CÁN BỘ, CÔNG CHỨC", "b", st.body_pt)
    lay.y += lay.pitch(st.body_pt) * 0.6
    fw = FormWriter(lay, rng, rng.choice(["r", "r", "b"]))
    pw, ph = st.mm(30), st.mm(40)
    photo_left = rng.random() < 0.35
    if pr.form != "ĐƠN XIN VÀO ĐẢNG":
        px0 = lay.left if photo_left else lay.right - pw
        lay.page.ops.append(
            (
                "photo",
                px0,
                round(lay.y + st.mm(2)),
                px0 + pw,
                round(lay.y + st.mm(2)) + ph,
                rng.randrange(1 << 30),
            )
        )
        photo_bottom = lay.y + st.mm(2) + ph
        fw.right_limit = lay.right - pw - st.mm(5) if not photo_left else lay.right
    else:
        photo_bottom = lay.y
    old_left = lay.left
    if photo_left and pr.form != "ĐƠN XIN VÀO ĐẢNG":
        lay.left = old_left + pw + st.mm(5)
    name = pr.printed_name
    sex = "Nam" if pr.person.male else "Nữ"
    dstyle = rng.choice(["slash", "words", "slash"])
    num = _numbering(rng, pr.form)
    rows = _rows(pr, name, sex, dstyle, rng)
    for row in rows:
        if lay.y > photo_bottom:
            lay.left = old_left
            fw.right_limit = lay.right
        labelled = [(num(label), value) for label, value in row]
        if (
            len(labelled) == 1
            and lay.width(" ".join(labelled[0]), fw.ls, fw.pt) > (fw.right_limit - lay.left) * 0.97
        ):
            fw.long(*labelled[0])
        elif (
            len(labelled) == 2
            and sum(lay.width(" ".join(f), fw.ls, fw.pt) for f in labelled)
            > (fw.right_limit - lay.left) * 0.9
        ):
            for f in labelled:
                fw.long(*f) if lay.width(" ".join(f), fw.ls, fw.pt) > (
                    fw.right_limit - lay.left
                ) * 0.97 else fw.line(f)
        else:
            fw.line(*labelled)
    lay.left = old_left
    fw.right_limit = lay.right
    _tail(lay, pr, rng)
    return lay.pages


def _numbering(rng: random.Random, form: str):
    """Label numbering of a form: ``1)``, ``01.``, ``1.`` or none."""
    scheme = {
        "SƠ YẾU LÝ LỊCH": "paren",
        "LÝ LỊCH ĐẢNG VIÊN": "zero",
        "PHIẾU ĐẢNG VIÊN": "none",
        "ĐƠN XIN VÀO ĐẢNG": "none",
    }[form]
    if rng.random() < 0.25:
        scheme = rng.choice(["paren", "zero", "none", "dot"])
    n = [0]

    def label(text: str) -> str:
        if text.startswith("~"):  # never numbered (second field on a line, "Tôi là:")
            return text[1:]
        n[0] += 1
        return {
            "paren": f"{n[0]}) {text}",
            "zero": f"{n[0]:02d}. {text}",
            "dot": f"{n[0]}. {text}",
            "none": text,
        }[scheme]

    return label


def _rows(
    pr: Profile, name: str, sex: str, dstyle: str, rng: random.Random
) -> list[list[tuple[str, str]]]:
    p = pr.person
    born = _d(pr.birth, dstyle)
    if pr.form == "SƠ YẾU LÝ LỊCH":
        return [
            [("Họ và tên khai sinh (viết chữ in hoa):", name)],
            [("Tên gọi khác:", "Không")],
            [("Sinh ngày:", _d(pr.birth, "slash")), ("~Giới tính (nam, nữ):", sex)],
            [("Nơi sinh:", pr.birthplace)],
            [("Quê quán:", pr.home)],
            [("Dân tộc:", p.ethnic), ("~Tôn giáo:", pr.religion)],
            [("Nơi ở hiện nay:", pr.residence)],
            [("Nghề nghiệp, chức vụ hiện nay:", pr.job)],
            [
                ("Ngày vào Đảng Cộng sản Việt Nam:", _d(pr.joined, "slash")),
                ("~Ngày chính thức:", _d(pr.official, "slash")),
            ],
            [("Trình độ lý luận chính trị:", rng.choice(["Trung cấp", "Cao cấp", "Sơ cấp"]))],
        ]
    if pr.form == "PHIẾU ĐẢNG VIÊN":
        return [
            [("Họ và tên đang dùng:", name), ("~Giới tính:", sex)],
            [("Họ và tên khai sinh:", name)],
            [("Sinh ngày:", born)],
            [("Số thẻ đảng viên:", pr.card)],
            [("Dân tộc:", p.ethnic), ("~Tôn giáo:", pr.religion)],
            [("Quê quán:", pr.home)],
            [("Nơi sinh:", pr.birthplace)],
            [("Nơi thường trú:", pr.residence)],
            [("Nghề nghiệp hiện nay:", pr.job)],
            [("Ngày vào Đảng:", _d(pr.joined, dstyle))],
            [("Ngày chính thức:", _d(pr.official, dstyle))],
        ]
    if pr.form == "LÝ LỊCH ĐẢNG VIÊN":
        return [
            [("Họ và tên đang dùng:", name)],
            [("Nam, nữ:", sex)],
            [("Họ và tên khai sinh:", name)],
            [("Sinh ngày:", born)],
            [("Nơi sinh:", pr.birthplace)],
            [("Quê quán:", pr.home)],
            [("Nơi cư trú:", pr.residence)],
            [("Dân tộc:", p.ethnic)],
            [("Tôn giáo:", pr.religion)],
            [("Nghề nghiệp hiện nay:", pr.job)],
            [("Ngày vào Đảng:", _d(pr.joined, dstyle))],
            [("Ngày chính thức:", _d(pr.official, dstyle))],
            [("Số thẻ đảng viên:", pr.card)],
        ]
    return [  # ĐƠN XIN VÀO ĐẢNG
        [("~Tôi là:", name), ("~Sinh ngày:", _d(pr.birth, "slash"))],
        [("~Nơi sinh:", pr.birthplace)],
        [("~Quê quán:", pr.home)],
        [("~Nơi ở hiện nay:", pr.residence)],
        [("~Dân tộc:", p.ethnic), ("~Tôn giáo:", pr.religion)],
        [("~Nghề nghiệp:", pr.job)],
    ]


HISTORY = [
    "Học sinh phổ thông tại quê nhà",
    "Sinh viên Trường Đại học Đà Lạt",
    "Giáo viên hợp đồng Trường Tiểu học Lộc Bảo",
    "Cán bộ Đoàn xã Đinh Lạc",
    "Chuyên viên Văn phòng Ủy ban nhân dân huyện Đam Rông",
    "Phó Bí thư Đảng ủy xã Phi Tô",
    "Công chức Tư pháp - Hộ tịch xã Ka Đô",
    "Cán bộ Ban Tuyên giáo Huyện ủy Đạ Tẻh",
    "Kế toán Hợp tác xã nông nghiệp Tân Hà",
]


def _tail(lay: Layout, pr: Profile, rng: random.Random) -> None:
    st = lay.st
    pt = st.body_pt - 0.5
    if pr.form == "ĐƠN XIN VÀO ĐẢNG":
        for text in [
            "Sau khi được học tập, tìm hiểu Điều lệ Đảng Cộng sản Việt Nam, Cương lĩnh "
            "chính trị của Đảng, tôi nhận thức được Đảng là đội tiên phong của giai cấp "
            "công nhân, đồng thời là đội tiên phong của nhân dân lao động và của dân tộc "
            "Việt Nam.",
            "Tôi tự nguyện làm đơn này xin được đứng vào hàng ngũ của Đảng. Nếu được "
            "kết nạp, tôi xin hứa chấp hành nghiêm Cương lĩnh chính trị, Điều lệ Đảng, "
            "giữ gìn phẩm chất đạo đức và hoàn thành tốt nhiệm vụ được giao.",
        ]:
            lay.paragraph(_para(text), pt)
    else:
        lay.y += lay.pitch(pt)
        lay.need(lay.pitch(pt) * 6)
        head = rng.choice(
            [
                "QUÁ TRÌNH CÔNG TÁC",
                "TÓM TẮT QUÁ TRÌNH HOẠT ĐỘNG",
                "LỊCH SỬ BẢN THÂN VÀ QUÁ TRÌNH CÔNG TÁC",
            ]
        )
        lay.y += lay.pitch(pt)
        lay.centered(lay.left, lay.right, lay.y, head, "b", pt)
        year = pr.birth.year + rng.randint(17, 20)
        for job in rng.sample(HISTORY, rng.randint(3, 6)):
            nxt = year + rng.randint(2, 6)
            lay.paragraph(
                _para(
                    f"Từ tháng {rng.randint(1, 12)}/{year} đến tháng "
                    f"{rng.randint(1, 12)}/{nxt}: {job}."
                ),
                pt,
            )
            year = nxt
        if rng.random() < 0.6:
            lay.y += lay.pitch(pt) * 0.5
            lay.need(lay.pitch(pt) * 4)
            lay.y += lay.pitch(pt)
            lay.centered(lay.left, lay.right, lay.y, "QUAN HỆ GIA ĐÌNH", "b", pt)
            for rel, male in (("Cha", True), ("Mẹ", False)):
                kin = (
                    names.kinh_name(rng, male, pr.person.name.split()[0])
                    if male and pr.person.ethnic == "Kinh"
                    else names.person(rng).name
                )
                lay.paragraph(
                    _para(
                        f"- {rel}: {kin}, sinh năm {pr.birth.year - rng.randint(22, 35)}"
                        f", {rng.choice(['làm nông', 'hưu trí', 'nội trợ', 'đã mất'])}."
                    ),
                    pt,
                )
        lay.paragraph(
            _para(
                "Tôi xin cam đoan những lời khai trên là đúng sự thật, nếu sai tôi xin "
                "chịu trách nhiệm trước tổ chức."
            ),
            pt,
        )
    # Date line and signature on the right; SƠ YẾU LÝ LỊCH also has the agency's confirmation.
    W = lay.right - lay.left
    lay.need(lay.pitch(pt) * 4 + st.mm(28))
    lay.y += lay.pitch(pt)
    rcol = (lay.left + 0.45 * W, lay.right)
    dl = f"{pr.place}, {_d(pr.signed, 'words')}"
    lay.centered(*rcol, lay.y, dl, "i", _fit(lay, dl, "i", pt, rcol[1] - rcol[0]))
    start = lay.y
    if pr.form == "SƠ YẾU LÝ LỊCH" and rng.random() < 0.6:
        lay.centered(
            lay.left, lay.left + 0.45 * W, start + lay.pitch(pt), "XÁC NHẬN CỦA CƠ QUAN", "b", pt
        )
    y = start + lay.pitch(pt)
    who = "NGƯỜI LÀM ĐƠN" if pr.form == "ĐƠN XIN VÀO ĐẢNG" else "NGƯỜI KHAI"
    lay.centered(*rcol, y, who, "b", pt)
    if rng.random() < 0.6:
        y += lay.pitch(pt)
        lay.centered(*rcol, y, "(Ký, ghi rõ họ tên)", "i", pt - 1)
    sig_top = y + st.px(pt) * 0.4
    y += st.mm(rng.uniform(16, 22)) + lay.pitch(pt)
    lay.centered(*rcol, y, pr.person.name, "b", pt)
    cx = (rcol[0] + rcol[1]) / 2
    lay.page.ops.append(
        (
            "signature",
            round(cx - st.mm(20)),
            round(sig_top),
            round(st.mm(40)),
            round(y - st.px(pt) - sig_top),
            rng.randrange(1 << 30),
        )
    )
    lay.y = y


def _para(text: str):
    from bench.dev2.content import Para

    return Para(text)
