"""First-page fields: issuer, number and symbol, place and date, type title, subject."""

from __future__ import annotations

import re
import unicodedata

from core.text import fold
from extract._layout import PageLayout, Segment
from extract._lexicon import is_valid_syllable
from extract._orgcode import committee_of, issuer_code, level_fits, organ_under
from extract._patterns import (
    BLANK_DATE,
    BODY_START,
    DATE_DIGITS,
    DATE_NUMERIC,
    DATE_WORD_LOST,
    DATE_WORDS,
    MARK_ALONE,
    MOTTO,
    NOI_NHAN,
    NUMBER_START,
    PARTY_HEADER,
    PROFILE_TITLE,
    STATE_HEADER,
    SYMBOL_GLUED,
    SYMBOL_RAW,
    URGENCY_ALONE,
    VN_LO,
    VN_UP,
    VV_LINE,
    fold_upper,
    speck_line,
)
from extract._places import (
    closest_place,
    completed_place,
    edit_distance,
    ends_with_place_name,
    place_named,
    spans_place_name,
)
from extract._result import Result, strip_noise
from extract._validate import make_date, normalize_symbol, parse_symbol, type_from_abbr
from extract._vocab import (
    AUTH_BODIES,
    ORG_WORDS,
    TITLE_WORDS,
    canonical_doc_type,
    closest_department,
    repair_org_words,
    replace_windows,
)

_HEADER_SPAN = 18  # segments searched for the header block


def header_segments(segs: list[Segment]) -> list[Segment]:
    """Return the segments the header block is searched in: the first ``_HEADER_SPAN`` lines.

    Specks on a dirty page read as lines of one or two signs (``?``, ``'+``, ``tả``), a dozen
    above the header at times: they are no lines of the header and do not count.
    """
    return [seg for seg in segs if not speck_line(seg.text)][:_HEADER_SPAN]


