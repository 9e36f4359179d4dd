"""Re-sending bytes through the upload API: bytes that failed before are taken again (the
earlier failure stays visible), and a duplicate notice never names a file, its batch or its
id to a sender who may not see that file (other collection, higher level)."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from api.main import create_app
from core.db import Batch, SourceFile
from core.db_users import User
from core.states import FileStatus
from tests.api.test_auth import make_user, token_for


def _jpeg(size: tuple[int, int], color: int = 180) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, color).save(buf, format="JPEG")
    return buf.getvalue()


@pytest.fixture
def clerks(ctx, settings):
    """Two archive clerks, each limited to one collection, each with a batch of it."""
    app = create_app(settings, ctx)
    out = {}
    for name, phong in (("kho_a", "Phông A"), ("kho_b", "Phông B")):
        make_user(ctx, name, "luu_tru")
        with ctx.session() as s:
            s.scalar(select(User).where(User.username == name)).collections = [phong]
        client = TestClient(app, headers=token_for(ctx, name))
        made = client.post("/api/batches", json={"name": f"lo-{name}", "collection": phong})
        assert made.status_code == 201, made.text
        out[name] = client
    return out


def _put(client: TestClient, batch: str, name: str, data: bytes) -> dict:
    r = client.put(f"/api/batches/{batch}/files", params={"filename": name}, content=data)
    assert r.status_code == 201, r.text
    return r.json()


def test_failed_bytes_are_taken_again_and_the_failure_stays(clerks, ctx):
    a = clerks["kho_a"]
    big = _jpeg((1200, 900))  # 1.08 megapixels
    ctx.settings.ingest.max_image_megapixels = 0.5  # set too low by mistake, then raised
    first = _put(a, "lo-kho_a", "quet.jpg", big)
    assert first["status"] == "failed" and first["errors"][0]["code"] == "image_too_large"
    ctx.settings.ingest.max_image_megapixels = 120
    again = _put(a, "lo-kho_a", "quet.jpg", big)
    assert again["status"] == "stored" and again["pages"] == 1 and again["retried"]
    assert (
        "[image_too_large]" in again["message"]
        and f"#{first['source_file_id']}" in again["message"]
    )
    st = a.get("/api/batches/lo-kho_a").json()
    assert [f["code"] for f in st["failed_files"]] == ["image_too_large"]  # still shown
    assert st["files"] == {"failed": 1, "ready": 1} and st["pages"] == 1
    # Now that the bytes were processed, sending them again is a duplicate of that success.
    third = _put(a, "lo-kho_a", "ban_sao.jpg", big)
    assert third["status"] == "duplicate" and third["duplicate_of"] == again["source_file_id"]
    assert "lo-kho_a" in third["message"] and "'quet.jpg'" in third["message"]


def test_duplicate_notice_names_nothing_the_sender_may_not_see(clerks, ctx):
    a, b = clerks["kho_a"], clerks["kho_b"]
    data = _jpeg((300, 200), 90)
    mine = _put(a, "lo-kho_a", "ho_so_mat_danh.jpg", data)
    theirs = _put(b, "lo-kho_b", "x.jpg", data)  # kho_b's collection is not Phông A
    assert theirs["status"] == "duplicate" and theirs["duplicate_of"] is None
    for secret in ("ho_so_mat_danh", "lo-kho_a", "Phông A", f"#{mine['source_file_id']}"):
        assert secret not in theirs["message"], theirs["message"]
    assert "một tệp đã xử lý trước đây" in theirs["message"]
    dup = b.get("/api/batches/lo-kho_b").json()["duplicates"]
    assert dup == [{"file": "x.jpg", "duplicate_of": None}]
    assert b.get("/api/dashboard").json()["batches"][0]["duplicates"] == dup

    # Same collection, but the earlier file lies in a MẬT batch above kho_a's clearance.
    secret = _jpeg((300, 200), 30)
    blob = ctx.storage.store_stream([secret])
    with ctx.session() as s:
        hidden = Batch(name="lo-mat", collection="Phông A", classification="mat")
        s.add(hidden)
        s.flush()
        s.add(
            SourceFile(
                batch_id=hidden.id,
                original_name="mat.jpg",
                sha256=blob.sha256,
                size=blob.size,
                status=FileStatus.READY,
            )
        )
    seen = _put(a, "lo-kho_a", "y.jpg", secret)
    assert seen["status"] == "duplicate" and seen["duplicate_of"] is None
    assert "lo-mat" not in seen["message"] and "mat.jpg" not in seen["message"]
