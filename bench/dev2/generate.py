"""Generate the dev2 corpus: plan, write documents, scan them, store files and ground truth.

A run is fixed by ``(seed, count, small)``: the plan (kinds, types, marks, file forms) is drawn
from ``random.Random(f"dev2:{seed}")`` and every document from ``random.Random(f"{seed}:{id}")``,
so documents do not depend on which worker made them or in which order. Files that hold several
documents (multi-document PDFs) are made by one worker.
"""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import os
import random
import time
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, TiffImagePlugin

from bench.dev2 import GENERATOR_VERSION, content, fonts, forms, layout, orgs, render, scan

TYPES = ["NQ", "QĐ", "CT", "KL", "BB", "CTr", "KH", "BC", "TB", "TTr", "HD", "QĐi", "CV"]
PARTY_ONLY = {"QĐi"}
STATE_OK = {"NQ", "QĐ", "CT", "KL", "BB", "CTr", "KH", "BC", "TB", "TTr", "HD", "CV"}
FILE_FORMS = ["pdf", "multi_pdf", "tiff", "jpg", "png"]
DPI = [150, 200, 200, 300]


@dataclass(slots=True)
class DocPlan:
    """What one document will be, decided before any of it is written."""

    id: str
    kind: str  # party | state | profile
    code: str  # type abbreviation or profile form name
    secrecy: str
    urgency: str
    form: str  # file form
    group: str  # file name stem shared by the documents of one file
    min_pages: int = 1
    fixed_length: bool = False  # test sets: exactly min_pages where the text allows


def make_plan(seed: int, count: int, small: bool) -> list[DocPlan]:
    """Balanced schedule of kinds, types, secrecy levels and file forms."""
    rng = random.Random(f"dev2:{seed}")
    ids = [f"doc_{i + 1:04d}" for i in range(count)]
    if small:  # the test set: one form, one two-document PDF, one multi-frame TIFF
        kinds = ["profile", "party", "state", "party"][:count]
        codes = [rng.choice(forms.FORMS), "CV", "QĐ", "KH"][:count]
        forms_ = ["jpg", "multi_pdf", "multi_pdf", "tiff"][:count]
        secrecy = ["", "MẬT", "", "TUYỆT MẬT"][:count]
        urgency = ["", "", "KHẨN", ""][:count]
    else:
        n_prof = max(1, round(count * 0.15))
        n_party = round((count - n_prof) * 0.52)
        kinds = ["profile"] * n_prof + ["party"] * n_party + ["state"] * (count - n_prof - n_party)
        rng.shuffle(kinds)
        pool = {"party": [], "state": []}
        codes = []
        for k in kinds:
            if k == "profile":
                codes.append(forms.FORMS[len([c for c in codes if c in forms.FORMS]) % 4])
                continue
            if not pool[k]:
                pool[k] = [t for t in TYPES if k == "party" or t in STATE_OK]
                rng.shuffle(pool[k])
            codes.append(pool[k].pop())
        typed = [i for i, k in enumerate(kinds) if k != "profile"]
        n_sec = round(len(typed) * 0.36)
        levels = ["MẬT"] * round(n_sec * 0.44) + ["TỐI MẬT"] * round(n_sec * 0.28)
        levels += ["TUYỆT MẬT"] * (n_sec - len(levels))
        secrecy = [""] * count
        for i, lv in zip(rng.sample(typed, n_sec), levels, strict=True):
            secrecy[i] = lv
        urgency = [""] * count
        for i in rng.sample(typed, round(len(typed) * 0.16)):
            urgency[i] = rng.choice(["KHẨN", "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"])
        forms_ = []
        while len(forms_) < count:
            f = rng.choices(FILE_FORMS, weights=[34, 16, 16, 18, 16])[0]
            forms_ += [f] * (rng.choice([2, 2, 3]) if f == "multi_pdf" else 1)
        forms_ = forms_[:count]
        if forms_[-1] == "multi_pdf" and (count < 2 or forms_[-2] != "multi_pdf"):
            forms_[-1] = "pdf"
    plans = []
    group = ""
    run = 0
    for i, doc_id in enumerate(ids):
        if forms_[i] == "multi_pdf":
            cap = 3
            if run == 0 or run >= cap or (i and forms_[i - 1] != "multi_pdf"):
                group, run = doc_id, 0
            run += 1
        else:
            group, run = doc_id, 0
        plans.append(DocPlan(doc_id, kinds[i], codes[i], secrecy[i], urgency[i], forms_[i], group))
    if small:
        for pl in plans:
            pl.fixed_length = True
        plans[-1].min_pages = 2
    # A multi-document file must hold at least two documents.
    sizes = Counter(p.group for p in plans if p.form == "multi_pdf")
    for p in plans:
        if p.form == "multi_pdf" and sizes[p.group] < 2:
            p.form = "pdf"
    return plans


