"""Vietnamese personal names: a surname lexicon and common given-name syllables.

A person's name starts with a surname, and about a hundred surnames cover nearly everyone, so a
first word that is no known surname but folds (marks and ``đ`` removed) to exactly one common
surname is that surname misread (``Nguyên Công Sơn`` → ``Nguyễn Công Sơn``). Given-name
syllables are only repaired when the OCR'd one is not a Vietnamese syllable at all and folds to
exactly one common given-name syllable. Written from general knowledge of Vietnamese names.
"""

from __future__ import annotations

from core.text import fold, normalize_vi
from extract._lexicon import is_valid_syllable

# Repair targets: common surnames whose folded forms do not collide with each other.
COMMON_SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đào",
    "Đoàn",
    "Đinh",
    "Trương",
    "Lâm",
    "Mai",
    "Trịnh",
    "Cao",
    "Lưu",
    "Hà",
    "Tô",
    "Tạ",
    "Châu",
    "Quách",
    "Lương",
    "Vương",
    "Thái",
    "Từ",
    "Kiều",
    "Khổng",
    "Tăng",
    "Triệu",
    "Tống",
    "Thân",
    "Phùng",
    "Nghiêm",
    "Mạc",
    "Kim",
    "Giang",
    "Đàm",
    "Đồng",
    "Diệp",
    "Cù",
    "Bạch",
    "Ông",
    "Ninh",
    "Nông",
    "Hứa",
    "Lục",
    "Phí",
    "Tôn",
    "Thạch",
    "Tiêu",
    "Trình",
    "Giáp",
    "Khương",
    "Khuất",
    "Doãn",
    "Bế",
    "Lường",
    "Quản",
    "Chu",
    "Văn",
    "Âu",
    "Ứng",
    "Lã",
    "Lò",
    "Hầu",
    "Nhữ",
    "Cấn",
    "Lại",
    "Lữ",
    "Phó",
    "Thiều",
    "Vi",
    "Viên",
)
# Also real surnames (or name-initial syllables of the Central Highlands peoples, e.g. K'Ho
# ``Ha Phi``, ``K'Brơi``) that a repair must never overwrite, though too rare to be targets.
OTHER_SURNAMES = (
    "La",
    "Ma",
    "Mã",
    "Hạ",
    "Đường",
    "Chử",
    "Chư",
    "Lô",
    "Đông",
    "Đổng",
    "Trang",
    "Tráng",
    "Công",
    "Dư",
    "Lai",
    "Liêu",
    "Cung",
    "Bành",
    "Sầm",
    "Mông",
    "Lộc",
    "Quan",
    "Yên",
    "Hàn",
    "Đới",
    "Ong",
    "Ha",
    "Đa",
    "Liêng",
    "Bon",
    "Rơ",
    "Sơ",
    "Kră",
    "Cil",
    "Păng",
    "Mơ",
    "Tou",
    "Ka",
    "Y",
    "H'",
    "K'",
    "Ksor",
    "Rah",
    "Siu",
    "Nay",
    "Rơ Châm",
    "Ya",
    "Ay",
)
# Common given-name (and middle-name) syllables.
GIVEN_SYLLABLES = (
    "An",
    "Anh",
    "Ánh",
    "Bảo",
    "Bích",
    "Bình",
    "Cảnh",
    "Châu",
    "Chi",
    "Chiến",
    "Chính",
    "Công",
    "Cúc",
    "Cường",
    "Đạt",
    "Diễm",
    "Diệp",
    "Điệp",
    "Đình",
    "Doanh",
    "Đông",
    "Đức",
    "Dũng",
    "Dung",
    "Duy",
    "Duyên",
    "Gấm",
    "Giang",
    "Hà",
    "Hải",
    "Hân",
    "Hạnh",
    "Hào",
    "Hảo",
    "Hậu",
    "Hiền",
    "Hiển",
    "Hiệp",
    "Hiếu",
    "Hoa",
    "Hóa",
    "Hòa",
    "Hoài",
    "Hoàn",
    "Hoàng",
    "Hồng",
    "Huân",
    "Huệ",
    "Hùng",
    "Hưng",
    "Hương",
    "Hữu",
    "Huy",
    "Huyền",
    "Kha",
    "Khải",
    "Khang",
    "Khánh",
    "Khoa",
    "Khôi",
    "Kiên",
    "Kiệt",
    "Kim",
    "Lam",
    "Lan",
    "Lâm",
    "Lệ",
    "Liên",
    "Liễu",
    "Linh",
    "Loan",
    "Lộc",
    "Lợi",
    "Long",
    "Luân",
    "Lực",
    "Lương",
    "Ly",
    "Mai",
    "Mạnh",
    "Minh",
    "My",
    "Mỹ",
    "Nam",
    "Nga",
    "Ngân",
    "Nghĩa",
    "Ngọc",
    "Nguyên",
    "Nhân",
    "Nhi",
    "Nhung",
    "Ninh",
    "Oanh",
    "Phát",
    "Phong",
    "Phú",
    "Phúc",
    "Phụng",
    "Phương",
    "Phượng",
    "Quân",
    "Quang",
    "Quế",
    "Quốc",
    "Quý",
    "Quyên",
    "Quyết",
    "Quỳnh",
    "Sang",
    "Sâm",
    "Sĩ",
    "Sinh",
    "Sơn",
    "Tài",
    "Tâm",
    "Tân",
    "Thắm",
    "Thắng",
    "Thanh",
    "Thành",
    "Thảo",
    "Thế",
    "Thị",
    "Thịnh",
    "Thơ",
    "Thoa",
    "Thu",
    "Thư",
    "Thuận",
    "Thục",
    "Thúy",
    "Thủy",
    "Tiến",
    "Tín",
    "Toàn",
    "Trà",
    "Trâm",
    "Trang",
    "Trí",
    "Triều",
    "Trinh",
    "Trọng",
    "Trung",
    "Trường",
    "Tú",
    "Tuấn",
    "Tùng",
    "Tường",
    "Tuyết",
    "Uyên",
    "Văn",
    "Vân",
    "Việt",
    "Vinh",
    "Vĩnh",
    "Vy",
    "Xuân",
    "Yên",
    "Yến",
)


