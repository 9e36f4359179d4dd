"""Closed vocabularies (document types, titles, signing forms) matched on folded text.

Titles and type names form small closed sets, so a folded match gives back the canonical
spelling and repairs OCR diacritic errors (``BẠN THƯỜNG VỤ`` → ``BAN THƯỜNG VỤ``) without guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher

from core.text import fold, normalize_vi
from extract._lexicon import is_valid_syllable

DOC_TYPES = (
    "NGHỊ QUYẾT",
    "QUYẾT ĐỊNH",
    "QUY ĐỊNH",
    "CHỈ THỊ",
    "KẾT LUẬN",
    "THÔNG BÁO",
    "HƯỚNG DẪN",
    "KẾ HOẠCH",
    "BÁO CÁO",
    "TỜ TRÌNH",
    "CHƯƠNG TRÌNH",
    "QUY CHẾ",
    "ĐỀ ÁN",
    "PHƯƠNG ÁN",
    "BIÊN BẢN",
    "THÔNG TRI",
    "CÔNG VĂN",
    "GIẤY MỜI",
    "GIẤY GIỚI THIỆU",
    "THÔNG CÁO",
    "HỢP ĐỒNG",
    "DỰ ÁN",
    "CÔNG ĐIỆN",
    "BẢN GHI NHỚ",
    "BẢN THỎA THUẬN",
    "GIẤY ỦY QUYỀN",
    "GIẤY NGHỈ PHÉP",
    "PHIẾU GỬI",
    "PHIẾU CHUYỂN",
    "PHIẾU BÁO",
    "THƯ CÔNG",
    "QUY CHẾ",
    "BẢN SAO",
    "TRÍCH SAO",
    "SAO Y",
    "SAO LỤC",
    "GIẤY CHỨNG NHẬN",
    "LUẬT",
    "NGHỊ ĐỊNH",
    "THÔNG TƯ",
    "THÔNG TƯ LIÊN TỊCH",
    "PHÁP LỆNH",
)
PROFILE_TYPES = (
    "SƠ YẾU LÝ LỊCH",
    "PHIẾU ĐẢNG VIÊN",
    "LÝ LỊCH ĐẢNG VIÊN",
    "LÝ LỊCH CỦA NGƯỜI XIN VÀO ĐẢNG",
    "PHIẾU BỔ SUNG HỒ SƠ ĐẢNG VIÊN",
    "ĐƠN XIN VÀO ĐẢNG",
    "LÝ LỊCH CÁN BỘ",
)
# Type abbreviation(s) in symbols per title; old (pre-2020) and new State forms both listed.
TYPE_ABBR = {
    "NGHỊ QUYẾT": {"NQ"},
    "QUYẾT ĐỊNH": {"QĐ"},
    "QUY ĐỊNH": {"QĐ", "QĐi", "QyĐ"},
    "CHỈ THỊ": {"CT"},
    "KẾT LUẬN": {"KL"},
    "THÔNG BÁO": {"TB"},
    "HƯỚNG DẪN": {"HD"},
    "KẾ HOẠCH": {"KH"},
    "BÁO CÁO": {"BC"},
    "TỜ TRÌNH": {"TTr"},
    "CHƯƠNG TRÌNH": {"CTr"},
    "QUY CHẾ": {"QC"},
    "ĐỀ ÁN": {"ĐA"},
    "PHƯƠNG ÁN": {"PA"},
    "BIÊN BẢN": {"BB"},
    "THÔNG TRI": {"TT"},
    "CÔNG VĂN": {"CV"},
    "GIẤY MỜI": {"GM"},
    "GIẤY GIỚI THIỆU": {"GGT"},
    "THÔNG CÁO": {"TC"},
    "HỢP ĐỒNG": {"HĐ"},
    "DỰ ÁN": {"DA"},
    "CÔNG ĐIỆN": {"CĐ"},
    "BẢN GHI NHỚ": {"BGN", "GN"},
    "BẢN THỎA THUẬN": {"BTT", "TTh"},
    "GIẤY ỦY QUYỀN": {"GUQ", "UQ"},
    "GIẤY NGHỈ PHÉP": {"GNP", "NP"},
    "PHIẾU GỬI": {"PG"},
    "PHIẾU CHUYỂN": {"PC"},
    "PHIẾU BÁO": {"PB"},
    "BẢN SAO": {"BS", "SY"},
    "TRÍCH SAO": {"TrS", "TS"},
    "SAO Y": {"SY"},
    "SAO LỤC": {"SL"},
    "GIẤY CHỨNG NHẬN": {"GCN"},
    "NGHỊ ĐỊNH": {"NĐ"},
    "THÔNG TƯ": {"TT"},
    "THÔNG TƯ LIÊN TỊCH": {"TTLT"},
    "LUẬT": {"QH", "Lt"},
    "PHÁP LỆNH": {"PL", "UBTVQH"},
}
ABBR_TYPE = {
    abbr.casefold(): t
    for t, abbrs in TYPE_ABBR.items()
    for abbr in abbrs
    if t not in ("QUY ĐỊNH", "SAO Y", "THÔNG TRI")
}
ABBR_TYPE["qđi"] = "QUY ĐỊNH"
ABBR_TYPE["qyđ"] = "QUY ĐỊNH"
TITLE_WORDS = (
    "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
    "PHÓ TRƯỞNG BAN",
    "TRƯỞNG BAN",
    "PHÓ BÍ THƯ THƯỜNG TRỰC",
    "PHÓ BÍ THƯ",
    "BÍ THƯ",
    "PHÓ CHÁNH VĂN PHÒNG",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHỦ TỊCH",
    "CHỦ TỊCH",
    "PHÓ GIÁM ĐỐC",
    "GIÁM ĐỐC",
    "PHÓ CHỦ NHIỆM",
    "CHỦ NHIỆM",
    "PHÓ TRƯỞNG PHÒNG",
    "TRƯỞNG PHÒNG",
    # Heads of sub-departments (chi cục), forest wards (hạt) and corporations sign as such;
    # without them "CHI CỤC TRƯỞNG" snapped to the "CỤC TRƯỞNG" inside it.
    "PHÓ CHI CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG",
    "PHÓ HẠT TRƯỞNG",
    "HẠT TRƯỞNG",
    "PHÓ TỔNG GIÁM ĐỐC",
    "TỔNG GIÁM ĐỐC",
    "PHÓ CỤC TRƯỞNG",
    "CỤC TRƯỞNG",
    "PHÓ VỤ TRƯỞNG",
    "VỤ TRƯỞNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "CHÁNH THANH TRA",
    "TỔNG CỤC TRƯỞNG",
    "THỦ TRƯỞNG",
    "HIỆU TRƯỞNG",
    "PHÓ HIỆU TRƯỞNG",
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
    "TRƯỞNG ĐOÀN",
    "TỔ TRƯỞNG",
    "CHÁNH ÁN",
    "VIỆN TRƯỞNG",
    "NGƯỜI KHAI",
    # Minutes (biên bản) are signed by whoever chaired and recorded the meeting.
    "CHỦ TỌA",
    "CHỦ TRÌ HỘI NGHỊ",
    "CHỦ TRÌ",
    "THƯ KÝ",
    "PHÓ CHÁNH THANH TRA",
    "PHÓ CHỦ NHIỆM THƯỜNG TRỰC",
    "PHÓ CHỦ TỊCH THƯỜNG TRỰC",
    "PHÓ TRƯỞNG ĐOÀN",
)
AUTH_BODIES = (
    "BAN THƯỜNG VỤ",
    "BAN CHẤP HÀNH",
    "BAN BÍ THƯ",
    "BỘ CHÍNH TRỊ",
    "TỈNH ỦY",
    "HUYỆN ỦY",
    "THÀNH ỦY",
    "ĐẢNG ỦY",
    "ĐẢNG ĐOÀN",
    "BAN CÁN SỰ ĐẢNG",
    "ỦY BAN NHÂN DÂN",
    "ỦY BAN KIỂM TRA",
    "HỘI ĐỒNG NHÂN DÂN",
    "CHI ỦY",
    "CHI BỘ",
    "BAN TỔ CHỨC",
    "VĂN PHÒNG",
    "THƯỜNG TRỰC",
    "BAN CHỈ ĐẠO",
    "BAN DÂN VẬN",
    "BAN TUYÊN GIÁO",
    "BAN NỘI CHÍNH",
    "THANH TRA",
) + TITLE_WORDS
# A provincial or district Party committee's own organs (what a symbol code's head names).
PARTY_ORGANS = (
    "BAN TỔ CHỨC",
    "BAN TUYÊN GIÁO",
    "BAN DÂN VẬN",
    "BAN NỘI CHÍNH",
    "BAN KINH TẾ",
    "ỦY BAN KIỂM TRA",
    "VĂN PHÒNG",
)
ORG_WORDS = (
    *PARTY_ORGANS,
    "TỈNH ỦY",
    "HUYỆN ỦY",
    "THÀNH ỦY",
    "THỊ ỦY",
    "ĐẢNG ỦY",
    "ĐẢNG BỘ",
    "ĐẢNG ĐOÀN",
    "BAN CÁN SỰ ĐẢNG",
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "SỞ NỘI VỤ",
    "SỞ TÀI CHÍNH",
    "SỞ",
    "BAN CHẤP HÀNH TRUNG ƯƠNG",
    "TRUNG ƯƠNG",
    "TỈNH",
    "HUYỆN",
    "THÀNH PHỐ",
    "KHỐI",
    "CHI BỘ",
    "BỘ",
    "CỤC",
    "TỔNG CỤC",
    "NỘI VỤ",
    "TÀI CHÍNH",
    "XÃ",
    "PHƯỜNG",
    "THỊ TRẤN",
    "THỊ XÃ",
)


def _key(text: str) -> str:
    return " ".join(fold(text).upper().replace(".", " ").split())


# A province's departments (sở) bear names fixed nationally (Nghị định 24/2014/NĐ-CP and
# 107/2020/NĐ-CP, plus the tourism and foreign-affairs departments some provinces have).
DEPARTMENTS = (
    "SỞ NỘI VỤ",
    "SỞ TƯ PHÁP",
    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
    "SỞ TÀI CHÍNH",
    "SỞ CÔNG THƯƠNG",
    "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
    "SỞ GIAO THÔNG VẬN TẢI",
    "SỞ XÂY DỰNG",
    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "SỞ VĂN HÓA VÀ THỂ THAO",
    "SỞ DU LỊCH",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "SỞ Y TẾ",
    "SỞ NGOẠI VỤ",
)
_DEPT_KEYS = {"".join(ch for ch in fold(d).upper() if ch.isalpha()): d for d in DEPARTMENTS}
_DEPT_RATIO = 0.8  # of the folded letters (spaces and punctuation aside) in common
_DEPT_MARGIN = 0.05  # over the next nearest department


def closest_department(text: str) -> str | None:
    """Return the department a misread ``SỞ …`` line names (``SỞ TÀI NGỦYÊS VÀHÔI TRƯỞNG``).

    Only a line that starts with ``SO`` once folded and holds a word that is no Vietnamese
    syllable (``NGỦYÊS``, ``VÀHÔI``): a line of real words is printed so. Letters only are
    compared (OCR glues and splits words); the nearest name must share ``_DEPT_RATIO`` of
    them and be clearly nearer than the next. None when no name is near enough.
    """
    tight = "".join(ch for ch in fold(text).upper() if ch.isalpha())
    if not tight.startswith("SO") or normalize_vi(text) in DEPARTMENTS:
        return None
    words = [w.strip(",.") for w in text.replace("-", " ").replace("–", " ").split()]
    if all(is_valid_syllable(w) is not False for w in words if w):
        return None  # real words: a variant as printed ("SỞ VĂN HÓA - THỂ THAO"), or another
    ranked = sorted(
        ((SequenceMatcher(None, tight, k).ratio(), d) for k, d in _DEPT_KEYS.items()),
        reverse=True,
    )
    (best, name), (second, _) = ranked[0], ranked[1]
    if best >= _DEPT_RATIO and best - second >= _DEPT_MARGIN:
        return name
    return None


def _tight(text: str) -> str:
    """Folded key without spaces: OCR often glues title words (``TỜTRÌNH``)."""
    return _key(text).replace(" ", "")


_DOC_KEYS = {_tight(t): t for t in DOC_TYPES + PROFILE_TYPES}
_TITLE_KEYS = {_key(t): t for t in TITLE_WORDS}
_TITLE_TIGHT = {_tight(t): t for t in TITLE_WORDS}
_AUTH_KEYS = {_key(t): t for t in AUTH_BODIES}
_ORG_KEYS = sorted(((_key(t), t) for t in (*ORG_WORDS, *DEPARTMENTS)), key=lambda kv: -len(kv[0]))
# Multi-word names by their letters alone: OCR splits and glues words (``NH ÂN``, ``BANNHÂNDÂN``).
_ORG_TIGHT = [(k.replace(" ", ""), t) for k, t in _ORG_KEYS if " " in k]


def canonical_doc_type(text: str) -> str | None:
    """Return the canonical title when ``text`` (folded) is a known document or form title."""
    return _DOC_KEYS.get(_tight(text))


def canonical_title(text: str) -> str | None:
    """Return the canonical signer title (``PHÓ TRƯỞNG BAN``) for a folded match, else None."""
    return _TITLE_TIGHT.get(_tight(text))


# Glyphs OCR gives for capitals of a title under a seal or a signature stroke.
_TITLE_LOOKALIKE = str.maketrans({"Ø": "O", "€": "C", "0": "O", "Q": "O", "|": "I", "$": "S"})
_TITLE_WORD_KEYS = frozenset(w for t in TITLE_WORDS for w in _key(t).split())


def title_in(text: str) -> str | None:
    """Return the known title a line ends with, past debris before it (``qNÃ LAPHO BÍ THƯ``).

    Letters glued to the title's first word are debris of a seal or stroke; the longest known
    title that the line's folded letters end with is taken, when it is at least two words long
    (a lone ``THƯ`` or ``BAN`` at a line's end is not evidence of a title).
    """
    tight = _tight(text.translate(_TITLE_LOOKALIKE))
    if not tight:
        return None
    found = _TITLE_TIGHT.get(tight)
    if found:
        return found
    ends = [t for k, t in _TITLE_TIGHT.items() if " " in t and tight.endswith(k)]
    return max(ends, key=len) if ends else None


def title_words(text: str) -> bool:
    """Whether a line reads as a title at all: at least one word of a known title in it."""
    return any(w in _TITLE_WORD_KEYS and len(w) > 2 for w in _key(text).split())


def closest_title(text: str, min_ratio: float = 0.85) -> str | None:
    """Return the known signer title most similar to ``text`` (folded) if close enough."""
    key = _key(text)
    best = max(_TITLE_KEYS, key=lambda k: SequenceMatcher(None, key, k).ratio())
    return _TITLE_KEYS[best] if SequenceMatcher(None, key, best).ratio() >= min_ratio else None


def canonical_body(text: str) -> str | None:
    """Return the canonical body after a signing form (``BAN THƯỜNG VỤ``), else None."""
    return _AUTH_KEYS.get(_key(text))


_AUTH_TIGHT = sorted(
    (("".join(ch for ch in k if ch.isalpha()), b) for k, b in _AUTH_KEYS.items()),
    key=lambda kb: -len(kb[0]),
)


def body_at_end(text: str, max_debris: int = 5) -> tuple[str, str] | None:
    """Return (debris, body) when a line ends with a known body after a few letters of debris.

    Letters only are compared, folded (OCR glues a form's letters to the body's first word:
    ``#/ƑMBẨN THƯỜNG VỤ``, ``A-ICHỦ NHIỆM``); the longest body wins. ``debris`` is the folded
    letters before it, at most ``max_debris``.
    """
    tight = "".join(ch for ch in fold(text).upper() if ch.isalpha())
    for key, body in _AUTH_TIGHT:
        if tight.endswith(key) and len(tight) - len(key) <= max_debris:
            return tight[: len(tight) - len(key)], body
    return None


def closest_body(text: str, min_ratio: float = 0.8) -> str | None:
    """Return the known body after a signing form most like ``text`` (``PE THƯỜNG VỤ``).

    Only for bodies of two words or more: a garbled short word is no evidence of a body.
    """
    key = _key(text)
    if len(key.split()) < 2:
        return None
    best = max(_AUTH_KEYS, key=lambda k: SequenceMatcher(None, key, k).ratio())
    return _AUTH_KEYS[best] if SequenceMatcher(None, key, best).ratio() >= min_ratio else None


def _like(word: str, model: str) -> str:
    """Return ``word`` in the letter case of ``model`` (upper, title or lower)."""
    if model.isupper():
        return word.upper()
    return word.capitalize() if model[:1].isupper() else word.lower()


def replace_windows(
    text: str, match: Callable[[list[str], int], tuple[int, list[str]] | None]
) -> str:
    """Return ``text`` with word windows replaced, scanning left to right.

    ``match(words, i)`` returns how many words from ``i`` to replace and their replacement,
    or None to keep ``words[i]`` and move on.
    """
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        found = match(words, i)
        if found is None:
            out.append(words[i])
            i += 1
        else:
            n, new = found
            out.extend(new)
            i += n
    return " ".join(out)


def repair_org_words(text: str, keep_case: bool = False) -> str:
    """Replace known organisation words whose folded form matches (``TỐ CHỨC``→``TỔ CHỨC``).

    With ``keep_case`` (mixed-case text such as recipients) only multi-word names are repaired
    and each word keeps its printed case (``Ban Tố chức`` → ``Ban Tổ chức``).
    """

    def match(words: list[str], i: int) -> tuple[int, list[str]] | None:
        for key, canon in _ORG_KEYS:
            n = key.count(" ") + 1
            if keep_case and n == 1:
                continue
            if _key(" ".join(words[i : i + n])) == key and words[i + n - 1][-1:].isalpha():
                got = words[i : i + n]
                new = canon.split()
                if keep_case:
                    new = [_like(w, g) for w, g in zip(new, got, strict=True)]
                return n, new
        if keep_case:
            return None
        for tight, canon in _ORG_TIGHT:
            for n in range(1, canon.count(" ") + 3):
                window = words[i : i + n]
                if len(window) < n or not window[-1][-1:].isalpha():
                    break
                letters = _tight(" ".join(window))
                if letters == tight:
                    return n, canon.split()
                if not tight.startswith(letters):
                    break
        return None

    return replace_windows(text, match)