# One capitalised word of a place name, also the K'Ho and Mạ syllables with an apostrophe
# ("K'Nàng", "N'Thol", "B'Lá", "M'ri"), whose second part may be capitalised too.
_PLACE_WORD = rf"[{VN_UP}](?:[{VN_LO}]+(?:'[{VN_UP}]?[{VN_LO}]+)?|'[{VN_UP}]?[{VN_LO}]+)"
# "Lâm Đồng", "Bảo Lộc", "Phước Cát 2", "Đạ K'Nàng" before ", ngày …".
_PLACE = re.compile(
    rf"(?<![\w'])((?:{_PLACE_WORD}\.?\s+){{0,4}}{_PLACE_WORD}(?:\s+\d{{1,2}})?)\s*,?\s*$"
)
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘`´ʼ", "'"))
_LOWER_START = re.compile(rf"^[{VN_LO}]")
# A wrapped line that opens on the second half of a pair ("kinh tế / - xã hội").
_PAIR_START = re.compile(rf"^[-–]\s*[{VN_LO}]")
_DETACHED_COLON = re.compile(r"(?<=[^\W\d_])\s+:$")


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def _all_capitals(text: str) -> bool:
    """Return whether a line is printed in capitals (an authority or section line)."""
    letters = _letters(text)
    return len(letters) >= 4 and letters.isupper()


def is_upper_line(text: str, ratio: float = 0.8) -> bool:
    """Whether most letters of ``text`` are capitals (header and title lines)."""
    letters = _letters(text)
    return len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= ratio * len(letters)


# The Party heading cut at the page's right edge ("ĐẢNG CỘNG SẢN VIỆT N"): no organ's name holds it.
_PARTY_HEADING_CUT = re.compile(r"[DĐ][AÂ]{1,2}NG\s*[CGO]O?NG\s*S[AÂ]N\b")


def _left_part(seg: Segment) -> str:
    """Return the text of a segment before any right-column anchor read across into it."""
    fu = seg.fu
    cut = len(fu)
    for rx in (PARTY_HEADER, STATE_HEADER, MOTTO, _PARTY_HEADING_CUT):
        m = rx.search(fu)
        if m:
            cut = min(cut, m.start())
    return seg.text[:cut]


def _symbol_letters() -> dict[int, str]:
    """Map every accented Latin letter but Đ/đ to its bare letter, one character for one."""
    table = {}
    for ch in VN_UP + VN_LO:
        bare = unicodedata.normalize("NFD", ch)[0]
        if bare != ch and bare.isascii():
            table[ord(ch)] = bare
    return table


# A symbol's codes are ASCII letters and Đ only: an accented letter in one is a misread
# (``04-KƯ/ĐU``), which would otherwise end the symbol at ``04-K``.
_SYMBOL_LETTERS = _symbol_letters()


def _number_in(seg: Segment) -> re.Match[str] | None:
    """Return the symbol match of a ``Số …`` segment (not ``SỞ LAO ĐỘNG``, whose L looks like 1).

    The match is made on the line with accents taken off (same length, so its positions are the
    line's).
    """
    m = NUMBER_START.match(seg.fu)
    if not m:
        return None
    text = _colon_separator(seg.text.translate(_SYMBOL_LETTERS), m.end())
    sm = SYMBOL_RAW.match(text, m.end())
    if sm and re.search(r"[A-Za-zĐđÐ]", sm.group("rest")):
        return sm
    return SYMBOL_GLUED.match(text, m.end())


def _colon_separator(text: str, start: int) -> str:
    """Return ``text`` with a colon inside the symbol at ``start`` made the separator it is.

    A hyphen or slash under a speck reads as a colon between two codes (``79/K:UBND``). Both
    symbol styles use one ``-`` and one ``/``, so it is the kind the symbol lacks; the
    text keeps its length, so match positions stay the line's.
    """
    token = text[start:].split(" ", 1)[0]
    colon = re.search(r"(?<=[A-Za-zĐđ]):(?=[A-Za-zĐđ])", token)
    if colon is None or ("-" in token) == ("/" in token):
        return text
    at = start + colon.start()
    return text[:at] + ("-" if "/" in token else "/") + text[at + 1 :]


def _unglued(rest: str) -> str:
    """Return a symbol's part after its number with the separator OCR lost put back.

    ``UBND-VX`` → ``/UBND-VX``, ``.KL/ĐU`` → ``-KL/ĐU`` (``SYMBOL_GLUED``); a part that starts
    with a separator is returned as it is.
    """
    if not re.match(r"[.,]?[^\W\d_]", rest):
        return rest
    rest = rest.lstrip(".,")
    return ("/" if "-" in rest else "-") + rest


def find_number(segs: list[Segment]) -> tuple[Segment, re.Match[str]] | None:
    """Return the ``Số …`` segment and the symbol match inside it."""
    for seg in header_segments(segs):
        sm = _number_in(seg)
        if sm:
            return seg, sm
    return None


# A symbol whose "Số" was lost at the page's edge or misread past ``NUMBER_START`` ("06-CV/ThU",
# "Sá Q1.TTr/HU"): the whole symbol in either style, its type one of the known abbreviations,
# ending a header line of at most one other word. A Q there is a 0 whose tail is a speck.
_BARE_SYMBOL = re.compile(
    r"(?P<num>[0-9OQ]{0,4}[0-9][0-9OQ]{0,4}|[OQ][0-9]{1,4})(?P<rest>"
    r"[-.](?P<party>[A-ZĐ][A-Za-zĐ]{0,4})/[A-ZĐ][A-Za-zĐ0-9]{1,11}(?:-[A-ZĐ0-9][A-Za-zĐ0-9]{0,10})*"
    r"|/(?P<state>[A-ZĐ][A-Za-zĐ]{0,4})-[A-ZĐ][A-Za-zĐ0-9]{1,10})"
)


def put_bare_symbol(lay: PageLayout, res: Result) -> None:
    """Fill a symbol still missing from a header line that is one without its ``Số``.

    Called after the header band was read again (``reread_header``): two readings that agree
    beat this one reading of a damaged line.
    """
    if "symbol" not in res.fields and (bare := find_bare_number(lay.segments)):
        put_symbol(*bare, res, bare=True)
        guess = type_from_abbr((res.fields.get("_symbol_parts") or {}).get("type", ""))
        if guess and "doc_type" not in res.fields:
            res.put("doc_type", guess, bare[0], "symbol_type", 0.6)


def find_bare_number(segs: list[Segment]) -> tuple[Segment, re.Match[str]] | None:
    """Return a header line that is a symbol without its ``Số`` and the symbol's match."""
    for seg in header_segments(segs):
        text = _left_part(seg).translate(_SYMBOL_LETTERS).rstrip(" .,;:")
        tokens = text.split()
        if not tokens or len(tokens) > 2:
            continue
        start = len(text) - len(tokens[-1])
        # Only the number's Q is a 0: the codes keep theirs (QĐ, QyĐ).
        num = re.match(r"[0-9OQ]*", tokens[-1])
        digits = num.group(0).replace("Q", "0") if num else ""
        bare = text[:start] + digits + tokens[-1][len(digits) :]
        sm = _BARE_SYMBOL.fullmatch(bare, start)
        if sm and type_from_abbr(sm["party"] or sm["state"]):
            return seg, sm
    return None


def symbol_of(sm: re.Match[str]) -> str:
    """Return the symbol a ``Số …`` match holds, its separators mended."""
    num = sm["num"].replace("§", "8")
    rest = _unglued(sm.group(0)[len(num) :])
    return normalize_symbol(num + re.sub(r"([-/])\s*\1", r"\1", rest))


def put_symbol(
    seg: Segment, sm: re.Match[str], res: Result, scale: float = 1.0, bare: bool = False
) -> None:
    """Fill ``symbol``, ``number`` and the symbol's parts from the match ``sm`` in ``seg``.

    ``scale`` lowers the rules' certainty for a line read a second time, whose rules are
    named apart (``header_reread_…``) so that calibration weighs them on their own; so are
    the rules of a symbol found without its ``Số`` (``bare``, ``find_bare_number``).
    """
    symbol = symbol_of(sm)
    parsed = parse_symbol(symbol)
    certainty = (0.95 if parsed["style"] else 0.6) * scale * (0.8 if bare else 1.0)
    prefix = "bare_symbol" if bare else "number_line" if scale == 1.0 else "header_reread"
    res.put(
        "symbol",
        symbol,
        seg,
        f"{prefix}_{parsed['style'] or 'unparsed'}",
        certainty,
        span=(sm.start(), sm.end()),
    )
    if not parsed["style"]:
        res.flag("symbol", "symbol_unparsed", symbol)
    if parsed["number"]:
        res.put(
            "number",
            parsed["number"],
            seg,
            "symbol_number" if prefix == "number_line" else f"{prefix}_number",
            certainty,
            span=(sm.start(), sm.start() + len(sm["num"])),
        )
    res.fields["_symbol_parts"] = parsed


# Words an organ's name starts with (folded, upper case). A header line that starts with none
# of them ("CÁC CƠ QUAN TỈNH", "DÂN CHỦ Ở CƠ SỞ") or names only a place ("HUYỆN CÁT TIÊN")
# finishes the name begun on the line above ("ĐẢNG ỦY KHỐI", "ỦY BAN NHÂN DÂN").
_ORGAN_HEAD = re.compile(
    r"^(UY\s*BAN|UBND|HOI\s*DONG|HDND|SO\b|PHONG\b|BAN\b|VAN\s*PHONG|DANG\s*(BO|UY|DOAN)|"
    r"(HUYEN|TINH|THANH|THI|QUAN)\s*(UY|DOAN)\b|CHI\s*(BO|CUC|NHANH|HOI|DOAN)|TRUNG\s*TAM|"
    r"(TONG\s*)?CUC\b|TRUONG\b|BENH\s*VIEN|THANH\s*TRA|KHO\s*BAC|BO\b|CONG\s*AN|"
    r"MAT\s*TRAN|HOI\b|LIEN\s*(DOAN|HIEP)|DOAN\b|TOA\s*AN|VIEN\b|BAO\b|DAI\b|CONG\s*TY|"
    r"HOP\s*TAC\s*XA|BAO\s*HIEM|DAI\s*HOI|TRAM\b|HAT\b|NHA\b|BCH\b|BTV\b|VP\b)"
)
_PLACE_ONLY = re.compile(
    r"^(TINH|HUYEN|XA|THANH\s*PHO|THI\s*XA|THI\s*TRAN|PHUONG|QUAN)\s+(?!UY\b|DOAN\b)\S"
)


# A hyphen glued between two words of an organ's name after one of these words (a unit or an
# organ's type, which a place or a field name follows) is a speck OCR read in the word gap
# ("TỈNH-LÂM ĐỒNG", "ỦY-BAN"): names join coordinate parts with a spaced hyphen
# ("THI ĐUA - KHEN THƯỞNG"), never a unit word to its name.
_GAP_HYPHEN = re.compile(r"(?<=[^\W\d_])\s?-\s?(?=[^\W\d_])")
_BEFORE_GAP = frozenset(
    ("TINH", "HUYEN", "XA", "PHUONG", "QUAN", "TRAN", "PHO", "UY", "BAN", "BO", "SO", "PHONG")
    + ("CUC", "DAN", "NHAN", "KHOI", "DOAN", "CHI", "DANG", "HOI", "VAN", "THANH")
)


def _gap_hyphens(text: str) -> str:
    """Return an organ's name with hyphens OCR read in word gaps made spaces again."""

    def fix(m: re.Match[str]) -> str:
        if m.group(0) != "-":
            return m.group(0)  # a spaced hyphen is printed
        left = fold_upper(text[: m.start()]).split()
        return " " if left and left[-1] in _BEFORE_GAP else "-"

    return _GAP_HYPHEN.sub(fix, text)


_UNIT_PREFIXES = ("HUYỆN", "TỈNH", "ỦY", "BỘ", "XÃ", "DÂN", "BAN", "SỞ")


def _split_glued_units(text: str) -> str:
    """Return a header line with a unit word OCR glued to the next word set apart.

    ``TỈNH ỦYLÂM ĐỒNG`` → ``TỈNH ỦY LÂM ĐỒNG``: the glued token is no syllable, its two parts
    are.
    """
    out = []
    for token in text.split(" "):
        if token.isupper() and is_valid_syllable(token) is False:
            for unit in _UNIT_PREFIXES:
                parts = _syllables(token[len(unit) :]) if token.startswith(unit) else None
                if parts:
                    token = " ".join([unit, *parts])
                    break
        out.append(token)
    return " ".join(out)


_LEVELS = frozenset({"TINH", "HUYEN", "XA", "PHUONG", "THI", "THANH"})


def _drop_strays(text: str) -> str:
    """Drop a lone digit or sign read before the level of a name's unit.

    ``ỦY BAN NHÂN DÂN 4 HUYỆN DI LINH``, ``“4 HUYỆN DI LINH``: a speck; ``PHƯỜNG 1`` keeps its
    number (it follows the level).
    """
    words = text.split(" ")
    keep = [
        w
        for i, w in enumerate(words)
        if not (
            i < len(words) - 1
            and len(w) == 1
            and not w.isalpha()
            and fold_upper(words[i + 1]) in _LEVELS
        )
    ]
    return " ".join(keep)


def _syllables(text: str, most: int = 3) -> list[str] | None:
    """Split glued capitals into at most ``most`` syllables of two letters or more (``LÂMHÀ``)."""
    if len(text) >= 2 and is_valid_syllable(text):
        return [text]
    if most == 1:
        return None
    for cut in range(len(text) - 2, 1, -1):  # the longest first syllable first
        head = text[:cut]
        if is_valid_syllable(head) and (rest := _syllables(text[cut:], most - 1)):
            return [head, *rest]
    return None


def _garbage_token(token: str) -> bool:
    """Whether a token at the end of a capitals header line is OCR noise, not a name's word.

    Noise is no syllable and has signs other than letters, digits, ``'`` and ``-``
    (``nGẴằẶ...ỔỐ.....=``), lower-case letters in a capitals line, or one or two letters
    (``NT``, ``H``); names end on syllables, numbers, ``K'NÀNG`` or longer codes (``UBND``).
    """
    if is_valid_syllable(token) is not False or token.isdigit():
        return False
    core = token.replace("'", "").replace("-", "")
    return (
        not core.isalnum()
        or any(ch.islower() for ch in token)
        or (len(core) <= 2 and not core.isdigit())
    )


def _drop_trailing_garbage(text: str) -> str:
    """Return a header line without the noise OCR read after its last word."""
    words = text.split()
    while len(words) > 2 and _garbage_token(words[-1]):
        words.pop()
    return " ".join(words)


# Organ words of two or more words, by folded key: a header window one letter away from one
# of them is that name misread (``HUYƑN UY`` → ``HUYỆN ỦY``).
_ORG_NAMES = {
    fold_upper(n): n
    for n in (*ORG_WORDS, *AUTH_BODIES, "NHÂN DÂN")
    if " " in n and n not in TITLE_WORDS
}


# Words that stand before ỦY in a Party committee's name (Tỉnh ủy, Thành ủy, Đảng ủy …).
_COMMITTEE_LEVELS = ("TỈNH", "HUYỆN", "THÀNH", "THỊ", "QUẬN", "ĐẢNG", "CHI")
_BRANCH_LEVELS = frozenset({"TINH", "HUYEN", "THANH", "THI", "XA", "PHUONG", "KHOI"})


def _restore_cut_start(text: str) -> str:
    """Give back the first letters or word a header line lost at the left edge of the scan.

    The organ's lines start at the left margin, where a dark edge or a border eats the first
    letters: ``ANH ỦY BẢO LỘC`` is ``THÀNH ỦY …`` (the only committee word ending in ``ANH``)
    and ``BỘ TỈNH LÂM ĐỒNG`` is ``ĐẢNG BỘ …`` (no organ's name starts with ``BỘ`` + a level).
    An ending that two committee words share (``NH``: TỈNH, THÀNH) is left as read.
    """
    words = text.split()
    if len(words) < 3 or not text.isupper():
        return text
    first, second = fold_upper(words[0]), fold_upper(words[1])
    if second == "UY" and len(first) >= 2:
        whole = [w for w in _COMMITTEE_LEVELS if fold_upper(w).endswith(first)]
        if len(whole) == 1 and fold_upper(whole[0]) != first:
            return " ".join([whole[0], *words[1:]])
    if first == "BO" and second in _BRANCH_LEVELS:
        return f"ĐẢNG {text}"
    return text


def _near_org_words(text: str) -> str:
    """Return a capitals header line with windows one letter off a known organ name repaired."""

    def match(words: list[str], i: int) -> tuple[int, list[str]] | None:
        for n in (4, 3, 2):
            window = " ".join(words[i : i + n])
            if len(words[i : i + n]) < n or not window.isupper():
                continue
            key = fold_upper(window)
            near = [
                name
                for k, name in _ORG_NAMES.items()
                if len(k.split()) == n and len(k) >= 6 and edit_distance(key, k) == 1
            ]
            if len(near) == 1 and key not in _ORG_NAMES:
                return n, near[0].split()
        return None

    return replace_windows(text, match)


def _finishes_name_above(text: str) -> bool:
    """Whether a header line is the second half of an organ's name, not a name of its own."""
    fu = fold_upper(text).strip()
    return bool(_PLACE_ONLY.match(fu)) or not _ORGAN_HEAD.match(fu)


def _capitals_run(text: str) -> str:
    """Return the run of capitals words of a header line read between specks.

    A photocopy's specks around an organ's name read as short small-letter words, often
    real syllables (``nh ĐẢNG ỦY THỊ TRẤN ĐINH VĂN Y vụ vò cv ố co``), and make the line fail
    the capitals test. The longest run of words in capitals is the name when it holds most of
    the line's letters and every word outside it is at most three letters long.
    """
    words = text.split()
    upper = [not _letters(w) or _letters(w).isupper() for w in words]  # "PHƯỜNG 1" goes on
    best = (0, 0)
    start = 0
    for i, up in enumerate([*upper, False]):
        if not up:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = i + 1
    lo, hi = best
    if hi - lo < 2 or hi - lo == len(words):
        return text
    inside = sum(len(_letters(w)) for w in words[lo:hi])
    outside = words[:lo] + words[hi:]
    if inside < 0.6 * len(_letters(text)) or any(len(_letters(w)) > 3 for w in outside):
        return text
    # A lone capital beside the specks is one of them ("… ĐINH VĂN Y vụ vò").
    while hi - lo > 2 and len(_letters(words[hi - 1])) == 1 and hi < len(words):
        hi -= 1
    while hi - lo > 2 and len(_letters(words[lo])) == 1 and lo > 0:
        lo += 1
    return " ".join(words[lo:hi])


def _issuer_text(seg: Segment) -> str:
    text = strip_noise(_drop_trailing_garbage(_capitals_run(strip_noise(_left_part(seg)))))
    # An organ's name holds no quotes and no stop between its words: on a noisy scan a speck
    # reads as one (``"THÀNH Ủy ĐÀ LẠT``, ``ĐẢNG,BỘ TỈNH``, ``BÕ.TĨNH LÂM. ĐỒNG``), except
    # the dot of an abbreviation, which has no vowel (``UBND TP. ĐÀ LẠT``). The line is in
    # capitals, so a small letter in it is a misread capital (``Ủy``).
    # Between two words a quote is a speck too (``ỦY BAN'NHÂN DÂN``); the apostrophe of a
    # K'Ho name follows its lone K or H (``XÃ ĐẠ K'NÀNG``).
    text = _ORG_QUOTE.sub(" ", _ORG_STOPS.sub(_unless_abbreviation, text.strip("\"“”'‘’ ")))
    return " ".join(text.upper().split())


_ORG_STOPS = re.compile(r"(?<=[^\W\d_])[,.;:]+(?=\s*[^\W\d_])")
_ORG_QUOTE = re.compile(r"(?<=[^\W\d_]{2})[\"“”'‘’`]+(?=[^\W\d_])")
_VOWELS = frozenset("AEIOUY")


