"""bench/ocr.py: CER per scanner profile and font, and a real one-page run from the command line."""

from __future__ import annotations

import pytest

import bench.ocr as ocr_bench
from bench.harness import shared_corpora


def page(file: str, text: str, profile: str, font: str) -> ocr_bench.Page:
    return ocr_bench.Page(file, 0, text, 0, 0.0, profile, font)


def outcome(name: str, texts: dict[str, str]) -> ocr_bench.Outcome:
    out = ocr_bench.Outcome(name, texts={(f, 0): t for f, t in texts.items()}, seconds=1.0)
    return out


def test_breakdown_marks_the_groups_where_sohoa_loses_to_ocrmypdf():
    pages = [
        page("a.png", "Quyết định số 12", "fax", "Noto Serif"),
        page("b.png", "Nơi nhận", "photocopy", "Noto Serif"),
    ]
    sohoa = outcome("sohoa", {"a.png": "Quyết định số 12", "b.png": "Noi nhan"})
    other = outcome("ocrmypdf", {"a.png": "Quyet dinh so 12", "b.png": "Nơi nhận"})
    rows = [(o, ocr_bench.score(o, pages)) for o in (sohoa, other)]
    by_profile = ocr_bench.breakdown(rows, pages, "profile")
    lines = {line.split(" | ")[0].strip("| "): line for line in by_profile.splitlines()[2:]}
    assert lines.keys() == {"fax", "photocopy"}
    assert lines["fax"] == "| fax | 1 | 0.000 | 0.250 |"
    assert lines["photocopy"] == "| photocopy | 1 | 0.250 ✗ | 0.000 |"  # ơ, ậ of 8 lost
    by_font = ocr_bench.breakdown(rows, pages, "font")
    assert "| Noto Serif | 2 |" in by_font


def test_breakdown_is_empty_without_profiles():
    pages = [page("a.png", "x", "", "")]
    out = outcome("sohoa", {"a.png": "x"})
    assert ocr_bench.breakdown([(out, ocr_bench.score(out, pages))], pages, "profile") == ""


@pytest.mark.tesseract
def test_one_page_run_prints_the_table(capsys):
    dev = shared_corpora() / "dev"
    if not dev.is_dir():
        pytest.skip("shared dev corpus not present")
    assert ocr_bench.main(["--corpus", f"dev={dev}", "--systems", "sohoa", "--limit", "1"]) == 0
    printed = capsys.readouterr().out
    assert "### dev: 1 pages" in printed
    row = next(line for line in printed.splitlines() if line.startswith("| sohoa |"))
    cer = float(row.split("|")[2])
    assert 0.0 <= cer < 0.2


def test_a_corpus_without_ground_truth_is_named_not_divided_by(tmp_path):
    with pytest.raises(SystemExit, match="no ground-truth pages in .*empty"):
        ocr_bench.run_corpus(tmp_path / "empty", ["bare"], 1, 0)
