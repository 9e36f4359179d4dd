"""Uploads: real pipeline on one sample page, duplicates, limits, bad files, dropped connections."""

from __future__ import annotations

import io
import socket
import threading
import time
import zipfile

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.main import create_app
from core.db import Document, Page, PageStage, SourceFile
from tests.api.test_auth import make_user, token_for
from tests.conftest import SAMPLES


@pytest.fixture
def staff(settings, ctx):
    make_user(ctx, "kho", "luu_tru")
    client = TestClient(create_app(settings, ctx), headers=token_for(ctx, "kho"))
    assert (
        client.post(
            "/api/batches",
            json={
                "name": "VB-2020-01",
                "collection": "Văn bản 2014-2024",
                "year_from": 2020,
                "year_to": 2020,
                "department": "Văn phòng",
                "classification": "thuong",
            },
        ).status_code
        == 201
    )
    return client


def put(client, name: str, data: bytes, batch: str = "VB-2020-01"):
    return client.put(f"/api/batches/{batch}/files", params={"filename": name}, content=data)


def wait_idle(client, batch: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = {b["name"]: b for b in client.get("/api/dashboard").json()["batches"]}
        if not rows[batch]["busy"]:
            return rows[batch]
        time.sleep(0.5)
    raise AssertionError("batch did not finish")


@pytest.mark.tesseract
@pytest.mark.slow
def test_upload_process_duplicate_and_bad_file(ctx, settings, staff):
    settings.pipeline.workers = 1  # one page: one worker process is enough
    page = (SAMPLES / "state_qd_p1.jpg").read_bytes()
    r = put(staff, "quyet_dinh_p1.jpg", page).json()
    assert r["status"] == "stored" and r["pages"] == 1
    again = put(staff, "ban_sao.jpg", page).json()  # a retry or re-sent file
    assert again["status"] == "duplicate" and again["duplicate_of"] == r["source_file_id"]
    bad = put(staff, "hong.pdf", b"PK\x03\x04 not really anything").json()
    assert bad["status"] == "failed" and bad["errors"][0]["message"]
    assert staff.post("/api/batches/VB-2020-01/process").status_code == 202
    row = wait_idle(staff, "VB-2020-01")
    assert row["documents"] == 1 and row["pages"] == 1
    assert row["bars"][1]["pct"] == 100
    assert [d["file"] for d in row["duplicates"]] == ["ban_sao.jpg"]
    assert row["failed_files"][0]["file"] == "hong.pdf"
    with ctx.session() as s:
        doc = s.scalar(select(Document))
        assert doc is not None and doc.pages[0].text
        doc_id, page_id = doc.id, doc.pages[0].id
    assert staff.get(f"/api/pages/{page_id}/image").headers["content-type"] == "image/jpeg"
    assert staff.get(f"/api/pages/{page_id}/words").json()["words"]
    original = staff.get(f"/api/files/{r['source_file_id']}/original")
    assert original.content == page
    assert staff.get(f"/api/documents/{doc_id}").json()["pages"][0]["source_file"] == (
        "quyet_dinh_p1.jpg"
    )
    # A page that failed (say, a timeout) is reset to pending and processed again.
    with ctx.session() as s:
        st = s.scalar(select(PageStage))
        st.status, st.error_code, st.error = "failed", "ocr_timeout", "Quá thời gian"
    assert wait_idle(staff, "VB-2020-01")["failed_pages"][0]["code"] == "ocr_timeout"
    assert staff.post("/api/batches/VB-2020-01/retry-failed").json()["reset"] == 1
    row = wait_idle(staff, "VB-2020-01")
    assert row["failed_pages"] == [] and row["documents"] == 1
    with ctx.session() as s:
        assert s.scalar(select(PageStage)).status == "done"


def test_zip_limits_and_retry_failed(ctx, settings, staff):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a/trang1.png", (SAMPLES / "state_qd_p2.png").read_bytes())
        zf.writestr("../thoat.png", b"x")
    r = put(staff, "quyen.zip", buf.getvalue()).json()
    assert r["pages"] == 1 and r["files"] == 2
    assert [e["code"] for e in r["errors"]] == ["zip_unsafe_path"]
    settings.ingest.max_file_mb = 1
    big = put(staff, "lon.pdf", b"%PDF" + b"0" * (1 << 20))
    assert big.status_code == 422
    assert big.json()["error"]["code"] == "file_too_large"
    assert "quá lớn" in big.json()["error"]["message"]
    missing = put(staff, "a.pdf", b"%PDF", batch="khong-co")
    assert missing.status_code == 404 and "Không có lô" in missing.json()["error"]["message"]
    assert staff.post("/api/batches/VB-2020-01/retry-failed").json()["reset"] == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dropped_connection_leaves_nothing(ctx, settings, staff):
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, ctx), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        token = staff.headers["authorization"]
        head = (
            f"PUT /api/batches/VB-2020-01/files?filename=dut.pdf HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: {token}\r\n"
            f"Content-Length: 2000000\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(head + b"%PDF-1.4" + b"\0" * 200_000)
            time.sleep(0.5)
        time.sleep(0.5)
        # Nothing half-registered, no partial file left behind; a clean re-send then works.
        with ctx.session() as s:
            assert s.scalar(select(func.count(SourceFile.id))) == 0
            assert s.scalar(select(func.count(Page.id))) == 0
        assert list(ctx.storage.tmp.iterdir()) == []
        page = (SAMPLES / "state_qd_p1.jpg").read_bytes()
        assert put(staff, "dut.jpg", page).json()["status"] == "stored"
    finally:
        server.should_exit = True
        thread.join(10)


def test_inbox_takes_settled_files_and_moves_them_aside(ctx, tmp_path):
    from cli.users import inbox_once

    inbox = tmp_path / "scanner"
    inbox.mkdir()
    (inbox / "trang1.png").write_bytes((SAMPLES / "state_qd_p2.png").read_bytes())
    (inbox / "dang_ghi.pdf.part").write_bytes(b"%PDF-1.4 half")
    (inbox / "hong.pdf").write_bytes(b"")
    sizes: dict = {}
    batch_id, report = inbox_once(ctx, inbox, "MAYQUET", sizes)
    assert batch_id is None  # first look: sizes noted, nothing taken while a scanner may write
    batch_id, report = inbox_once(ctx, inbox, "MAYQUET", sizes)
    assert batch_id is not None and report.files == 2 and report.pages == 1
    assert [f[1] for f in report.failed] == ["empty_file"]
    assert sorted(p.name for p in inbox.iterdir()) == ["da_xu_ly", "dang_ghi.pdf.part", "loi"]
    assert [p.name for p in (inbox / "da_xu_ly").iterdir()] == ["trang1.png"]
    assert [p.name for p in (inbox / "loi").iterdir()] == ["hong.pdf"]
    with ctx.session() as s:
        assert s.scalar(select(func.count(SourceFile.id))) == 2
