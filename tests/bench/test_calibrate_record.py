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
