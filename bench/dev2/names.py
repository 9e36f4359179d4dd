"""Personal-name model for dev2: Kinh names by surname frequency, and Lâm Đồng ethnic names.

Frequencies are rounded shares of the commonest Vietnamese surnames; the rarer ones get a small
weight each so that a 60-document corpus still meets several of them. Ethnic names follow the
naming customs of the K'Ho (``K'`` for men, ``Ka`` for women; clan names such as Liêng Hót,
Bon Niêng, Cil among the Lạch and Chil), the Mạ (clan name Điểu) and the Churu (Touneh, Ya, Ma).
Given names deliberately include ones that OCR confuses by a single diacritic (Thắng/Thăng,
Hường/Hưởng/Hương, Chi/Chí, Ngữ/Ngự).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES: dict[str, float] = {
    "Nguyễn": 38.0,
    "Trần": 11.0,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Hoàng": 4.0,
    "Huỳnh": 3.0,
    "Phan": 4.5,
    "Vũ": 3.5,
    "Võ": 3.0,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.6,
    # Rarer surnames: each one is uncommon, together they are about a tenth of the names.
    "Trịnh": 0.5,
    "Đinh": 0.5,
    "Lâm": 0.4,
    "Mai": 0.4,
    "Tạ": 0.3,
    "Hà": 0.4,
    "Lưu": 0.3,
    "Cao": 0.4,
    "Chu": 0.3,
    "Kiều": 0.3,
    "Lương": 0.4,
    "Quách": 0.3,
    "Thái": 0.3,
    "Tôn": 0.2,
    "Vương": 0.3,
    "Đoàn": 0.4,
    "La": 0.2,
    "Triệu": 0.3,
    "Lục": 0.2,
    "Âu": 0.2,
    "Phùng": 0.3,
    "Khổng": 0.2,
    "Ông": 0.2,
    "Mạc": 0.2,
    "Giang": 0.2,
    "Tăng": 0.2,
    "Thân": 0.2,
    "Đàm": 0.2,
    "Lại": 0.2,
    "Nông": 0.2,
    "Hứa": 0.2,
    "Văn": 0.1,
}

MIDDLE_MALE = [
    "Văn",
    "Đức",
    "Minh",
    "Hữu",
    "Quang",
    "Xuân",
    "Công",
    "Đình",
    "Thanh",
    "Ngọc",
    "Tiến",
    "Quốc",
    "Mạnh",
    "Trọng",
    "Duy",
    "Hoàng",
    "Anh",
    "Bá",
    "Thế",
    "Khắc",
    "Viết",
    "Trung",
    "Hồng",
    "Kim",
    "Phước",
    "Tấn",
]
MIDDLE_FEMALE = [
    "Thị",
    "Ngọc",
    "Thanh",
    "Thu",
    "Kim",
    "Minh",
    "Hồng",
    "Thúy",
    "Mỹ",
    "Bích",
    "Phương",
    "Diệu",
    "Hải",
    "Xuân",
    "Thùy",
    "Quỳnh",
    "Khánh",
    "Tuyết",
]
GIVEN_MALE = [
    "Thắng",
    "Thăng",
    "Hùng",
    "Dũng",
    "Cường",
    "Sơn",
    "Tuấn",
    "Hải",
    "Quang",
    "Trung",
    "Hưởng",
    "Ngữ",
    "Ngự",
    "An",
    "Chí",
    "Toàn",
    "Lực",
    "Lộc",
    "Thịnh",
    "Khoa",
    "Định",
    "Hiếu",
    "Nghĩa",
    "Phúc",
    "Thuận",
    "Kỳ",
    "Vỹ",
    "Ước",
    "Thưởng",
    "Khải",
    "Tường",
    "Tín",
    "Bảo",
    "Đạt",
    "Hòa",
    "Kiên",
    "Luận",
    "Mẫn",
    "Nhân",
    "Quý",
    "Sỹ",
    "Tài",
    "Thảo",
    "Tuệ",
    "Việt",
    "Vĩnh",
    "Xuyên",
    "Đông",
    "Khương",
    "Lãm",
    "Ẩn",
]
GIVEN_FEMALE = [
    "Hường",
    "Hương",
    "Quỳnh",
    "Chi",
    "An",
    "Hằng",
    "Huyền",
    "Nguyệt",
    "Thủy",
    "Ngân",
    "Trinh",
    "Xuân",
    "Yến",
    "Nhung",
    "Loan",
    "Thoa",
    "Ngữ",
    "Dịu",
    "Liễu",
    "Diễm",
    "Tuyết",
    "Oanh",
    "Lệ",
    "Mỹ",
    "Nhàn",
    "Phượng",
    "Sương",
    "Thắm",
    "Uyên",
    "Vân",
    "Ánh",
    "Hảo",
    "Khuê",
    "Lụa",
    "Mận",
    "Nở",
    "Thơm",
    "Trâm",
    "Ỷ Lan",
]

# Ethnic-minority names as they are written in Lâm Đồng records (the apostrophe is ASCII).
KHO_MALE = [
    "K'Điệp",
    "K'Brèo",
    "K'Sớ",
    "K'Bình",
    "K'Tiếu",
    "K'Mát",
    "K'Gái",
    "K'Plơi",
    "K'Lâm",
    "K'Ní",
    "K'Bốp",
    "K'Dũng",
    "K'Jen",
    "K'Sang",
    "K' Hoàng",
    "K' Vin",
]
KHO_FEMALE = [
    "Ka Sô",
    "Ka Hòa",
    "Ka Ly",
    "Ka Nhung",
    "Ka Phiên",
    "Ka Đim",
    "Ka Bình",
    "Ka Huyên",
    "Ka Sanh",
    "Ka Dỗ",
]
KHO_CLAN = [  # (clan, male given names, female given names; women take "Ha")
    ("Liêng Hót", ["Kim", "Sơn", "Ha Wuôn"], ["Ha Ngoan", "Ha Yên", "Ha Thu"]),
    ("Bon Niêng", ["Ha Thôn", "Sơn", "Đa Ha"], ["Ha Thoa", "Ha Miên"]),
    ("Liêng Jrang", ["Ha Bi", "Ha Dung"], ["Ha Bi", "Ha Jrang"]),
    ("Cil", ["Mup", "Duy", "Tơ Nhon", "Pang"], ["Ha Lin", "Ha Ni"]),
    ("Rơ Ông", ["Sơn", "Ha Đông", "Ha Ngọc"], ["Ha Yin", "Ha Djê"]),
    ("Kơ Să", ["Ha Sáu", "K'Tiên", "Ha Kim"], ["Ha Ngân", "Ha Phương"]),
    ("Bon Đơ", ["Sim", "Ha Bin"], ["Ha Lan", "Ha Hiền"]),
    ("Kră Jăn", ["Dênh", "Ha Tuấn"], ["Ha Mai", "Ha Sơn"]),
    ("Đa Cát", ["Ha Sim", "Ha Lin"], ["Ha Lê", "Ha Nhung"]),
]
MA_NAMES = [
    "Điểu K'Lung",
    "Điểu K'Ré",
    "Điểu K'Rơm",
    "Điểu Ka Hương",
    "Điểu Thị Nhung",
    "Điểu Hùng",
    "Điểu Kim",
    "Ka Đường",
    "K'Lang",
    "Điểu Ka Lý",
]
MA_FEMALE = {"Điểu Ka Hương", "Điểu Thị Nhung", "Ka Đường", "Điểu Ka Lý"}
CHURU_MALE = [
    "Touneh Hàn",
    "Touneh Hàn Tiệp",
    "Ya Tuất",
    "Ya Hàn",
    "Ya Thuận",
    "Touneh Sang",
    "Bo Bo Ha Din",
    "Ya Duy",
]
CHURU_FEMALE = ["Ma Hoa", "Ma Thu", "Ma Đoan", "Ma Ri", "Touneh Ha Sương", "Ma Lan"]
# Northern minorities who settled in Lâm Đồng: Kinh-style names with their own surnames.
NORTH_SURNAMES = {
    "Tày": ["Nông", "Hoàng", "Ma", "Hà", "Lương"],
    "Nùng": ["Lục", "Hoàng", "Vi", "Nông", "Lý"],
    "Hoa": ["Hứa", "La", "Quách", "Lâm", "Tăng"],
    "Mường": ["Bùi", "Đinh", "Quách", "Hà", "Trương"],
}


@dataclass(frozen=True, slots=True)
class Person:
    """A person as printed: ``name`` in normal case, ``male`` and the ethnic group."""

    name: str
    male: bool
    ethnic: str

    @property
    def upper(self) -> str:
        """The name in capitals as forms print it (``K'ĐIỆP``, ``LIÊNG HÓT HA NGOAN``)."""
        return self.name.upper()


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    names = list(table)
    return rng.choices(names, weights=[table[n] for n in names])[0]


def kinh_name(rng: random.Random, male: bool, surname: str | None = None) -> str:
    """Draw a Kinh-style name: surname, none/one/two middle names, given name."""
    sur = surname or _weighted(rng, SURNAMES)
    middles = MIDDLE_MALE if male else MIDDLE_FEMALE
    given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    n_mid = rng.choices([0, 1, 2], weights=[6, 80, 14])[0]
    if " " in given:  # "Ỷ Lan" already carries two syllables
        n_mid = min(n_mid, 1)
    mids = rng.sample(middles, n_mid)
    return " ".join([sur, *mids, given])


def person(rng: random.Random, ethnic_share: float = 0.22) -> Person:
    """Draw a person; about ``ethnic_share`` of them are not Kinh."""
    male = rng.random() < 0.6
    if rng.random() >= ethnic_share:
        return Person(kinh_name(rng, male), male, "Kinh")
    group = rng.choices(
        ["K'Ho", "Mạ", "Churu", "Tày", "Nùng", "Hoa", "Mường"], weights=[40, 12, 14, 10, 8, 8, 8]
    )[0]
    if group == "K'Ho":
        if rng.random() < 0.5:
            return Person(rng.choice(KHO_MALE if male else KHO_FEMALE), male, group)
        clan, men, women = rng.choice(KHO_CLAN)
        return Person(f"{clan} {rng.choice(men if male else women)}", male, group)
    if group == "Mạ":
        name = rng.choice(MA_NAMES)
        return Person(name, name not in MA_FEMALE, group)
    if group == "Churu":
        return Person(rng.choice(CHURU_MALE if male else CHURU_FEMALE), male, group)
    sur = rng.choice(NORTH_SURNAMES[group])
    return Person(kinh_name(rng, male, surname=sur), male, group)
