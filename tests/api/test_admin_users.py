"""The administrator's user page: changes, audit in the same transaction, refusals, CSRF."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accounts import users
from api.main import create_app
from audit import trail as audit
from cli.main import main as cli_main
from core.db_audit import AuditEntry
from core.db_users import User, add_user, create_api_token, get_user
from tests._db import break_audit_log
from tests.api.test_auth import PASSWORD, login

NEW_PW = "Mat-khau-moi-9"


@pytest.fixture
def world(settings, ctx):
    with ctx.session() as s:
        add_user(s, "quantri", PASSWORD, "admin", "tuyet_mat", full_name="Quản Trị")
        add_user(s, "kho", PASSWORD, "luu_tru", "tuyet_mat")  # cleared, but not admin
        add_user(s, "rasoat", PASSWORD, "ra_soat")
        add_user(s, "tracuu", PASSWORD, "tra_cuu")
    return create_app(settings, ctx)


@pytest.fixture
def admin(world):
    client = TestClient(world)
    client.csrf = login(client, "quantri")  # type: ignore[attr-defined]
    return client


def uid(ctx, name: str) -> int:
    with ctx.session() as s:
        return get_user(s, name).id


def trail(ctx, *actions: str) -> list[tuple]:
    with ctx.session() as s:
        q = select(AuditEntry).order_by(AuditEntry.id)
        if actions:
            q = q.where(AuditEntry.action.in_(actions))
        return [(e.actor, e.action, e.object_id, e.details, e.address) for e in s.scalars(q)]


def post(client: TestClient, url: str, **data: str):
    return client.post(url, data={**data, "csrf_token": client.csrf}, follow_redirects=False)


def test_admin_creates_a_user_and_it_is_audited(ctx, admin):
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "Tạo người dùng" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    r = post(
        admin,
        "/admin/users",
        username="lan",
        password=NEW_PW,
        confirm=NEW_PW,
        role="ra_soat",
        clearance="mat",
        full_name="Nguyễn Thị Lan",
        collections="Hồ sơ đảng viên\nVăn bản 2014-2024",
        departments="Ban Tổ chức",
    )
    assert r.status_code == 303
    lan = uid(ctx, "lan")
    assert r.headers["location"] == f"/admin/users/{lan}?ok=created"
    with ctx.session() as s:
        u = s.get(User, lan)
        assert (u.role, u.clearance, u.full_name, u.collections, u.departments) == (
            "ra_soat",
            "mat",
            "Nguyễn Thị Lan",
            ["Hồ sơ đảng viên", "Văn bản 2014-2024"],
            ["Ban Tổ chức"],
        )
    assert trail(ctx, audit.USER_CREATED) == [
        (
            "quantri",
            audit.USER_CREATED,
            "lan",
            {
                "user_id": lan,
                "role": "ra_soat",
                "clearance": "mat",
                "collections": ["Hồ sơ đảng viên", "Văn bản 2014-2024"],
                "departments": ["Ban Tổ chức"],
            },
            "testclient",
        )
    ]
    assert NEW_PW not in str(trail(ctx))
    shown = admin.get(r.headers["location"])
    assert "Đã tạo người dùng." in shown.text and "Hồ sơ đảng viên" in shown.text
    fresh = TestClient(admin.app)
    login(fresh, "lan", NEW_PW)


@pytest.mark.parametrize(
    ("password", "confirm", "username", "message"),
    [
        ("ngan-1", "ngan-1", "lan", "ít nhất 10 ký tự"),
        ("chuchuchuchuchu", "chuchuchuchuchu", "lan", "hai loại ký tự"),
        ("lan-2026-abc", "lan-2026-abd", "lan", "không khớp"),
        (NEW_PW, NEW_PW, "tracuu", "đã có"),
        (NEW_PW, NEW_PW, "co dau cach", "dấu cách"),
    ],
)
def test_create_enforces_the_cli_password_policy(ctx, admin, password, confirm, username, message):
    before = trail(ctx)
    r = post(admin, "/admin/users", username=username, password=password, confirm=confirm)
    assert r.status_code == 422 and message in r.text
    assert 'value="' + username + '"' in r.text  # the form is kept, the password is not
    assert password not in r.text
    assert trail(ctx) == before
    with ctx.session() as s:
        assert s.scalar(select(func.count(User.id))) == 4


def test_role_clearance_and_scope_changes_are_audited_old_to_new(ctx, admin):
    t = uid(ctx, "tracuu")
    r = post(admin, f"/admin/users/{t}/access", role="ra_soat", clearance="toi_mat")
    assert r.status_code == 303 and r.headers["location"].endswith("?ok=access")
    r = post(
        admin, f"/admin/users/{t}/scope", collections="Phông A; Phông B", departments="Văn phòng"
    )
    assert r.status_code == 303
    assert (
        post(
            admin,
            f"/admin/users/{t}/scope",
            collections="Phông A\nPhông B",
            departments="Văn phòng",
        )
        .headers["location"]
        .endswith("?ok=same")
    )
    assert trail(ctx, audit.ROLE_CHANGED, audit.CLEARANCE_CHANGED, audit.SCOPE_CHANGED) == [
        (
            "quantri",
            audit.ROLE_CHANGED,
            "tracuu",
            {"user_id": t, "from": "tra_cuu", "to": "ra_soat"},
            "testclient",
        ),
        (
            "quantri",
            audit.CLEARANCE_CHANGED,
            "tracuu",
            {"user_id": t, "from": "thuong", "to": "toi_mat"},
            "testclient",
        ),
        (
            "quantri",
            audit.SCOPE_CHANGED,
            "tracuu",
            {
                "user_id": t,
                "collections": {"from": [], "to": ["Phông A", "Phông B"]},
                "departments": {"from": [], "to": ["Văn phòng"]},
            },
            "testclient",
        ),
    ]
    client = TestClient(admin.app)
    login(client, "tracuu")
    assert client.get("/api/me").json()["clearance"] == "toi_mat"
    bad = post(admin, f"/admin/users/{t}/access", role="vua", clearance="mat")
    assert bad.status_code == 422 and "Vai trò phải là" in bad.text


def test_lock_unlock_deactivate_and_reset_password(ctx, admin):
    t = uid(ctx, "tracuu")
    victim = TestClient(admin.app)
    login(victim, "tracuu")
    with ctx.session() as s:
        token = create_api_token(s, get_user(s, "tracuu"), "script")
    bearer = {"Authorization": f"Bearer {token}"}
    assert post(admin, f"/admin/users/{t}/state", action="lock").status_code == 303
    assert victim.get("/api/me").status_code == 401  # the session ended
    assert victim.get("/api/me", headers=bearer).status_code == 401
    assert "bị khóa" in admin.get(f"/admin/users/{t}").text
    page = victim.get("/login")
    tok = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    refused = victim.post(
        "/login", data={"username": "tracuu", "password": PASSWORD, "csrf_token": tok}
    )
    assert refused.status_code == 401
    assert post(admin, f"/admin/users/{t}/state", action="unlock").status_code == 303
    login(victim, "tracuu")
    assert victim.get("/api/me", headers=bearer).status_code == 200
    assert post(admin, f"/admin/users/{t}/state", action="deactivate").status_code == 303
    assert victim.get("/api/me").status_code == 401
    assert (
        post(admin, f"/admin/users/{t}/password", new=NEW_PW, confirm=NEW_PW)
        .headers["location"]
        .endswith("?ok=password")
    )
    assert post(admin, f"/admin/users/{t}/state", action="activate").status_code == 303
    login(victim, "tracuu", NEW_PW)
    bad = post(admin, f"/admin/users/{t}/state", action="xoa")
    assert bad.status_code == 422
    assert [
        a
        for _, a, *_ in trail(
            ctx,
            audit.USER_LOCKED,
            audit.USER_UNLOCKED,
            audit.USER_DISABLED,
            audit.USER_ENABLED,
            audit.PASSWORD_CHANGED,
        )
    ] == [
        audit.USER_LOCKED,
        audit.USER_UNLOCKED,
        audit.USER_DISABLED,
        audit.PASSWORD_CHANGED,
        audit.USER_ENABLED,
    ]
    assert NEW_PW not in str(trail(ctx))


def test_unlock_clears_a_failed_login_lock(ctx, settings, admin):
    settings.security.login_max_failures = 2
    victim = TestClient(admin.app)

    def attempt(password: str) -> int:
        page = victim.get("/login")
        tok = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return victim.post(
            "/login",
            data={"username": "tracuu", "password": password, "csrf_token": tok},
            follow_redirects=False,
        ).status_code

    assert [attempt("Sai-mat-khau-1") for _ in range(2)] == [401, 401]
    assert attempt(PASSWORD) == 429
    post(admin, f"/admin/users/{uid(ctx, 'tracuu')}/state", action="unlock")
    assert attempt(PASSWORD) == 303


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("access", {"role": "tra_cuu", "clearance": "tuyet_mat"}, "bỏ vai trò quản trị"),
        ("state", {"action": "lock"}, "khóa"),
        ("state", {"action": "deactivate"}, "vô hiệu hóa"),
        ("password", {"new": NEW_PW, "confirm": NEW_PW}, "Đổi mật khẩu"),
    ],
)
def test_an_admin_cannot_lock_themselves_out(ctx, admin, url, data, message):
    me = uid(ctx, "quantri")
    r = post(admin, f"/admin/users/{me}/{url}", **data)
    assert r.status_code == 403 and message in r.text
    with ctx.session() as s:
        u = s.get(User, me)
        assert (u.role, u.active, u.locked) == ("admin", True, False)
    assert admin.get("/api/me").json()["role"] == "admin"  # still signed in
    assert (
        trail(
            ctx, audit.ROLE_CHANGED, audit.USER_LOCKED, audit.USER_DISABLED, audit.PASSWORD_CHANGED
        )
        == []
    )
    # The clearance alone may still be changed on one's own account.
    assert (
        post(admin, f"/admin/users/{me}/access", role="admin", clearance="toi_mat").status_code
        == 303
    )


def test_the_last_administrator_is_kept_from_the_cli_too(ctx, settings, monkeypatch):
    with ctx.session() as s:
        add_user(s, "quantri", PASSWORD, "admin")
        with pytest.raises(Exception, match="last administrator"):
            users.change_access(s, users.Actor("os:root", "cli"), get_user(s, "quantri"), "tra_cuu")
    monkeypatch.setenv("SOHOA_DATA_DIR", str(settings.data_dir))
    from core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert cli_main(["users", "deactivate", "quantri"]) != 0
        assert (
            cli_main(["users", "add", "pho", "--role", "admin", "--password-env", "X"]) != 0
        )  # no such variable
        monkeypatch.setenv("X", NEW_PW)
        assert (
            cli_main(
                [
                    "users",
                    "add",
                    "pho",
                    "--role",
                    "admin",
                    "--password-env",
                    "X",
                    "--collection",
                    "Phông A",
                    "--department",
                    "Văn phòng",
                ]
            )
            == 0
        )
        assert cli_main(["users", "lock", "quantri"]) == 0  # another admin remains
        assert cli_main(["users", "unlock", "quantri"]) == 0
        assert cli_main(["users", "set-scope", "pho", "--collection", "Phông B"]) == 0
    finally:
        get_settings.cache_clear()
    with ctx.session() as s:
        assert get_user(s, "pho").collections == ["Phông B"]
    assert [(a, o) for _, a, o, _, addr in trail(ctx) if addr == "cli"] == [
        (audit.USER_CREATED, "pho"),
        (audit.USER_LOCKED, "quantri"),
        (audit.USER_UNLOCKED, "quantri"),
        (audit.SCOPE_CHANGED, "pho"),
    ]


@pytest.mark.parametrize("name", ["kho", "rasoat", "tracuu"])
def test_non_admins_are_refused_whatever_their_clearance(ctx, world, name):
    client = TestClient(world)
    csrf = login(client, name)
    t = uid(ctx, "tracuu")
    for url in ("/admin/users", f"/admin/users/{t}"):
        r = client.get(url)
        assert r.status_code == 403 and "không có quyền" in r.text
    for url, data in (
        ("/admin/users", {"username": "x", "password": NEW_PW, "confirm": NEW_PW}),
        (f"/admin/users/{t}/access", {"role": "admin", "clearance": "mat"}),
        (f"/admin/users/{t}/state", {"action": "lock"}),
    ):
        r = client.post(url, data={**data, "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden_role"
    assert "/admin/users" not in client.get("/").text  # no menu entry either
    with ctx.session() as s:
        assert s.get(User, t).role == "tra_cuu" and not s.get(User, t).locked
    assert trail(ctx, audit.USER_CREATED, audit.ROLE_CHANGED, audit.USER_LOCKED) == []
    anon = TestClient(world)
    r = anon.get("/admin/users", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/admin/users"


def test_posts_without_the_csrf_token_change_nothing(ctx, admin):
    t = uid(ctx, "tracuu")
    for token in (None, "gia-mao"):
        for url, data in (
            ("/admin/users", {"username": "x", "password": NEW_PW, "confirm": NEW_PW}),
            (f"/admin/users/{t}/access", {"role": "admin", "clearance": "mat"}),
            (f"/admin/users/{t}/state", {"action": "deactivate"}),
            (f"/admin/users/{t}/password", {"new": NEW_PW, "confirm": NEW_PW}),
        ):
            body = {**data, **({"csrf_token": token} if token else {})}
            r = admin.post(url, data=body, follow_redirects=False)
            assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    with ctx.session() as s:
        u = s.get(User, t)
        assert (u.role, u.active) == ("tra_cuu", True)
        assert s.scalar(select(func.count(User.id))) == 4
    assert (
        trail(
            ctx, audit.USER_CREATED, audit.ROLE_CHANGED, audit.USER_DISABLED, audit.PASSWORD_CHANGED
        )
        == []
    )


def test_names_are_escaped_on_the_pages(ctx, admin):
    evil = '<img src=x onerror="alert(1)">'
    r = post(
        admin,
        "/admin/users",
        username="moi",
        password=NEW_PW,
        confirm=NEW_PW,
        full_name=evil,
        collections="</textarea><script>alert(2)</script>",
    )
    assert r.status_code == 303
    for url in ("/admin/users", r.headers["location"]):
        page = admin.get(url).text
        assert evil not in page and "<script>alert" not in page
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page


def test_a_change_is_not_kept_when_its_audit_fails(ctx, admin):
    break_audit_log(ctx.engine)
    t = uid(ctx, "tracuu")
    with pytest.raises(Exception, match="audit unavailable"):
        post(admin, f"/admin/users/{t}/access", role="ra_soat", clearance="mat")
    with pytest.raises(Exception, match="audit unavailable"):
        post(admin, "/admin/users", username="lan", password=NEW_PW, confirm=NEW_PW)
    with ctx.session() as s:
        assert s.get(User, t).role == "tra_cuu"
        assert s.scalar(select(User.id).where(User.username == "lan")) is None
