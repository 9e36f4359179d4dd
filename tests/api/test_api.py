from fastapi.testclient import TestClient

from api.main import create_app
from pipeline.intake import get_or_create_batch, register_paths
from tests.api.test_auth import make_user, token_for


def test_health_and_openapi(ctx, settings):
    client = TestClient(create_app(settings, ctx))
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert "/api/batches/{name}" in spec["paths"]


def test_batch_status_and_not_found_in_vietnamese(ctx, settings, tmp_path):
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"")
    register_paths(ctx, get_or_create_batch(ctx, "lo1"), [bad])
    make_user(ctx, "script", "luu_tru")
    client = TestClient(create_app(settings, ctx), headers=token_for(ctx, "script"))
    st = client.get("/api/batches/lo1").json()
    assert st["failed_files"][0]["code"] == "empty_file"
    r = client.get("/api/batches/khong-co")
    assert r.status_code == 404
    assert "Không có lô" in r.json()["error"]["message"]
    exp = client.get("/api/batches/lo1/export", params={"format": "jsonl"})
    assert exp.status_code == 200 and '"status": "failed"' in exp.text