def _unless_abbreviation(m: re.Match[str]) -> str:
    word = m.string[: m.start()].split()[-1]
    if m[0] == "." and not _VOWELS & set(fold_upper(word)):
        return m[0]
    return " "


def _issuer(lay: PageLayout, res: Result, stop: int, top_limit: int) -> None:
    lines: list[Segment] = []
    for seg in lay.segments[:stop]:
        if seg.col == "R" or seg.top >= top_limit:
            continue
        text = _capitals_run(strip_noise(_left_part(seg)))
        if len(_letters(text)) < 3 or not is_upper_line(text):
            continue
        if _number_in(seg) or BODY_START.match(seg.fu) or canonical_doc_type(text):
            continue  # "Số: …", "I. KẾT QUẢ …", the type title: never an organ's name
        if _CODE.search(text):
            continue  # a symbol whose "Số" OCR lost or garbled ("06-CV/THU", "SỞ 3953.KL/ĐU")
        if MARK_ALONE.match(seg.fu) or URGENCY_ALONE.match(seg.fu):
            continue  # a secrecy or urgency mark set inside or above the header block
        lines.append(seg)
    cleaned = [
        (
            s,
            repair_org_words(
                _near_org_words(
                    _restore_cut_start(
                        _split_glued_units(_gap_hyphens(_drop_strays(_issuer_text(s))))
                    )
                )
            ),
        )
        for s in lines
    ]
    cleaned = [(s, closest_department(t) or t) for s, t in cleaned]
    cleaned = [(s, t) for s, t in cleaned if t and not PROFILE_TITLE.match(s.fu)]
    if not cleaned:
        return
    i, seg, text = _name_upwards(cleaned, len(cleaned) - 1)
    text = repair_org_words(text)  # a name on two lines (``… PHÁT`` / ``TRIÊN NÔNG THÔN``)
    if i == 0 and _PARTY_BRANCH.match(fold_upper(text)):
        # HD 36: "ĐẢNG BỘ TỈNH …" is the superior line over a committee; a Đảng bộ issues
        # nothing itself, so the issuer's line under it was lost.
        res.put("parent_issuer", text, seg, "header_left_party_branch", 0.8)
        return
    lines_used = len(cleaned) - i
    rule = "header_left_last" if lines_used == 1 else "header_left_two_lines"
    res.put("issuer", text, seg, rule, 0.9 if lines_used == 1 else 0.85)
    if i >= 1:
        _, pseg, ptext = _name_upwards(cleaned, i - 1)
        res.put("parent_issuer", repair_org_words(ptext), pseg, "header_left_above", 0.85)
    else:
        res.put("parent_issuer", "", None, "header_left_none", 0.7)


