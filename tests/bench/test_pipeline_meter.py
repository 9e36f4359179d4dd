"""bench/pipeline.py's Tesseract meter: a wrapper logging every call's CPU, read back by kind."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bench.pipeline import call_kind, read_meter, tesseract_line, write_meter


def test_calls_are_told_apart_as_sohoa_makes_them():
    assert call_kind("stdin stdout -l vie --psm 3 -c preserve_interword_spaces=1 tsv") == "page"
    assert call_kind("stdin stdout -l vie --psm 6 -c preserve_interword_spaces=1") == "region"
    assert call_kind("stdin stdout -l vie --psm 7 -c preserve_interword_spaces=1") == "region"
    assert call_kind("stdin stdout --psm 0 --dpi 150 -c min_characters_to_try=10") == "orientation"
    assert call_kind("--version") == "check"


def test_the_log_is_summed_by_kind_and_the_wrappers_own_cpu_kept_apart(tmp_path):
    log = tmp_path / "calls.log"
    log.write_text(
        "call stdin stdout -l vie --psm 3 tsv\n0m0.002s 0m0.001s\n0m1.250s 0m0.050s\n"
        "call stdin stdout -l vie --psm 6\n0m0.002s 0m0.000s\n0m0.100s 0m0.020s\n"
        "call stdin stdout -l vie --psm 3 tsv\n0m0.003s 0m0.000s\n1m0.500s 0m0.000s\n"
    )
    use = read_meter(log)
    assert use.runs == {"page": 2, "region": 1}
    assert use.cpu_s == pytest.approx({"page": 61.8, "region": 0.12})
    assert use.meter_s == pytest.approx(0.008)
    line = tesseract_line(use, cpu_s=70.0, ocr_pages=2)
    assert "Tesseract 61.9 s" in line and "page 2 runs 61.8 s" in line and "8.1 s" in line


def test_reads_in_sohoas_processes_are_summed_with_the_programs_runs(tmp_path):
    log = tmp_path / "calls.log"
    log.write_text(
        "call --version\n0m0.001s 0m0.000s\n0m0.010s 0m0.000s\n"
        "in-process page 0.8000\nin-process region 0.0200\nin-process page 0.7000\n"
    )
    use = read_meter(log)
    assert use.runs == {"check": 1, "page": 2, "region": 1}
    assert use.cpu_s == pytest.approx({"check": 0.01, "page": 1.5, "region": 0.02})
    assert use.meter_s == pytest.approx(0.001)  # in-process reads are sohoa's own CPU


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_the_wrapper_runs_tesseract_and_logs_the_call(tmp_path):
    meter = write_meter(tmp_path, tmp_path / "calls.log")
    assert meter is not None
    out = subprocess.run([str(meter), "--version"], capture_output=True, check=False)
    assert out.returncode == 0 and b"tesseract" in (out.stdout + out.stderr).lower()
    assert read_meter(tmp_path / "calls.log").runs == {"check": 1}
