"""Counts and names stay within the caller's clearance on status, dashboard, progress and
reports (the operator's CLI keeps the full counts)."""

from __future__ import annotations

import json

from api.main import create_app
from cli.main import main as cli_main
from core.db import Batch, Page, PageStage, SourceFile
from core.states import StageStatus
from tests.api.test_authz_matrix import build_world
from tests.api.test_leaks import _client

SECRET_FILE = "mat.jpg"


def _world(ctx):
    w = build_world(ctx)
    with ctx.session() as s:
        b = s.query(Batch).filter_by(name=w.mixed_batch).one()
        # A second page of the MẬT file failed OCR before documents were assembled.
        p = Page(batch_id=b.id, source_file_id=w.secret_file, page_index=1)
        s.add(p)
        s.flush()
        s.add(PageStage(page_id=p.id, stage="ocr", status=StageStatus.FAILED, error_code="ocr_x"))
        # A whole batch declared TUYỆT MẬT, with a failed file.
        tm = Batch(name="lo-tuyet-mat", collection="Phông A", classification="tuyet_mat")
        s.add(tm)
        s.flush()
        s.add(
            SourceFile(
                batch_id=tm.id,
                original_name="ho-so-tuyet-mat.pdf",
                status="failed",
                error_code="pdf_corrupt",
                error="hỏng",
            )
        )
    return w


def test_a_reader_counts_and_names_only_what_they_may_open(settings, ctx, monkeypatch, capsys):
    w = _world(ctx)
    app = create_app(settings, ctx)
    reader, admin = _client(app, "tracuu"), _client(app, "quantri")
    mine = reader.get(f"/api/batches/{w.mixed_batch}").json()
    full = admin.get(f"/api/batches/{w.mixed_batch}").json()
    assert (full["documents"], full["pages"], sum(full["files"].values())) == (2, 3, 2)
    assert (mine["documents"], mine["pages"], sum(mine["files"].values())) == (1, 1, 1)
    assert full["failed_pages"] and not mine["failed_pages"]
    for r in (
        reader.get(f"/api/batches/{w.mixed_batch}"),
        reader.get("/api/batches"),
        reader.get("/api/dashboard"),
        reader.get("/api/progress/batches"),
        reader.get(f"/api/progress/batches/{w.mixed_batch}"),
        reader.get("/api/progress/summary"),
        reader.get("/api/progress/collections"),
        reader.get("/api/progress/report", params={"format": "csv"}),
    ):
        assert r.status_code == 200
        text = r.content.decode("utf-8-sig")
        assert SECRET_FILE not in text and "tuyet-mat" not in text and "ocr_x" not in text, r.url
    pb = {b["batch"]: b for b in reader.get("/api/progress/batches").json()}
    assert pb[w.mixed_batch]["documents"] == 1 and pb[w.mixed_batch]["pages_received"] == 1
    assert pb[w.mixed_batch]["pages_failed"] == 0
    dash = {b["name"]: b for b in reader.get("/api/dashboard").json()["batches"]}
    assert dash[w.mixed_batch]["pages"] == 1 and dash[w.mixed_batch]["documents"] == 1
    assert reader.get("/api/batches/lo-tuyet-mat").status_code == 404
    assert "ho-so-tuyet-mat.pdf" in admin.get("/api/batches/lo-tuyet-mat").text
    # The operator's CLI keeps the full counts.
    monkeypatch.setattr("cli.main.get_settings", lambda: ctx.settings)
    assert cli_main(["status", "--batch", w.mixed_batch, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = out[0] if isinstance(out, list) else out
    assert row["documents"] == 2 and row["failed_pages"]