def _domain_for(rng: random.Random, iss: orgs.Issuer) -> str:
    doms = list(content.DOMAINS)
    if iss.code in ("UBKTTU",) or iss.code.startswith("UBKT") or iss.code == "TTr":
        return "kiem_tra"
    if iss.code in ("BTCTU",) or iss.code.startswith("BTC"):
        return rng.choice(["to_chuc", "xay_dung_dang"])
    if iss.code in ("STC", "TCKH"):
        return "ngan_sach"
    if iss.code in ("SGDĐT", "GDĐT"):
        return "giao_duc"
    if iss.code in ("SNN", "NN"):
        return rng.choice(["nong_nghiep", "rung"])
    if iss.code == "BDT" or iss.code.startswith("BDV"):
        return "dan_toc"
    if iss.code == "CCVTLT":
        return "van_thu"
    if iss.code == "SYT":
        return "y_te"
    if iss.code == "STNMT":
        return rng.choice(["dat_dai", "rung"])
    return rng.choice(doms)


def _issuer(rng: random.Random, kind: str, code: str) -> orgs.Issuer:
    pool = orgs.party_issuers(rng) if kind == "party" else orgs.state_issuers(rng)
    ok = []
    for iss in pool:
        if iss.types and code not in iss.types:
            continue
        committee = iss.code in ("TU", "HU", "ThU", "ĐU", "ĐUK") or iss.name.startswith("ỦY BAN")
        if code in ("NQ", "CT", "QĐi") and not (committee or iss.code in ("HĐND", "ĐĐ", "BCSĐ")):
            continue
        if code == "KL" and not (committee or iss.code.startswith(("UBKT", "TTr"))):
            continue
        if iss.code == "HĐND" and code not in iss.types:
            continue
        ok.append(iss)
    # Provincial bodies, districts and communes in proportion to how much they write.
    weights = [3 if i.level == "province" else (2 if i.level == "district" else 1) for i in ok]
    return rng.choices(ok, weights=weights)[0]


