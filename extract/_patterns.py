"""Patterns of Vietnamese Party and State documents, matched on folded upper-case text.

Matching runs on ``fold_upper(text)`` so OCR diacritic errors (``ĐÁNG`` for ``ĐẢNG``) do not
hide a header; values are then cut from the NFC text at the same offsets, which is safe because
``fold_upper`` keeps exactly one character per character.
"""

from __future__ import annotations

import re
import unicodedata

from core.text import fold, nfc

# Symbol shapes: one definition, shared with the validation of what reviewers type.
from core.validation import PARTY_SYMBOL, STATE_LAW_SYMBOL, STATE_SYMBOL  # noqa: F401
from extract._lexicon import is_valid_syllable

# Combining marks Vietnamese never uses (diaeresis, caron, ring): OCR noise such as "Bùï", "Kiñh".
_FOREIGN_MARKS = {"\u0308", "\u030c", "\u030a", "\u0307"}
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_SLASHES = dict.fromkeys(map(ord, "／∕⁄"), "/")


def speck_line(text: str) -> bool:
    """Whether a line is specks read as signs (``%``, ``‡``, ``nu``): under 3 letters or digits."""
    return sum(ch.isalnum() for ch in text) < 3


def clean_letters(text: str) -> str:
    """Return NFC text without marks that cannot occur in Vietnamese (``ñ``→``n``, ``ï``→``i``).

    Two glyph confusions are mended too, both keeping the length (segment text maps onto its
    word boxes by position): a ``t`` read as ``(`` at a word's start with no ``)`` after it
    (``(rong`` → ``trong``, when only the mended word is a syllable), and the apostrophe of
    K'Ho read as a circumflex or a quote (``KˆHo`` → ``K'Ho``).
    """
    text = _K_APOSTROPHE.sub("K'", _OPEN_T.sub(_mend_open_t, text))
    out: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text.replace("Ð", "Đ")):
        if unicodedata.category(ch) == "Mn":
            if ch in _FOREIGN_MARKS or (ch == "\u0303" and base not in _VOWELS and base):
                continue
            out.append(ch)
            continue
        base = ch
        out.append(ch)
    return nfc("".join(out)).translate(_DASHES).translate(_SLASHES)


_OPEN_T = re.compile(r"(?<![\w(])\((?P<w>[^\W\d_]+)(?![^\s]*\))")
_K_APOSTROPHE = re.compile(r"(?<!\w)K[ˆ`´\"”’‘](?=[A-ZĐ])")


def _mend_open_t(m: re.Match[str]) -> str:
    word = m["w"]
    if is_valid_syllable(word.lower()) is False and is_valid_syllable("t" + word.lower()):
        return "t" + word
    return m[0]


def fold_upper(text: str) -> str:
    """Fold marks and upper-case, one output character per input character."""
    out = []
    for ch in text:
        f = fold(ch).upper()
        out.append(f if len(f) == 1 else ch)
    return "".join(out)


