"""``sohoa reconcile`` builds the searchable PDFs a full disk or a crash left unwritten."""

from __future__ import annotations

import json

from sqlalchemy import select

from cli.main import main
from core.context import open_context
from core.db import Document
from core.settings import Settings
from pipeline.intake import get_or_create_batch, register_paths
from pipeline.runner import run_batch
from tests.conftest import image_pdf, text_page


def test_reconcile_rebuilds_missing_pdfs(tmp_path, db_url, monkeypatch, capsys):
    monkeypatch.setenv("SOHOA_FAKE_STATE", str(tmp_path / "fake-state"))
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOHOA_OCR__ENGINE", "tests.ocr.fake_engines:fake")
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url)
    settings.ocr.engine = "tests.ocr.fake_engines:fake"
    ctx = open_context(settings)
    scans = tmp_path / "in"
    scans.mkdir()
    for i in (1, 2):
        page = text_page([f"Trang {i}", "Kế hoạch công tác"])
        (scans / f"v{i}.pdf").write_bytes(image_pdf([page]))
    batch = get_or_create_batch(ctx, "lo")
    register_paths(ctx, batch, sorted(scans.iterdir()))
    run_batch(ctx, batch, workers=1)
    with ctx.session() as s:
        ids = list(s.scalars(select(Document.id)))
    assert ids and all(ctx.storage.document_pdf(i).exists() for i in ids)
    lost = ctx.storage.document_pdf(ids[0])
    lost.unlink()  # as if the disk filled up after the documents were assembled

    assert main(["reconcile", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pdfs_built"] == [ids[0]]
    assert lost.exists() and lost.read_bytes().startswith(b"%PDF")
    assert main(["reconcile", "--json"]) == 0  # nothing left to do
    assert json.loads(capsys.readouterr().out)["pdfs_built"] == []
    ctx.engine.dispose()