def _hand_marks(rng: random.Random, page: layout.Page, st: layout.Style) -> list[str]:
    """Pen marks in the margins of a first page; returns what was added (for the record)."""
    added = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        what = rng.choice(["note", "note", "tick", "underline", "bracket"])
        color = rng.choice(render.PEN_COLORS)
        seed = rng.randrange(1 << 30)
        top_margin = st.mm(st.margins_mm[0])
        left_margin = st.mm(st.margins_mm[3])
        if what == "note":
            size = st.mm(rng.uniform(5, 7.5))
            x = rng.choice([st.mm(8), page.width // 2 + st.mm(rng.uniform(0, 30))])
            y = rng.randint(0, max(1, top_margin - 2 * size))
            page.ops.append(("hand", what, x, y, size, seed, color))
        elif what == "tick":
            size = st.mm(rng.uniform(5, 8))
            page.ops.append(
                (
                    "hand",
                    what,
                    rng.randint(st.mm(4), max(st.mm(5), left_margin - size - st.mm(2))),
                    rng.randint(page.height // 3, page.height * 2 // 3),
                    size,
                    seed,
                    color,
                )
            )
        elif what == "bracket":
            size = st.mm(rng.uniform(20, 60))
            page.ops.append(
                (
                    "hand",
                    what,
                    max(2, left_margin - st.mm(rng.uniform(5, 10))),
                    rng.randint(page.height // 3, page.height // 2),
                    size,
                    seed,
                    color,
                )
            )
        else:
            size = st.mm(rng.uniform(40, 90))
            page.ops.append(
                (
                    "hand",
                    what,
                    left_margin + st.mm(rng.uniform(10, 40)),
                    rng.randint(page.height // 2, page.height * 3 // 4),
                    size,
                    seed,
                    color,
                )
            )
        added.append(what)
    return added


@dataclass(slots=True)
class Built:
    """A generated document: its ground truth and its scanned page images."""

    truth: dict
    images: list[Image.Image]
    quality: int


def build_doc(p: DocPlan, seed: int, split: str) -> Built:
    """Write, lay out, render and scan one document."""
    rng = random.Random(f"{seed}:{p.id}")
    family = rng.choices(list(fonts.WEIGHTS), weights=list(fonts.WEIGHTS.values()))[0]
    if p.kind == "profile" and family == "DejaVu Serif":
        family = "TeX Gyre Heros"  # forms are often printed from sans templates
    dpi = rng.choice(DPI)
    st = layout.draw_style(rng, family, dpi)
    if p.kind == "profile":
        pr = forms.build(rng, p.code)
        pages = forms.layout_form(pr, st, rng)
        fields = pr.fields()
    else:
        year = rng.randint(2010, 2024)
        iss = _issuer(rng, p.kind, p.code)
        domain = _domain_for(rng, iss)
        doc = content.build(rng, iss, p.code, domain, year, p.secrecy, p.urgency)
        pages = layout.layout_document(doc, st, rng)
        # Page counts like an archive's: a third one page, most two, some three or four.
        want = max(p.min_pages, rng.choices([1, 2, 3, 4], weights=[34, 40, 18, 8])[0])
        if p.fixed_length:
            want = p.min_pages
        for _ in range(12):
            if len(pages) >= want:
                break
            content.more(rng, doc, domain, year)
            pages = layout.layout_document(doc, st, rng)
        fields = doc.fields()
    color = rng.random() < 0.35
    quality = rng.randint(30, 60)
    hands = _hand_marks(rng, pages[0], st) if rng.random() < 0.5 else []
    truth_pages, images = [], []
    for n, page in enumerate(pages):
        profile = rng.choices(scan.PROFILES, weights=scan.WEIGHTS)[0]
        steps, record = scan.plan(rng, profile)
        skew = round(rng.uniform(-4, 4), 3)
        rotation = rng.choices([0, 90, 180, 270], weights=[84, 6, 5, 5])[0]
        page_seed = rng.randrange(1 << 31)
        clean = render.render(page, page_seed)
        img = scan.degrade(clean, steps, page_seed, skew, rotation, color)
        record["jpeg_quality"] = (
            quality
            if p.form in ("pdf", "multi_pdf", "jpg") or (p.form == "tiff" and img.mode != "1")
            else None
        )
        if n == 0 and hands:
            record["handwriting"] = hands
        record["seal"] = any(op[0] == "seal" for op in page.ops)
        lines = [unicodedata.normalize("NFC", ln) for ln in page.lines]
        truth_pages.append(
            {
                "page": n + 1,
                "text": "\n".join(lines),
                "lines": lines,
                "rotation": rotation,
                "skew_deg": skew,
                "dpi": dpi,
                "width": img.width,
                "height": img.height,
                "degradation": record,
            }
        )
        images.append(img)
    truth = {
        "id": p.id,
        "split": split,
        "format": "",
        "color": color,
        "files": [],
        "text_source": "dev2-original",
        "font": family,
        "fields": fields,
        "pages": truth_pages,
    }
    return Built(truth, images, quality)


# -- writers ------------------------------------------------------------------------------------
def _pdf_image(pdf: pikepdf.Pdf, img: Image.Image, quality: int) -> pikepdf.Stream:
    if img.mode == "1":  # bilevel page: 1-bit Flate, as B/W scanners store without JBIG2
        raw = img.tobytes()
        return pikepdf.Stream(
            pdf,
            zlib.compress(raw, 9),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=img.width,
            Height=img.height,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=1,
            Decode=[0, 1],
            Filter=pikepdf.Name.FlateDecode,
        )
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    space = pikepdf.Name.DeviceRGB if img.mode == "RGB" else pikepdf.Name.DeviceGray
    return pikepdf.Stream(
        pdf,
        buf.getvalue(),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=img.width,
        Height=img.height,
        ColorSpace=space,
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
    )


def write_pdf(path: Path, pages: list[tuple[Image.Image, int, int]]) -> None:
    """Write an image-only PDF: one full-page scan per page, sized from its resolution."""
    pdf = pikepdf.new()
    for img, dpi, quality in pages:
        xobj = _pdf_image(pdf, img, quality)
        w, h = img.width * 72 / dpi, img.height * 72 / dpi
        contents = pikepdf.Stream(pdf, f"q {w:.2f} 0 0 {h:.2f} 0 0 cm /Im0 Do Q".encode())
        pdf.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=[0, 0, round(w, 2), round(h, 2)],
                    Contents=contents,
                    Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobj)),
                )
            )
        )
    pdf.save(path, deterministic_id=True)


def write_tiff(
    path: Path, pages: list[tuple[Image.Image, int, int]], rng: random.Random
) -> list[str]:
    """Write a multi-frame TIFF whose frames may differ in compression; return those."""
    used = []
    with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tf:
        for img, dpi, quality in pages:
            if img.mode == "1":
                comp, extra = "group4", {}
            elif rng.random() < 0.7:  # lossless frames of noisy scans are large: mostly JPEG
                comp, extra = "jpeg", {"quality": quality}
            else:
                comp, extra = rng.choice(["tiff_lzw", "tiff_adobe_deflate"]), {}
            img.save(tf, format="TIFF", compression=comp, dpi=(dpi, dpi), **extra)
            tf.newFrame()
            used.append(comp)
    return used