VN_UP = "A-ZÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ"
VN_LO = "a-zàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
# "ĐẢNG CỘNG SẢN VIỆT NAM", also with a word lost to a seal or a fold ("ĐĂNG SẲN VIỆT NAM",
# "G CỘNG SẢN VIỆT NAM"): "SẢN VIỆT NAM" after "ĐẢNG" or "CỘNG" is the Party header.
# Between the words of the two headings, specks read as signs count as spaces
# ("CỘNG HÒA: XÃ HỘI CHỦ NGHĨA" under a dirty drum): no other line holds these words in order.
PARTY_HEADER = re.compile(
    r"[DĐ][AÂ]NG\W*[CGO]O?NG\W*S[AÂ]N\W*VI[EÊ]T\W*NAM|(?:[DĐ][AÂ]NG|[CGO]O?NG)\W*S[AÂ]N\W*VI[EÊ]T\W*NAM"
)
STATE_HEADER = re.compile(r"C[OÔ]NG\W*H[OÒ]A\W*X[AÃ]\W*H[OÔ]I\W*CH[UƯ]\W*NGH[IĨ]A")
MOTTO = re.compile(r"D[OÔ]C\s*L[AÂ]P\s*-?\s*T[UƯ]\s*DO")
PROFILE_TITLE = re.compile(
    r"^\W{0,3}(SO\s*YEU\s*LY\s*LICH|PHIEU\s*DANG\s*VIEN|LY\s*LICH\s*DANG\s*VIEN|"
    r"LY\s*LICH\s*CUA\s*NGUOI\s*XIN\s*VAO\s*DANG|PHIEU\s*BO\s*SUNG\s*HO\s*SO\s*DANG\s*VIEN|"
    r"DON\s*XIN\s*VAO\s*DANG|LY\s*LICH\s*CAN\s*BO)"
    r"\W{0,3}$"
)
# "Mẫu 2-HSĐV", "Mẫu 1-KNĐ", "Mẫu 2C-BNV/2008"; OCR reads the 1 as I or l.
FORM_CODE = re.compile(r"^\W{0,3}MAU\s*(?:SO\s*)?[\dIL]{1,2}[A-Z]?\s*-\s*(?:HSDV|KND|BNV)")
# "Số 14-KH/BTCTU" (Party, no colon) or "Số: 1234/QĐ-UBND" (State) at the start of a segment.
# Specks before it may be read as an underscore too (": _Số: 06/TB-UBND"); "Số:" with its
# colon may be read "Sá:", and its S as "§" ("._'§ố:97/CT-UBND").
NUMBER_START = re.compile(r"^[\W_]{0,4}[S§](?:[O0]\s*[:;.,]?|A\s*:)\s*(?=[0-9OIL§])")
# Symbol cut from the NFC text: groups joined by "-" or "/", spaces allowed only around them.
# A separator may be read twice ("3330/CTr--UBND"), an 8 as "§" ("Số §-BC/BDVTU"); the header
# parser repairs both before ``normalize_symbol``. A speck beside a separator is read as a
# sign ("727/&KH-SKHĐT", "06/TB-'UBND"): one of SYMBOL_SPECKS there is dropped.
SYMBOL_SPECKS = ".,'`&*~^\"°"
_SPECK = "[" + re.escape(SYMBOL_SPECKS) + "]"
SYMBOL_RAW = re.compile(
    rf"(?P<num>[0-9OoIl§]{{1,6}})(?P<rest>(?:\s?{_SPECK}?([-/])\3?{_SPECK}?\s?[A-Za-z0-9ĐđÐ]+)+)"
)
# The separator after the number lost, or read as a dot ("Số: 72UBND-VX", "Số 3953.KL/ĐU"): the
# letters follow the digits with the other kind of separator further on. Both symbol styles
# use one "-" and one "/" (NĐ 30/2020 "72/UBND-VX", HD 36-HD/VPTW "3953-KL/ĐU"), so the lost
# one is the kind that is missing.
SYMBOL_GLUED = re.compile(
    r"(?P<num>[0-9]{1,6})(?P<rest>[.,]?[A-ZĐÐ][A-Za-zĐđÐ]{0,5}[-/][A-Za-z0-9ĐđÐ]+)(?![-/])"
)
# Specks between the words are read as punctuation ("ngày /30 tháng 10 năm 1989").
# One letter of "ngày" or "tháng" may be misread or lost ("rgày", "ngờy", "ngà", "tbáng",
# "thúng", "tháns", "thán:02" whose G is a speck), and "ngày" keep only its N and A ("nsàu"):
# the three words together with their numbers are still unmistakable.
# Day and month digits may be read as look-alike letters or signs ("ngày TÌ" for 11, "§" for 8,
# "2]" for 21: a bracket or bar only after a digit and before a space, where no speck is
# glued); ``DATE_DIGITS`` maps them back (``make_date`` maps O, I and L). An italic 5 or 8 may
# come out as "Š" (S once folded): the line is still the place and date line, but that digit
# cannot be told, so the date is left for review.
# "năm" misread or specked ("(tănm\"2021", "nărn"): a word of two to four letters holding
# two of N, A, M, between the month and a year, is still it.
_NAM = r"(?:NAM|(?=[A-Z]{2,4}(?![A-Z]))[A-Z]*[NAM][A-Z]*[NAM][A-Z]*)"
# A serif 1 under a speck reads as a dagger (``tháng †! năm``).
_DAY_DIGITS = r"[0-9OILT§S†](?:[0-9OILT§S†]|[\]|!](?=\s))?"
_NGAY = r"(?:NGAY|[A-Z]GAY|NG[A-Z]Y|N[A-Z]A[A-Z]|NGA|GAY|NAY|NGY)"
_THANG = r"(?:THANG|[A-Z]HANG|T[A-Z]ANG|TH[A-Z]NG|THA[A-Z]G|THAN[A-Z]|HANG|TANG|THAG|THNG|THAN)"
DATE_WORDS = re.compile(
    rf"{_NGAY}\W{{0,2}}?(?P<d>{_DAY_DIGITS})\W{{0,2}}"
    rf"{_THANG}\W{{0,2}}?(?P<m>{_DAY_DIGITS})\W{{0,2}}{_NAM}"
    r"\W{0,2}(?P<y>[12][0-9OIL]{3})"
)
# The place and date line whose "ngày" a speck made another word ("Gia Viễn, trvàu 18 tháng 12
# năm 2023"): after the place's comma, "tháng" and "năm" read whole carry it.
DATE_WORD_LOST = re.compile(
    r",\s*[A-Z]{2,5}\W{0,2}?"
    rf"(?P<d>{_DAY_DIGITS})\W{{0,2}}THANG\W{{0,2}}?(?P<m>{_DAY_DIGITS})\W{{0,2}}NAM"
    r"\W{0,2}(?P<y>[12][0-9OIL]{3})"
)
# The same line read again from a noisy band (``extract._reheader``), where "năm" is often
# garbled past recognition (``nh``, ``nên)``, ``nỗ:``): any short word between the month and a
# year of four digits stands for it. Only values several readings agree on are kept.
LOOSE_DATE = re.compile(
    rf"{_NGAY}\W{{0,2}}?(?P<d>{_DAY_DIGITS})\W{{0,3}}"
    rf"{_THANG}\W{{0,3}}?(?P<m>{_DAY_DIGITS})\W{{0,3}}[^\W\d]{{0,4}}"
    r"\W{0,3}(?P<y>(?:19|20)[0-9]{2})(?![0-9])"
)
DATE_DIGITS = str.maketrans({"T": "1", "§": "8", "]": "1", "|": "1", "!": "1", "†": "1"})
DATE_NUMERIC = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s*[/.-]?\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d{2})(?!\d)"
)
BLANK_DATE = re.compile(r"NGAY\s*(?:\.{2,}|…+|_+)\s*THANG")
# "Nơi" may lose its i to a speck ("Nở nhấn:"); then the colon must be there.
NOI_NHAN = re.compile(r"^\W{0,3}N[OƠ](?:I\s*NH[AẬ]N\s*[:;.]?|\s*NH[AẬ]N\s*[:;])")
# "V/v" as printed, and as OCR reads it: "V%", "V/+", "Wv", "V/V", "V1v", and "V/" whose faint
# second "v" was lost (then a lower-case subject word must follow).
VV_LINE = re.compile(
    r"^\W{0,3}(?:V\s*(?:[/|lI1]\s*[vV%+](?![A-Za-z])|%\s*[vV]?)|W\s*[/%|]?\s*[vV]\b"
    rf"|V\s*/(?=\s+[{VN_LO}]))\.?\s*"
)
# Signing authority: Party style "T/M", "K/T"; State style "TM.", "KT.". OCR drops the faint
# slash or dot ("KT BÍ THƯ", "TM BAN THƯỜNG VỤ"): no title starts with these letters.
AUTHORITY = re.compile(
    # Up to six characters of debris before it, none of them two letters in a row (a word).
    r"^(?:\W|\w(?!\w)){0,6}?(?<![^\W\d_])"
    r"(T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|T\s*/\s*U|TM\.|KT\.|TL\.|TUQ\.|Q\.|"
    r"(?:TM|KT|TL|TUQ)(?:[,;](?=\s*[A-Z])|(?=\s+[A-Z])))\s*"
)
# A mark stands alone: the whole segment is the mark, perhaps inside a drawn box read as |[]()
# or after specks of a dirty drum read as signs ("+ † MẬT").
MARK_ALONE = re.compile(r"^[\W_]{0,6}(TUYET\s*MAT|TOI\s*MAT|MAT)[\W_]{0,6}$")
MARK_TOKEN = re.compile(r"(?:^|\s)[\[|(]?(TUYET\s+MAT|TOI\s+MAT|MAT)[\]|)]?(?=\s|$)")
URGENCY_ALONE = re.compile(r"^[\W_]{0,3}(HOA\s*TOC|THUONG\s*KHAN|KHAN)[\W_]{0,3}$")
# Where the body starts; minutes open on when they were taken ("Ngày 23-11-2024, …",
# "Hôm nay, vào lúc …", "Vào hồi …").
BODY_START = re.compile(
    r"^\W{0,3}(CAN\W*CU|DIEU\s*\d|KINH\s*GUI|XET\s|CHUONG\s*[IVX\d]+\b|PHAN\s+[IVX\d]+\b|"
    r"NGAY\s*\d|HOM\s*NAY|VAO\s*(?:HOI|LUC)\b|"
    r"MUC\s+\d|"
    r"[IVX]+\s*[.-]|\d+\s*[.)/])"
)
