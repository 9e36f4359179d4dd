"""dev2 generator: schema, files, determinism, fonts, and a Tesseract sanity check."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from bench.dev2 import fonts, generate, layout, render
from bench.metrics import levenshtein, normalize_text

SEED = 5
PAGE_KEYS = [
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
]
FIELD_KEYS = {
    "kind",
    "doc_type",
    "number",
    "symbol",
    "issuer",
    "issuer_parent",
    "place",
    "date",
    "subject",
    "signer_name",
    "signer_title",
    "signer_authority",
    "secrecy",
    "recipients",
}
PROFILE_KEYS = {
    "ho_ten",
    "gioi_tinh",
    "ngay_sinh",
    "noi_sinh",
    "que_quan",
    "noi_o",
    "dan_toc",
    "ton_giao",
    "nghe_nghiep",
    "ngay_vao_dang",
    "ngay_chinh_thuc",
    "so_the_dang_vien",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dev2")
    generate.generate(out, SEED, 4, "dev2-small", small=True, jobs=2)
    return out


def _docs(corpus: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("doc_*.json"))]


def test_schema(corpus: Path) -> None:
    docs = _docs(corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["docs"] == [d["id"] for d in docs] and len(docs) == 4
    assert manifest["pages"] == sum(len(d["pages"]) for d in docs)
    assert {"split", "seed", "generator_version", "fonts"} <= manifest.keys()
    kinds = set()
    for d in docs:
        assert {"id", "split", "format", "color", "files", "fields", "pages"} <= d.keys()
        f = d["fields"]
        kinds.add(f["kind"])
        if f["kind"] == "profile":
            assert set(f["profile"]) == PROFILE_KEYS and f["doc_type"] and f["signer_name"]
        else:
            assert f.keys() >= FIELD_KEYS
            assert f["symbol"].startswith(f["number"]) and f["date"][:2] == "20"
            assert f["secrecy"] in ("", "MẬT", "TỐI MẬT", "TUYỆT MẬT")
            assert f.get("urgency", "KHẨN") in ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
            assert f["signer_name"] in d["pages"][-1]["lines"]
        for n, p in enumerate(d["pages"], 1):
            assert list(p) == PAGE_KEYS and p["page"] == n
            assert p["text"].strip() and p["text"] == "\n".join(p["lines"])
            assert p["rotation"] in (0, 90, 180, 270) and abs(p["skew_deg"]) <= 4
            assert p["degradation"]["profile"] and p["dpi"] in (150, 200, 300)
    assert kinds == {"profile", "party", "state"}


def test_files_open_with_their_frames(corpus: Path) -> None:
    frames: dict[str, list[int]] = {}
    owners: dict[str, set[str]] = {}
    for d in _docs(corpus):
        for p in d["pages"]:
            assert p["file"] in d["files"]
            frames.setdefault(p["file"], []).append(p["frame"])
            owners.setdefault(p["file"], set()).add(d["id"])
    suffixes = set()
    for name, used in frames.items():
        path = corpus / name
        suffixes.add(path.suffix)
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                n = len(pdf.pages)
        else:
            with Image.open(path) as im:
                n = getattr(im, "n_frames", 1)
                im.seek(n - 1)
                im.load()
        assert sorted(used) == list(range(n)), name
    assert any(len(o) >= 2 for o in owners.values())  # a multi-document PDF
    assert any(name.endswith(".tif") and len(f) >= 2 for name, f in frames.items())
    assert {".pdf", ".tif"} <= suffixes


def test_text_is_nfc_and_every_glyph_exists(corpus: Path) -> None:
    for d in _docs(corpus):
        fam = fonts.FAMILIES[d["font"]]
        for p in d["pages"]:
            assert unicodedata.normalize("NFC", p["text"]) == p["text"]
            for style in ("r", "b", "i", "bi"):
                assert not fonts.missing_chars(fam.path(style), p["text"]), (d["id"], style)


def test_glyph_check_refuses_a_missing_character() -> None:
    with pytest.raises(fonts.MissingGlyph):
        fonts.check_text(fonts.FAMILIES["TeX Gyre Termes"].regular, "Lâm Đồng \u0e01")


def test_same_seed_same_truth_and_other_seed_other_documents(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate.generate(again, SEED, 4, "dev2-small", small=True, jobs=2)
    for p in sorted(corpus.glob("*.json")):
        assert (again / p.name).read_bytes() == p.read_bytes(), p.name
    plans = generate.make_plan(SEED + 1, 4, small=True)
    other = generate.build_doc(plans[2], SEED + 1, "x").truth
    mine = json.loads((corpus / "doc_0003.json").read_text(encoding="utf-8"))
    assert other["fields"] != mine["fields"]
    assert other["pages"][0]["text"] != mine["pages"][0]["text"]


def test_full_plan_covers_marks_types_and_file_forms() -> None:
    plans = generate.make_plan(2026, 60, small=False)
    sec = [p.secrecy for p in plans]
    assert all(sec.count(level) >= 4 for level in ("MẬT", "TỐI MẬT", "TUYỆT MẬT"))
    assert {p.code for p in plans if p.kind != "profile"} == set(generate.TYPES)
    assert {p.form for p in plans} == set(generate.FILE_FORMS)
    assert sum(p.kind == "profile" for p in plans) >= 6


@pytest.mark.tesseract
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_clean_page_reads_back_as_its_ground_truth(tmp_path: Path) -> None:
    plans = generate.make_plan(SEED, 4, small=True)
    rng = random.Random(f"{SEED}:{plans[2].id}")
    from bench.dev2 import content, orgs

    iss = next(i for i in orgs.state_issuers(rng) if i.code == "SNV")
    doc = content.build(rng, iss, "BC", "van_thu", 2019, "", "")
    st = layout.draw_style(rng, "TeX Gyre Termes", 200)
    page = layout.layout_document(doc, st, rng)[0]
    render.render(page, 1).convert("L").save(tmp_path / "p.png")
    out = subprocess.run(
        ["tesseract", str(tmp_path / "p.png"), "-", "-l", "vie", "--psm", "4"],
        capture_output=True,
        text=True,
        check=True,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    ).stdout
    ref, hyp = normalize_text("\n".join(page.lines)), normalize_text(out)
    cer = levenshtein(ref, hyp) / len(ref)
    assert cer < 0.15, cer
