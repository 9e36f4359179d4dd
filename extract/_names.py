"""Vietnamese personal names: a model of surnames, middle names and given names.

OCR confuses marks (``Chi``/``Chỉ``, ``An``/``Ấn``, ``Thắng``/``Thẳng``, ``Phương``/``Phưởng``)
and drops or adds a letter under a seal (``ức`` for ``Đức``). A name is read word by word:
each word's candidates are the name syllables that fold to the same letters (marks and ``đ``
removed) — or, for a word that is no syllable or stands in lower case, those one letter away —
scored by how common they are in that position (surname, middle, given) and by how few marks
they change. The reading stays when it is itself a likely name word, so an unusual but real
name printed clearly (``Hạ``, ``Ẩn``) is kept unless a far more common name is one mark away.

Sources and licences. Surname shares are those of the table in Wikipedia's "Vietnamese name"
article (CC BY-SA 4.0; the shares are facts: Nguyễn 38.4 %, Trần 12.1 %, Lê 9.5 %, Phạm 7 %,
Hoàng/Huỳnh 5.1 %, Phan 4.5 %, Vũ/Võ 3.9 %, Đặng 2.1 %, Bùi 2 %, Đỗ 1.4 %, Hồ 1.3 %, Ngô
1.3 %, Dương 1 %, Lý 0.5 %). The word lists and their common/less common tiers are written
from general knowledge of Vietnamese and of the peoples of Lâm Đồng (K'Ho, Mạ, Churu):
no maintained, licensed list of Vietnamese given-name frequencies could be installed from
this project's registries (PyPI and npm were searched: Faker's vi_VN list has 40 names, the
names-dataset package is built from a leaked social-network dump, unfit for a state archive).
"""

from __future__ import annotations

import unicodedata

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
    "Touneh",  # Churu
    "Điểu",  # Mạ, S'tiêng
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
    "Thi",
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