_PARTY_BRANCH = re.compile(r"[DĐ]ANG BO (?:TINH|HUYEN|THANH PHO|KHOI)\b")
# An organ's name holds no slash and no number glued to a dash: those are a symbol's.
_CODE = re.compile(r"/|\d-[^\W\d_]")
_NAME_LINES = 3  # an organ's name is printed on at most this many lines
# A Party group inside an organ is named after it on the next line (``BAN CÁN SỰ ĐẢNG`` /
# ``ỦY BAN NHÂN DÂN TỈNH``, ``ĐẢNG ĐOÀN`` / ``HỘI ĐỒNG NHÂN DÂN TỈNH``): one name, not two.
_PARTY_GROUP = re.compile(r"^(?:BAN CAN SU DANG|DANG DOAN)$")


def _name_upwards(cleaned: list[tuple[Segment, str]], last: int) -> tuple[int, Segment, str]:
    """Return (first line index, segment, text) of the name whose last line is ``last``.

    A line that only finishes a name (``DÂN CHỦ Ở CƠ SỞ``, ``HUYỆN LÂM HÀ``), or that names
    the organ of a Party group above it (``_PARTY_GROUP``), joins the line above it, for the
    issuer as for its superior (``ỦY BAN NHÂN DÂN`` / ``HUYỆN LÂM HÀ`` over
    ``PHÒNG NỘI VỤ``), unless the line above ends on a place and so is a whole name already
    (``ĐẢNG BỘ TỈNH LÂM ĐỒNG`` over an issuer whose first word OCR garbled).
    """
    seg, text = cleaned[last]
    i = last
    while (
        i >= 1
        and last - i + 1 < _NAME_LINES
        and (
            _finishes_name_above(cleaned[i][1])
            or bool(_PARTY_GROUP.match(fold_upper(cleaned[i - 1][1]).strip()))
        )
        and not ends_with_place_name(cleaned[i - 1][1])
    ):
        above_seg, above = cleaned[i - 1]
        text, i = f"{above} {text}", i - 1
        seg = Segment(seg.page, text, _span(above_seg, seg), min(seg.conf, above_seg.conf))
    return i, seg, text


