"""Personal-file forms (Sơ yếu lý lịch, Phiếu đảng viên): ``label: value`` lines."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from core.text import fold
from extract._layout import PageLayout, Segment
from extract._patterns import DATE_NUMERIC, DATE_WORDS, fold_upper
from extract._result import Result, strip_noise
from extract._validate import make_date

# key → label variants as printed on 2-KNĐ, 1-HSĐV, 2-HSĐV, 2C forms (folded lower case).
LABELS: dict[str, tuple[str, ...]] = {
    "ho_ten": ("ho va ten dang dung", "ho va ten", "ho ten", "ho va ten goi"),
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
    "ngay_vao_dang": ("ngay vao dang", "ngay ket nap vao dang", "ngay va noi ket nap vao dang"),
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


def _norm_label(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", fold(text).lower()).split())


def _match_label(seg_text: str) -> tuple[str, float, int] | None:
    """Return (key, similarity, value offset) of the best label at the start of a line."""
    body_start = _NUMBERING.match(seg_text)
    off = body_start.end() if body_start else 0
    text = seg_text[off:]
    colon = text.find(":")
    best: tuple[str, float, int] | None = None
    candidates: list[int] = []
    if 0 < colon < 60:
        candidates.append(colon)
    for key, variants in LABELS.items():
        for v in variants:
            cuts = candidates or []
            cuts = cuts + [len(v) + d for d in (-2, -1, 0, 1, 2) if 0 < len(v) + d <= len(text)]
            for cut in cuts:
                score = SequenceMatcher(None, _norm_label(text[:cut]), v).ratio()
                penalty = 0.0 if cut in candidates else 0.08
                if best is None or score - penalty > best[1]:
                    best = (key, score - penalty, off + cut)
    if best is None or best[1] < 0.76:
        return None
    return best


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


def _value(key: str, raw: str) -> tuple[str, float]:
    value = _drop_trailing_specks(strip_noise(raw.lstrip(" :;.)")))
    value = re.sub(r"\s*[—–-]+\s*[-—–]*$", "", value).strip(" .:_")
    value = re.sub(r"\s*,\.(?=\S)", ", ", value)
    value = re.sub(r"(?<=[^\W\d])\.(?=[^\W\d])", " ", value)
    if key in DATE_KEYS:
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
        return value, 0.3
    if key in ("so_the_dang_vien", "so_cccd", "so_ly_lich"):
        m = _CARD.search(value)
        if m:
            return m.group(0).replace(" ", "").translate(_DIGITS), 0.9
    if key == "gioi_tinh":
        f = fold(value).lower()
        if f.startswith("nu"):
            return "Nữ", 0.95
        if f.startswith("nam"):
            return "Nam", 0.95
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


def parse_profile(layouts: list[PageLayout], res: Result) -> None:
    """Fill ``fields['profile']`` from the form's labelled lines, first occurrence wins."""
    profile: dict[str, str] = {}
    for lay in layouts:
        for seg in _rows(lay):
            found = _match_label(seg.text)
            if not found:
                continue
            key, score, off = found
            if key in profile:
                continue
            value, certainty = _value(key, seg.text[off:])
            if not value:
                continue
            profile[key] = value
            res.put(
                f"profile.{key}",
                value,
                seg,
                "form_label",
                certainty * min(1.0, score + 0.1),
                span=(off, len(seg.text)),
            )
            res.fields.pop(f"profile.{key}")
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
