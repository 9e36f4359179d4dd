"""Login, sessions, CSRF, roles, API tokens, clearance and the users CLI."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from cli.main import main as cli_main
from core.db import Batch, Document, Page, SourceFile
from core.db_users import add_user, create_api_token, get_user
from pipeline.changes import documents_changed

PASSWORD = "matkhau-123"


def make_user(ctx, username: str, role: str, clearance: str = "thuong") -> None:
    with ctx.session() as s:
        add_user(s, username, PASSWORD, role, clearance, full_name=username.title())


def token_for(ctx, username: str) -> dict[str, str]:
    """Return an Authorization header with a fresh API token of ``username``."""
    with ctx.session() as s:
        return {"Authorization": f"Bearer {create_api_token(s, get_user(s, username), 't')}"}


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    home = client.get("/")
    return re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)


def add_document(
    ctx,
    classification: str = "thuong",
    text: str = "Kế hoạch công tác",
    batch: str = "lo-a",
    pages: int = 1,
) -> int:
    """Insert a batch (if new), a file, pages and one extracted document; returns its id."""
    with ctx.session() as s:
        b = s.query(Batch).filter_by(name=batch).one_or_none()
        if b is None:
            b = Batch(name=batch, collection="Phông A")
            s.add(b)
            s.flush()
        sf = SourceFile(
            batch_id=b.id,
            original_name=f"{classification}.pdf",
            sha256="0" * 64,
            status="ready",
            detected_type="pdf",
        )
        s.add(sf)
        s.flush()
        seq = (s.query(Document).filter_by(batch_id=b.id).count()) + 1
        doc = Document(
            batch_id=b.id,
            seq=seq,
            kind="state_document",
            classification=classification,
            status="extracted",
            fields={"doc_type": "KẾ HOẠCH", "symbol": "14-KH/UB", "date": "2015-03-20"},
            field_confidence={"doc_type": 0.9, "symbol": 0.4, "date": 0.7},
        )
        s.add(doc)
        s.flush()
        for i in range(pages):
            s.add(
                Page(
                    batch_id=b.id,
                    source_file_id=sf.id,
                    page_index=i,
                    document_id=doc.id,
                    doc_order=i,
                    text=f"{text} trang {i + 1}",
                )
            )
        doc_id = doc.id
    documents_changed(ctx, [doc_id])  # indexed, as the pipeline leaves it
    return doc_id


@pytest.fixture
def app_client(settings, ctx):
    return TestClient(create_app(settings, ctx))


def test_pages_redirect_to_login_and_api_needs_auth(app_client):
    r = app_client.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/review"
    r = app_client.get("/api/batches")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "login_required"
    assert "đăng nhập" in r.json()["error"]["message"]
    assert app_client.get("/health").status_code == 200


def test_login_cookie_flags_logout_and_wrong_password(ctx, app_client):
    make_user(ctx, "an", "luu_tru")
    page = app_client.get("/login")
    assert '<html lang="vi">' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    bad = app_client.post(
        "/login", data={"username": "an", "password": "sai-mat-khau", "csrf_token": token}
    )
    assert bad.status_code == 401 and "không đúng" in bad.text
    no_csrf = app_client.post(
        "/login", data={"username": "an", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert no_csrf.status_code == 400
    r = app_client.post(
        "/login",
        data={"username": "an", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"]
    assert "sohoa_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here; behind TLS it is set
    assert app_client.get("/api/me").json()["role"] == "luu_tru"
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', app_client.get("/").text).group(1)
    assert app_client.post("/logout", data={"csrf_token": "x"}).status_code == 403
    out = app_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert app_client.get("/api/me").status_code == 401


def test_secure_cookie_behind_tls(ctx, app_client):
    make_user(ctx, "tls", "tra_cuu")
    page = app_client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = app_client.post(
        "/login",
        data={"username": "tls", "password": PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in r.headers["set-cookie"]


def test_csrf_required_on_session_writes_but_not_with_token(ctx, app_client):
    make_user(ctx, "luu", "luu_tru")
    csrf = login(app_client, "luu")
    r = app_client.post("/api/batches", json={"name": "x1"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    assert (
        app_client.post(
            "/api/batches", json={"name": "x1"}, headers={"X-CSRF-Token": csrf}
        ).status_code
        == 201
    )
    script = TestClient(app_client.app)
    assert (
        script.post("/api/batches", json={"name": "x2"}, headers=token_for(ctx, "luu")).status_code
        == 201
    )
    bad = script.get("/api/batches", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_token"


def test_roles_gate_pages_and_api(ctx, app_client):
    make_user(ctx, "tc", "tra_cuu")
    csrf = login(app_client, "tc")
    for path in ("/upload", "/review"):
        r = app_client.get(path)
        assert r.status_code == 403 and "không có quyền" in r.text
    assert app_client.get("/search").status_code == 200
    r = app_client.post("/api/batches", json={"name": "y"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden_role"
    assert app_client.get("/api/review/queue").status_code == 403
    home = app_client.get("/").text
    assert 'href="/upload"' not in home and 'href="/review"' not in home


def test_clearance_hides_documents_everywhere(ctx, app_client):
    make_user(ctx, "rs", "ra_soat", clearance="mat")
    low = add_document(ctx, "mat", text="Báo cáo mật")
    high = add_document(ctx, "toi_mat", text="Báo cáo tối mật")
    login(app_client, "rs")
    assert app_client.get(f"/api/documents/{low}").status_code == 200
    r = app_client.get(f"/api/documents/{high}")
    assert r.status_code == 404 and "Không tìm thấy" in r.json()["error"]["message"]
    assert app_client.get(f"/documents/{high}").status_code == 404
    ids = [i["id"] for i in app_client.get("/api/review/queue").json()["items"]]
    assert low in ids and high not in ids
    hits = app_client.get("/api/search", params={"q": "bao cao"}).json()["hits"]
    assert [h["id"] for h in hits] == [low]
    listed = app_client.get("/api/documents").json()["items"]
    assert [d["id"] for d in listed] == [low]
    assert app_client.get("/api/documents/facets").json()["total"] == 1


def test_password_change_ends_sessions(ctx, app_client):
    make_user(ctx, "doi", "tra_cuu")
    csrf = login(app_client, "doi")
    r = app_client.post(
        "/api/me/password",
        json={"current": "sai", "new": "Moi-khau-2719"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "wrong_password"
    r = app_client.post(
        "/api/me/password",
        json={"current": PASSWORD, "new": "ngan"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.json()["error"]["code"] == "weak_password"
    r = app_client.post(
        "/api/me/password",
        json={"current": PASSWORD, "new": "Moi-khau-2719"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 200
    assert app_client.get("/api/me").status_code == 401
    csrf = login(app_client, "doi", "Moi-khau-2719")
    # The same through the page's form.
    form = {
        "current": "Moi-khau-2719",
        "new": "ba-bon-5678",
        "confirm": "khac-han-99",
        "csrf_token": csrf,
    }
    r = app_client.post("/account/password", data=form)
    assert r.status_code == 422 and "không khớp" in r.text
    form["confirm"] = form["new"]
    r = app_client.post("/account/password", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?changed=1"
    assert "Đã đổi mật khẩu" in app_client.get("/login?changed=1").text
    login(app_client, "doi", "ba-bon-5678")


def test_users_cli(ctx, settings, monkeypatch, capsys):
    monkeypatch.setenv("SOHOA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("NEW_PW", "mot-hai-ba-4")
    from core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert (
            cli_main(
                [
                    "users",
                    "add",
                    "lan",
                    "--role",
                    "ra_soat",
                    "--password-env",
                    "NEW_PW",
                    "--full-name",
                    "Nguyễn Thị Lan",
                ]
            )
            == 0
        )
        assert cli_main(["users", "add", "lan", "--password-env", "NEW_PW"]) == 65
        assert cli_main(["users", "set-role", "lan", "admin", "--clearance", "mat"]) == 0
        assert cli_main(["users", "reset-password", "lan", "--password-env", "NEW_PW"]) == 0
        assert cli_main(["users", "token", "lan", "--name", "script"]) == 0
        assert cli_main(["users", "set-role", "khong-co", "admin"]) == 66
        assert cli_main(["users", "list"]) == 0
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert "lan" in out and "admin" in out and "mat" in out
    token = re.search(r"^(sohoa_\S+)$", out, re.M).group(1)
    client = TestClient(create_app(settings, ctx))
    assert (
        client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["clearance"]
        == "mat"
    )