def _span(a: Segment, b: Segment) -> tuple[int, int, int, int] | None:
    """Return the box around two segments (the two lines of one name)."""
    if not (a.box and b.box):
        return a.box or b.box
    left, top = min(a.box[0], b.box[0]), min(a.box[1], b.box[1])
    right = max(a.box[0] + a.box[2], b.box[0] + b.box[2])
    bottom = max(a.box[1] + a.box[3], b.box[1] + b.box[3])
    return left, top, right - left, bottom - top


def _join_apostrophes(text: str) -> tuple[str, list[int]]:
    """Return ``text`` with its apostrophes mended, and each output character's offset.

    Quotes read for an apostrophe become ``'`` and a space after one inside a name goes
    (``K’ Nàng`` → ``K'Nàng``).
    """
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text.translate(_APOSTROPHES)):
        if ch == " " and out and out[-1] == "'" and len(out) > 1 and out[-2].isalpha():
            continue
        out.append(ch)
        pos.append(i)
    return "".join(out), pos


def parse_place_date(
    segs: list[Segment], res: Result, stop_at_title: bool = False
) -> Segment | None:
    """Fill ``date`` (and ``place`` before it) from the first of ``segs`` that carries one.

    With ``stop_at_title`` (a document's first page, top down) the search ends at the type
    title: the place and date line is printed above it, a date below it is the body's
    (``Ngày 15/03/2015, Ban Thường vụ …``) and not the document's.
    """
    for seg in header_segments(segs):
        fu = seg.fu
        if stop_at_title and canonical_doc_type(strip_noise(seg.text)):
            break
        m = DATE_WORDS.search(fu)
        lost = None if m else DATE_WORD_LOST.search(fu)
        m = m or lost
        numeric = None if m else DATE_NUMERIC.search(fu)
        if numeric and not re.search(r"NGAY|,", fu[: numeric.start()]):
            numeric = None
        if BLANK_DATE.search(fu):
            res.flag("date", "date_blank", "ngày tháng để trống (bản nháp chưa ký?)")
        match = m or numeric
        if not match:
            continue
        day, month = (match[k].translate(DATE_DIGITS) for k in ("d", "m"))
        iso, problem = make_date(day, month, match["y"])
        if iso is None:
            res.flag("date", problem, seg.text[match.start() : match.end()])
            if m:
                # "ngày … tháng … năm" makes it the place and date line even when a digit is
                # unreadable: its place holds; a later line may still carry a readable date.
                _put_place(seg, match.start(), res)
                res.date_line = res.date_line or seg
            continue
        res.put(
            "date",
            iso,
            seg,
            "place_date_line_word_lost" if lost else "place_date_line" if m else "numeric_date",
            0.85 if lost else 0.95 if m else 0.8,  # without "ngày", less sure it is that line
            span=(match.start() + 1, match.end()) if lost else (match.start(), match.end()),
        )
        if problem:
            res.flag("date", problem, iso)
        _put_place(seg, match.start(), res)
        return seg
    if stop_at_title:  # a document's header; a form's foot is read up from the bottom
        _place_before_ngay(segs, res)
    return None


# ", ngày" after the place, however the date after it was garbled ("Hòa Nam, ngày l3 thiêng 7
# năm 2"); "ngày" keeps its N and one of G, A, Y.
_COMMA_NGAY = re.compile(r",\s*N(?:GAY|GA|AY|GY|[A-Z]AY|G[A-Z]Y|GA[A-Z])\b")


def _place_before_ngay(segs: list[Segment], res: Result) -> None:
    """Fill ``place`` from a header line ``<gazetteer name>, ngày …`` whose date is unreadable.

    The line is still the place and date line (``res.date_line``, which a re-read of the
    date may then mend); the place must be a gazetteer name as a whole, read with any marks.
    """
    if res.fields.get("place"):
        return
    for seg in header_segments(segs):
        if canonical_doc_type(strip_noise(seg.text)):
            return
        m = _COMMA_NGAY.search(seg.fu)
        if not m or res.date_line not in (None, seg):
            continue
        before = strip_noise(seg.text[: m.start()])
        name = place_named(before)
        if name is None or fold(name).casefold() != fold(before).casefold():
            continue  # only a name read whole: a near one is a guess on a garbled line
        res.put("place", name, seg, "place_before_ngay", 0.8, span=(0, m.start()))
        res.date_line = res.date_line or seg
        return


def _put_place(seg: Segment, date_start: int, res: Result) -> None:
    """Fill ``place`` from the words before the date on the place and date line."""
    before = seg.text[:date_start]
    before = re.sub(r"(?i)\s*ng[aà]y\s*$", "", before)
    # OCR reads the apostrophe of "K'Nàng" as a quote and may set it apart ("K’ Nàng").
    text, pos = _join_apostrophes(before)
    pm = _PLACE.search(text.rstrip(" ,"))
    if pm:
        place, span = pm.group(1), (pos[pm.start(1)], pos[pm.end(1) - 1] + 1)
        res.put("place", place, seg, "place_before_date", 0.9, span=span)


# A subject line that ends on one of these words goes on, whatever the next line starts with
# ("… giai đoạn / 2022 - 2023", "… tại huyện / Di Linh", "… dịch bệnh / COVID-19 …").
_OPEN_END = re.compile(
    r"(?:\b(?:VE|VA|CUA|TAI|CHO|TRONG|TREN|DUOI|VOI|O|DE|NAM|GIAI\s*DOAN|DOT|LAN|KHOA|"
    r"NHIEM\s*KY|THANG|HUYEN|TINH|XA|THANH\s*PHO|THI\s*XA|THI\s*TRAN|PHUONG|QUAN|THON|"
    r"BENH|DICH|SO|NGHI\s*QUYET|QUYET\s*DINH|CHI\s*THI|KET\s*LUAN|LUAT|NGHI\s*DINH)|[,(\-])\s*$"
)
# After a unit's level the line goes on with the unit's name ("thôn / Phường 5", "huyện / Di
# Linh"): capitalised words or a number, not a sentence of the body ("thôn / Mùa khô năm nay").
_LEVEL_END = re.compile(r"\b(?:HUYEN|TINH|XA|THANH\s*PHO|THI\s*XA|THI\s*TRAN|PHUONG|QUAN|THON)\s*$")
_NAME_START = re.compile(rf"^[{VN_UP}]\S*(?:\s+[{VN_UP}\d]|\s*$)")


