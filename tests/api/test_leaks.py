"""Secrets stay in: a MẬT document is invisible to users cleared only for ``thuong`` on every
read path; sign-in defences (lockout, password rules, sessions, headers) hold; logs stay clean.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import api
import pipeline.indexing as indexing
from api.main import create_app
from audit import trail as audit
from core.db import Batch, Page, SourceFile, utcnow
from core.db_audit import AuditEntry
from core.db_users import UserSession, add_user, token_digest
from core.errors import InputError
from core.levels import keeps_text
from core.search_types import SearchQuery
from core.text import fold
from review.classification import set_classification
from tests.api.test_authz_matrix import (
    PASSWORD,
    SECRET_SUBJECT,
    SECRET_SYMBOL,
    World,
    build_world,
    login,
)

# Pieces of the secret that must never reach an uncleared user (exact and folded forms).
SECRETS = [
    SECRET_SYMBOL,
    "BMTXQL",
    "Quỳnh Lưu",
    "Hoàng Liên",
    "Quynh Luu",
    "Hoang Lien",
    "PHƯƠNG ÁN",
]


def pieces_in(text: str, pieces: list[str]) -> list[str]:
    """Return the ``pieces`` found in a response body, raw or folded (no marks, đ→d)."""
    low, folded = text.lower(), fold(text).lower()
    return [p for p in pieces if p.lower() in low or fold(p).lower() in folded]


def leaks(text: str) -> list[str]:
    """Return the secret pieces found in a response body."""
    return pieces_in(text, SECRETS)


def body(r) -> str:
    """Return a response body as text, JSON re-encoded without escapes."""
    if r.headers.get("content-type", "").startswith("application/json"):
        return json.dumps(r.json(), ensure_ascii=False)
    return r.text


@pytest.fixture
def world(settings, ctx) -> tuple[World, TestClient]:
    w = build_world(ctx)
    return w, TestClient(create_app(settings, ctx))


def _client(app, user: str) -> TestClient:
    c = TestClient(app)
    c.headers["X-CSRF-Token"] = login(c, user)
    return c


def test_search_hides_the_secret_in_results_counts_facets_and_snippets(world):
    w, base = world
    admin, reader = _client(base.app, "quantri"), _client(base.app, "tracuu")
    queries = [
        SECRET_SUBJECT,
        f'"{SECRET_SUBJECT}"',
        SECRET_SYMBOL,
        "BMTXQL",
        fold(SECRET_SUBJECT),
        "Quỳnh Lưu",
        "phương án",
    ]
    for q in queries:
        # Positive control: the cleared administrator finds it by the same query.
        seen = admin.get("/api/search", params={"q": q})
        assert w.secret in [h["id"] for h in seen.json()["hits"]], q
        assert leaks(body(seen))  # and the detector sees what it must
        for params in (
            {"q": q},
            {"q": q, "classification": "mat"},
            {"q": q, "clearance": "tuyet_mat"},
            {"q": q, "limit": 100},
        ):
            r = reader.get("/api/search", params=params)
            assert r.status_code == 200
            data = r.json()
            assert w.secret not in [h["id"] for h in data["hits"]], params
            assert not leaks(body(r)), (params, leaks(body(r)))
            levels = {f["value"] for f in data["facets"].get("classification", [])}
            assert levels <= {"thuong"}, levels
    for params in ({}, {"classification": "mat"}, {"sort": "symbol"}, {"issuer": "TỈNH ỦY"}):
        r = reader.get("/api/documents", params=params)  # the documents list
        assert w.secret not in [d["id"] for d in r.json()["items"]] and not leaks(body(r))
        r = reader.get("/api/documents/facets", params=params)
        assert not leaks(body(r)), params
        assert {f["value"] for f in r.json()["facets"]["classification"]} <= {"thuong"}
    assert reader.get(f"/api/pages/{w.secret_page}/thumbnail").status_code == 404
    assert reader.get(f"/api/documents/{w.secret}/pdf").status_code == 404
    assert reader.get(f"/api/documents/{w.secret}/notes").status_code == 404
    assert reader.get(f"/api/documents/{w.secret}/similar").status_code == 404
    # Counting: the reader's total for a word in both documents counts only the visible one.
    everyone = admin.get("/api/search", params={"q": "TỈNH ỦY"}).json()["total"]
    assert everyone >= 1
    assert reader.get("/api/search", params={"q": "TỈNH ỦY"}).json()["total"] == everyone - 1


def test_document_pages_files_and_review_are_refused_without_leaking(world, ctx):
    w, base = world
    admin = _client(base.app, "quantri")
    assert admin.get(f"/api/documents/{w.secret}").json()["fields"]["symbol"] == SECRET_SYMBOL
    assert admin.get(f"/api/pages/{w.secret_page}/image").status_code == 200
    assert admin.get(f"/api/pages/{w.secret_page}/image/colour").status_code == 200
    assert admin.get(f"/api/files/{w.secret_file}/original").status_code == 200
    for user in ("tracuu", "kho", "rasoat"):
        c = _client(base.app, user)
        for url in (
            f"/api/documents/{w.secret}",
            f"/documents/{w.secret}",
            f"/api/pages/{w.secret_page}/image",
            f"/api/pages/{w.secret_page}/image/colour",
            f"/api/pages/{w.secret_page}/words",
            f"/api/files/{w.secret_file}/original",
            f"/review/{w.secret}",
            f"/documents/{w.secret}?page=1",
        ):
            r = c.get(url)
            want = 403 if url.startswith("/review") and user != "rasoat" else 404
            if url.startswith("/api/files") and user == "tracuu":
                want = 403  # no download right at all
            assert r.status_code == want, (user, url, r.status_code)
            assert not leaks(body(r)), (user, url)
        # Same answer as for a document that does not exist: nothing to probe with.
        assert (
            c.get("/api/documents/999999").json()["error"]["code"]
            == c.get(f"/api/documents/{w.secret}").json()["error"]["code"]
        )
    rs = _client(base.app, "rasoat")
    queue = rs.get("/api/review/queue", params={"limit": 500})
    assert w.secret not in [i["id"] for i in queue.json()["items"]] and not leaks(body(queue))
    assert w.secret in [i["id"] for i in admin.get("/api/review/queue").json()["items"]]
    # Writes aimed at it look absent too, and change nothing.
    for method, url, payload in (
        ("PUT", f"/api/documents/{w.secret}/fields/subject", {"value": "x"}),
        ("PUT", f"/api/pages/{w.secret_page}/text", {"text": "x"}),
        ("POST", f"/api/documents/{w.secret}/accept", None),
    ):
        r = rs.request(method, url, json=payload)
        assert r.status_code == 404 and not leaks(body(r)), url
    ordinary = next(
        i["id"]
        for i in queue.json()["items"]
        if admin.get(f"/api/documents/{i['id']}").json()["batch"] == w.mixed_batch
    )
    r = rs.post(f"/api/documents/{ordinary}/merge-next")  # the next one is the secret
    # Answered as if there were no next document: neither its id nor its existence shows.
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_merge"
    assert not leaks(body(r)) and str(w.secret) not in r.text
    assert admin.get(f"/api/documents/{w.secret}").json()["status"] == "extracted"
    # Refusals and the administrator's views are in the audit log.
    with ctx.session() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.object_id == str(w.secret))))
    denied = {e.actor for e in rows if e.action == audit.ACCESS_DENIED}
    assert denied == {"tracuu", "kho", "rasoat"}
    assert {e.action for e in rows if e.actor == "quantri"} >= {audit.DOC_VIEW, audit.DOC_DOWNLOAD}


def test_exports_and_progress_show_numbers_only(world):
    w, base = world
    admin, reader = _client(base.app, "quantri"), _client(base.app, "tracuu")
    full = admin.get(f"/api/batches/{w.mixed_batch}/export")
    assert full.status_code == 200 and SECRET_SYMBOL in full.text  # positive control
    for fmt in ("jsonl", "csv"):
        r = reader.get(f"/api/batches/{w.mixed_batch}/export", params={"format": fmt})
        assert r.status_code == 403 and r.json()["error"]["code"] == "above_clearance"
        assert not leaks(body(r))
    assert reader.get(f"/api/batches/{w.batch}/export").status_code == 200
    urls = [
        "/",
        "/api/dashboard",
        "/api/batches",
        f"/api/batches/{w.mixed_batch}",
        "/api/progress/summary",
        "/api/progress/collections",
        "/api/progress/collections/Phông A",
        "/api/progress/batches",
        f"/api/progress/batches/{w.mixed_batch}",
        "/api/progress/daily",
        "/api/progress/report?format=csv",
        "/search",
        "/review",
        "/api/me",
    ]
    for user in ("tracuu", "rasoat", "kho"):
        c = reader if user == "tracuu" else _client(base.app, user)
        for url in urls:
            r = c.get(url)
            assert r.status_code in (200, 403), (user, url, r.status_code)
            assert not leaks(body(r)), (user, url, leaks(body(r)))


# --- sign-in defences: lockout, password rules, sessions, headers, nothing secret in logs --


def _login_form(c: TestClient, user: str, password: str):
    page = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return c.post(
        "/login",
        data={"username": user, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_lockout_after_repeated_failures(settings, ctx):
    settings.security.login_max_failures = 3
    settings.security.login_max_failures_per_address = 7
    settings.security.login_lockout_s = 1
    build_world(ctx)
    c = TestClient(create_app(settings, ctx))
    for _ in range(3):
        assert _login_form(c, "tracuu", "Sai-mat-khau-9").status_code == 401
    r = _login_form(c, "tracuu", PASSWORD)  # right password, but locked: not even checked
    assert r.status_code == 429 and "tạm thời bị khóa" in r.text
    assert int(r.headers["Retry-After"]) >= 1 and "sohoa_session" not in r.headers.get(
        "set-cookie", ""
    )
    # A name that does not exist locks the same way (no account probing).
    for _ in range(3):
        assert _login_form(c, "khong-ai-ca", "Sai-mat-khau-9").status_code == 401
    assert _login_form(c, "khong-ai-ca", "Sai-mat-khau-9").status_code == 429
    # Another account from the same address still signs in (below the address limit)...
    assert _login_form(c, "kho", PASSWORD).status_code == 303
    time.sleep(1.1)  # ...and the lock lifts once the window has passed.
    assert _login_form(c, "tracuu", PASSWORD).status_code == 303
    # The address limit: failures spread over many names.
    for i in range(7):
        assert _login_form(c, f"ten-{i}", "Sai-mat-khau-9").status_code == 401
    r = _login_form(c, "quantri", PASSWORD)
    assert r.status_code == 429 and "Máy của bạn" in r.text
    with ctx.session() as s:
        failed = list(s.scalars(select(AuditEntry).where(AuditEntry.action == audit.LOGIN_FAILED)))
        ok = list(s.scalars(select(AuditEntry).where(AuditEntry.action == audit.LOGIN_OK)))
    reasons = [e.details["reason"] for e in failed if e.actor == "tracuu"]
    assert reasons == ["bad_credentials"] * 3 + ["locked_out"]
    assert {e.actor for e in ok} == {"kho", "tracuu"}
    assert all(e.address == "testclient" for e in failed + ok)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Ngan-1", "ít nhất 10"),
        ("Tracuu2026", "tên đăng nhập"),  # the user name with digits stuck on
        ("Tra-cuu-Lam-Dong-9", None),
        ("tracuu", "ít nhất 10"),
        ("nguyenvana", "hai loại"),
        ("abcdefghijkl", "hai loại"),
        ("123456789012", "hai loại"),
        ("Nguyễnvănđức", "hai loại"),
        ("Mat khau dai 12", None),
    ],
)
def test_password_policy(settings, ctx, password, why):
    with ctx.session() as s:
        add_user(s, "tracuu", PASSWORD, "tra_cuu")
    c = _client(TestClient(create_app(settings, ctx)).app, "tracuu")
    r = c.post("/api/me/password", json={"current": PASSWORD, "new": password})
    if why is None:
        assert r.status_code == 200
    else:
        assert r.status_code == 422 and r.json()["error"]["code"] == "weak_password"
        assert why in r.json()["error"]["message"]
    with ctx.session() as s, pytest.raises(InputError, match="equals user name"):
        add_user(s, "NguyenVanAn1", "nguyenvanan1", "tra_cuu")


def test_sessions_expire_idle_and_absolute_and_rotate_on_login(settings, ctx):
    build_world(ctx)
    c = TestClient(create_app(settings, ctx))
    login(c, "tracuu")
    first = c.cookies.get("sohoa_session")
    login(c, "tracuu")  # a new login replaces the browser's session
    second = c.cookies.get("sohoa_session")
    assert first and second and first != second
    stale = TestClient(c.app, cookies={"sohoa_session": first})
    assert stale.get("/api/me").status_code == 401
    assert c.get("/api/me").status_code == 200
    digest = token_digest(second)

    def shift(**delta: dt.timedelta) -> None:
        with ctx.session() as s:
            sess = s.scalar(select(UserSession).where(UserSession.token_hash == digest))
            for name, d in delta.items():
                setattr(sess, name, getattr(sess, name) + d)

    # Used: the idle deadline moves forward (to now + idle).
    shift(expires_at=-dt.timedelta(minutes=50))
    assert c.get("/api/me").status_code == 200
    with ctx.session() as s:
        left = s.scalar(select(UserSession.expires_at).where(UserSession.token_hash == digest))
    assert left - utcnow() > dt.timedelta(minutes=59)
    # Absolute: 12 h after login it ends however busy.
    shift(created_at=-dt.timedelta(hours=12, seconds=1))
    assert c.get("/api/me").status_code == 401
    # Idle: unused past the idle limit.
    login(c, "tracuu")
    digest = token_digest(c.cookies.get("sohoa_session"))
    shift(expires_at=-dt.timedelta(hours=1, seconds=1))
    assert c.get("/api/me").status_code == 401
    r = c.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_security_headers_and_no_inline_script(settings, ctx):
    w = build_world(ctx)
    c = TestClient(create_app(settings, ctx))
    responses = [
        c.get("/login"),
        c.get("/api/me"),
        c.get("/static/app.js"),
        c.get("/health"),
        c.get("/openapi.json"),
    ]
    # No CDN-loaded Swagger/ReDoc pages (they would need a CSP exception).
    assert c.get("/docs").status_code == 404 and c.get("/redoc").status_code == 404
    login(c, "quantri")
    responses += [
        c.get("/"),
        c.get(f"/documents/{w.doc}"),
        c.get("/documents/999999"),
        c.get(f"/api/pages/{w.page}/image"),
    ]
    for r in responses:
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
    templates = Path(api.__file__).parent / "templates"
    for f in templates.glob("*.html"):
        html = f.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f.name
        assert not re.search(r"\son[a-z]+\s*=", html), f.name  # no inline handlers
        assert "style=" not in html, f.name


def test_no_password_or_token_in_logs(settings, ctx, caplog):
    caplog.set_level(logging.DEBUG)
    build_world(ctx)
    c = TestClient(create_app(settings, ctx))
    wrong = "Sai-Bi-Mat-77"
    _login_form(c, "tracuu", wrong)
    c.headers["X-CSRF-Token"] = login(c, "tracuu")
    token = c.post("/api/me/tokens", json={"name": "t"}).json()["token"]
    r = c.post("/api/me/password", json={"current": PASSWORD, "new": "Moi-Hoan-Toan-5"})
    assert r.status_code == 200
    logged = caplog.text + " ".join(str(rec.args) for rec in caplog.records)
    assert logged.strip()  # something was logged, so the check means something
    for secret in (PASSWORD, wrong, "Moi-Hoan-Toan-5", token, token[6:]):
        assert secret not in logged
    with ctx.session() as s:
        trail = json.dumps([e for e in audit.iter_entries(s)], ensure_ascii=False, default=str)
    assert '"login_ok"' in trail and '"password_changed"' in trail and '"token_created"' in trail
    for secret in (PASSWORD, wrong, "Moi-Hoan-Toan-5", token):
        assert secret not in trail


# --- TUYỆT MẬT: stored only (security.top_secret_policy = "store_only", the default) -------


def test_top_secret_is_never_indexed_under_store_only(settings, ctx):
    w = build_world(ctx)
    assert settings.security.top_secret_policy == "store_only"
    assert not keeps_text("tuyet_mat", settings.security.top_secret_policy)

    def found(clearance: str = "tuyet_mat") -> list[int]:
        q = SearchQuery(text=SECRET_SUBJECT, clearance=clearance, limit=50)
        return [h.id for h in indexing.get_backend(ctx).search(q).hits]

    assert w.secret in found()
    # Found TUYỆT MẬT after OCR (a reviewer raises it): re-indexing removes its text.
    set_classification(ctx, w.secret, "tuyet_mat", "quantri", "dấu TUYỆT MẬT trên trang 1")
    indexing.index_documents(ctx, [w.secret])
    assert w.secret not in found()
    indexing.reindex(ctx)  # a full rebuild keeps it out too
    assert w.secret not in found()
    assert w.secret not in indexing.reconcile(ctx).added and w.secret not in found()
    # The other policy processes it like any level (still only for cleared users).
    settings.security.top_secret_policy = "process"
    indexing.index_documents(ctx, [w.secret])
    assert w.secret in found()
    assert w.secret not in found("toi_mat")


def test_secrecy_correction_raises_classification_and_leaves_the_index(settings, ctx):
    w = build_world(ctx)
    app = create_app(settings, ctx)
    admin = _client(app, "quantri")
    r = admin.put(f"/api/documents/{w.doc}/fields/secrecy", json={"value": "TUYỆT MẬT"})
    assert r.status_code == 200 and r.json()["changed"]
    assert admin.get(f"/api/documents/{w.doc}").json()["classification"] == "tuyet_mat"
    hits = admin.get("/api/search", params={"q": "Kế hoạch công tác năm 2015"}).json()["hits"]
    assert w.doc not in [h["id"] for h in hits]
    with ctx.session() as s:
        actions = [
            e.action
            for e in s.scalars(select(AuditEntry).where(AuditEntry.object_id == str(w.doc)))
        ]
    # The secrecy field is the classification: audited as a classification change only.
    assert audit.FIELD_CORRECTED not in actions and audit.CLASSIFICATION_CHANGED in actions


def test_top_secret_batch_originals_need_clearance_even_without_documents(settings, ctx):
    build_world(ctx)
    with ctx.session() as s:
        b = Batch(name="lo-tuyet-mat", classification="tuyet_mat")
        s.add(b)
        s.flush()
        blob = ctx.storage.store_stream([b"%PDF-1.4 tuyet mat"])
        sf = SourceFile(
            batch_id=b.id,
            original_name="tm.pdf",
            sha256=blob.sha256,
            detected_type="pdf",
            status="ready",
            page_count=1,
        )
        s.add(sf)
        s.flush()
        s.add(Page(batch_id=b.id, source_file_id=sf.id, page_index=0))  # stored, no document
        sf_id = sf.id
    app = create_app(settings, ctx)
    kho, admin = _client(app, "kho"), _client(app, "quantri")
    assert kho.get(f"/api/files/{sf_id}/original").status_code == 404
    assert admin.get(f"/api/files/{sf_id}/original").status_code == 200
    # Declared above the caller's clearance: the batch itself is invisible.
    assert kho.get("/api/batches/lo-tuyet-mat/export").status_code == 404
    assert admin.get("/api/batches/lo-tuyet-mat/export").status_code == 200


def test_login_never_redirects_off_site(settings, ctx):
    with ctx.session() as s:
        add_user(s, "tracuu", PASSWORD, "tra_cuu")
    c = TestClient(create_app(settings, ctx))
    for target, want in [
        ("/search?q=a", "/search?q=a"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\/evil.example", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
        ("javascript:alert(1)", "/"),
    ]:
        page = c.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = c.post(
            "/login",
            data={"username": "tracuu", "password": PASSWORD, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == want, target