# Share of the population (percent), Wikipedia's "Vietnamese name" table; the
# Hoàng/Huỳnh and Vũ/Võ pairs are split north/south as their usual proportions.
SURNAME_SHARE = {
    "Nguyễn": 38.4,
    "Trần": 12.1,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Hoàng": 3.5,
    "Huỳnh": 1.6,
    "Phan": 4.5,
    "Vũ": 2.4,
    "Võ": 1.5,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.5,
}
# The next tier, from general knowledge: well below the table's last (Lý) but far above rare
# names such as Doãn, Lã or Khổng.
SURNAME_SHARE.update(
    dict.fromkeys(
        ("Đoàn", "Đào", "Đinh", "Trương", "Lâm", "Mai", "Trịnh", "Cao", "Lưu", "Hà", "Lương"),
        0.5,
    )
)
# Middle names by how common they are (Văn and Thị far ahead of the rest).
MIDDLE_SHARE = {
    "Văn": 25.0,
    "Thị": 25.0,
    **dict.fromkeys(
        ("Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Xuân", "Thu", "Kim", "Công", "Đình",
         "Hồng", "Anh", "Thành", "Trọng", "Quốc", "Mạnh", "Tiến", "Như", "Bảo", "Duy", "Hoàng",
         "Tuấn", "Phương", "Thúy", "Mỹ", "Hải", "Việt", "Khánh", "Trung", "Phúc", "Tấn", "Hoài",
         "Huy", "Bích", "Tường", "Vĩnh", "Thế", "Hoài", "Gia", "Thái", "Nhật", "Diệu"),
        2.0,
    ),
}  # fmt: skip
# Given names heard everywhere; the rest of GIVEN_SYLLABLES are less common but usual.
COMMON_GIVEN = (
    "Anh", "Minh", "Hoàng", "Thanh", "Ngọc", "Hương", "Hùng", "Dũng", "Tuấn", "Hải", "Hà", "Linh",
    "Lan", "Trang", "Phương", "Hằng", "Huyền", "Thu", "Mai", "Nam", "Sơn", "Long", "Hiếu",
    "Quang", "Đức", "Xuân", "Thảo", "Hoa", "Yến", "Nga", "Hồng", "Tùng", "Thành", "Trung",
    "Hiền", "Hạnh", "Hòa", "Bình", "Cường", "Thắng", "Quân", "Huy", "Khánh", "Vân", "Vinh",
    "Tâm", "Thủy", "Chi", "Nhung", "Loan", "Oanh", "Quỳnh", "Dung", "Giang", "Hưng", "Phúc",
    "Trọng", "Việt", "Tú", "Lâm", "Hạnh", "Tiến", "Thịnh", "Đạt", "Phong", "Khoa", "Lộc",
    "An", "Bảo", "Châu", "Diệp", "Tài", "Nhân", "Thủy", "Lực", "Vy", "Uyên", "Trâm",
)  # fmt: skip
# More given and middle names in everyday use (beyond GIVEN_SYLLABLES), general knowledge.
MORE_GIVEN = (
    "Ái", "Bá", "Bắc", "Bằng", "Cầm", "Cát", "Chánh", "Chí", "Chiêu", "Chinh", "Chung",
    "Cương", "Đại", "Đan", "Đào", "Điền", "Định", "Đoan", "Dương", "Gia", "Hạ", "Hàn", "Hậu",
    "Hiệu", "Hoan", "Học", "Huấn", "Hướng", "Hường", "Hưởng", "Kế", "Khiêm", "Khuê", "Kiều",
    "Lài", "Lãm", "Lành", "Lễ", "Liêm", "Lĩnh", "Luận", "Lượng", "Lưu", "Lý", "Mẫn", "Mận",
    "Mến", "Miên", "Mừng", "Năm", "Nết", "Nghị", "Ngoan", "Nguyệt", "Nhàn", "Nhật", "Nho",
    "Nhu", "Nhuận", "Phấn", "Phi", "Phước", "Quí", "Quyền", "Sáng", "Sen", "Sương", "Sỹ",
    "Tạo", "Tất", "Thạch", "Thái", "Thân", "Thăng", "Thao", "Thiện", "Thiết", "Thìn",
    "Thoại", "Thông", "Thơm", "Thuần", "Thương", "Thường", "Tiên", "Tình", "Toản", "Tốt",
    "Triết", "Trúc", "Trực", "Tươi", "Tuyền", "Ước", "Viết", "Vui", "Vượng", "Xuyến", "Dịu",
    "Ngữ", "Ẩn", "Ỷ", "Khương", "Hãn", "Luân", "Ngự", "Thắm", "Thùy", "Thúy", "Diễm",
)  # fmt: skip
# Syllables of K'Ho, Mạ, Churu and other Central Highlands names (family and given).
HIGHLAND_SYLLABLES = (
    "K'", "Ka", "Kơ", "Cil", "Liêng", "Bon", "Đa", "Ya", "Sơ", "Rơ", "Păng", "Mơ", "Tou",
    "Touneh", "Điểu", "Ma", "Nai", "Bơ", "Lơ", "Kră", "Jăn", "Ha", "Hót", "Niêng", "Sô", "Brèo",
    "Điệp", "Jrang", "Bi", "Mup", "Tuất", "H'", "Y", "Ksor", "Rah", "Siu", "Nay", "Kpă",
    "Krajan", "Đinh", "Lang", "Sang",
)  # fmt: skip


def _norm(word: str) -> str:
    return normalize_vi(word).casefold()


def _build(pairs: dict[str, float]) -> dict[str, tuple[str, float]]:
    """Map the normalised form to (canonical spelling, share), keeping the larger share."""
    out: dict[str, tuple[str, float]] = {}
    for word, share in pairs.items():
        key = _norm(word)
        if key not in out or out[key][1] < share:
            out[key] = (normalize_vi(word), share)
    return out