# Fixed phrases of subjects whose one misread letter still spells Vietnamese or a word:
# "Về việc" opens most trích yếu ("Vẻ việc" is no phrase), "COVID-19" ("COVTD-19", "COV1D-19").
_FIXED_TERMS = (
    (re.compile(r"^V[ẻẽèéẹêễểệ](?=\s+việc\b)"), "Về"),
    (re.compile(r"\bCOV[A-Z0-9|!]D(?=\s?-\s?19\b)"), "COVID"),
    # "chi" (a Party cell; spending) read with a hook: "chỉ" is a word too, but never before
    # these: chi bộ, các chi, đảng bộ cơ sở, chi thường xuyên (recurrent spending).
    (re.compile(r"\b([cC])hỉ(?=\s+bộ\b|,\s*đảng bộ\b|\s+thường xuyên\b)"), r"\1hi"),
)


def _fixed_terms(text: str) -> str:
    """Return a subject with misread letters of fixed phrases put right (``_FIXED_TERMS``)."""
    for rx, term in _FIXED_TERMS:
        text = rx.sub(term, text)
    return text


def _same_row(a: Segment, b: Segment) -> bool:
    """Whether two segments sit on one printed line (their boxes overlap most of a height)."""
    if not (a.box and b.box):
        return False
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.height, b.height)


def _names_unit(before: str, text: str) -> bool:
    """Whether ``text`` may follow ``before``: after a unit's level, only the unit's name."""
    if not _LEVEL_END.search(fold_upper(before)) or not text[:1].isupper():
        return True
    return bool(_NAME_START.match(text))


def _continues_subject(parts: list[str], seg: Segment) -> bool:
    """Whether a line carries on the subject whatever its first letter (see ``_OPEN_END``)."""
    text = seg.text.strip()
    return bool(
        _LOWER_START.match(text)
        or re.match(r"^\d{1,4}\b", text)
        or _PAIR_START.match(text)
        or (parts and _OPEN_END.search(fold_upper(parts[-1])) and _names_unit(parts[-1], text))
        or (parts and spans_place_name(parts[-1], text))
    )


# Words that open the body's first sentence when capitalised at a line's start. A subject is
# one phrase: its wrapped lines go on in lower case ("… tại xã Lộc Phát") or with a name.
_SENTENCE_OPENER = re.compile(
    r"^(?:Để|Tại|Thực hiện|Theo|Nhằm|Trong|Qua|Sau khi|Trên cơ sở|Hiện nay|Thời gian qua)\s"
)


def _subject_after(
    lay: PageLayout,
    title: Segment,
    res: Result,
    rule: str,
    first: str | None = None,
    certainty: float = 0.85,
    near: bool = True,
) -> None:
    """Put the subject: the lines after ``title`` (or ``first``, the rest of a V/v line).

    ``near=False`` when the title line itself was lost: the first line may then stand as far
    below ``title`` as the title would have taken.
    """
    parts = [first] if first else []
    prev = title
    for seg in lay.segments[title.index + 1 : title.index + 5]:
        fu = seg.fu.strip()
        has_text = _letters(seg.text) or re.search(r"\d{2}", seg.text)
        if not has_text or _same_row(seg, prev) and prev is title:
            continue  # specks, or a fragment on the title's own row
        if first is not None and seg.col == "R" and title.col == "L":
            continue  # beside a V/v line in the left column: the right block's place and date
        if BODY_START.match(fu) or NOI_NHAN.match(fu):
            break
        if parts and _SENTENCE_OPENER.match(seg.text.strip()):
            break  # "Để thống nhất thực hiện, …": the body's first sentence
        if parts and _all_capitals(seg.text) and not _continues_subject(parts, seg):
            break  # QUYẾT ĐỊNH: the authority ("GIÁM ĐỐC SỞ NỘI VỤ") follows the subject
        if seg.box and prev.box:
            if (near or parts) and seg.top - prev.bottom > 1.6 * max(seg.height, prev.height):
                break
            x0, _, w, _ = seg.box
            span = lay.right - lay.left
            centered = abs(x0 + w / 2 - lay.mid) < 0.12 * span
            carried = bool(parts) and _continues_subject(parts, seg) and w < 0.9 * span
            if first is None and (not centered or w > 0.85 * span) and not carried:
                break
            if parts and prev is not title and not carried and w > 1.2 * prev.box[2]:
                break  # wrapped subjects narrow: a wider line opening a sentence is the body
            if first is not None and not _continues_subject(parts, seg):
                break
        elif parts and not _continues_subject(parts, seg):
            break
        parts.append(seg.text)
        prev = seg
        if len(parts) >= 3:
            break
    text = strip_noise(" ".join(p for p in parts if p))
    text = re.sub(r"\s+[^\w\s]{1,2}$", "", text)
    text = _fixed_terms(text)
    if text:
        res.put("subject", text, title if first is not None else prev, rule, certainty)


def _subject_without_title(lay: PageLayout, last: Segment, res: Result) -> None:
    """Read the subject of a document whose title line was lost: the lines after the header.

    The symbol names the type (``566-CTr/ThU``), and the subject the title would have led is
    printed centred in sentence case where the title stood; lines in capitals on the way (a
    mark, a title's surviving word ``HƯỚNG``) are passed over. ``_subject_after`` still
    wants the first line centred and stops at the body.
    """
    for seg in lay.segments[last.index + 1 : last.index + 6]:
        if len(_letters(seg.text)) < 3 or is_upper_line(seg.text):
            continue
        if any(ch.islower() for ch in seg.text):
            before = lay.segments[seg.index - 1]  # the anchor, or a speck under it
            _subject_after(lay, before, res, "subject_after_date", certainty=0.6, near=False)
        return


def _title_type(raw: str) -> str | None:
    """Return the document type a title line names, a speck read as a letter beside it or not.

    ``R QUYẾT ĐỊNH`` and ``BIÊN BẢN ã``: a speck at either end of the large title is read as a
    one- or two-letter word; no type title begins or ends with such a word and another type.
    """
    canon = canonical_doc_type(strip_noise(raw))
    words = raw.split()
    if not canon and re.match(r"^\S{1,2}\s+\S", raw):
        canon = canonical_doc_type(strip_noise(raw.split(None, 1)[1]))
    if not canon and len(words) > 2 and len(strip_noise(words[-1])) <= 2:
        canon = canonical_doc_type(strip_noise(" ".join(words[:-1])))
    return canon


# How many lines with words the title is looked for in: specks of a dirty scan are segments
# too, and a page of them pushed the title out of a window counted in segments.
_TITLE_WINDOW = 8


def _after_national_title(segs: list[Segment]) -> int:
    """Return where the title is looked for when neither number nor date was read.

    The type title follows the national title (the motto "Độc lập - Tự do - Hạnh phúc", or
    "ĐẢNG CỘNG SẢN VIỆT NAM"), which a garbled header still tends to keep; counting the title
    window from the page's top let specks and the header's own lines push the title out.
    """
    for seg in segs[:12]:
        if MOTTO.search(seg.fu) or PARTY_HEADER.search(seg.fu):
            return seg.index + 1
    return 0


