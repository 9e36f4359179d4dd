"""Unit tests of the benchmark scorer on small synthetic inputs."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from bench.metrics import (
    levenshtein,
    normalize_field,
    normalize_text,
    percentile,
    skew_error,
    strip_diacritics,
)
from bench.score import TruthDoc, load_export, load_truth, render_markdown, score_export


def _dp(a, b) -> int:
    """Reference Levenshtein: the textbook dynamic programme."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


@pytest.mark.parametrize(
    ("a", "b", "dist"),
    [
        ("", "", 0),
        ("abc", "", 3),
        ("", "abc", 3),
        ("kitten", "sitting", 3),
        ("flaw", "lawn", 2),
        ("saturday", "sunday", 3),
        ("Tổ chức", "Tố chức", 1),
        ("chi bộ", "chỉ bộ", 1),
        ("abc", "abc", 0),
    ],
)
def test_levenshtein_known_values(a: str, b: str, dist: int) -> None:
    assert levenshtein(a, b) == dist
    assert levenshtein(b, a) == dist


def test_levenshtein_words() -> None:
    assert levenshtein(["một", "hai", "ba"], ["một", "ba", "bốn"]) == 2


def test_levenshtein_matches_reference_dp_on_random_strings() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = "".join(rng.choice("abcđ ") for _ in range(rng.randint(0, 90)))
        b = "".join(rng.choice("abcđ ") for _ in range(rng.randint(0, 90)))
        assert levenshtein(a, b) == _dp(a, b), (a, b)


def test_levenshtein_long_inputs_cross_word_boundary() -> None:
    rng = random.Random(3)
    a = "".join(rng.choice("xyz") for _ in range(300))
    b = "".join(rng.choice("xyz") for _ in range(250))
    assert levenshtein(a, b) == _dp(a, b)


def test_normalize_text_nfc_and_whitespace() -> None:
    decomposed = "Ho\u0323c\n\n  sinh\t"  # "Học" with a combining dot below
    assert normalize_text(decomposed) == "Học sinh"
    assert normalize_text(None) == ""


def test_strip_diacritics_keeps_d_mapping() -> None:
    assert strip_diacritics("Đảng bộ đồng ý") == "Dang bo dong y"
    assert strip_diacritics("TỈNH ỦY") == "TINH UY"


def test_skew_error_modulo_rule() -> None:
    assert skew_error(89.9, 0.0) == pytest.approx(0.1)
    assert skew_error(-3.0, 2.0) == pytest.approx(5.0)
    assert skew_error(0.0, 60.0) == pytest.approx(30.0)
    assert skew_error(1.0, 1.0) == 0.0
    assert 0.0 <= skew_error(137.3, -4.2) <= 45.0


def test_percentile() -> None:
    assert percentile([1.0, 2.0, 3.0], 50) == 2.0
    assert percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    assert math.isnan(percentile([], 50))


def test_normalize_field() -> None:
    assert normalize_field("  SỞ  NỘI\nVỤ ") == normalize_field("sở nội vụ")
    assert normalize_field(None) == ""
    assert normalize_field(["A ;", " b"]) == "a ;\nb"


def _truth() -> list[TruthDoc]:
    fields = {"kind": "state", "number": "12", "date": "2016-09-07", "secrecy": ""}
    pages = [
        {"file": "doc_0001.pdf", "frame": 0, "text": "abcd efgh", "rotation": 0, "skew_deg": 1.0},
        {"file": "doc_0001.pdf", "frame": 1, "text": "xyz", "rotation": 90, "skew_deg": -2.0},
    ]
    return [TruthDoc("doc_0001", fields, pages)]


def _page(n: int, text: str, rotation: int = 0, skew: float = 0.0) -> dict:
    return {
        "source_file": "doc_0001.pdf",
        "source_page": n,
        "rotation": rotation,
        "skew_deg": skew,
        "text": text,
        "mean_confidence": 90.0,
    }


def test_page_matching_uses_frame_plus_one() -> None:
    export = [
        {
            "id": "d1",
            "status": "done",
            "fields": {"kind": "STATE_DOCUMENT", "number": "12", "date": "2016-09-07"},
            "pages": [_page(2, "xyz", 90, 88.0), _page(1, "abcd efgh", 0, 1.0)],
        }
    ]
    rep = score_export(export, _truth())
    assert rep.matched_pages == 2
    assert rep.cer == 0.0
    assert rep.wer == 0.0
    assert rep.orientation_acc == 1.0
    assert rep.skew_max == pytest.approx(0.0)  # 88 vs -2 is 90 apart: 0 modulo 90
    assert rep.field_acc == 1.0  # empty GT secrecy is skipped, case folded
    assert "secrecy" not in rep.fields


def test_missing_page_counts_in_full() -> None:
    export = [{"id": "d1", "status": "done", "fields": {}, "pages": [_page(1, "abcd efgh")]}]
    rep = score_export(export, _truth())
    assert rep.missing_pages == ["doc_0001.pdf#2"]
    assert rep.cer == pytest.approx(3 / 12)  # "xyz" missing: 3 of 9 + 3 characters
    assert rep.wer == pytest.approx(1 / 3)
    assert rep.orientation_acc == 0.5
    assert rep.field_acc == 0.0


