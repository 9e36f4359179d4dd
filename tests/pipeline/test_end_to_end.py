"""The whole path on the bundled samples with the real Tesseract, and resuming after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import unicodedata

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bench.metrics import normalize_field, predicted_field, truth_fields
from cli.main import main
from core.db import make_engine
from tests.conftest import SAMPLES, image_pdf, text_page

pytestmark = [pytest.mark.tesseract]


def _cer(pred: str, truth: str) -> float:
    a = " ".join(unicodedata.normalize("NFC", pred).split())
    b = " ".join(unicodedata.normalize("NFC", truth).split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(1, len(b))


def _expected() -> dict[tuple[str, int], dict]:
    out = {}
    for f in (SAMPLES / "expected").glob("*.json"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        for p in doc["pages"]:
            out[(p["file"], p["frame"] + 1)] = p
    return out


# Fields of the bundled samples read wrong (none since the name model mended the signer
# under a red seal, "Thụ" for "Thu"): a regression and a fix both show here.
KNOWN_FIELD_MISSES: set[tuple[str, str]] = set()


@pytest.mark.slow
def test_samples_end_to_end(tmp_path, db_url, monkeypatch, capsys):
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    from core.settings import get_settings

    get_settings.cache_clear()
    assert main(["ingest", str(SAMPLES), "--batch", "mau", "--wait"]) == 0
    out = tmp_path / "mau.jsonl"
    assert main(["export", "--batch", "mau", "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = _expected()
    pages = {(p["source_file"], p["source_page"]): p for r in records for p in r["pages"]}
    assert set(pages) == set(expected)
    for key, truth in expected.items():
        got = pages[key]
        assert got["rotation"] == truth["rotation"], key
        assert got["text"] == unicodedata.normalize("NFC", got["text"])
        assert _cer(got["text"], truth["text"]) < 0.2, key
        assert 0 < got["mean_confidence"] <= 100
    for r in records:
        assert set(r) == {
            "id",
            "batch",
            "kind",
            "fields",
            "field_confidence",
            "pages",
            "status",
            "errors",
        }
        assert r["status"] == "extracted"
    # Fields, read from the scans, against each sample document's expected fields. The known
    # misses are listed so that a regression and a fix both show up here (issue 4's note).
    by_first = {(p["source_file"], p["source_page"]): r for r in records for p in r["pages"]}
    wrong = set()
    for f in sorted((SAMPLES / "expected").glob("*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        got = by_first[(doc["files"][0], 1)]
        for name, want in truth_fields(doc["fields"]).items():
            if name == "recipients" or not normalize_field(want):
                continue  # recipients: OCR punctuation (bench/RESULTS.md: 85.7 % on dev)
            have = got["kind"] if name == "kind" else predicted_field(got["fields"], name)
            if normalize_field(have) != normalize_field(want):
                wrong.add((doc["id"], name))
    assert wrong == KNOWN_FIELD_MISSES
    capsys.readouterr()
    assert main(["status", "--batch", "mau", "--json"]) == 0
    st = json.loads(capsys.readouterr().out)[0]
    assert st["failed_files"] == [] and st["failed_pages"] == []
    assert st["stages"]["ocr"] == {"done": len(expected)}
    get_settings.cache_clear()


def _pages_status(engine: Engine) -> list[tuple[int, str, int, object]]:
    with engine.connect() as c:
        rows = c.execute(
            text("select page_id, status, attempts, finished_at from page_stage order by page_id")
        ).all()
    return [tuple(r) for r in rows]


@pytest.mark.slow
def test_killed_run_resumes_and_does_every_page_once(tmp_path, db_url):
    scans = tmp_path / "quyen"
    scans.mkdir()
    for i in range(1, 7):
        lines = [
            f"Trang số {i} của hồ sơ lưu trữ",
            "Căn cứ Luật Lưu trữ ngày 11 tháng 11",
            "năm 2011 và các văn bản hướng dẫn thi hành",
        ] * 6
        (scans / f"p{i}.pdf").write_bytes(image_pdf([text_page(lines)]))
    env = {**os.environ, "SOHOA_DATA_DIR": str(tmp_path / "data"), "OMP_THREAD_LIMIT": "1"}
    cmd = [
        sys.executable,
        "-m",
        "cli.main",
        "ingest",
        str(scans),
        "--batch",
        "r",
        "--wait",
        "--workers",
        "1",
    ]
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    db = tmp_path / "data" / "sohoa.db"
    engine = make_engine(db_url or f"sqlite:///{db}")  # db_url: the PostgreSQL pass
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if db_url or db.exists():
                try:
                    done = [r for r in _pages_status(engine) if r[1] == "done"]
                except DBAPIError:  # not migrated yet
                    continue
                if len(done) >= 2:
                    break
        else:
            pytest.fail("no page finished in time")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = {r[0]: r for r in _pages_status(engine)}
    done_before = {pid for pid, r in before.items() if r[1] == "done"}
    assert 2 <= len(done_before) < 6, "the kill must land mid-batch"
    assert any(r[1] == "running" for r in before.values())

    resume = subprocess.run(
        [sys.executable, "-m", "cli.main", "worker", "--once", "--workers", "1"],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert resume.returncode == 0, resume.stderr.decode()
    after = {r[0]: r for r in _pages_status(engine)}
    assert all(r[1] == "done" for r in after.values())
    for pid in done_before:  # finished pages were not touched again
        assert after[pid][2] == 1 and after[pid][3] == before[pid][3]
    assert all(r[2] <= 2 for r in after.values())
    with engine.connect() as c:
        assigned = c.execute(
            text("select count(*), count(distinct id) from page where document_id is not null")
        ).one()
    engine.dispose()
    assert tuple(assigned) == (6, 6)  # every page in exactly one document