def _title(lay: PageLayout, res: Result, start: int) -> Segment | None:
    seen = 0
    for seg in lay.segments[start:]:
        if len(_letters(seg.text)) >= 3:
            seen += 1
        if seen > _TITLE_WINDOW:
            break
        # A speck beside the title is often read as a detached colon (``HƯỚNG DẪN :``); a colon
        # glued to the word (``QUYẾT ĐỊNH:`` before the articles) is printed, not a title.
        raw = _DETACHED_COLON.sub("", seg.text.strip())
        if raw.endswith(":"):
            continue
        canon = _title_type(raw)
        if canon:
            res.put("doc_type", canon, seg, "title_line", 0.97)
            res.title_index = seg.index
            return seg
        vv = VV_LINE.match(seg.text)
        if vv and len(_letters(seg.text[vv.end() :])) > 3:
            res.put("doc_type", "CÔNG VĂN", seg, "vv_line", 0.9)
            res.title_index = seg.index
            _subject_after(lay, seg, res, "vv_subject", first=seg.text[vv.end() :])
            return None
    return None


def _title_case(word: str) -> str:
    """``ĐẠ`` → ``Đạ``, ``K'NÀNG`` → ``K'Nàng`` (a name in capitals as printed in running text)."""
    return "'".join(p[:1].upper() + p[1:].lower() for p in word.split("'"))


def repair_place(res: Result, date_seg: Segment | None) -> None:
    """Repair a misread place of the date line from the gazetteer and the issuer's lines.

    The place is usually the locality the issuer is named after (``HUYỆN ỦY ĐẠ TẺH`` dates
    from ``Đạ Tẻh``), so the last words of the issuer's lines are candidates as well. A place
    whose first capital OCR lost (``âm Hà``) was cut after the fragment: the fragment is put
    back before matching; one whose first words were lost (``Đồng``) takes them from the
    issuer's locality (``completed_place``).
    """
    place = res.fields.get("place")
    if not place or date_seg is None:
        return
    extra = list(_issuer_localities(res))
    at = date_seg.text.find(place)
    before = date_seg.text[:at].split()[-1:] if at > 0 else []
    name = None
    if before and re.fullmatch(rf"[{VN_LO}]{{1,6}}", before[0]):
        name = closest_place(f"{before[0]} {place}", tuple(extra))
    name = name or closest_place(place, tuple(extra)) or completed_place(place, tuple(extra))
    if name is None:
        return
    res.fields["place"] = name
    prov = res.provenance.get("place") or {}
    prov["rule"] = f"{prov.get('rule', '')}+gazetteer_nearest".strip("+")
    res.confidence["place"] = round(res.confidence.get("place", 0.9) * 0.85, 3)
    res.flag("place", "repaired", f"{place} → {name}")


# The place and date line ends on the year; OCR may garble every word between.
_YEAR_END = re.compile(r"\b(?:19|20)\d{2}\W{0,3}$")


def _issuer_localities(res: Result) -> tuple[str, ...]:
    """Return the last one to three words of the issuer's lines, as a place is printed."""
    extra: list[str] = []
    for key in ("issuer", "parent_issuer"):
        words = str(res.fields.get(key) or "").split()
        extra += [" ".join(_title_case(w) for w in words[-k:]) for k in (1, 2, 3) if words[k - 1 :]]
    return tuple(extra)


def _place_of_garbled_line(segs: list[Segment], res: Result, date_seg: Segment | None) -> None:
    """Fill a missing place from the place and date line when OCR garbled its words.

    The words before ``, ngày …`` on a date line whose place did not read as capitalised
    words (``DL kính, ngày 18 …``), or, when no line read as a date at all, the words before
    the first comma of a header line above the title that ends on a year (``Lắm Động, Hgàu 6
    Hung ‡ năm 2015``): kept only when they name a known place (``place_named``).
    """
    if res.fields.get("place"):
        return
    found: list[tuple[Segment, str]] = []
    line = date_seg or res.date_line
    if line is not None:
        m = DATE_WORDS.search(line.fu)
        if m:
            found.append((line, line.text[: m.start()]))
    else:
        for seg in header_segments(segs):
            if canonical_doc_type(strip_noise(seg.text)):
                break
            head, comma, rest = seg.text.partition(",")
            if comma and _YEAR_END.search(rest) and len(rest.split()) >= 3:
                found.append((seg, head))
    extra = _issuer_localities(res)
    for seg, before in found:
        words = re.sub(r"(?i)\s*ng[aà]y\s*$", "", before).split()
        # Only the words after the number line's, when both were read as one line.
        while any(ch.isdigit() for ch in " ".join(words)):
            words = words[1:]
        for k in range(min(len(words), 4), 0, -1):
            text = " ".join(words[-k:]).strip(" ,.;:-_'\"")
            name = place_named(text, extra)
            if name is not None:
                name = completed_place(name, extra) or name  # "Đồng": the words before lost
                res.put("place", name, seg, "place_garbled_line", 0.6)
                res.flag("place", "repaired", f"{text} → {name}")
                return


def _locality_as_placed(res: Result) -> None:
    """Spell an organ's closing locality as the date line's place when a letter per word differs.

    ``ĐẢNG ỦY THỊ TRẤN ĐINH VÀNG`` dated from ``Đinh Văn``: the organ is named after where it
    sits, and the place (a gazetteer name, repaired against it) was read from another line.
    Names one letter off per word and no more; a different locality stays (``SỞ NỘI VỤ`` of
    ``Lâm Đồng``, ``HUYỆN ỦY LÂM HÀ`` dated elsewhere).
    """
    place = str(res.fields.get("place") or "")
    want = fold_upper(place).split()
    if len(want) < 2 or not ends_with_place_name(place):
        return
    for key in ("issuer", "parent_issuer"):
        words = str(res.fields.get(key) or "").split()
        if len(words) <= len(want):
            continue
        printed = " ".join(words[-len(want) :])
        tail = fold_upper(printed).split()
        gaps = [edit_distance(a, b) for a, b in zip(tail, want, strict=True)]
        if max(gaps) > 1 or printed == place.upper() or ends_with_place_name(printed):
            continue  # read right already, or another place spelt right (LÂM ĐỒNG, ĐAM RÔNG)
        _respell(res, key, [*words[: -len(want)], place.upper()], "locality_as_placed")
    for key in ("issuer", "parent_issuer"):
        words = str(res.fields.get(key) or "").split()
        # Cut at the right edge: the level (and ỦY of a committee), then the place's first
        # word(s): HUYỆN ĐẠ dated Đạ Tẻh, HUYỆN ỦY CÁT dated Cát Tiên.
        levels = [fold_upper(w) for w in words]
        for n in range(1, len(want)):
            head = [w for w in levels[:-n] if w != "UY"][-1:] if len(words) > n else []
            if (
                head
                and head[0] in _LEVELS
                and levels[-n - 1] in (*_LEVELS, "UY")
                and fold_upper(" ".join(words[-n:])).split() == want[:n]
                and level_fits(head[0] == "TINH", head[0] in _BELOW_PROVINCE, place)
            ):
                _respell(res, key, [*words[:-n], place.upper()], "locality_completed")
                break


