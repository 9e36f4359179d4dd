"""API tokens: named, expiring (90 days by default, at most a year), listed, created and
revoked by their owner (API and account page), all revoked by a password change or reset."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import create_app
from core.db import utcnow
from core.db_audit import AuditEntry
from core.db_users import ApiToken, create_api_token, get_user
from tests.api.test_auth import PASSWORD, login, make_user


def _me(settings, ctx, user="nv") -> TestClient:
    c = TestClient(create_app(settings, ctx))
    c.headers["X-CSRF-Token"] = login(c, user)
    return c


def test_owner_creates_lists_and_revokes_tokens(settings, ctx):
    make_user(ctx, "nv", "tra_cuu")
    make_user(ctx, "khac", "tra_cuu")
    me = _me(settings, ctx)
    r = me.post("/api/me/tokens", json={"name": "kịch bản xuất", "days": 30})
    assert r.status_code == 201
    body = r.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=29) < expires - utcnow() <= dt.timedelta(days=30)
    bearer = TestClient(me.app, headers={"Authorization": f"Bearer {body['token']}"})
    assert bearer.get("/api/me").json()["username"] == "nv"
    listed = me.get("/api/me/tokens").json()
    assert [(t["name"], t["active"]) for t in listed] == [("kịch bản xuất", True)]
    assert listed[0]["last_used_at"] is not None and "token" not in listed[0]
    assert body["token"] not in me.get("/api/me/tokens").text
    # Default 90 days, at most a year.
    default = me.post("/api/me/tokens", json={"name": "mặc định"}).json()
    assert (dt.datetime.fromisoformat(default["expires_at"]) - utcnow()).days in (89, 90)
    assert me.post("/api/me/tokens", json={"days": 366}).status_code == 422
    assert me.post("/api/me/tokens", json={"days": 0}).status_code == 422
    # Somebody else's token cannot be revoked (nor seen).
    with ctx.session() as s:
        other = create_api_token(s, get_user(s, "khac"), "của người khác")
        other_id = s.scalar(select(ApiToken.id).where(ApiToken.name == "của người khác"))
    assert me.delete(f"/api/me/tokens/{other_id}").status_code == 404
    assert "của người khác" not in me.get("/api/me/tokens").text
    assert (
        TestClient(me.app).get("/api/me", headers={"Authorization": f"Bearer {other}"}).status_code
        == 200
    )
    # Revoked: it stops working at once.
    assert me.delete(f"/api/me/tokens/{body['id']}").json()["revoked"] is True
    assert bearer.get("/api/me").status_code == 401
    with ctx.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("token_created") == 2 and actions.count("token_revoked") == 1


def test_expired_tokens_stop_working(settings, ctx):
    make_user(ctx, "nv", "tra_cuu")
    with ctx.session() as s:
        secret = create_api_token(s, get_user(s, "nv"), "cũ", days=1)
    c = TestClient(create_app(settings, ctx), headers={"Authorization": f"Bearer {secret}"})
    assert c.get("/api/me").status_code == 200
    with ctx.session() as s:
        s.scalar(select(ApiToken)).expires_at = utcnow() - dt.timedelta(seconds=1)
    r = c.get("/api/me")
    assert r.status_code == 401 and "hết hạn" in r.json()["error"]["message"]


def test_password_change_and_reset_revoke_every_token(settings, ctx):
    make_user(ctx, "nv", "tra_cuu")
    make_user(ctx, "qt", "admin", "tuyet_mat")
    me = _me(settings, ctx)
    tokens = [me.post("/api/me/tokens", json={"name": f"t{i}"}).json()["token"] for i in range(2)]
    r = me.post("/api/me/password", json={"current": PASSWORD, "new": "Moi-khau-2719"})
    assert r.status_code == 200
    for t in tokens:
        assert (
            TestClient(me.app).get("/api/me", headers={"Authorization": f"Bearer {t}"}).status_code
            == 401
        )
    # An administrator's reset does the same.
    with ctx.session() as s:
        t3 = create_api_token(s, get_user(s, "nv"), "t3")
        uid = get_user(s, "nv").id
    admin = TestClient(me.app)
    csrf = login(admin, "qt")
    r = admin.post(
        f"/admin/users/{uid}/password",
        data={"new": "Khac-khau-8361", "confirm": "Khac-khau-8361", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert (
        TestClient(me.app).get("/api/me", headers={"Authorization": f"Bearer {t3}"}).status_code
        == 401
    )


def test_account_page_lists_creates_and_revokes(settings, ctx):
    make_user(ctx, "nv", "tra_cuu")
    me = _me(settings, ctx)
    csrf = me.headers["X-CSRF-Token"]
    page = me.post("/account/tokens", data={"name": "máy quét", "days": "7", "csrf_token": csrf})
    assert page.status_code == 200
    secret = re.search(r'<code id="new-token">([^<]+)</code>', page.text).group(1)
    assert "máy quét" in page.text and "còn hiệu lực" in page.text
    bearer = TestClient(me.app, headers={"Authorization": f"Bearer {secret}"})
    assert bearer.get("/api/me").status_code == 200
    again = me.get("/account")
    assert secret not in again.text  # shown once
    token_id = me.get("/api/me/tokens").json()[0]["id"]
    r = me.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "Đã thu hồi" in me.get(r.headers["location"]).text
    assert bearer.get("/api/me").status_code == 401


def test_token_expiry_on_postgresql(tmp_path, pg_url):
    from core.context import open_context
    from core.db_users import add_user, user_for_token
    from core.settings import Settings

    ctx = open_context(Settings(data_dir=tmp_path / "data", database_url=pg_url))
    try:
        with ctx.session() as s:
            user = add_user(s, "nv", PASSWORD, "tra_cuu")
            secret = create_api_token(s, user, "pg", days=2)
        with ctx.session() as s:
            assert user_for_token(s, secret) is not None
            s.scalar(select(ApiToken)).expires_at = utcnow() - dt.timedelta(minutes=1)
        with ctx.session() as s:
            assert user_for_token(s, secret) is None
    finally:
        ctx.engine.dispose()