_SURNAMES = _build(
    {
        **dict.fromkeys(OTHER_SURNAMES, 0.02),
        **dict.fromkeys(COMMON_SURNAMES, 0.15),
        **SURNAME_SHARE,
    }
)
_GIVEN = _build(
    {
        **dict.fromkeys(HIGHLAND_SYLLABLES, 0.3),
        **dict.fromkeys(MORE_GIVEN, 0.4),
        **dict.fromkeys(GIVEN_SYLLABLES, 0.6),
        **dict.fromkeys(COMMON_GIVEN, 2.0),
    }
)
_MIDDLE = _build({**{k: v * 0.3 for k, v in _GIVEN.values()}, **MIDDLE_SHARE})
_HIGHLAND = _build(dict.fromkeys(HIGHLAND_SYLLABLES, 1.0))
_KINH = frozenset(
    _norm(w)
    for w in (
        *COMMON_SURNAMES,
        *SURNAME_SHARE,
        *GIVEN_SYLLABLES,
        *COMMON_GIVEN,
        *MORE_GIVEN,
        *MIDDLE_SHARE,
    )  # fmt: skip
)
_FOREIGN_LETTERS = frozenset("fjwzFJWZ")
_UNKNOWN_VALID = 0.03  # a real syllable that is no name we know
_INVALID = 0.001  # no Vietnamese syllable at all
_UNKNOWN_SURNAME = 0.01  # a real syllable in the surname's place that is no surname
_CLEAR = 4.0  # a candidate must be this many times likelier than the reading
_CLEAR_KNOWN = 20.0  # … and far likelier when the reading is itself a name ("Vân", not "Văn")
_SECOND = 2.0  # and this many times likelier than the runner-up


def _by_fold(table: dict[str, tuple[str, float]]) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for canon, share in table.values():
        out.setdefault(fold(canon).casefold(), []).append((canon, share))
    return out


_TABLES = {"surname": _SURNAMES, "middle": _MIDDLE, "given": _GIVEN, "highland": _HIGHLAND}
_FOLDS = {name: _by_fold(tab) for name, tab in _TABLES.items()}


def is_known_surname(word: str) -> bool:
    """Whether ``word`` (any case, either tone placement) is a known surname."""
    return _norm(word) in _SURNAMES


def is_highland_word(word: str) -> bool:
    """Whether ``word`` is a syllable of the Highland peoples' names (``Kơ``, ``Cil``, ``Jrang``).

    Many break Vietnamese spelling (``k`` before ``ơ``), so the syllable list rejects them.
    """
    return _norm(word) in _HIGHLAND


def name_words(name: str) -> int:
    """How many words of ``name`` are name syllables the model knows, in any position."""
    return sum(
        any(_norm(w) in _TABLES[role] for role in ("surname", "middle", "given", "highland"))
        for w in name.split()
    )


# Another spelling this common, next to the reading's own share, makes a misread mark plausible.
_RIVAL = 0.3


