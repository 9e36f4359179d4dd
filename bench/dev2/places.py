"""Places for dev2: Lâm Đồng's districts and communes, and settlers' home provinces.

The units are those before the 2025 merger (the archive's era).

The dev corpus draws most birthplaces from provinces outside Lâm Đồng; dev2 takes most of them
from Lâm Đồng's own communes, including names with apostrophes and rare syllables (Đạ K'Nàng,
N'Thol Hạ, B'Lá, Mađaguôi) that trip both OCR and place repair.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# district (as printed in an address) -> (short name used in date lines, communes as printed)
DISTRICTS: dict[str, tuple[str, list[str]]] = {
    "thành phố Đà Lạt": (
        "Đà Lạt",
        [
            "Phường 1",
            "Phường 2",
            "Phường 3",
            "Phường 4",
            "Phường 5",
            "Phường 7",
            "Phường 8",
            "Phường 9",
            "Phường 10",
            "Phường 11",
            "Phường 12",
            "xã Xuân Thọ",
            "xã Xuân Trường",
            "xã Tà Nung",
            "xã Trạm Hành",
        ],
    ),
    "thành phố Bảo Lộc": (
        "Bảo Lộc",
        [
            "Phường 1",
            "Phường 2",
            "phường B'Lao",
            "phường Lộc Phát",
            "phường Lộc Tiến",
            "phường Lộc Sơn",
            "xã Lộc Châu",
            "xã Đại Lào",
            "xã Đạm Bri",
            "xã Lộc Thanh",
            "xã Lộc Nga",
        ],
    ),
    "huyện Đam Rông": (
        "Đam Rông",
        [
            "xã Rô Men",
            "xã Phi Liêng",
            "xã Đạ K'Nàng",
            "xã Liêng Srônh",
            "xã Đạ Rsal",
            "xã Đạ M'Rông",
            "xã Đạ Tông",
            "xã Đạ Long",
        ],
    ),
    "huyện Lạc Dương": (
        "Lạc Dương",
        ["thị trấn Lạc Dương", "xã Đạ Sar", "xã Đạ Nhim", "xã Đạ Chais", "xã Đưng K'Nớ", "xã Lát"],
    ),
    "huyện Đơn Dương": (
        "Đơn Dương",
        [
            "thị trấn Thạnh Mỹ",
            "thị trấn D'Ran",
            "xã Lạc Xuân",
            "xã Lạc Lâm",
            "xã Ka Đô",
            "xã Pró",
            "xã Quảng Lập",
            "xã Tu Tra",
            "xã Ka Đơn",
            "xã Đạ Ròn",
        ],
    ),
    "huyện Đức Trọng": (
        "Đức Trọng",
        [
            "thị trấn Liên Nghĩa",
            "xã Hiệp An",
            "xã Hiệp Thạnh",
            "xã Liên Hiệp",
            "xã N'Thol Hạ",
            "xã Phú Hội",
            "xã Tà Năng",
            "xã Đà Loan",
            "xã Ninh Gia",
            "xã Tà Hine",
            "xã Đa Quyn",
            "xã Bình Thạnh",
            "xã Tân Hội",
            "xã Tân Thành",
            "xã Ninh Loan",
        ],
    ),
    "huyện Lâm Hà": (
        "Lâm Hà",
        [
            "thị trấn Đinh Văn",
            "thị trấn Nam Ban",
            "xã Mê Linh",
            "xã Đông Thanh",
            "xã Gia Lâm",
            "xã Nam Hà",
            "xã Phi Tô",
            "xã Đạ Đờn",
            "xã Tân Hà",
            "xã Tân Văn",
            "xã Phúc Thọ",
            "xã Liên Hà",
            "xã Đan Phượng",
            "xã Hoài Đức",
            "xã Tân Thanh",
            "xã Phú Sơn",
        ],
    ),
    "huyện Bảo Lâm": (
        "Bảo Lâm",
        [
            "thị trấn Lộc Thắng",
            "xã Lộc Bắc",
            "xã Lộc Bảo",
            "xã Lộc Lâm",
            "xã Lộc Phú",
            "xã B'Lá",
            "xã Lộc Ngãi",
            "xã Lộc Quảng",
            "xã Lộc Tân",
            "xã Lộc An",
            "xã Lộc Đức",
            "xã Lộc Thành",
            "xã Tân Lạc",
            "xã Lộc Nam",
        ],
    ),
    "huyện Di Linh": (
        "Di Linh",
        [
            "thị trấn Di Linh",
            "xã Gung Ré",
            "xã Bảo Thuận",
            "xã Đinh Trang Hòa",
            "xã Tam Bố",
            "xã Liên Đầm",
            "xã Hòa Ninh",
            "xã Đinh Lạc",
            "xã Tân Nghĩa",
            "xã Gia Hiệp",
            "xã Sơn Điền",
            "xã Gia Bắc",
            "xã Tân Châu",
            "xã Đinh Trang Thượng",
            "xã Hòa Bắc",
            "xã Hòa Nam",
            "xã Hòa Trung",
            "xã Tân Thượng",
            "xã Tân Lâm",
        ],
    ),
    "huyện Đạ Huoai": (
        "Đạ Huoai",
        [
            "thị trấn Mađaguôi",
            "thị trấn Đạ M'ri",
            "xã Hà Lâm",
            "xã Đạ Oai",
            "xã Đạ Tồn",
            "xã Phước Lộc",
            "xã Đoàn Kết",
            "xã Mađaguôi",
            "xã Đạ P'Loa",
        ],
    ),
    "huyện Đạ Tẻh": (
        "Đạ Tẻh",
        [
            "thị trấn Đạ Tẻh",
            "xã An Nhơn",
            "xã Quảng Trị",
            "xã Triệu Hải",
            "xã Đạ Kho",
            "xã Mỹ Đức",
            "xã Quốc Oai",
            "xã Đạ Lây",
            "xã Hà Đông",
            "xã Đạ Pal",
        ],
    ),
    "huyện Cát Tiên": (
        "Cát Tiên",
        [
            "thị trấn Cát Tiên",
            "thị trấn Phước Cát",
            "xã Đức Phổ",
            "xã Gia Viễn",
            "xã Nam Ninh",
            "xã Phước Cát 2",
            "xã Tiên Hoàng",
            "xã Quảng Ngãi",
            "xã Mỹ Lâm",
            "xã Đồng Nai Thượng",
        ],
    ),
}

# Home communes of settlers (full addresses as written in personal files).
HOMELANDS = {
    "Kinh": [
        "xã Hoằng Phụ, huyện Hoằng Hóa, tỉnh Thanh Hóa",
        "xã Điện Phước, huyện Điện Bàn, tỉnh Quảng Nam",
        "xã Phổ Thạnh, huyện Đức Phổ, tỉnh Quảng Ngãi",
        "xã Cát Tân, huyện Phù Cát, tỉnh Bình Định",
        "xã Nam Hồng, huyện Nam Trực, tỉnh Nam Định",
        "xã Hồng Phong, huyện Ninh Giang, tỉnh Hải Dương",
        "xã Phong Hòa, huyện Phong Điền, tỉnh Thừa Thiên Huế",
        "xã Thái Thượng, huyện Thái Thụy, tỉnh Thái Bình",
        "xã Diễn Thành, huyện Diễn Châu, tỉnh Nghệ An",
        "xã Cẩm Thạch, huyện Cẩm Xuyên, tỉnh Hà Tĩnh",
    ],
    "Tày": ["xã Đức Long, huyện Hòa An, tỉnh Cao Bằng"],
    "Nùng": ["xã Tân Thanh, huyện Văn Lãng, tỉnh Lạng Sơn"],
    "Mường": ["xã Phong Phú, huyện Tân Lạc, tỉnh Hòa Bình"],
    "Hoa": ["phường 11, quận 5, Thành phố Hồ Chí Minh"],
}


@dataclass(frozen=True, slots=True)
class Locality:
    """A commune of Lâm Đồng: ``commune`` and ``district`` as printed, ``short`` district name."""

    commune: str
    district: str
    short: str

    def address(self, with_province: bool = True) -> str:
        """``xã Tân Hà, huyện Lâm Hà, tỉnh Lâm Đồng`` (or without the province)."""
        tail = ", tỉnh Lâm Đồng" if with_province else ", Lâm Đồng"
        return f"{self.commune}, {self.district}{tail}"

    @property
    def commune_name(self) -> str:
        """The commune's own name without its kind: ``Tân Hà``, ``Phường 4`` stays whole."""
        for kind in ("thị trấn ", "xã ", "phường "):
            if self.commune.startswith(kind):
                return self.commune[len(kind) :]
        return self.commune


def district_names() -> list[str]:
    """Return the short names of the twelve districts and cities."""
    return [short for short, _ in DISTRICTS.values()]


def locality(rng: random.Random, short: str | None = None) -> Locality:
    """Draw a commune, from district ``short`` when given."""
    if short is None:
        district = rng.choice(list(DISTRICTS))
    else:
        district = next(d for d, (s, _) in DISTRICTS.items() if s == short)
    s, communes = DISTRICTS[district]
    return Locality(rng.choice(communes), district, s)


def birthplace(rng: random.Random, ethnic: str) -> str:
    """Draw a birthplace: Lâm Đồng for natives, often the homeland for settlers."""
    if ethnic in ("K'Ho", "Mạ", "Churu") or rng.random() < 0.55:
        return locality(rng).address(with_province=rng.random() < 0.8)
    return rng.choice(HOMELANDS.get(ethnic, HOMELANDS["Kinh"]))
