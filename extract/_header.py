"""First-page fields: issuer, number and symbol, place and date, type title, subject."""

from __future__ import annotations

import re

from extract._layout import PageLayout, Segment
from extract._patterns import (
    BLANK_DATE,
    BODY_START,
    DATE_NUMERIC,
    DATE_WORDS,
    MOTTO,
    NOI_NHAN,
    NUMBER_START,
    PARTY_HEADER,
    PROFILE_TITLE,
    STATE_HEADER,
    SYMBOL_RAW,
    VN_LO,
    VN_UP,
    VV_LINE,
    fold_upper,
)
from extract._result import Result, strip_noise
from extract._validate import make_date, normalize_symbol, parse_symbol, type_from_abbr
from extract._vocab import canonical_doc_type, repair_org_words

_HEADER_SPAN = 18  # segments searched for the header block
# "Lâm Đồng", "Bảo Lộc", "Phước Cát 2" before ", ngày …".
_PLACE = re.compile(
    rf"((?:[{VN_UP}][{VN_LO}']+\.?\s+){{0,4}}[{VN_UP}][{VN_LO}']+(?:\s+\d{{1,2}})?)\s*,?\s*$"
)
_LOWER_START = re.compile(rf"^[{VN_LO}]")
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


def _left_part(seg: Segment) -> str:
    """Return the text of a segment before any right-column anchor read across into it."""
    fu = seg.fu
    cut = len(fu)
    for rx in (PARTY_HEADER, STATE_HEADER, MOTTO):
        m = rx.search(fu)
        if m:
            cut = min(cut, m.start())
    return seg.text[:cut]


def find_number(segs: list[Segment]) -> tuple[Segment, re.Match[str]] | None:
    """Return the ``Số …`` segment and the symbol match inside it."""
    for seg in segs[:_HEADER_SPAN]:
        m = NUMBER_START.match(seg.fu)
        if not m:
            continue
        sm = SYMBOL_RAW.match(seg.text, m.end())
        if sm and re.search(r"[A-Za-zĐđÐ]", sm.group("rest")):
            return seg, sm
    return None


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


def _finishes_name_above(text: str) -> bool:
    """Whether a header line is the second half of an organ's name, not a name of its own."""
    fu = fold_upper(text).strip()
    return bool(_PLACE_ONLY.match(fu)) or not _ORGAN_HEAD.match(fu)


def _issuer(lay: PageLayout, res: Result, stop: int, top_limit: int) -> None:
    lines: list[Segment] = []
    for seg in lay.segments[:stop]:
        if seg.col == "R" or seg.top >= top_limit:
            continue
        text = strip_noise(_left_part(seg))
        if len(_letters(text)) < 3 or not is_upper_line(text):
            continue
        if NUMBER_START.match(seg.fu) or BODY_START.match(seg.fu) or canonical_doc_type(text):
            continue  # "Số: …", "I. KẾT QUẢ …", the type title: never an organ's name
        lines.append(seg)
    cleaned = [(s, repair_org_words(strip_noise(_left_part(s)))) for s in lines]
    cleaned = [(s, t) for s, t in cleaned if t and not PROFILE_TITLE.match(s.fu)]
    if not cleaned:
        return
    seg, text = cleaned[-1]
    rule = "header_left_last"
    i = len(cleaned) - 1
    if i >= 1 and _finishes_name_above(text):
        above_seg, above = cleaned[i - 1]
        text, i, rule = f"{above} {text}", i - 1, "header_left_two_lines"
        seg = Segment(seg.page, text, _span(above_seg, seg), min(seg.conf, above_seg.conf))
    res.put("issuer", text, seg, rule, 0.9 if rule == "header_left_last" else 0.85)
    if i >= 1:
        pseg, ptext = cleaned[i - 1]
        res.put("parent_issuer", ptext, pseg, "header_left_above", 0.85)
    else:
        res.put("parent_issuer", "", None, "header_left_none", 0.7)


def _span(a: Segment, b: Segment) -> tuple[int, int, int, int] | None:
    """Return the box around two segments (the two lines of one name)."""
    if not (a.box and b.box):
        return a.box or b.box
    left, top = min(a.box[0], b.box[0]), min(a.box[1], b.box[1])
    right = max(a.box[0] + a.box[2], b.box[0] + b.box[2])
    bottom = max(a.box[1] + a.box[3], b.box[1] + b.box[3])
    return left, top, right - left, bottom - top


def parse_place_date(segs: list[Segment], res: Result) -> Segment | None:
    """Fill ``date`` (and ``place`` before it) from the first of ``segs`` that carries one."""
    for seg in segs[:_HEADER_SPAN]:
        fu = seg.fu
        m = DATE_WORDS.search(fu)
        numeric = None if m else DATE_NUMERIC.search(fu)
        if numeric and not re.search(r"NGAY|,", fu[: numeric.start()]):
            numeric = None
        if BLANK_DATE.search(fu):
            res.flag("date", "date_blank", "ngày tháng để trống (bản nháp chưa ký?)")
        match = m or numeric
        if not match:
            continue
        iso, problem = make_date(match["d"], match["m"], match["y"])
        if iso is None:
            res.flag("date", problem, seg.text[match.start() : match.end()])
            continue
        res.put(
            "date",
            iso,
            seg,
            "place_date_line" if m else "numeric_date",
            0.95 if m else 0.8,
            span=(match.start(), match.end()),
        )
        if problem:
            res.flag("date", problem, iso)
        before = seg.text[: match.start()]
        before = re.sub(r"(?i)\s*ng[aà]y\s*$", "", before)
        pm = _PLACE.search(before.rstrip(" ,"))
        if pm:
            res.put(
                "place", pm.group(1), seg, "place_before_date", 0.9, span=(pm.start(1), pm.end(1))
            )
        return seg
    return None


