"""Cheap checks of ``samples/`` (no OCR): every sample has its expected JSON and they agree."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
EXPECTED = SAMPLES / "expected"
SAMPLE_EXTS = {".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"}
MAX_TOTAL = 3 * 1024 * 1024

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


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.suffix.lower() in SAMPLE_EXTS)


def load(p: Path) -> dict:
    return json.loads((EXPECTED / f"{p.name}.json").read_text(encoding="utf-8"))


def frame_sizes(p: Path) -> list[tuple[int, int, float | None]]:
    """(width, height, dpi) of every page image in the file."""
    if p.suffix.lower() == ".pdf":
        out: list[tuple[int, int, float | None]] = []
        with pikepdf.open(p) as pdf:
            for page in pdf.pages:
                xobjs = page.obj.Resources.XObject
                assert len(xobjs.keys()) == 1, "a scanner PDF has one image per page"
                img = xobjs[list(xobjs.keys())[0]]
                w, h = int(img.Width), int(img.Height)
                mb = [float(v) for v in page.obj.MediaBox]
                out.append((w, h, round(w * 72.0 / (mb[2] - mb[0]), 1)))
        return out
    out2: list[tuple[int, int, float | None]] = []
    with Image.open(p) as im:
        for i in range(getattr(im, "n_frames", 1)):
            im.seek(i)
            dpi = im.info.get("dpi")
            out2.append((im.width, im.height, round(float(dpi[0]), 1) if dpi else None))
    return out2


def test_there_are_samples() -> None:
    files = sample_files()
    assert len(files) >= 4
    kinds = {p.suffix.lower() for p in files}
    assert {".pdf", ".jpg", ".png"} <= kinds and kinds & {".tif", ".tiff"}


def test_total_size_at_most_3mb() -> None:
    total = sum(
        p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    assert total <= MAX_TOTAL, f"samples/ is {total} bytes"


def test_every_sample_has_expected_json_and_back() -> None:
    names = {p.name for p in sample_files()}
    expected = {p.name[: -len(".json")] for p in EXPECTED.glob("*.json")}
    assert names == expected


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_expected_matches_file(path: Path) -> None:
    d = load(path)
    assert d["file"] == path.name and path.name in d["files"]
    for f in d["files"]:
        assert (SAMPLES / f).is_file()
    sizes = frame_sizes(path)
    pages = d["pages"]
    assert [p["frame"] for p in pages] == list(range(len(sizes)))
    for rec, (w, h, dpi) in zip(pages, sizes, strict=True):
        assert rec["file"] == path.name
        assert (rec["width"], rec["height"]) == (w, h)
        assert dpi is None or abs(dpi - rec["dpi"]) < 0.5
        assert rec["rotation"] in (0, 90, 180, 270)
        assert abs(rec["skew_deg"]) <= 5
        # A4 at the page's dpi, portrait before the rotation
        pw, ph = (w, h) if rec["rotation"] in (0, 180) else (h, w)
        assert abs(pw - 210 / 25.4 * rec["dpi"]) <= 2 and abs(ph - 297 / 25.4 * rec["dpi"]) <= 2


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_expected_text_is_clean_nfc(path: Path) -> None:
    d = load(path)
    for rec in d["pages"]:
        text = rec["text"]
        assert text == unicodedata.normalize("NFC", text)
        assert text == "\n".join(rec["lines"])
        assert all(ln and ln == ln.strip() and "  " not in ln for ln in rec["lines"])
        assert "\ufffd" not in text
    for key, val in d["fields"].items():
        vals = (
            val if isinstance(val, list) else list(val.values()) if isinstance(val, dict) else [val]
        )
        for v in vals:
            assert v == unicodedata.normalize("NFC", v), key


def test_documents_are_consistent() -> None:
    docs: dict[str, list[dict]] = {}
    for p in sample_files():
        d = load(p)
        docs.setdefault(d["id"], []).append(d)
    for doc_id, parts in docs.items():
        assert all(x["fields"] == parts[0]["fields"] for x in parts), doc_id
        assert sorted(x["file"] for x in parts) == sorted(parts[0]["files"]), doc_id
        pages = sorted((rec for x in parts for rec in x["pages"]), key=lambda r: r["page"])
        assert [r["page"] for r in pages] == list(range(1, len(pages) + 1)), doc_id
        f = parts[0]["fields"]
        assert set(f) >= FIELD_KEYS, doc_id
        assert f["kind"] in ("party", "state", "profile")
        dt.date.fromisoformat(f["date"])
        first, last = pages[0]["text"], pages[-1]["text"]
        if f["doc_type"] != "CÔNG VĂN":  # a công văn prints no type name, only "V/v ..."
            assert f["doc_type"] in first
        if f["symbol"]:
            assert f["symbol"] in first
        if f["secrecy"]:
            assert f["secrecy"] in first.splitlines()
        assert f["signer_name"] == last.splitlines()[-1]
        for r in f["recipients"]:
            assert "- " + r in last.splitlines()


def test_text_sources_are_documented() -> None:
    sources = (SAMPLES / "texts" / "SOURCES.md").read_text(encoding="utf-8")
    for t in (SAMPLES / "texts").glob("*.txt"):
        assert f"`{t.name}`" in sources
    for p in sample_files():
        assert (SAMPLES / load(p)["text_source"]).is_file()