def test_a_top_secret_pages_withheld_text_is_not_scored_as_unread() -> None:
    """A TUYỆT MẬT page is stored only: its text is purged by design, not lost by the OCR."""
    purged = {**_page(2, "", 90, 88.0), "flags": ["top_secret_purged"]}
    export = [
        {"id": "d1", "status": "store_only", "fields": {}, "pages": [_page(1, "abcd"), purged]}
    ]
    rep = score_export(export, _truth())
    assert rep.purged_pages == 1
    assert rep.cer == pytest.approx(5 / 9)  # "efgh" and a space unread of "abcd efgh" only
    assert rep.matched_pages == 2 and not rep.missing_pages
    assert rep.orientation_acc == 1.0  # its rotation is still what the pipeline found
    assert "withheld" in render_markdown(rep)
    # Its fields are withheld too, but for the kind and the mark.
    assert set(rep.fields) == {"kind"}


def test_fields_come_from_document_holding_first_page() -> None:
    export = [
        {"id": "a", "status": "done", "fields": {"number": "99"}, "pages": [_page(2, "xyz", 90)]},
        {"id": "b", "status": "done", "fields": {"number": "12"}, "pages": [_page(1, "abcd efgh")]},
    ]
    rep = score_export(export, _truth())
    assert rep.fields["number"] == {"correct": 1, "total": 1, "acc": 1.0}


def test_profile_fields_nested_or_flat() -> None:
    truth = [
        TruthDoc(
            "p",
            {"kind": "profile", "profile": {"ho_ten": "NGÔ NAM", "dan_toc": "Kinh"}},
            [{"file": "p.jpg", "frame": 0, "text": "x", "rotation": 0, "skew_deg": 0}],
        )
    ]
    page = {"source_file": "p.jpg", "source_page": 1, "text": "x", "rotation": 0, "skew_deg": 0}
    nested = {"kind": "profile", "profile": {"ho_ten": "Ngô Nam", "dan_toc": "Kinh"}}
    flat = {"kind": "profile", "ho_ten": "Ngô Nam", "dan_toc": "Tày"}
    assert score_export([{"fields": nested, "pages": [page]}], truth).field_acc == 1.0
    assert score_export([{"fields": flat, "pages": [page]}], truth).field_acc == pytest.approx(
        2 / 3
    )


def test_failed_documents_reported_and_markdown_renders() -> None:
    export = [
        {
            "id": None,
            "status": "failed",
            "pages": [],
            "errors": [{"code": "empty_file", "message": "m", "source_file": "nasty_empty.pdf"}],
        }
    ]
    rep = score_export(export, _truth())
    assert rep.cer == 1.0
    assert rep.statuses == {"failed": 1}
    md = render_markdown(rep, with_pages=True)
    assert "| CER | 1.000 |" in md
    assert "nasty_empty.pdf: empty_file" in md


def test_kind_falls_back_to_top_level() -> None:
    # Ground truth says "state"; the export contract says "state_document".
    export = [{"kind": "state_document", "fields": {}, "pages": [_page(1, "abcd efgh")]}]
    assert score_export(export, _truth()).fields["kind"]["correct"] == 1


def test_declared_duplicate_is_scored_with_its_original_pages() -> None:
    truth = [
        TruthDoc("a", {}, [{"file": "doc_0001.pdf", "frame": 0, "text": "abc"}]),
        TruthDoc("b", {}, [{"file": "copy.jpg", "frame": 0, "text": "abc"}]),
    ]
    export = [
        {"pages": [{"source_file": "doc_0001.pdf", "source_page": 1, "text": "abc"}]},
        {
            "status": "duplicate",
            "pages": [],
            "errors": [
                {"code": "duplicate", "source_file": "copy.jpg", "duplicate_of": "doc_0001.pdf"}
            ],
        },
    ]
    rep = score_export(export, truth)
    assert rep.missing_pages == [] and rep.cer == 0.0


def test_missing_duplicate_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "doc_0001.pdf").write_bytes(b"%PDF-same")
    (tmp_path / "copy.jpg").write_bytes(b"%PDF-same")
    truth = [
        TruthDoc("a", {}, [{"file": "doc_0001.pdf", "frame": 0, "text": "abc"}]),
        TruthDoc("b", {}, [{"file": "copy.jpg", "frame": 0, "text": "abc"}]),
    ]
    export = [{"pages": [{"source_file": "doc_0001.pdf", "source_page": 1, "text": "abc"}]}]
    rep = score_export(export, truth, tmp_path)
    assert rep.missing_pages == ["copy.jpg#1"]
    assert rep.duplicates == {"copy.jpg": "doc_0001.pdf"}
    assert rep.cer == 0.5  # still counted as missing


def test_load_truth_and_export_from_files(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"pages": 3, "docs": []}))
    doc = {"id": "doc_0001", "fields": {}, "pages": [{"file": "a.png", "frame": 0, "text": "t"}]}
    (tmp_path / "doc_0001.json").write_text(json.dumps(doc))
    export = tmp_path / "out.jsonl"
    export.write_text(json.dumps({"id": "x", "pages": []}) + "\n\n")
    assert [d.id for d in load_truth(tmp_path)] == ["doc_0001"]
    assert load_export(export) == [{"id": "x", "pages": []}]