def write_group(plans: list[DocPlan], seed: int, split: str, out: Path) -> list[dict]:
    """Build and store the documents that share one file (or one document alone)."""
    built = [build_doc(p, seed, split) for p in plans]
    rng = random.Random(f"{seed}:file:{plans[0].group}")
    form = plans[0].form
    truths = []
    if form in ("pdf", "multi_pdf"):
        name = f"{plans[0].id}.pdf" if len(plans) == 1 else f"{plans[0].id}_{plans[-1].id[4:]}.pdf"
        frame = 0
        pages = []
        for b in built:
            for page, img in zip(b.truth["pages"], b.images, strict=True):
                page["file"], page["frame"] = name, frame
                frame += 1
                pages.append((img, page["dpi"], b.quality))
        write_pdf(out / name, pages)
        for b in built:
            b.truth["format"], b.truth["files"] = "pdf", [name]
    elif form == "tiff":
        (b,) = built
        name = f"{plans[0].id}.tif"
        comps = write_tiff(
            out / name,
            [
                (img, pg["dpi"], b.quality)
                for img, pg in zip(b.images, b.truth["pages"], strict=True)
            ],
            rng,
        )
        for i, (page, comp) in enumerate(zip(b.truth["pages"], comps, strict=True)):
            page["file"], page["frame"] = name, i
            page["degradation"]["tiff_compression"] = comp
        b.truth["format"], b.truth["files"] = "tiff", [name]
    else:
        (b,) = built
        files = []
        for i, (page, img) in enumerate(zip(b.truth["pages"], b.images, strict=True)):
            name = f"{plans[0].id}_p{i + 1}.{form}"
            if form == "jpg":
                img.convert("L" if img.mode == "1" else img.mode).save(
                    out / name, quality=b.quality, dpi=(page["dpi"],) * 2
                )
            else:
                img.save(out / name, dpi=(page["dpi"],) * 2, optimize=False)
            page["file"], page["frame"] = name, 0
            files.append(name)
        b.truth["format"], b.truth["files"] = form, files
    for b in built:
        b.truth["pages"] = [
            {
                k: pg[k]
                for k in (
                    "page",
                    "file",
                    "frame",
                    "text",
                    "lines",
                    "rotation",
                    "skew_deg",
                    "dpi",
                    "width",
                    "height",
                    "degradation",
                )
            }
            for pg in b.truth["pages"]
        ]
        (out / f"{b.truth['id']}.json").write_text(
            json.dumps(b.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        truths.append(b.truth)
    return truths


def _work(args: tuple[list[DocPlan], int, str, str]) -> list[dict]:
    plans, seed, split, out = args
    return write_group(plans, seed, split, Path(out))


def generate(
    out: Path, seed: int, count: int, split: str, small: bool = False, jobs: int = 1
) -> dict:
    """Generate a corpus into ``out``; returns the manifest (also written there)."""
    missing = [n for n in fonts.WEIGHTS if n not in fonts.installed()]
    if missing:
        raise fonts.MissingGlyph(f"font files not installed: {missing} (run scripts/setup.sh)")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    plans = make_plan(seed, count, small)
    groups: dict[str, list[DocPlan]] = {}
    for p in plans:
        groups.setdefault(p.group, []).append(p)
    tasks = [(g, seed, split, str(out)) for g in groups.values()]
    if jobs > 1:
        with mp.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_work, tasks, chunksize=1)
    else:
        results = [_work(t) for t in tasks]
    truths = sorted((t for r in results for t in r), key=lambda t: t["id"])
    files = sorted({f for t in truths for f in t["files"]})
    used_fonts = Counter(t["font"] for t in truths)
    manifest = {
        "split": split,
        "seed": seed,
        "count": count,
        "small": small,
        "generator": "bench.dev2",
        "generator_version": GENERATOR_VERSION,
        "augraphy": _augraphy_version(),
        "docs": [t["id"] for t in truths],
        "pages": sum(len(t["pages"]) for t in truths),
        "files": files,
        "fonts": {
            n: {"package": fonts.FAMILIES[n].package, "docs": used_fonts[n]}
            for n in sorted(used_fonts)
        },
        "text_source": "original texts of bench/dev2/texts (see bench/dev2/README.md)",
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    manifest["seconds"] = round(time.perf_counter() - t0, 1)  # reported, not stored
    return manifest


def _augraphy_version() -> str:
    import augraphy

    return str(getattr(augraphy, "__version__", "unknown"))


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))
