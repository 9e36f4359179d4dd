"""`bench/calibrate.py --record` replaces its own tables and nothing that follows them."""

from __future__ import annotations

from pathlib import Path

import pytest

import bench.calibrate as calibrate

BEFORE = """# Benchmark results

## Extraction

### Extraction on `dev` — old

## Calibration

### Confidence calibration, fitted on `dev2` — old

old table

## Archive scale (bench/archive.py)

### Archive scale — 09:06

archive figures

### Archive scale — 12:59

more archive figures
"""


def test_record_keeps_the_blocks_after_the_calibration_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(BEFORE, encoding="utf-8")
    monkeypatch.setattr(calibrate, "RESULTS", results)
    calibrate.record("### Confidence calibration, fitted on `dev2` — new\n\nnew table")
    text = results.read_text(encoding="utf-8")
    assert "new table" in text and "old table" not in text
    assert "### Extraction on `dev` — old" in text
    for kept in ("## Archive scale (bench/archive.py)", "archive figures", "more archive figures"):
        assert kept in text
    assert text.index("new table") < text.index("## Archive scale")


def test_record_stops_at_a_foreign_block_even_without_its_own_heading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Benches append "### …" blocks at the end of the file, after this section."""
    results = tmp_path / "RESULTS.md"
    results.write_text(BEFORE.replace("## Archive scale (bench/archive.py)\n\n", ""), "utf-8")
    monkeypatch.setattr(calibrate, "RESULTS", results)
    calibrate.record("### Confidence calibration, fitted on `dev2` — new\n\nnew table")
    text = results.read_text(encoding="utf-8")
    assert "archive figures" in text and "more archive figures" in text
    assert "old table" not in text


def test_fields_of_two_fit_corpora_stay_apart_by_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dev2 and dev2-fit both number their documents doc_0001…: the folds must not join them."""
    import argparse
    import json

    row = {"doc": "doc_0001", "key": "symbol", "raw": 0.9, "value": "12-KH/TU", "right": True}
    row |= {"prov": {"rule": "number_line_party"}, "poor_page": False}
    for name in ("dev2", "dev2-fit"):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    monkeypatch.setattr(calibrate, "CACHE", tmp_path)
    args = argparse.Namespace(cached=True)
    obs = [o for n in ("dev2", "dev2-fit") for o in calibrate.observations(n, tmp_path, args)]
    assert [o["doc"] for o in obs] == ["dev2/doc_0001", "dev2-fit/doc_0001"]
    assert len(set(calibrate._folds(obs, k=2, repeat=0))) == 2  # one document per fold
    again = calibrate.observations("dev2", tmp_path, args)  # reading twice adds no prefix
    assert again[0]["doc"] == "dev2/doc_0001"


def test_missed_marks_counts_the_ones_a_policy_could_accept() -> None:
    class RawMap:  # the calibrated value is the raw one
        def calibrate(self, key: str, raw: float, feats: dict[str, float]) -> float:
            return raw

    def mark(raw: float, right: bool, truth_empty: bool = False) -> dict[str, object]:
        return {
            "key": "secrecy",
            "raw": raw,
            "features": {},
            "right": right,
            "truth_empty": truth_empty,
        }

    obs = [mark(0.95, False), mark(0.5, False), mark(0.99, True), mark(0.97, False, True)]
    line = calibrate.missed_marks(RawMap(), obs)  # type: ignore[arg-type]
    assert line.endswith("2 of 3 marked documents; of those at calibrated confidence ≥ 0.9: 1.")