def _norm(word: str) -> str:
    return normalize_vi(word).casefold()


_KNOWN_SURNAMES = frozenset(_norm(s) for s in COMMON_SURNAMES + OTHER_SURNAMES)
_GIVEN = frozenset(_norm(s) for s in GIVEN_SYLLABLES)


def _index(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for w in words:
        out.setdefault(fold(w).casefold(), set()).add(normalize_vi(w))
    return {k: tuple(sorted(v)) for k, v in out.items()}


# Folded key → every known form, so a key shared with a rare surname never repairs.
_SURNAME_BY_FOLD = _index(COMMON_SURNAMES + OTHER_SURNAMES)
_GIVEN_BY_FOLD = _index(GIVEN_SYLLABLES)


def is_known_surname(word: str) -> bool:
    """Whether ``word`` (any case, either tone placement) is a known surname."""
    return _norm(word) in _KNOWN_SURNAMES


def _like(word: str, model: str) -> str:
    """``word`` in the letter case of ``model`` (NGUYỄN, Nguyễn)."""
    return word.upper() if model.isupper() and len(model) > 1 else word


# Văn and Thị are by far the commonest middle names; a middle word that folds to one of them
# but is no name syllable ("Trần Vẫn Phước", "Lê Thì Hoa") is that middle name misread.
_MIDDLE_BY_FOLD = {"van": "Văn", "thi": "Thị"}
_MIDDLE_KEEP = frozenset({"thi"})  # Thi is a name of its own (Trần Thi Thuỳ)


def _fold_one(word: str, index: dict[str, tuple[str, ...]]) -> str | None:
    forms = index.get(fold(word).casefold(), ())
    return forms[0] if len(forms) == 1 else None


def repair_person_name(name: str) -> tuple[str, list[str]]:
    """Repair OCR diacritic errors in a personal name by the lexicons.

    Returns the (possibly unchanged) name and the rules applied: ``surname_fold`` when the
    first word became a common surname, ``middle_name_fold`` when a middle word that is no
    name syllable became Văn or Thị, ``given_name_fold`` when an invalid given-name syllable
    became a common one. Letter case is kept (``NGUYÊN`` → ``NGUYỄN``).
    """
    words = name.split()
    if not 2 <= len(words) <= 6:
        return name, []
    rules: list[str] = []
    first = words[0]
    if not is_known_surname(first):
        fixed = _fold_one(first, _SURNAME_BY_FOLD)
        if fixed is not None and _norm(fixed) != _norm(first):
            words[0] = _like(fixed, first)
            rules.append("surname_fold")
    middle = words[1]
    if len(words) >= 3 and middle.isalpha() and _norm(middle) not in _GIVEN | _MIDDLE_KEEP:
        fixed = _MIDDLE_BY_FOLD.get(fold(middle).casefold())
        if fixed is not None:
            words[1] = _like(fixed, middle)
            rules.append("middle_name_fold")
    for i, w in enumerate(words[1:], start=1):
        if _norm(w) in _GIVEN or not w.isalpha() or is_valid_syllable(w) is not False:
            continue  # known, not a plain word, valid syllable, or no syllable list installed
        fixed = _fold_one(w, _GIVEN_BY_FOLD)
        if fixed is not None:
            words[i] = _like(fixed, w)
            if "given_name_fold" not in rules:
                rules.append("given_name_fold")
    return " ".join(words), rules
