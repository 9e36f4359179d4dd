"""Personal-file forms (Sơ yếu lý lịch, Phiếu đảng viên, đơn xin vào Đảng): labelled values.

A form row may hold several fields (``Dân tộc: Kinh      Tôn giáo: Không``), a label may carry
a printed explanation before its colon (``Giới tính (nam, nữ):``), and OCR bends both. Labels
are found at every colon of a row by matching the words just before it against the known label
variants (fuzzily, on folded text); a field's value runs from its colon to the next label. A
row whose colon OCR lost is matched at its start. Parsing stops at the narrative sections
(``LỊCH SỬ BẢN THÂN``, ``QUÁ TRÌNH CÔNG TÁC``…), whose dates are not the person's.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from core.text import fold
from extract._layout import PageLayout, Segment
from extract._lexicon import is_valid_syllable
from extract._patterns import DATE_NUMERIC, DATE_WORDS, fold_upper
from extract._places import complete_province, edit_distance
from extract._result import Result, strip_noise
from extract._validate import make_date

# key → label variants as printed on 2-KNĐ, 1-HSĐV, 2-HSĐV, 2C forms (folded lower case).
LABELS: dict[str, tuple[str, ...]] = {
    "ho_ten": ("ho va ten dang dung", "ho va ten", "ho ten", "ho va ten goi", "toi la"),
    "ho_ten_khai_sinh": ("ho va ten khai sinh", "ho ten khai sinh"),
    "bi_danh": ("cac bi danh", "bi danh", "ten goi khac"),
    "gioi_tinh": ("gioi tinh", "nam nu", "nam/nu"),
    "ngay_sinh": ("ngay thang nam sinh", "sinh ngay", "ngay sinh"),
    "noi_sinh": ("noi sinh",),
    "que_quan": ("que quan",),
    "noi_o": ("noi o hien nay", "noi cu tru", "noi thuong tru", "cho o hien nay", "noi o"),
    "dan_toc": ("dan toc",),
    "ton_giao": ("ton giao",),
    "nghe_nghiep": ("nghe nghiep chuc vu hien nay", "nghe nghiep hien nay", "nghe nghiep"),
    "trinh_do_pho_thong": ("giao duc pho thong", "trinh do van hoa", "trinh do hoc van"),
    "ly_luan_chinh_tri": ("ly luan chinh tri", "trinh do ly luan chinh tri"),
    "ngoai_ngu": ("ngoai ngu",),
    "ngay_vao_doan": ("ngay vao doan", "ngay vao doan tncs ho chi minh"),
    "ngay_vao_dang": (
        "ngay vao dang",
        "ngay vao dang cong san viet nam",
        "ngay ket nap vao dang",
        "ngay va noi ket nap vao dang",
    ),
    "ngay_chinh_thuc": (
        "ngay chinh thuc",
        "ngay cong nhan chinh thuc",
        "ngay va noi cong nhan chinh thuc",
    ),
    "so_the_dang_vien": ("so the dang vien", "so the"),
    "so_ly_lich": ("so ly lich dang vien", "so ly lich"),
    "so_cccd": ("so cccd", "so can cuoc cong dan", "so cmnd", "so dinh danh ca nhan"),
}
# The keys of ``fields["profile"]``, in form order (review and export list them so).
PROFILE_KEYS = tuple(LABELS)
DATE_KEYS = {"ngay_sinh", "ngay_vao_dang", "ngay_chinh_thuc", "ngay_vao_doan"}
_NUMBERING = re.compile(r"^[\W_]*(?:[0-9IlH]{1,2}\s*[.,)]\s*)?[\W_]*")
_PUNCT = re.compile(r"[^\w/]+")
_CARD = re.compile(r"[0-9OIl][0-9OIl.\s]{5,12}[0-9OIl]")
_DIGITS = str.maketrans({"O": "0", "I": "1", "l": "1"})
# A numbered unit of an address with a 1 read as I or l (``phường I1``, ``tổ l2``): after
# these words a token of digits and their look-alikes holding one digit at least is a number.
_UNIT_NUMBER = re.compile(
    r"(\b(?:[pP]hường|[qQ]uận|[tT]hôn|[tT]ổ|[kK]hu phố|[kK]hối|[áấ]p) )"
    r"((?=[0-9OIl]*\d)[0-9OIl]{1,3})\b"
)
# "Ban" (a committee's department) read with a dot: nobody works at "Bạn Dân vận".
_CUT_PROVINCE = re.compile(r"\btỉnh\s+(?P<head>[^\W\d_]+(?:\s+[^\W\d_]+)?)\s*$", re.IGNORECASE)
_BAN_OF = re.compile(r"\bBạn(?= (?:Dân vận|Tổ chức|Tuyên giáo|Nội chính|Kinh tế|Thường vụ)\b)")
# A second field's label on the same line ends a value: a few words and a colon.
_NEXT_LABEL = re.compile(r"\s(?:[^\W\d_]+\s+){0,3}[^\W\d_]{2,}\s*:")
_SPLIT_DAY = re.compile(r"(?<!\d)(\d) (\d)(?=\s*[/.-]\s*\d)")


def _norm_label(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", fold(text).lower()).split())


_LABEL_SCORE = 0.78
_GLUED_NUMBER = re.compile(r"^\w{0,3}[^\w\s]+(?=[^\W\d_]{2})")
_START_SCORE = 0.76
# A colon as printed, or as OCR reads it after a label.
_COLON = re.compile(r"\s*[:;：]")
_PAREN_TAIL = re.compile(r"\([^()]{0,40}\)?\s*$")
_WORD = re.compile(r"\S+")
# Narrative sections after the labelled fields: their dates and places are not the person's.
SECTION_END = re.compile(
    r"^\W{0,3}(?:[IVX]+\W{1,3})?(LICH\s*SU\s*BAN\s*THAN|(?:TOM\s*TAT\s*)?QUA\s*TRINH\s*CONG"
    r"|HOAN\s*CANH\s*GIA\s*DINH|QUAN\s*HE\s*GIA\s*DINH|TU\s*NHAN\s*XET|SAU\s*KHI\s*DUOC)"
)


# Each variant's letters, counted: how many of a candidate's letters it could match at most.
_LETTERS = {v: Counter(v) for variants in LABELS.values() for v in variants}


def _ratio_bound(norm: str, letters: Counter[str], variant: str) -> float:
    """Return a cheap upper bound of ``SequenceMatcher(None, norm, variant).ratio()``.

    The ratio is 2 M / (len(norm) + len(variant)) for M letters matched in order; M is at most
    the letters both hold, counted with repeats (difflib's ``quick_ratio``), and the same
    formula gives a bound at least the ratio's float. ``letters`` counts ``norm``'s letters.
    """
    matches = sum(min(n, letters[c]) for c, n in _LETTERS[variant].items())
    return 2.0 * matches / (len(norm) + len(variant))


def _label_before(text: str, colon: int, floor: int) -> tuple[str, float, int] | None:
    """Return (key, score, start) of the known label that ends just before ``colon``.

    The label is the last few words before the colon (an explanation in parentheses, such as
    ``(viết chữ in hoa)``, is skipped), never reaching left of ``floor``.
    """
    before = text[floor:colon]
    paren = _PAREN_TAIL.search(before)
    if paren:
        before = before[: paren.start()]
    words = list(_WORD.finditer(before))
    starts: list[int] = []
    for w in reversed(words[-8:]):
        starts.append(w.start())
        # The item's number glued to the label by a misread bracket ("2ì\\Narm, nữ").
        glued = _GLUED_NUMBER.match(w.group(0))
        if glued:
            starts.append(w.start() + glued.end())
    best: tuple[str, float, int] | None = None
    for start in starts:
        cand = before[start:]
        head: tuple[str, Counter[str]] | None = None
        for key, variants in LABELS.items():
            for v in variants:
                if abs(len(cand) - len(v)) > max(4, len(v) // 3):
                    continue
                if head is None:
                    norm = _norm_label(cand)
                    head = (norm, Counter(norm))
                norm, letters = head
                # Most variants cannot reach the floor or the best so far even by the bound of
                # their ratio: only the others are matched (the ratio is all of the cost).
                bound = _ratio_bound(norm, letters, v)
                if bound < _LABEL_SCORE or (best is not None and bound <= best[1]):
                    continue
                score = SequenceMatcher(None, norm, v).ratio()
                if score >= _LABEL_SCORE and (best is None or score > best[1]):
                    best = (key, score, floor + start)
    return best


def _label_at_start(text: str) -> tuple[str, float, int] | None:
    """Return (key, similarity, value offset) of a label at the start of a row with no colon."""
    body_start = _NUMBERING.match(text)
    off = body_start.end() if body_start else 0
    rest = text[off:]
    best: tuple[str, float, int] | None = None
    heads: dict[int, tuple[str, Counter[str]]] = {}
    for key, variants in LABELS.items():
        for v in variants:
            for cut in (len(v) + d for d in (-2, -1, 0, 1, 2)):
                if 0 < cut <= len(rest):
                    if cut not in heads:
                        norm = _norm_label(rest[:cut])
                        heads[cut] = (norm, Counter(norm))
                    norm, letters = heads[cut]
                    # As in _label_before: skipped only when even the bound falls short.
                    bound = _ratio_bound(norm, letters, v) - 0.08
                    if bound < _START_SCORE or (best is not None and bound <= best[1]):
                        continue
                    score = SequenceMatcher(None, norm, v).ratio() - 0.08  # no colon: less sure
                    if score >= _START_SCORE and (best is None or score > best[1]):
                        best = (key, score, off + cut)
    return best


def find_labels(text: str) -> list[tuple[str, float, int, int]]:
    """Return the labels of a form row as (key, score, label start, value start), in order."""
    found: list[tuple[str, float, int, int]] = []
    floor = 0
    for colon in _COLON.finditer(text):
        hit = _label_before(text, colon.start(), floor)
        if hit is None:
            continue
        key, score, start = hit
        found.append((key, score, start, colon.end()))
        floor = colon.end()
    if not found or text[: found[0][2]].strip(" .,;:)(0123456789IVX"):
        head = _label_at_start(text if not found else text[: found[0][2]])
        if head is not None:
            key, score, off = head
            found.insert(0, (key, score, 0, off))
    return found


def _drop_trailing_specks(value: str) -> str:
    """Drop trailing words with neither a vowel nor a digit (``Không . Lm``: the photo frame).

    Every Vietnamese syllable has a vowel, so such a word is no part of the value: OCR read it
    from whatever stands to the right of the line on the form (the photo box, a stamp).
    """
    words = value.split()
    while len(words) > 1 and not any(
        ch.isdigit() or fold(ch).lower() in "aeiouy" for ch in words[-1]
    ):
        words.pop()
    return " ".join(words)


# The next item's number ("5) Quê quán") read at the end of a value past its dotted leader.
_NEXT_NUMBER = re.compile(r"(?<=\S)\s+\d{1,2}\)\s*$")


# Closed lists a form's item takes its value from. Ethnic groups: the 54 of the State's list
# (Quyết định 121-TCTK/PPCĐ, 1979), with the spellings Lâm Đồng prints for its own peoples
# (K'Ho for Cơ Ho, Churu for Chu Ru, M'Nông); religions: those recognised in Việt Nam, and
# "Không". A value one or two letters off one spelling is that spelling.
ETHNIC_GROUPS = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông", "Mông", "Dao", "Gia Rai",
    "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "K'Ho", "Chăm", "Sán Dìu", "Hrê", "Ra Glai",
    "Raglai", "Mnông", "M'Nông", "Thổ", "Xtiêng", "Khơ Mú", "Bru-Vân Kiều", "Cơ Tu", "Giáy",
    "Tà Ôi", "Mạ", "Giẻ Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Churu", "Lào",
    "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô",
    "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)  # fmt: skip
RELIGIONS = (
    "Không", "Phật giáo", "Công giáo", "Thiên Chúa giáo", "Tin lành", "Cao Đài", "Hòa Hảo",
    "Hồi giáo", "Bà La Môn", "Tứ Ân Hiếu Nghĩa", "Bửu Sơn Kỳ Hương", "Minh Sư Đạo",
)  # fmt: skip
_LISTED = {"dan_toc": ETHNIC_GROUPS, "ton_giao": RELIGIONS}


def _listed(value: str, names: tuple[str, ...]) -> str | None:
    """Return the one listed spelling ``value`` is, or misreads by a letter or two; else None.

    Trailing digits and specks (``Không 3``: the next item's number) are no part of it.
    """
    value = re.sub(r"[\s\d\W]+$", "", value)
    key = _listed_key(value)
    if not key:
        return None
    scored = sorted((edit_distance(key, _listed_key(n)), n) for n in names)
    best = scored[0][0]
    limit = 0 if len(key) <= 3 else 1 if len(key) <= 6 else 2
    tied = [n for d, n in scored if d == best]
    if best > limit or len({_listed_key(n).replace(" ", "") for n in tied}) > 1:
        return None
    # Spellings of one group (Churu, Chu Ru): the one printed with as many words.
    words = len(value.split())
    return next((n for n in tied if len(n.split()) == words), tied[0])


def _listed_key(text: str) -> str:
    return fold(text).lower().replace("'", "").replace("-", " ")


def _value(key: str, raw: str) -> tuple[str, float]:
    value = _drop_trailing_specks(strip_noise(raw.lstrip(" :;.)")))
    value = _NEXT_NUMBER.sub("", value)
    value = re.sub(r"\s*[—–-]+\s*[-—–]*$", "", value).strip(" .:_")
    value = re.sub(r"\s*,\.(?=\S)", ", ", value)
    value = re.sub(r"(?<=[^\W\d])\.(?=[^\W\d])", " ", value)
    if key in DATE_KEYS:
        value = _SPLIT_DAY.sub(r"\1\2", value)  # "1 1/04/1997": a gap read inside the day
        value = _NEXT_LABEL.split(value)[0]  # "13/0899 chính thức: 07/09/2005": not ours
        m = DATE_NUMERIC.search(value) or DATE_WORDS.search(fold_upper(value))
        if m:
            iso, problem = make_date(m["d"], m["m"], m["y"])
            if iso:
                return iso, 0.95 if not problem else 0.5
        compact = re.fullmatch(r"(\d{2})(\d{2})\D?(\d{4})", value.replace(" ", ""))
        if compact:
            dd, mm, yy = compact.groups()
            iso, problem = make_date(dd, mm, yy)
            if iso:
                return iso, 0.6
        # No date can be read ("13/0899"): a date field holds a date or nothing, and review
        # reads it from the page beside it.
        return "", 0.2
    if key in WRAPPING_KEYS:
        value = _UNIT_NUMBER.sub(lambda m: m[1] + m[2].translate(_DIGITS), value)
        value = _BAN_OF.sub("Ban", value)
        cut = _CUT_PROVINCE.search(value)
        if cut and (whole := complete_province(cut["head"])):
            # The end of the line was lost at the scan's edge ("…, tỉnh Lâm"): one province
            # begins so; the reviewer sees the lower certainty.
            whole = whole.upper() if cut["head"].isupper() else whole
            return value[: cut.start("head")] + whole, 0.75
    if key in ("so_the_dang_vien", "so_cccd", "so_ly_lich"):
        m = _CARD.search(value)
        if m:
            return m.group(0).replace(" ", "").translate(_DIGITS), 0.9
    if key in _LISTED:
        listed = _listed(value, _LISTED[key])
        if listed is not None:
            return listed, 0.95 if listed == value else 0.75
        return value, 0.6  # none of the list: misread beyond repair, or a rare value
    if key == "gioi_tinh":
        f = fold(value).lower()
        if f.startswith("nu"):
            return "Nữ", 0.95
        if f.startswith("nam"):
            return "Nam", 0.95
        first = f.split()[0] if f.split() else ""
        if len(first) == 3 and edit_distance(first, "nam") == 1:
            return "Nam", 0.6  # "Nan", "Ham": one letter off the only three-letter value
        return value, 0.3  # neither value ("Nếc. 3"): kept for the reviewer, not trusted
    return value, 0.9


def _rows(lay: PageLayout) -> list[Segment]:
    """Segments of one printed row joined left to right (dotted leaders split them)."""
    rows: list[Segment] = []
    for seg in lay.segments:
        last = rows[-1] if rows else None
        if (
            last is not None
            and seg.box
            and last.box
            and seg.box[0] > last.box[0]
            and abs(seg.top - last.top) < 0.5 * seg.height
        ):
            rows[-1] = Segment(
                seg.page,
                f"{last.text} {seg.text}",
                last.box,
                min(last.conf, seg.conf),
                last.col,
                last.index,
                last.words + seg.words,
            )
        else:
            rows.append(seg)
    return rows


def reconcile_names(res: Result) -> None:
    """Repair the declarant's name from its two prints (form line and signature).

    The name is printed twice on a form; when both reads agree after folding, each word is
    taken from the read Tesseract was surer of (``PHAM HỒNG LAN`` + ``Phạm Hồng Lan``).
    """
    a = res.words.get("profile.ho_ten") or []
    b = res.words.get("signer_name") or []
    name, signer = res.fields.get("profile", {}).get("ho_ten"), res.fields.get("signer_name")
    if not (a and b and name and signer) or len(name.split()) != len(signer.split()):
        return
    wa, wb = name.split(), signer.split()
    a, b = a[-len(wa) :], b[-len(wb) :]  # the value ends its line; drop the label's words
    if (
        fold_upper(name) != fold_upper(signer)
        or len(a) != len(wa)
        or len(b) != len(wb)
        or [fold_upper(w.text).strip(".,:") for w in a] != fold_upper(name).split()
    ):
        return
    best = [
        x if ca.conf >= cb.conf else y.upper() for x, y, ca, cb in zip(wa, wb, a, b, strict=True)
    ]
    fixed = " ".join(best)
    if fixed != name:
        res.fields["profile"]["ho_ten"] = fixed
        res.provenance["profile.ho_ten"]["rule"] = "form_label+signature_name"
    titled = " ".join(w.capitalize() if w.isupper() else w for w in best)
    if titled != signer and all(w[0].isupper() for w in wb):
        res.fields["signer_name"] = " ".join(x.capitalize() for x in best)
        res.provenance["signer_name"]["rule"] = "declarant_name+form_label"


def mend_names_from_signature(res: Result) -> None:
    """Take the declarant's signed name for a form's name line OCR cut, padded or garbled.

    The form names the declarant, who signs it (``NGUYỄN HỮU`` / ``Nguyễn Hữu Dũng``,
    ``NGUYỄN KHA``, ``GIANG THÚY PHƯỢNG Đa``, ``MA I@ji tính: Nữ`` / ``Ma Lan``). Only a form
    line that starts with the signer's surname and is the signed name cut short (its last word
    too), the signed name with words after it, or holds signs no name has; a line that reads as
    another whole name (a birth name that differs) stays.
    """
    signer = str(res.fields.get("signer_name") or "")
    want = fold_upper(signer).split()
    if len(want) < 2 or not all(w.isalpha() for w in want):
        return
    for key in ("ho_ten", "ho_ten_khai_sinh"):
        read = str((res.fields.get("profile") or {}).get(key) or "")
        got = fold_upper(read).split()
        if not got or got[0] != want[0] or got == want:
            continue
        n = len(got)
        cut = n <= len(want) and got[:-1] == want[: n - 1] and want[n - 1].startswith(got[-1])
        padded = len(got) > len(want) and got[: len(want)] == want
        garbled = len(got) <= len(want) + 2 and any(not w.isalpha() for w in got)
        if not (cut or padded or garbled):
            continue
        res.fields["profile"][key] = signer.upper()
        prov = res.provenance.setdefault(f"profile.{key}", {"page": None, "box": None, "rule": ""})
        prov["rule"] = f"{prov.get('rule') or 'form_label'}+signature_name"
        conf = res.confidence.get(f"profile.{key}", 0.8)
        res.confidence[f"profile.{key}"] = round(
            min(conf, res.confidence.get("signer_name", 0.8)), 3
        )
        res.flag(f"profile.{key}", "repaired", f"{read} → {signer.upper()}")


NAME_KEYS = {"ho_ten", "ho_ten_khai_sinh", "bi_danh"}
# Values that may wrap onto the next printed line (places, occupations).
WRAPPING_KEYS = {"noi_sinh", "que_quan", "noi_o", "nghe_nghiep"}
_GENDER_TAIL = re.compile(r":\s*(Nam|Nữ|NAM|NỮ)\W*$")


def _name_value(value: str) -> str:
    """Cut a name where OCR glued the next label onto it (``TÔN ĐÌNHGŒNNGh: Nam``).

    A name is made of syllables: at the first word that is none, keep its longest leading
    syllable (``ĐÌNH`` of ``ĐÌNHGŒNNGh``) and stop.
    """
    words = value.split()
    out: list[str] = []
    for w in words:
        if is_valid_syllable(w) is not False or not w.isalpha() and "'" in w:
            out.append(w)
            continue
        head = next((w[:n] for n in range(len(w) - 1, 1, -1) if is_valid_syllable(w[:n])), None)
        if head:
            out.append(head)
        break
    return " ".join(out) if len(out) >= 2 else value


def _continuation(seg: Segment) -> bool:
    """Whether a row without a label carries the end of the value above it (a wrapped line)."""
    text = seg.text.strip(" .,;")
    if not text or ":" in text or _NUMBERING.match(text).end() or len(text) > 60:  # type: ignore[union-attr]
        return False
    words = [w for w in text.split() if w.isalpha()]
    judged = [v for w in words if (v := is_valid_syllable(w)) is not None]
    return bool(words) and (not judged or sum(judged) == len(judged))


def parse_profile(layouts: list[PageLayout], res: Result) -> None:
    """Fill ``fields['profile']`` from the form's labelled rows, first occurrence wins."""
    profile: dict[str, str] = {}
    last: tuple[str, Segment, int, int] | None = None  # the field that may wrap, and its span
    for lay in layouts:
        for seg in _rows(lay):
            if SECTION_END.match(seg.fu):
                break
            labels = find_labels(seg.text)
            if not labels and last is not None and _continuation(seg):
                key, lseg, off, end = last
                value, _certainty = _value(key, f"{lseg.text[off:end]} {seg.text}")
                profile[key] = value
                res.fields.setdefault("profile", {})
                res.provenance[f"profile.{key}"]["rule"] = "form_label+next_line"
                last = None
                continue
            last = None
            gender = _GENDER_TAIL.search(seg.text)
            if (
                gender
                and "gioi_tinh" not in profile
                and not any(k == "gioi_tinh" for k, *_ in labels)
            ):
                profile["gioi_tinh"] = "Nữ" if gender.group(1).lower() == "nữ" else "Nam"
                res.put(
                    "profile.gioi_tinh",
                    profile["gioi_tinh"],
                    seg,
                    "gender_after_colon",
                    0.6,
                    span=(gender.start(1), gender.end(1)),
                )
                res.fields.pop("profile.gioi_tinh")
            for i, (key, score, _start, off) in enumerate(labels):
                end = labels[i + 1][2] if i + 1 < len(labels) else len(seg.text)
                if key in profile:
                    continue
                value, certainty = _value(key, seg.text[off:end])
                if key in NAME_KEYS:
                    value = _name_value(value)
                if not value:
                    continue
                if key in WRAPPING_KEYS and i + 1 == len(labels):
                    last = (key, seg, off, end)
                profile[key] = value
                res.put(
                    f"profile.{key}",
                    value,
                    seg,
                    "form_label",
                    certainty * min(1.0, score + 0.1),
                    span=(off, end),
                )
                res.fields.pop(f"profile.{key}")
        else:
            continue
        break
    name, birth = profile.get("ho_ten", ""), profile.get("ho_ten_khai_sinh", "")
    if name and birth and len(birth.split()) > len(name.split()) and birth.startswith(name + " "):
        # The name's end was lost to the next label glued onto it (``TÔN ĐÌNHGŒNNGh``); the
        # form prints the birth name again, whole.
        profile["ho_ten"] = birth
        res.provenance["profile.ho_ten"]["rule"] = "form_label+birth_name"
    if "ho_ten" not in profile and "ho_ten_khai_sinh" in profile:
        # Forms that ask only for the birth name (2C: "Họ và tên khai sinh") print the name
        # there: it is the person's name.
        profile["ho_ten"] = profile["ho_ten_khai_sinh"]
        res.confidence["profile.ho_ten"] = res.confidence["profile.ho_ten_khai_sinh"]
        res.provenance["profile.ho_ten"] = {
            **res.provenance["profile.ho_ten_khai_sinh"],
            "rule": "form_label_birth_name",
        }
        res.words["profile.ho_ten"] = res.words.get("profile.ho_ten_khai_sinh") or []
    res.fields["profile"] = profile