_BELOW_PROVINCE = frozenset({"HUYEN", "XA", "PHUONG", "THI"})  # THÀNH: a city, either


def _respell(res: Result, key: str, words: list[str], rule: str) -> None:
    """Put ``words`` as ``key``'s value, flagged as repaired and trusted a little less."""
    old = res.fields[key]
    res.fields[key] = " ".join(words)
    prov = res.provenance.get(key) or {}
    prov["rule"] = f"{prov.get('rule', '')}+{rule}".strip("+")
    res.confidence[key] = round(res.confidence.get(key, 0.9) * 0.85, 3)
    res.flag(key, "repaired", f"{old} → {res.fields[key]}")


# A ``V/v`` too worn for ``VV_LINE`` (``7/0``, ``V0``): a short token of slash or V-like
# strokes before a lower-case word, trusted only under the number of a công văn.
_WORN_VV = re.compile(rf"^\W{{0,2}}(?=\S{{0,2}}[VvWwy7/\\|])[^\s{VN_LO}]\S{{0,2}}\s+(?=[{VN_LO}])")


def _worn_vv(text: str, parts: dict[str, str]) -> re.Match[str] | None:
    """Match a worn ``V/v`` (``_WORN_VV``) when the symbol says the letter is a công văn."""
    if parts.get("type") not in ("CV", "") or not parts.get("style"):
        return None
    m = _WORN_VV.match(text)
    token = text[: m.end()].strip() if m else ""
    return m if m and not is_valid_syllable(token.lower()) else None


def _vv_under_number(lay: PageLayout, res: Result, num_seg: Segment) -> None:
    """Read a công văn's ``V/v`` line among the few segments under the number line."""
    parts = res.fields.get("_symbol_parts") or {}
    for seg in lay.segments[num_seg.index + 1 : num_seg.index + 6]:
        if seg.col == "R":
            continue
        vv = VV_LINE.match(seg.text) or _worn_vv(seg.text, parts)
        if vv and len(_letters(seg.text[vv.end() :])) > 3:
            res.put("doc_type", "CÔNG VĂN", seg, "vv_line", 0.9)
            res.title_index = seg.index
            _subject_after(lay, seg, res, "vv_subject", first=seg.text[vv.end() :])
            return


def _organ_from_code(res: Result, num_seg: Segment) -> None:
    """Name the issuer from the symbol's code when its header line was lost or garbled.

    A streak or a seal takes the organ's line (``BAN TỔ CHỨC``) and the superior read above it
    (``TỈNH ỦY LÂM ĐỒNG``) passes for the issuer; a garbled line (``SOAYGLE``) passes too. The
    code (``BTCTU``, ``SYT``) names the organ when exactly one organ of the closed lists fits
    (``extract._orgcode.organ_under``); the superior read becomes the parent.
    """
    parts = res.fields.get("_symbol_parts") or {}
    issuer = res.fields.get("issuer") or ""
    if not issuer or res.fields.get("parent_issuer") or not parts.get("style"):
        return
    organ = organ_under(issuer_code(parts), issuer, parts["style"])
    if organ is None:
        return
    if parts["style"] == "party" or fold_upper(issuer).startswith(_STATE_SUPERIORS):
        res.fields["parent_issuer"] = issuer
        res.confidence["parent_issuer"] = res.confidence["issuer"]
        res.provenance["parent_issuer"] = {**res.provenance["issuer"], "rule": "issuer_superior"}
        res.words["parent_issuer"] = res.words.get("issuer", [])
    res.put("issuer", organ, num_seg, "issuer_from_symbol_code", 0.6)


_STATE_SUPERIORS = ("UY BAN NHAN DAN", "UBND")


def _committee_from_code(res: Result, num_seg: Segment) -> None:
    """Name a Party committee whose header line was lost from its code and the place.

    ``1311-CT/HU`` dated at Đức Trọng under a streaked ``HUYỆN/UYV DU TRONG`` is HUYỆN ỦY ĐỨC
    TRỌNG (``extract._orgcode.committee_of``); only when no issuer was read at all.
    """
    parts = res.fields.get("_symbol_parts") or {}
    place = str(res.fields.get("place") or "")
    if res.fields.get("issuer") or parts.get("style") != "party" or not place:
        return
    name = committee_of(issuer_code(parts), place)
    if name:
        res.put("issuer", name, num_seg, "issuer_from_committee_code", 0.5)


def parse_header(lay: PageLayout, res: Result) -> None:
    """Fill the header fields of a Party or State document from its first page."""
    segs = lay.segments
    found = find_number(segs)
    num_seg = None
    if found:
        num_seg, sm = found
        put_symbol(num_seg, sm, res)
    date_seg = parse_place_date(segs, res, stop_at_title=True)
    anchors = [s.index for s in (num_seg, date_seg) if s is not None]
    stop = min(anchors) + 1 if anchors else min(len(segs), 8)
    top_limit = num_seg.top if num_seg else (date_seg.bottom if date_seg else 10**9)
    _issuer(lay, res, stop, top_limit + (0 if num_seg else 1))
    if num_seg is not None:
        _organ_from_code(res, num_seg)
    repair_place(res, date_seg)
    _place_of_garbled_line(segs, res, date_seg)
    _locality_as_placed(res)
    if num_seg is not None:
        _committee_from_code(res, num_seg)
    start = max(anchors) + 1 if anchors else _after_national_title(segs)
    title = _title(lay, res, start)
    if title is not None:
        _subject_after(lay, title, res, "title_subject")
    elif "doc_type" not in res.fields and num_seg is not None:
        # The V/v line sits under the number, in the left column; read in columns it comes
        # before the right block's place and date line.
        _vv_under_number(lay, res, num_seg)
    parsed = res.fields.get("_symbol_parts") or {}
    if "doc_type" not in res.fields and parsed.get("type"):
        guess = type_from_abbr(parsed["type"])
        if guess:
            res.put("doc_type", guess, num_seg, "symbol_type", 0.6)
            if anchors and guess != "CÔNG VĂN":
                _subject_without_title(lay, lay.segments[max(anchors)], res)
    if "doc_type" not in res.fields and parsed.get("style") == "state" and not parsed.get("type"):
        res.put("doc_type", "CÔNG VĂN", num_seg, "state_symbol_without_type", 0.6)