# A subject line that ends on one of these words goes on, whatever the next line starts with
# ("… giai đoạn / 2022 - 2023", "… tại huyện / Di Linh", "… dịch bệnh / COVID-19 …").
_OPEN_END = re.compile(
    r"(?:\b(?:VE|VA|CUA|TAI|CHO|TRONG|TREN|DUOI|VOI|O|DE|NAM|GIAI\s*DOAN|DOT|LAN|KHOA|"
    r"NHIEM\s*KY|THANG|HUYEN|TINH|XA|THANH\s*PHO|THI\s*XA|THI\s*TRAN|PHUONG|QUAN|THON|"
    r"BENH|DICH|SO|NGHI\s*QUYET|QUYET\s*DINH|CHI\s*THI|KET\s*LUAN|LUAT|NGHI\s*DINH)|[,(\-])\s*$"
)


def _same_row(a: Segment, b: Segment) -> bool:
    """Whether two segments sit on one printed line (their boxes overlap most of a height)."""
    if not (a.box and b.box):
        return False
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.height, b.height)


def _continues_subject(parts: list[str], seg: Segment) -> bool:
    """Whether a line carries on the subject whatever its first letter (see ``_OPEN_END``)."""
    text = seg.text.strip()
    return bool(
        _LOWER_START.match(text)
        or re.match(r"^\d{1,4}\b", text)
        or (parts and _OPEN_END.search(fold_upper(parts[-1])))
    )


def _subject_after(
    lay: PageLayout, title: Segment, res: Result, rule: str, first: str | None = None
) -> None:
    parts = [first] if first else []
    prev = title
    for seg in lay.segments[title.index + 1 : title.index + 5]:
        fu = seg.fu.strip()
        has_text = _letters(seg.text) or re.search(r"\d{2}", seg.text)
        if not has_text or _same_row(seg, prev) and prev is title:
            continue  # specks, or a fragment on the title's own row
        if BODY_START.match(fu) or NOI_NHAN.match(fu):
            break
        if parts and _all_capitals(seg.text) and not _continues_subject(parts, seg):
            break  # QUYẾT ĐỊNH: the authority ("GIÁM ĐỐC SỞ NỘI VỤ") follows the subject
        if seg.box and prev.box:
            if seg.top - prev.bottom > 1.6 * max(seg.height, prev.height):
                break
            x0, _, w, _ = seg.box
            span = lay.right - lay.left
            centered = abs(x0 + w / 2 - lay.mid) < 0.12 * span
            carried = bool(parts) and _continues_subject(parts, seg) and w < 0.9 * span
            if first is None and (not centered or w > 0.85 * span) and not carried:
                break
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
    if text:
        res.put("subject", text, title if first is not None else prev, rule, 0.85)


def _title(lay: PageLayout, res: Result, start: int) -> Segment | None:
    for seg in lay.segments[start : start + 8]:
        # A speck beside the title is often read as a detached colon (``HƯỚNG DẪN :``); a colon
        # glued to the word (``QUYẾT ĐỊNH:`` before the articles) is printed, not a title.
        raw = _DETACHED_COLON.sub("", seg.text.strip())
        if raw.endswith(":"):
            continue
        canon = canonical_doc_type(strip_noise(raw))
        if not canon and re.match(r"^\S{1,2}\s+\S", raw):
            # A speck beside the title read as a letter ("R QUYẾT ĐỊNH").
            canon = canonical_doc_type(strip_noise(raw.split(None, 1)[1]))
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


def parse_header(lay: PageLayout, res: Result) -> None:
    """Fill the header fields of a Party or State document from its first page."""
    segs = lay.segments
    found = find_number(segs)
    num_seg = None
    if found:
        num_seg, sm = found
        raw = sm.group(0)
        symbol = normalize_symbol(raw)
        parsed = parse_symbol(symbol)
        certainty = 0.95 if parsed["style"] else 0.6
        res.put(
            "symbol",
            symbol,
            num_seg,
            f"number_line_{parsed['style'] or 'unparsed'}",
            certainty,
            span=(sm.start(), sm.end()),
        )
        if not parsed["style"]:
            res.flag("symbol", "symbol_unparsed", symbol)
        if parsed["number"]:
            res.put(
                "number",
                parsed["number"],
                num_seg,
                "symbol_number",
                certainty,
                span=(sm.start(), sm.start() + len(sm["num"])),
            )
        res.fields["_symbol_parts"] = parsed
    date_seg = parse_place_date(segs, res)
    anchors = [s.index for s in (num_seg, date_seg) if s is not None]
    stop = min(anchors) + 1 if anchors else min(len(segs), 8)
    top_limit = num_seg.top if num_seg else (date_seg.bottom if date_seg else 10**9)
    _issuer(lay, res, stop, top_limit + (0 if num_seg else 1))
    start = max(anchors) + 1 if anchors else 0
    title = _title(lay, res, start)
    if title is not None:
        _subject_after(lay, title, res, "title_subject")
    parsed = res.fields.get("_symbol_parts") or {}
    if "doc_type" not in res.fields and parsed.get("type"):
        guess = type_from_abbr(parsed["type"])
        if guess:
            res.put("doc_type", guess, num_seg, "symbol_type", 0.6)
    if "doc_type" not in res.fields and parsed.get("style") == "state" and not parsed.get("type"):
        res.put("doc_type", "CÔNG VĂN", num_seg, "state_symbol_without_type", 0.6)