def name_support(name: str) -> tuple[bool, int, int]:
    """Return (surname known, words the model does not know, words with a rival spelling).

    A rival is a name the model knows with the same letters under other marks and a share at
    least ``_RIVAL`` of the reading's own: a misread mark there still looks like a name.
    """
    words = [w.strip(",.;:()") for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return False, 0, 0
    unknown = ambiguous = 0
    for i, w in enumerate(words):
        roles = ("surname",) if i == 0 else ("middle", "given", "highland")
        if not any(_norm(w) in _TABLES[r] for r in roles):
            unknown += 1
        own = max((_TABLES[r].get(_norm(w), ("", 0.0))[1] for r in roles), default=0.0)
        rivals = [
            share
            for r in roles
            for c, share in _FOLDS[r].get(fold(w).casefold(), [])
            if _norm(c) != _norm(w)
        ]
        ambiguous += any(share >= own * _RIVAL for share in rivals)
    return is_known_surname(words[0]), unknown, ambiguous


def _like(word: str, model: str) -> str:
    """``word`` in the letter case of ``model`` (NGUYỄN, Nguyễn)."""
    return word.upper() if model.isupper() and len(model) > 1 else word


def _marks(a: str, b: str) -> int:
    """Count the letters whose marks differ between two words of the same folded letters."""
    na, nb = unicodedata.normalize("NFD", a.casefold()), unicodedata.normalize("NFD", b.casefold())
    return sum(
        x != y for x, y in zip(_letters_with_marks(na), _letters_with_marks(nb), strict=False)
    )


def _letters_with_marks(nfd: str) -> list[str]:
    out: list[str] = []
    for ch in nfd:
        if unicodedata.category(ch) == "Mn" and out:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _one_letter_away(a: str, b: str) -> bool:
    """Whether two folded words differ by one letter added, dropped or changed."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _reading_score(word: str, role: str) -> float:
    known = _TABLES[role].get(_norm(word))
    if known is not None:
        return known[1]
    valid = is_valid_syllable(word)
    return _UNKNOWN_VALID if valid is not False else _INVALID


def _best(word: str, role: str, suspicious: bool, lower: bool = False) -> str | None:
    """Return the likelier name word for a reading, or None to keep the reading."""
    key = fold(word).casefold()
    scored: dict[str, float] = {}
    for canon, share in _FOLDS[role].get(key, []):
        scored[canon] = share * 0.35 ** _marks(word, canon)
    if suspicious and not scored:  # no syllable, or a lower-case word: a letter may be wrong
        for folded, entries in _FOLDS[role].items():
            if _one_letter_away(key, folded):
                for canon, share in entries:
                    scored[canon] = max(scored.get(canon, 0.0), share * 0.05)
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    canon, score = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    known = _norm(word) in _TABLES[role]
    keep = _INVALID if lower else _reading_score(word, role)
    if role == "surname" and not known:
        keep = min(keep, _UNKNOWN_SURNAME)  # nobody's family name: surely misread
    if _norm(canon) == _norm(word):
        return canon if canon != word and normalize_vi(word) != word else None
    if score > (_CLEAR_KNOWN if known else _CLEAR) * keep and score > _SECOND * runner:
        return canon
    return None


def _highland(words: list[str]) -> bool:
    """Whether a name is one of the Central Highlands peoples' (``K'Tiếu``, ``Kră Jăn Ha Sơn``)."""
    return any(
        "'" in w or _FOREIGN_LETTERS & set(w) or (_norm(w) in _HIGHLAND and _norm(w) not in _KINH)
        for w in words
    )


# A word OCR read with this confidence (0..1) and that is a real syllable is what the image
# says, however rare as a name.
SURE_READING = 0.93


def repair_person_name(name: str, confidences: list[float] | None = None) -> tuple[str, list[str]]:
    """Read a personal name word by word with the name model (module docstring).

    Args:
        name: The name as read.
        confidences: OCR confidence (0..1) of each word, when known: a clearly read real
            syllable is kept.

    Returns:
        The (possibly unchanged) name and the rules applied: ``surname_model``,
        ``middle_name_model``, ``given_name_model`` or ``highland_name_model`` for the
        positions that changed. Letter case is kept (``NGUYÊN`` → ``NGUYỄN``). Names of one
        word, or of more than six, stay.
    """
    words = name.split()
    if confidences is not None and len(confidences) != len(words):
        confidences = None
    if not 2 <= len(words) <= 6:
        return name, []
    rules: list[str] = []
    title_case = sum(w[:1].isupper() for w in words) * 2 > len(words)
    highland = _highland(words)
    for i, w in enumerate(words):
        if not w.replace("'", "").isalpha():
            continue
        role = "surname" if i == 0 else "given" if i == len(words) - 1 else "middle"
        if highland:  # their syllables follow other rules: repaired only to their own
            role = "highland"
        lower = title_case and w[:1].islower()
        valid = is_valid_syllable(w)
        unknown_surname = role == "surname" and title_case and _norm(w) not in _SURNAMES
        # A clear reading stands, but a surname must be a surname: "Nguyên" read sharply is
        # still "Nguyễn" (no family is called Nguyên).
        known = _norm(w) in _TABLES[role]
        sure = confidences is not None and confidences[i] >= SURE_READING and not lower
        # Highland names are not Vietnamese syllables (``Din``, ``Jrang``): read sharply, kept.
        if sure and (valid or highland) and (known or role != "surname"):
            continue
        suspicious = valid is False or lower or unknown_surname
        better = _best(w, role, suspicious, lower)
        if better is None:
            continue
        fixed = _like(better, w) if w[:1].isupper() or title_case else better
        if fixed != w:
            words[i] = fixed
            rule = {
                "surname": "surname_model",
                "middle": "middle_name_model",
                "highland": "highland_name_model",
            }.get(role, "given_name_model")
            if rule not in rules:
                rules.append(rule)
    return " ".join(words), rules
