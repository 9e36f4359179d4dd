"""Response and input hygiene: no caching of document content, a health check without paths,
batch names that stay reachable, and no batch above the caller's clearance."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from cli.main import main as cli_main
from core.db import Batch
from tests.api.test_authz_matrix import build_world, jpeg
from tests.api.test_leaks import _client


@pytest.fixture
def world(settings, ctx):
    w = build_world(ctx)
    return w, create_app(settings, ctx)


def test_document_content_is_never_cached(world):
    w, app = world
    admin = _client(app, "quantri")
    for url in (
        f"/api/documents/{w.secret}",
        f"/api/pages/{w.secret_page}/image",
        f"/api/pages/{w.secret_page}/image/colour",
        f"/api/pages/{w.secret_page}/words",
        f"/api/files/{w.secret_file}/original",
        f"/api/batches/{w.mixed_batch}/export",
        f"/api/batches/{w.mixed_batch}/export?format=csv",
        "/api/search?q=phương án",
        "/api/documents?q=phương án",
        f"/documents/{w.secret}",
        f"/review/{w.secret}",
        "/api/progress/report?format=csv",
    ):
        r = admin.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert r.headers["cache-control"] == "no-store", url
        assert r.headers["pragma"] == "no-cache", url
    # Static files (no document content) may still be cached.
    assert "no-store" not in admin.get("/static/app.css").headers.get("cache-control", "")


def test_health_names_no_path(settings, world):
    _w, app = world
    r = TestClient(app).get("/health")
    assert r.status_code == 200
    text = r.text
    assert "data_dir" not in r.json()
    assert str(settings.data_dir) not in text and "/tmp" not in text and "sqlite:" not in text


@pytest.mark.parametrize(
    "name",
    ["a/b", "a\\b", ".lo", "lo.", " lo", "lo ", "lo\x00", "lo\u202efdp", "lo\nb", "a  b", "..", ""],
)
def test_bad_batch_names_are_refused(world, name):
    _w, app = world
    kho = _client(app, "kho")
    r = kho.post("/api/batches", json={"name": name, "collection": "Phông A"})
    assert r.status_code == 422, (name, r.status_code, r.text)


def test_vietnamese_batch_name_is_accepted_and_reachable(world):
    _w, app = world
    kho = _client(app, "kho")
    name = "Lô Văn phòng Tỉnh ủy 2015 (đợt 1)"
    r = kho.post("/api/batches", json={"name": name, "collection": "Phông A"})
    assert r.status_code == 201, r.text
    assert kho.get(f"/api/batches/{name}").json()["batch"] == name
    up = kho.put(f"/api/batches/{name}/files", params={"filename": "a.jpg"}, content=jpeg())
    assert up.status_code == 201


def test_cli_refuses_a_bad_batch_name(ctx, tmp_path, monkeypatch):
    f = tmp_path / "a.jpg"
    f.write_bytes(jpeg())
    monkeypatch.setattr("cli.main.get_settings", lambda: ctx.settings)
    assert cli_main(["ingest", str(f), "--batch", "VB/2015"]) == 65
    with ctx.session() as s:
        assert s.query(Batch).count() == 0


def test_no_batch_above_the_callers_clearance(world, ctx):
    w, app = world
    kho = _client(app, "kho")  # archive staff, clearance thường
    for level in ("mat", "toi_mat", "tuyet_mat"):
        r = kho.post("/api/batches", json={"name": f"lo-{level}", "classification": level})
        assert r.status_code == 403 and r.json()["error"]["code"] == "above_clearance", level
    with ctx.session() as s:
        s.add(Batch(name="lo-mat-co-san", collection="Phông A", classification="mat"))
    # An existing batch declared above the clearance looks absent: no upload, no status, no list.
    up = kho.put("/api/batches/lo-mat-co-san/files", params={"filename": "a.jpg"}, content=jpeg())
    assert up.status_code == 404 and up.json()["error"]["code"] == "batch_not_found"
    assert kho.get("/api/batches/lo-mat-co-san").status_code == 404
    assert kho.post("/api/batches/lo-mat-co-san/process").status_code == 404
    assert "lo-mat-co-san" not in kho.get("/api/batches").text
    assert "lo-mat-co-san" not in kho.get("/api/dashboard").text
    assert "lo-mat-co-san" not in kho.get("/api/progress/batches").text
    assert "lo-mat-co-san" not in kho.get("/upload").text
    admin = _client(app, "quantri")
    assert admin.get("/api/batches/lo-mat-co-san").status_code == 200
