"""Field extraction for one document: kind, header, marks, closing block, profile, checks."""

from __future__ import annotations

from collections.abc import Sequence

from core.fields import DOCUMENT_KEYS
from core.models import ExtractedFields, PageText
from extract._closing import parse_closing, parse_profile_signer
from extract._echo import confirm_subject
from extract._header import parse_header, parse_place_date, put_bare_symbol
from extract._layout import PageLayout, layout_page
from extract._marks import BandReader, LineReader, MarkReader, find_marks
from extract._patterns import FORM_CODE, MOTTO, PARTY_HEADER, PROFILE_TITLE, STATE_HEADER
from extract._profile import mend_names_from_signature, parse_profile, reconcile_names
from extract._redate import reread_date
from extract._reheader import reread_header
from extract._repair import repair_fields
from extract._result import Result, strip_noise
from extract._validate import mended_abbr, symbol_agrees
from extract._vocab import canonical_doc_type


def _kind(lay: PageLayout, res: Result) -> str:
    head = lay.segments[:12]
    for seg in head[:8]:
        if PROFILE_TITLE.match(seg.fu):
            canon = canonical_doc_type(strip_noise(seg.text))
            res.put("doc_type", canon or strip_noise(seg.text), seg, "form_title", 0.97)
            return "profile"
    if any(FORM_CODE.match(s.fu) for s in head[:4]):
        return "profile"
    if any(PARTY_HEADER.search(s.fu) for s in head):
        return "party_document"
    # The motto is printed under the State's national title only, and survives a seal or a
    # fold that garbles the title ("CỘNG lBỘÁ XÃ HỘI CHÚNGHIẢ").
    if any(STATE_HEADER.search(s.fu) or MOTTO.search(s.fu) for s in head):
        return "state_document"
    parts = res.fields.get("_symbol_parts") or {}
    return {"party": "party_document", "state": "state_document"}.get(
        parts.get("style", ""), "other"
    )


def _mend_symbol_type(res: Result, doc_type: str, abbr: str) -> None:
    """Mend a symbol's type abbreviation one letter off the title's, else flag the mismatch.

    The title is printed large and read well; the symbol's letters are small and a speck
    column reads as a letter (``696-KIL/UBKTTU`` under KẾT LUẬN).
    """
    symbol = str(res.fields.get("symbol") or "")
    fixed = mended_abbr(doc_type, abbr)
    if fixed is None or symbol.count(abbr) != 1:
        res.flag("symbol", "symbol_type_mismatch", f"{symbol} ↔ {doc_type}")
        return
    res.fields["symbol"] = symbol.replace(abbr, fixed)
    prov = res.provenance.setdefault("symbol", {"page": None, "box": None, "rule": ""})
    prov["rule"] = f"{prov.get('rule') or 'symbol'}+type_from_title"
    res.confidence["symbol"] = round(res.confidence.get("symbol", 0.9) * 0.85, 3)
    res.flag("symbol", "repaired", f"{symbol} → {res.fields['symbol']}")


def _check(res: Result) -> None:
    parts = res.fields.pop("_symbol_parts", None) or {}
    doc_type = res.fields.get("doc_type")
    abbr = parts.get("type", "")
    first = str(parts.get("issuer", "")).split("-", 1)[0]
    if (
        not abbr
        and parts.get("style") == "state"
        and doc_type not in (None, "CÔNG VĂN")
        and mended_abbr(doc_type, first)
    ):
        # "79/K-UBND" under KẾT LUẬN: a type code misread into none of ours parses as the
        # issuer's first code; one letter off the title's, it is that code. A công văn carries
        # no type: its "2115/NV-VP" starts with the issuer (NV is not a misread CV).
        abbr = first
    if doc_type and parts.get("style") and not symbol_agrees(doc_type, abbr, parts["style"]):
        _mend_symbol_type(res, doc_type, abbr)
    year = parts.get("year")
    date = res.fields.get("date")
    if year and date and str(year) != date[:4]:
        res.flag("date", "date_year_mismatch", f"{date} ↔ {year}")
    for key, conf in res.confidence.items():
        if conf < 0.5 and key in res.fields:
            res.flag(key, "low_confidence", f"{conf:.2f}")


def extract_fields(
    pages: Sequence[PageText],
    mark_reader: MarkReader | None = None,
    line_reader: LineReader | None = None,
    band_reader: BandReader | None = None,
) -> ExtractedFields:
    """Extract a document's kind and fields with confidence (0..1) and provenance.

    Args:
        pages: the document's pages in order; ``words`` (boxes) make column splitting and
            provenance boxes possible, plain ``text`` still works.
        mark_reader: optional second reader of a page region (page id, box) returning texts of
            enclosed marks; used to catch boxed secrecy marks OCR drops. The pipeline provides it.
        line_reader: optional second reader of a page region returning its text lines; used
            when the signature block (often under a seal) was not read.
        band_reader: optional reader of a noisy band several ways (the text of each reading);
            used when the first page's header lost its number or date line.

    Returns:
        ``ExtractedFields`` whose ``provenance[field]`` is ``{"page", "box", "rule"}`` (plus
        ``"flags"`` when a check failed) and ``provenance["_flags"]["flags"]`` lists every
        validation flag as ``{"field", "code", "detail"}``.
    """
    if not pages:
        return ExtractedFields(kind="other", fields={}, confidence={})
    layouts = [layout_page(p) for p in pages]
    first = layouts[0]
    res = Result()
    kind = _kind(first, res)
    if kind == "profile":
        parse_profile(layouts, res)
        parse_profile_signer(layouts, res)
        reconcile_names(res)
        mend_names_from_signature(res)
        # A form is dated where the declarant signs ("Lâm Đồng, ngày 25 tháng 11 năm 2016"),
        # at the foot of its last page: search from the bottom up.
        parse_place_date(list(reversed(layouts[-1].segments)), res)
    else:
        parse_header(first, res)
        reread_header(first, res, band_reader)
        put_bare_symbol(first, res)
        kind = _kind(first, res) if kind == "other" else kind
        parse_closing(layouts, res, line_reader)
    reread_date(res.date_line, res, line_reader)
    repair_fields(res)
    if kind != "profile":
        confirm_subject(layouts, res)
    header_end = res.title_index
    if header_end is None and kind != "profile":
        header_end = min(len(first.segments), 8)
    (secrecy, sseg, srule), (urgency, useg, urule) = find_marks(
        first, header_end, mark_reader, res.band_readings
    )
    res.put("secrecy", secrecy, sseg, srule or "no_mark", 0.95 if secrecy else 0.8)
    if sseg is None and secrecy:
        res.provenance["secrecy"]["page"] = first.page
    res.put("urgency", urgency, useg, urule or "no_mark", 0.95 if urgency else 0.8)
    res.put("page_count", len(pages), None, "pages_in_document", 1.0)
    _check(res)
    fields = {k: res.fields[k] for k in DOCUMENT_KEYS if k in res.fields}
    fields.update({k: v for k, v in res.fields.items() if k not in fields})
    prov = dict(res.provenance)
    prov["_flags"] = {"flags": res.flags}
    return ExtractedFields(kind=kind, fields=fields, confidence=res.confidence, provenance=prov)
