"""Closing fields: recipients (``Nơi nhận``) and the signature block."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from core.text import normalize_vi
from extract._header import is_upper_line
from extract._layout import PageLayout, Segment
from extract._lexicon import is_valid_syllable
from extract._marks import LineReader
from extract._names import is_highland_word, is_known_surname, name_words, repair_person_name
from extract._patterns import (
    AUTHORITY,
    NOI_NHAN,
    VN_LO,
    VN_UP,
    clean_letters,
    fold_upper,
    speck_line,
)
from extract._places import edit_distance
from extract._result import Result, strip_noise
from extract._vocab import (
    TITLE_WORDS,
    body_at_end,
    canonical_body,
    closest_body,
    closest_title,
    repair_org_words,
    title_in,
    title_words,
)

_BULLET = re.compile(r"^\s*[-~_–•+=.,'`]*\s*[-~–•+]\s*|^\s*[_~]+\s*")
_UPPER_TAIL = re.compile(
    rf"^(?P<head>.*?[,;.:])\s*(?P<tail>[^\w]{{0,2}}(?:[{VN_UP}/.'][{VN_UP}/.']*\s*){{2,}})$"
)
_NOISE_TOKEN = re.compile(rf"[^\w()/,.;:'’\-]|^[{VN_LO}]$|^\W+$")
_CAMEL = re.compile(rf"([{VN_LO}])([{VN_UP}])")
_NAME_QUOTE = re.compile(r"(?<!\w)([KH])[\"”“’‘`´]")
# A K'Ho name whose apostrophe was lost altogether ("KJen"): a K glued to a capitalised word.
_NAME_NO_QUOTE = re.compile(rf"(?<!\w)K(?=[{VN_UP}][{VN_LO}])")
_INNER_PUNCT = re.compile(r"(?<=[^\W\d_])[.\-–]+(?=[^\W\d_])")
_HIGHLAND_ONE = re.compile(rf"^[KH]'[{VN_UP}][{VN_LO}]+$")
_NAME_WORD = re.compile(rf"^[{VN_UP}](?:'[{VN_UP}])?[{VN_LO}]*'?$|^[{VN_LO}]+$")
# The list ends with the file copy, "- Lưu: VT, TCCB." closed by a period; OCR often reads that
# faint period as a comma or semicolon.
_FILE_COPY = re.compile(r"^L[ưu]u\b", re.IGNORECASE)
# An authority whose slash or dot OCR lost, restored in the style the line's body shows.
_UNPUNCTUATED = {"TM": "T/M", "KT": "K/T", "TL": "T/L", "TUQ": "TUQ."}  # Party style
_AUTH_CANON = {
    "T/M": "T/M",
    "K/T": "K/T",
    "T/L": "T/L",
    "T/U": "T/U",
    "TM.": "TM.",
    "KT.": "KT.",
    "TL.": "TL.",
    "TUQ.": "TUQ.",
    "Q.": "Q.",
}


# "(b/c)" (báo cáo, "to report to") closes many recipients; its small letters and slash read
# as "(b/e)", "(Đ/c)", "(bíc)", "(híc)", "(Đb/c)", "(b/)", "(b/©)", or "thíc)" and "Œíc)"
# with the parenthesis lost or run into the b.
_BC = re.compile(
    r"(?:(?:\((?:[bđĐh]{1,2}\s?[/íìil1|]|[bđĐ])|(?<=\s)(?:th|Œ)[íi])\s?[ceéè€©]|\([bđĐ]\s?/)\)"
    r"(?=[,;.]?$)"
)


# Any other reading of it: a closing bracket of up to four of its look-alike letters at the
# item's end, holding its slash or its c ("(bí/c)", "(Bfc)", "(/e)", "(b/C)"). No other
# recipient closes with so short a bracket.
_BC_LOOSE = re.compile(r"\((?=[^)]*[/cCeé©])[bBđĐhfíìiIl1|/cCeé©]{1,4}\)(?=[,;.]?$)")


def _clean_item(text: str) -> str:
    text = _BULLET.sub("", text).replace("€", "c")  # Tesseract reads "(b/c)" as "(b/€)"
    text = _BC_LOOSE.sub("(b/c)", _BC.sub("(b/c)", text.rstrip()))
    text = re.sub(r"(?<=\s)-(?=\w)", "", text)  # "phòng, -đơn": a speck read as a dash
    text = re.sub(r"(?<=[^\W\d])['’](?=[^\W\d])", " ", text)  # "Văn'phòng"
    text = re.sub(r"_+\s*(?=[,;.]?$)", "", text).replace("_", " ")  # "viênBan___,"
    text = _CHI_BO.sub(r"\1hi", text)
    words = _mend_words(strip_noise(text, keep_period=True).split())
    while words and _NOISE_TOKEN.search(words[-1]):
        words.pop()
    return repair_org_words(" ".join(words), keep_case=True)


# A Party cell is a "chi bộ" ("các chi, đảng bộ cơ sở": cells and Party committees); its "chi"
# read with a hook ("chỉ") is no word there.
_CHI_BO = re.compile(r"(?<!\w)([Cc])hỉ(?=,?\s+(?:đảng\s+)?bộ(?!\w))")


def _mend_words(words: list[str]) -> list[str]:
    """Mend where OCR cut, glued or doubled syllables, by the syllable list.

    Two words glued at a capital (``viênBan``) are split when both halves are syllables; a
    word cut in two (``Tr ung``) is joined when the piece is no syllable and the whole is one;
    a lone letter that begins the next word (``ủ ủy``) is that word read twice.
    """
    out: list[str] = []
    for w in words:
        m = _CAMEL.search(w)
        if m and _syllable(w[: m.start() + 1]) and _syllable(w[m.end() - 1 :]):
            out += [w[: m.start() + 1], w[m.end() - 1 :]]
        else:
            out.append(w)
    out = [_standard_abbreviation(w) for w in out]
    mended: list[str] = []
    for w in out:
        prev = mended[-1] if mended else ""
        if prev.isalpha() and not _syllable(prev) and not prev.isupper() and _syllable(prev + w):
            mended[-1] = prev + w
        elif (
            len(prev) == 1
            and prev.isalpha()
            and fold_upper(w).startswith(fold_upper(prev))
            and _syllable(w)
        ):
            mended[-1] = w
        else:
            mended.append(w)
    return mended


# Abbreviations every administrative list uses (Ủy ban nhân dân, Hội đồng nhân dân, Ủy ban Mặt
# trận Tổ quốc, lãnh đạo Văn phòng, tổ chức cán bộ); a capitals word one letter off exactly one
# of them, and none itself, is it misread ("UBMTT", "UBNB"). Shorter ones are too alike.
_STANDARD_ABBR = ("UBND", "HĐND", "UBMTTQ", "MTTQ", "LĐVP", "TCCB")


def _standard_abbreviation(word: str) -> str:
    m = re.fullmatch(rf"([{VN_UP}]{{4,}})[^\w\s,;.()]?([,;.]?)", word)
    if m is None or m[1] in _STANDARD_ABBR:
        return word
    near = [a for a in _STANDARD_ABBR if edit_distance(m[1], a) == 1]
    return near[0] + m[2] if len(near) == 1 else word


def _syllable(word: str) -> bool:
    core = re.sub(r"[^\w]", "", word)
    return bool(core) and core.isalpha() and bool(is_valid_syllable(core.lower()))


def _apostrophes(text: str) -> str:
    """Restore the apostrophe of a K'Ho name: ``K" Vin`` → ``K' Vin``, ``KJen`` → ``K'Jen``.

    OCR reads it as a quote or an accent, or loses it.
    """
    return _NAME_NO_QUOTE.sub("K'", _NAME_QUOTE.sub(r"\1'", text))


def name_like(text: str, *, tail_debris: bool = False) -> str | None:
    """Return a cleaned personal name if ``text`` looks like one (``Lê Thị Yến``), else None.

    With ``tail_debris`` (a line of the page, not a crop read again at many thresholds, whose
    debris can make a name of anything), a lone lower-case letter or speck after the name is
    dropped: the tail of a stroke (``Hồ Khánh An ƒ``); no name ends with one. What is left
    must then be capitalised word by word.
    """
    # Quotes stay in other fields' text, but a name is never quoted: they are specks here.
    text = strip_noise(_apostrophes(text)).lstrip("\"“”‘’'").rstrip('"“”').strip()
    text = _CAMEL.sub(r"\1 \2", text)
    words = text.split()
    kept = len(words)
    while (
        tail_debris
        and len(words) > 2
        and len(core := re.sub(r"\W", "", words[-1])) <= 1
        and not core.isupper()
    ):
        words.pop()
    if len(words) < kept and not all(w[:1].isupper() for w in words):
        return None  # "Trương tìuang %y": what is left is no name either
    text = " ".join(words)
    if len(words) == 1 and _HIGHLAND_ONE.match(text):
        return text  # K'Ho names are often one word (K'Tiếu, K'Jen)
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return None
    if not all(_NAME_WORD.match(w) for w in words) or not words[0][0].isupper():
        return None
    if sum(w[0].isupper() for w in words) * 2 < len(words) or is_upper_line(text, 0.9):
        return None
    return text


def name_in(text: str) -> str | None:
    """Return the personal name a line holds, past specks a seal or a stroke left before it.

    ``}N. Hà Đức Đông``, ``tui _ K'Tiếu`` and ``XÓA, CỬ Hà Đình Ước`` hold a name after the
    debris: the longest tail of words that is a name starting with a known surname is taken,
    else the whole line if it is name-like at all. A capitalised word before it is a misread
    part of the name; a lone letter or a lower-case word (a stroke's loop) is debris.
    """
    text = _INNER_PUNCT.sub(" ", text)  # "Nguyễn.-Đức": a speck between two words
    whole = name_like(text)
    if whole and sound_name(whole):
        return whole
    words = _CAMEL.sub(r"\1 \2", strip_noise(_apostrophes(text))).split()
    for i in range(1, len(words)):
        if any(_NAME_WORD.match(w) and w[0].isupper() and len(w) > 1 for w in words[:i]):
            break  # "Ngưyễn Công Sơn": a misread word of the name, not debris before it
        tail = name_like(" ".join(words[i:]))
        if tail and sound_name(tail):
            return tail
    return whole


def _voted_name(names: list[tuple[Segment, str]]) -> tuple[Segment, str, bool] | None:
    """Pick the name most readings agree on (a re-read reads one line at several thresholds).

    The strictest thresholds erase strokes as well as seals, so the last reading is not the
    best one; the reading most of them give is. A reading that lost the first words of the
    name (``Công Hùng`` of ``Nguyễn Đức Công Hùng``) supports the full one. A surname one
    mark off (``Trầu``) still counts as one: the name model repairs it afterwards.

    Returns the segment, the name and whether it stands on agreement alone: a name of no
    known surname, nor all of real syllables (``Bo Bo Ha Din``: Churu names are neither),
    that two readings gave letter for letter, which debris of a seal or a stroke does not.
    """
    sound = [(seg, n) for seg, n in names if sound_name(n) or sound_name(repair_person_name(n)[0])]
    if not sound:
        plausible = [(seg, n) for seg, n in names if plausible_name(n)]
        if plausible:
            return (*plausible[-1], False)
        agreed = Counter(n for _, n in names if _agreeable(n))
        name, seen = agreed.most_common(1)[0] if agreed else ("", 0)
        return next(((seg, n, True) for seg, n in names if n == name), None) if seen >= 2 else None
    keys = [tuple(normalize_vi(n).casefold().split()) for _, n in sound]

    def support(i: int) -> int:
        return sum(k == keys[i][len(keys[i]) - len(k) :] for k in keys)

    # Of readings with as much support, the one with most words that are name syllables
    # ("Hà Đình Ước" over "Hà Đình Liớc"), then the earliest.
    best = max(range(len(sound)), key=lambda i: (support(i), name_words(sound[i][1]), -i))
    return (*sound[best], False)


def _agreeable(name: str) -> bool:
    """Whether a name may stand on the agreement of readings: capitalised words of 2+ letters."""
    words = name.split()
    return (
        len(words) >= 2 and strict_name(name) and all(len(w.replace("'", "")) >= 2 for w in words)
    )


def _split_text_line(seg: Segment) -> tuple[str, str]:
    """Split a text-only line into (left, right) when a capitals run was read across."""
    text = seg.text
    m = NOI_NHAN.match(seg.fu)
    if m and is_upper_line(text[m.end() :], 0.9):
        return text[: m.end()], text[m.end() :]
    t = _UPPER_TAIL.match(text)
    if t and is_upper_line(t["tail"], 0.95):
        return t["head"], t["tail"]
    return text, ""


def strict_name(name: str) -> bool:
    """Whether every word of a name is capitalised, as personal names are printed."""
    return all(w[0].isupper() for w in name.split())


def sound_name(name: str) -> bool:
    """Whether a name is capitalised word by word and starts with a known surname."""
    first = name.split()[0]
    return strict_name(name) and (is_known_surname(first) or bool(_HIGHLAND_ONE.match(first)))


def _plausible_title(text: str) -> bool:
    """Whether an upper-case line outside the vocabulary can be a title as printed.

    Text of a seal or a stroke read as capitals (``GÀNG Đ ĐI": VI NA``, ``TEEN ƯƠNG VỤ``) is
    no title: every word of a title is a Vietnamese syllable and one is a title word.
    """
    words = text.split()
    return (
        2 <= len(words) <= 8
        and all(w.isalpha() and is_valid_syllable(w) is not False for w in words)
        and title_words(text)
    )


def plausible_name(name: str) -> bool:
    """Whether a line may be a name of a surname we do not know, rather than seal debris.

    Debris of a seal or a stroke reads as short words (``T ủng``, ``So St``, ``Y mm``): a name
    outside the surname list must still be capitalised word by word, in real syllables of two
    letters or more or syllables of the Highland peoples' names (``Kơ Să K'Tiên``: ``Kơ`` is
    no Vietnamese spelling).
    """
    if sound_name(name):
        return True
    words = name.split()
    fixed = repair_person_name(name)[0].split()
    if is_known_surname(fixed[0]) and words[-1][:1].isupper() and len(words[-1]) >= 2:
        return True  # "Ngồ hu Nga": a surname one mark off and a given name, a word lost
    return strict_name(name) and all(
        _HIGHLAND_ONE.match(w)
        or is_highland_word(w)
        or (len(w) >= 2 and is_valid_syllable(w.replace("'", "")))
        for w in name.split()
    )


def _known_title_line(text: str) -> bool:
    """Whether a signature line is a title of the vocabulary (past debris), not an authority."""
    clean = strip_noise(text)
    return is_upper_line(clean) and not AUTHORITY.match(clean) and bool(title_in(clean))


def _title(lines: list[tuple[Segment, str]], rule: str) -> tuple[str, Segment, str, float] | None:
    """Return (title, segment, rule, confidence) of the first title line below the authority.

    A line that is a known title (past debris) or one letter off one wins; only when no line
    is, a line one or two letters further off (``Ả THƯ``, under a seal) is snapped at a low
    confidence — a garbled authority line above the title (``1/1 THUONG BẠN``) would otherwise
    pass for one. A title outside the vocabulary is kept as printed from the page's own read,
    never from a re-read.
    """
    near: tuple[str, Segment, str, float] | None = None
    for i, (seg, text) in enumerate(lines):
        clean = strip_noise(text)
        if not is_upper_line(clean) or len(clean) < 3 or AUTHORITY.match(clean):
            continue
        canon = title_in(clean)
        if canon:
            deputy = _deputy_below(canon, lines[i + 1 : i + 2], rule) or _deputy_read_later(
                canon, lines[i + 1 :], rule
            )
            return deputy or (canon, seg, f"{rule}_title_known", 0.9)
        close = closest_title(clean)
        if close:
            return close, seg, f"{rule}_title_close", 0.75
        if near is None and (snap := closest_title(clean, 0.7)):
            near = snap, seg, f"{rule}_title_near", 0.55
        elif near is None and rule == "signature" and _plausible_title(clean):
            return clean, seg, f"{rule}_title", 0.6
    return near


# A signing form one letter off ("EM. ỦY BAN NHÂN DÂN" under a seal): two capitals and a stop.
_NEAR_FORM = re.compile(r"^(?:\W|\w(?!\w)){0,6}?(?<![^\W\d_])([A-Z]{2})[.,]\s*")
_FORMS = ("TM", "KT", "TL")
# A Party form's faint slash read as a letter ("TÍM ĐẲNG ỦY" for "T/M ĐẢNG ỦY").
_SLASH_AS_LETTER = re.compile(
    r"^(?:\W|\w(?!\w)){0,6}?(?<![^\W\d_])(?:(T)[IL1|](M)|(K)[IL1|](T))\s+"
)


def _near_authority(text: str) -> tuple[str, str, str, bool] | None:
    """Return (token, body, known body, False) of an authority whose form one letter is off.

    Only before a body we know (``ỦY BAN NHÂN DÂN``, exact or close) and only when one form
    alone is one letter away (``EM.`` → ``TM.``; ``KM.`` could be ``KT.`` or ``TM.``: none).
    """
    m = _NEAR_FORM.match(fold_upper(text))
    if m is None:
        slash = _SLASH_AS_LETTER.match(fold_upper(text))
        if slash is None:
            return None
        body = strip_noise(text[slash.end() :])
        canon = canonical_body(body) or closest_body(body)
        form = f"{slash[1]}/{slash[2]}" if slash[1] else f"{slash[3]}/{slash[4]}"
        return (form, body, canon, False) if canon else None
    near = [f for f in _FORMS if sum(a != b for a, b in zip(f, m.group(1), strict=True)) == 1]
    body = strip_noise(text[m.end() :])
    canon = canonical_body(body) or closest_body(body)
    if len(near) != 1 or canon is None:
        return None
    return f"{near[0]}.", body, canon, False


def _deputy_below(
    title: str, below: list[tuple[Segment, str]], rule: str
) -> tuple[str, Segment, str, float] | None:
    """Return the deputy's title on the line under ``title``, when that line is one.

    ``K/T TRƯỞNG BAN`` over ``PHÓ TRƯỞNG BAN THƯỜNG TRỰC``: a deputy signs for the head, so
    a head's title read on its own line (its ``K/T`` lost to a seal) is the authority's body,
    and the line under it, even garbled (``ERƯỜNE"BAN THƯỜNG TRỰC``), is the signer's title
    when it is nearest a deputy's title of that head.
    """
    for seg, text in below:
        clean = strip_noise(text)
        if not is_upper_line(clean):
            return None
        snap = title_in(clean) or closest_title(clean, 0.7)
        if snap and snap != title and snap.startswith("PHÓ ") and title in snap:
            return snap, seg, f"{rule}_title_deputy", 0.7
    return None


def _deputy_read_later(
    title: str, later: list[tuple[Segment, str]], rule: str
) -> tuple[str, Segment, str, float] | None:
    """Return the deputy's title of ``title`` when a later line reads it whole.

    A seal takes ``PHÓ`` from ``PHÓ BÍ THƯ`` in one reading (``“âm TMÓ BÍ THỨ``) and leaves
    it in another: OCR loses a word under a seal but does not invent one, so a later line
    (a later reading of a re-read) that is the known deputy title of the head read first is
    the signer's title.
    """
    deputy = f"PHÓ {title}"
    if title.startswith("PHÓ ") or title_in(deputy) != deputy:
        return None
    for seg, text in later:
        clean = strip_noise(text)
        if is_upper_line(clean) and not AUTHORITY.match(clean) and title_in(clean) == deputy:
            return deputy, seg, f"{rule}_title_deputy_read", 0.85
    return None


def _authority_text(token: str, body: str, style: str) -> str:
    """Return an authority as printed in the document's style (``T/M …`` Party, ``TM. …`` State).

    A token whose slash or dot OCR lost (``KT``) takes the punctuation of the style its
    symbol shows.
    """
    if token in _AUTH_CANON:
        return f"{_AUTH_CANON[token]} {body}".strip()
    canon = f"{token}." if style == "state" else _UNPUNCTUATED.get(token, token)
    return f"{canon} {body}".strip()


def _signature(sig: list[tuple[Segment, str]], res: Result, rule: str = "signature") -> None:
    keep = {
        k: res.fields[k]
        for k in ("signing_authority", "signer_title", "signer_name")
        if res.fields.get(k)
    }
    # A first read like "Ngồ hu Nga" gives way to a re-read whose words are all capitalised,
    # and one whose first word is no surname ("Ngề Thu Nga") to a re-read starting with one.
    if rule != "signature" and "signer_name" in keep:
        first = keep["signer_name"]
        better = sound_name if strict_name(first) else strict_name
        if not sound_name(first) and any((n := name_in(t)) and better(n) for _, t in sig):
            keep.pop("signer_name")
    # Likewise a title the page read outside the vocabulary ("AN THƯỜNG VỤ": the authority's
    # organ, its first letter lost, taken for a title) gives way to a known title re-read.
    if (
        rule != "signature"
        and "signer_title" in keep
        and not title_in(keep["signer_title"])
        and any(_known_title_line(t) for _, t in sig)
    ):
        keep.pop("signer_title")
    saved = {k: (res.confidence[k], res.provenance[k]) for k in keep}
    auth_i = None
    # Authority lines; of several readings of one (a re-read), the first whose title is a
    # known one ("K/T TRƯỞNG BAN") beats an earlier garbled one ("K/T PRƯỜNG BẠN").
    found = []
    for i, (seg, text) in enumerate(sig):
        if not is_upper_line(text):
            continue
        m = AUTHORITY.match(fold_upper(text))
        if m:
            # A bar is a stroke or a box rule read across the words (``IĐANG|ĐOẦN``), never a
            # letter: the body is matched as the words it separates.
            body = strip_noise(text[m.end() :].replace("|", " "))
            token = re.sub(r"[\s,;]+", "", m.group(1))  # "KT," : a dot read as a comma
            known = canonical_body(body)
            found.append((i, seg, token, body, known or closest_body(body), bool(known)))
        elif near := _near_authority(text):
            found.append((i, seg, *near))
    if found:
        first = next((f for f in found if f[4]), found[0])
        auth_i, seg, token, body, canon, exact = first
        style = (res.fields.get("_symbol_parts") or {}).get("style", "")
        if not style and token in _AUTH_CANON:  # "TM." above "KT,": the block's own style
            style = "party" if "/" in token else "state"
        text = _authority_text(token, canon or body, style)
        # "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH": a second authority line just below the first
        # belongs to the same signature (the deputy signs for the chair, for the committee).
        # Specks between the two lines (";" under a seal) are no line.
        nxt = next(
            (
                f
                for f in found
                if auth_i < f[0] <= auth_i + 2
                and all(speck_line(sig[j][1]) for j in range(auth_i + 1, f[0]))
            ),
            None,
        )
        if nxt is not None and _AUTH_CANON.get(nxt[2], nxt[2]) != _AUTH_CANON.get(token, token):
            auth_i = nxt[0]
            text = f"{text} {_authority_text(nxt[2], nxt[4] or nxt[3], style)}"
        if exact or not canon:
            res.put("signing_authority", text, seg, f"{rule}_authority", 0.9)
        else:  # the body snapped to the nearest known one
            res.put("signing_authority", text, seg, f"{rule}_authority_close", 0.75)
    if auth_i is None:
        res.put("signing_authority", "", None, f"{rule}_no_authority", 0.7)
    title = _title(sig[(auth_i + 1) if auth_i is not None else 0 :], rule)
    if title is None and auth_i is not None and rule != "signature":
        # A re-read is several readings one after another: the authority found in a later
        # one may stand below the title an earlier one read.
        title = _title(sig, rule)
    if title is not None:
        res.put("signer_title", *title)
        if auth_i is None and (lost := _form_lost(sig, title[0], title[1])):
            seg, token, body = lost
            style = (res.fields.get("_symbol_parts") or {}).get("style", "")
            text = _authority_text(token, body, style)
            res.put("signing_authority", text, seg, f"{rule}_authority_form_lost", 0.6)
    # The name is the last name-like line; a re-read gives several readings of the same
    # line (one per ink threshold): the last one that starts with a known surname wins.
    if rule == "signature":  # the page's own lines: a line is the name or is not
        names = [
            (seg, n)
            for seg, text in sig
            if (n := name_like(text, tail_debris=True)) and plausible_name(n)
        ]
        last = next((c for c in reversed(names) if sound_name(c[1])), names[-1] if names else None)
        pick = (*last, False) if last else None
    else:  # a crop read again: debris of the seal may precede the name
        pick = _voted_name([(seg, n) for seg, text in sig if (n := name_in(text))])
    if pick is not None:
        sure = sound_name(pick[1])
        how = "last" if sure else "agreed" if pick[2] else "unsure"
        res.put("signer_name", pick[1], pick[0], f"{rule}_name_{how}", 0.85 if sure else 0.6)
    for k, v in keep.items():  # a second read only fills what the first one missed …
        new = str(res.fields.get(k) or "")
        if k == "signing_authority" and new.startswith(f"{v} "):
            continue  # … or the second line of a two-line authority ("… KT. CHỦ TỊCH")
        res.fields[k] = v
        res.confidence[k], res.provenance[k] = saved[k]
    _deputy_of_kt(res, rule)


def _form_lost(
    sig: list[tuple[Segment, str]], title: str, title_seg: Segment
) -> tuple[Segment, str, str] | None:
    """Return (segment, form, body) of an authority line above the title whose form is lost.

    A seal or a stroke over ``T/M`` or ``K/T`` leaves debris glued to the body
    (``JSWMBAN THƯỜNG VỤ``, ``.N/TCHỦ NHIỆM``, ``cay: ¬› KT CHỦ NHIỆM.``) that no form pattern
    reads, while the body itself reads whole. The line just above the signer's title that
    ends with a known body is the authority, and its form follows from the two lines: a
    deputy signs for the head whose title stands above (``K/T CHỦ NHIỆM`` over ``PHÓ CHỦ
    NHIỆM``); a collective body is signed for by one of its leaders (``T/M BAN THƯỜNG VỤ``).
    Debris holding an ``L`` may have been ``T/L`` (by order), which office heads sign; and a
    head's title over any other title says nothing of the form.
    """
    if "PHÒNG" in title:  # Chánh Văn phòng, Trưởng phòng: they sign T/L, not T/M
        return None
    for i, (_, text) in enumerate(sig):
        clean = strip_noise(text)
        if i == 0 or not (
            sig[i][0] is title_seg
            or title_in(clean) == title
            or (is_upper_line(clean) and closest_title(clean, 0.7) == title)
        ):
            continue
        j = i - 1
        while j > 0 and speck_line(sig[j][1]):
            j -= 1
        found = body_at_end(sig[j][1])
        if found is None or "L" in found[0] or found[1] == title:
            continue
        # The body as printed, in capitals; debris before it may be anything (a pen's "cay:").
        letters = [ch for ch in sig[j][1] if ch.isalpha()]
        if not all(ch.isupper() for ch in letters[len(found[0]) :]):
            continue
        body = found[1]
        if body not in TITLE_WORDS:
            return sig[j][0], "TM", body
        if title.startswith("PHÓ ") and title.removeprefix("PHÓ ").startswith(body):
            return sig[j][0], "KT", body
    return None


_KT_HEAD = re.compile(r"(?:^|\s)K(?:T\.|/T)\s+(.+)$")


def _deputy_of_kt(res: Result, rule: str) -> None:
    """Make the head's title read under ``KT.`` (ký thay) for that head the deputy's.

    NĐ 30/2020 and HD 36-HD/VPTW: ``KT.`` stands before the head's title and the one who signs
    for the head is a deputy, so under ``KT. CHỦ TỊCH`` a title read as ``CHỦ TỊCH`` lost its
    ``PHÓ`` under a seal (``HJÓ CHỦ TỊCH``, ``⁄@ “Tú CHỦ TỊCH``). No title read stays none: some
    forms (``Q.``) print none.
    """
    m = _KT_HEAD.search(str(res.fields.get("signing_authority") or ""))
    head = m.group(1).strip() if m else ""
    deputy = f"PHÓ {head}"
    if not head or res.fields.get("signer_title") != head or title_in(deputy) != deputy:
        return
    res.fields["signer_title"] = deputy
    prov = res.provenance.setdefault("signer_title", {"page": None, "box": None, "rule": ""})
    prov["rule"] = f"{prov.get('rule') or rule}+deputy_of_kt"
    res.confidence["signer_title"] = round(res.confidence.get("signer_title", 0.8) * 0.9, 3)


def _reread_signature(lay: PageLayout, top: int, reader: LineReader, res: Result) -> None:
    """Read the signature column again (stamps hide it from the page-level OCR)."""
    line_h = 40
    bottom = max(lay.height, top + 16 * line_h)
    if lay.page_width:
        # The whole right half of the image: when a seal made OCR drop the signature column,
        # the words found do not reach it, so their extent cannot place the box.
        left = int(0.45 * lay.page_width)
        bottom = max(bottom, min(lay.page_height or bottom, top + 20 * line_h))
        rise = (_AUTHORITY_RISE + 1) * line_h  # the authority may stand above "Nơi nhận"
        box = (left, max(0, top - rise), lay.page_width - left, bottom - top + rise + line_h)
    else:
        width = lay.right - lay.left
        box = (
            int(lay.mid - 0.05 * width),
            max(0, top - line_h),
            int(0.8 * width),
            bottom - top + 2 * line_h,
        )
    lines = [t for t in reader(lay.page, box) if t.strip()]
    segs = [
        Segment(lay.page, clean_letters(t).strip(), box=box, conf=0.8, index=i)
        for i, t in enumerate(lines)
    ]
    _signature([(s, s.text) for s in segs], res, rule="signature_reread")


def parse_closing(
    layouts: list[PageLayout], res: Result, line_reader: LineReader | None = None
) -> None:
    """Fill ``recipients`` and the signer fields from the last ``Nơi nhận`` block.

    When the signer's title or name is missing and ``line_reader`` is given, the signature
    column of that page is read again (a red seal over it often hides it from the page OCR).
    """
    _parse_closing(layouts, res)
    name = res.fields.get("signer_name") or ""
    complete = name and sound_name(name) and res.fields.get("signer_title")
    if line_reader is None or complete:
        return
    lay, start, headless = _list_head(layouts)
    if start is not None and lay.has_boxes and not headless:
        # The heading stands level with the signature's first line; a list's first item,
        # when the heading was lost, lower than it: the window is then the page's foot.
        _reread_signature(lay, start.top, line_reader, res)
        return
    lay = layouts[-1]
    if lay.has_boxes:
        _reread_signature(lay, int(lay.height * 0.6), line_reader, res)


def _list_head(layouts: list[PageLayout]) -> tuple[PageLayout, Segment | None, bool]:
    """Return the page of the ``Nơi nhận`` list, its first line, and whether that is an item.

    The first line is the heading, or the first item itself when the heading was not read.

    The heading is the last ``Nơi nhận`` read on any page. Without one, the list is found by
    what closes it on the last page: the file copy (``- Lưu: VT, NV.``), which every list
    ends with, under a run of items in the left column.
    """
    for lay in reversed(layouts):
        start = next((s for s in lay.segments if NOI_NHAN.match(s.fu)), None)
        if start is not None:
            return lay, start, False
    lay = layouts[-1]
    first = _headless_list(lay)
    return lay, first, first is not None


# A file copy as a line of its own: "Lưu" and a capitalised unit, short (not "Lưu ý", not a
# body line about "lưu trữ").
_FILE_COPY_LINE = re.compile(rf"^[Ll][ưu]u\s*:?\s*[{VN_UP}](?:\S*\s+){{0,6}}\S*$")
# A list above its file copy has at most this many lines (items and their continuations).
_MAX_LIST_LINES = 14


def _headless_list(lay: PageLayout) -> Segment | None:
    """Return the first item of a ``Nơi nhận`` list whose heading OCR lost or garbled.

    The list is the run of left-column lines ending with the page's last file-copy line:
    lines with a bullet, or ending in the list's separator (an item whose dash was lost), or
    a lower-case line under an item without its separator (its second line). The run stops at
    anything else: the garbled heading (``Nơi nhữnh``, ``Noi HN,``), a line of the body. At
    least one item must stand above the file copy.
    """
    segs = [s for s in lay.segments if s.col != "R" and not speck_line(s.text)]
    end = next(
        (
            i
            for i in range(len(segs) - 1, -1, -1)
            if _FILE_COPY_LINE.match(_BULLET.sub("", segs[i].text))
            and (segs[i].col == "L" or not lay.has_boxes)
        ),
        None,
    )
    if end is None:
        return None
    first = end
    for i in range(end - 1, max(-1, end - 1 - _MAX_LIST_LINES), -1):
        text = segs[i].text.strip()
        if lay.has_boxes and segs[i].col != "L":
            break  # a line across the page: the body
        if _fragment(text):
            continue  # a piece of a line read apart ("đông" beside an item)
        below = segs[first].text.strip()
        continued = below[:1].islower() and not text.endswith((",", ";", "."))
        if _head_like(text) or not (_BULLET.match(text) or text.endswith((",", ";")) or continued):
            break
        first = i
    if first == end or not any(_BULLET.match(s.text) for s in segs[first:end]):
        return None
    return segs[first]


def _lost_bullet(text: str) -> bool:
    """Whether a left-column line of the list is an item whose dash OCR lost.

    It ends with a separator or is the file copy, and holds two words or more.
    """
    text = re.sub(r"^[^\w(]+", "", text).strip()  # a dash read as a colon or a dot
    words = text.split()
    if len(words) < 2 or not text[:1].isupper():
        return False
    if not (text.endswith((",", ";")) or _FILE_COPY_LINE.match(text)):
        return False
    # Specks read as a line end with a comma too ("HN TM La TÂN,"): an item reads as words.
    # Its capitals are abbreviations (UBND, TT), never a syllable ("TÂN" is a speck's reading),
    # and it has a word in lower case.
    if not all(_ITEM_WORD.fullmatch(w.strip(",;.:()")) and _word_ok(w) for w in words):
        return False
    return any(not w.isupper() and w.strip(",;.:()") != "b/c" for w in words)


_ITEM_WORD = re.compile(rf"[{VN_UP}{VN_LO}]+|[{VN_UP}0-9][{VN_UP}0-9\-]*|b/c")


def _word_ok(word: str) -> bool:
    core = word.strip(",;.:()")
    if core == "b/c":
        return True
    if core.isupper():
        return len(core) <= 2 or not _syllable(core)
    return _syllable(core)


def _same_row(a: Segment, b: Segment) -> bool:
    """Whether two segments stand on one printed row: most of the lower one beside the other."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.height, b.height)


def _fragment(text: str) -> bool:
    """Whether a line is one short word without a bullet or a separator: a piece of another."""
    return (
        len(text.split()) == 1
        and len(text) <= 5
        and not _BULLET.match(text)
        and text[-1:] not in ",;"
    )


def _head_like(text: str) -> bool:
    """Whether a line is a garbled ``Nơi nhận`` heading (``Nơi nhữnh``, ``Noi HN,``)."""
    words = re.findall(r"\w+", fold_upper(text))[:2]
    return bool(words) and (
        "NOI" in words or "NHAN" in words or edit_distance(" ".join(words), "NOI NHAN") <= 2
    )


def _parse_closing(layouts: list[PageLayout], res: Result) -> None:
    lay, start, headless = _list_head(layouts)
    segs = lay.segments
    if start is None:
        _signature(_foot_signature(lay), res)
        return
    items: list[tuple[Segment, str]] = []
    sig: list[tuple[Segment, str]] = []
    for seg in segs[start.index :] if not lay.has_boxes else segs:
        if (
            lay.has_boxes
            and seg.top < start.top - start.height
            and not _authority_above(seg, start)
        ):
            continue
        if seg.col == "R":
            sig.append((seg, seg.text))
            continue
        left, right = (seg.text, "") if lay.has_boxes else _split_text_line(seg)
        if right:
            sig.append((seg, right))
        if seg is start and not headless:
            continue
        # An item's second line follows one without its separator; a dashless item does not.
        in_list = items[-1][1].endswith((",", ";")) if items else seg is start
        dashless = (
            in_list
            and lay.has_boxes
            and seg.col == "L"
            and _lost_bullet(left)
            and not (items and _same_row(seg, items[-1][0]))  # one line read twice
        )
        if (_BULLET.match(left) or dashless) and _clean_item(left):
            items.append((seg, _clean_item(left)))
        elif items and left and not lay.has_boxes and name_like(left):
            sig.append((seg, left))
        elif (
            items
            and left
            and seg.col == "L"
            and not is_upper_line(left)
            and not items[-1][1].endswith((",", ";", "."))
        ):
            prev_seg, prev = items[-1]
            items[-1] = (prev_seg, f"{prev} {_clean_item(left)}".strip())
        elif left and not (lay.has_boxes and seg.col == "L"):
            # With word boxes a left-column line is part of the list (a bullet OCR lost,
            # ``# Như trên``), never the signature, which stands in the right column.
            sig.append((seg, left))
    if items:
        texts = _list_items([t for _, t in items])
        rule, certainty = ("file_copy_list", 0.7) if headless else ("noi_nhan_list", 0.8)
        read = texts[-1]
        if (
            _FILE_COPY.match(read)
            and len(texts) > 1
            and (read.endswith((",", ";")) or _FILE_COPY_LINE.match(read) and read[-1:].isalnum())
        ):
            # The file copy closes the list with a period; OCR reads it as a comma or loses it.
            texts[-1] = (read[:-1] if read.endswith((",", ";", ":")) else read) + "."
            res.put("recipients", texts, items[0][0], f"{rule}+last_item_period", certainty - 0.1)
            res.flag("recipients", "repaired", f"{read} → {texts[-1]}")
        else:
            res.put("recipients", texts, items[0][0], rule, certainty)
    # Without its heading the list does not say where the signature starts (the heading
    # stands level with it): it is found as on a page without a list.
    _signature(_foot_signature(lay) if headless else sig, res)


def _foot_signature(lay: PageLayout) -> list[tuple[Segment, str]]:
    """Return the signature without a ``Nơi nhận`` heading: the right column of the foot.

    Specks below it (a seal's edge, dust at the foot) are no lines of the page there.
    """
    lines = [s for s in lay.segments if not speck_line(s.text)]
    return [(s, s.text) for s in lines[-8:] if s.col == "R" or not lay.has_boxes]


def _list_items(texts: list[str]) -> list[str]:
    """Return the items of a ``Nơi nhận`` list as printed, mending what the list's form fixes.

    The file copy is the last item: lines read below it are specks or the foot of the page.
    A period OCR put for a comma inside an item (``Huyện ủy. TT HĐND``, ``các xã. thị trấn``)
    stands after a whole word, where print has none; the separators follow the list's own
    (``_separators``); the file copy's first unit is the clerical office, ``VT``.
    """
    end = next((i for i, t in enumerate(texts) if _FILE_COPY_LINE.match(t)), len(texts) - 1)
    texts = [t if i == end else _INNER_PERIOD.sub(",", t) for i, t in enumerate(texts[: end + 1])]
    texts = _separators(texts)
    return [_file_copy_commas(_VT_MISREAD.sub(r"\1VT", t)) for t in texts]


# A period between a lower-case word and the next word: no abbreviation ends so ("TP. Đà Lạt"
# keeps its period).
_INNER_PERIOD = re.compile(rf"(?<=[{VN_LO}])\.(?=\s+\w)")
# "Lưu: VT" with its T misread as another capital or a sign ("VI", "VỊ", "VE", "V{"); "VP" is
# the office of a Party committee and stays.
_VT_MISREAD = re.compile(
    rf"^([Ll][ưu]u\s*:?\s*)V(?:[{VN_UP}]|[^\w\s,.;])?(?<!VT)(?<!VP)(?=[\s,.;]|$)"
)


# The file copy lists the keeping units' abbreviations after "Lưu", comma and space between
# them ("Lưu: VT, NV.", "Lưu VT, P1."); OCR drops the space ("VT,NV") or the comma ("VT NV"),
# or reads the comma as a semicolon or a colon ("VT; NV", "VT: NV").
_ABBR = r"[A-ZĐ][A-ZĐ0-9]{0,5}"
_FILE_COPY_HEAD = re.compile(r"L[ưu]u\s*:?\s*", re.IGNORECASE)
_ABBR_GAP = re.compile(rf"(?<![^\W\d_])({_ABBR})(?:\s*[,;:]+\s*|\s+)(?={_ABBR}(?![^\W_]))")


def _file_copy_commas(item: str) -> str:
    """Return a ``Lưu`` item with the comma and space between its abbreviations put back."""
    head = _FILE_COPY_HEAD.match(item)
    if head is None:
        return item
    return head.group(0) + _ABBR_GAP.sub(r"\1, ", item[head.end() :])


def _separators(items: Iterable[str]) -> list[str]:
    """Return the items with the list's separator where OCR lost or misread it.

    Every item but the last ends in ``;`` (State) or ``,`` (Party); OCR reads a ``;`` as ``:``
    (``TT HĐND huyện:``, whose colon cleaning then drops) or loses it under a speck. The last
    item keeps its own ending, and a colon inside an item (``Lưu: VT``) is print.
    """
    texts = list(items)
    ends = [t[-1] for t in texts[:-1] if t.endswith((",", ";"))]
    if not ends:
        return texts  # no separator read anywhere: nothing to go by
    # Counter keeps the first-read separator on a tie: a set's order changes with the hash seed.
    sep, count = Counter(ends).most_common(1)[0]
    # An item ending otherwise (a period or the other sign, where a speck or a faint tail made
    # the difference) takes the list's separator when the list shows it clearly.
    odd = sum(1 for t in texts[:-1] if t.endswith((",", ";", ".")) and not t.endswith(sep))
    clear = count >= 2 and count >= 2 * odd
    out = []
    for i, t in enumerate(texts):
        if i < len(texts) - 1 and not t.endswith((",", ";", ".")):
            t = t[:-1] + sep if t.endswith(":") else t + sep
        elif i < len(texts) - 1 and clear and not t.endswith((sep, "..")):
            t = t[:-1] + sep
        out.append(t)
    return out


def _authority_above(seg: Segment, start: Segment) -> bool:
    """Whether ``seg`` is the signature's authority line standing above the "Nơi nhận" row.

    Blocks are often set so that ``K/T TRƯỞNG BAN`` is a line or two higher than
    ``Nơi nhận:``; the lines below it are found anyway, this one was lost.
    """
    return (
        seg.col == "R"
        and seg.top >= start.top - _AUTHORITY_RISE * start.height
        and bool(AUTHORITY.match(fold_upper(seg.text)))
    )


_AUTHORITY_RISE = 4  # line heights above "Nơi nhận" an authority line may stand


def parse_profile_signer(layouts: list[PageLayout], res: Result) -> None:
    """Fill ``signer_name`` of a personal form from the name under its signer's role line.

    Forms end with the role of whoever signs them (``NGƯỜI KHAI``, ``NGƯỜI LÀM ĐƠN``,
    ``NGƯỜI VIẾT BẢN KIỂM ĐIỂM``), often with the instruction ``(Ký, ghi rõ họ tên)`` below
    it, then the name: the last name-like line of the next few is the signer.
    """
    for lay in reversed(layouts):
        for seg in lay.segments:
            if _declarant_line(seg):
                after = lay.segments[seg.index + 1 : seg.index + 6]
                names = [(s, name_like(s.text, tail_debris=True)) for s in after]
                names = [(s, n) for s, n in names if n]
                if names:
                    s, n = names[-1]
                    res.put("signer_name", n, s, "declarant_name", 0.85)
                return


# A signer's role on a form: "NGƯỜI" and a few words, alone on its line (folded, upper case).
_DECLARANT = re.compile(r"^NGUOI(?: [A-Z]+){1,5}$")


def _declarant_line(seg: Segment) -> bool:
    """Whether a line is a form's signer role (``NGƯỜI KHAI``), past specks a pen left after it.

    The role is printed in capitals and alone on its line, but a signature or a stroke beside
    it reads as debris on the same line (``NGƯỜI KHAI:..* "8e v đã lề)``): the words in
    capitals that begin the line are the role.
    """
    if _DECLARANT.match(" ".join(re.sub(r"[\W_]+", " ", seg.fu).split())):
        return True
    head = []
    for token in seg.text.split():
        word = re.sub(r"[\W\d_]+$", "", token)
        if not word or not word.isalpha() or not word.isupper():
            break
        head.append(word)
        if word != token:
            break  # "KHAI:..*": the role ends where punctuation follows a word
    return len(head) >= 2 and bool(_DECLARANT.match(fold_upper(" ".join(head))))
