"""Every route of the app against every role, from one explicit rule table; CSRF on writes.

A route that is not in RULES fails the test: a new route needs a stated rule.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from starlette.routing import Mount

import pipeline.indexing as indexing
from api.main import create_app
from core.context import AppContext
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.db_users import User, add_user
from core.states import StageStatus
from progress.plan import upsert_collection
from records.notes import add_note
from records.views import save_view

PASSWORD = "Kho-luu-tru-2026"
P2, P3 = "Mat-khau-moi-2", "Mat-khau-moi-3"
USERS = {
    "admin": ("quantri", "tuyet_mat"),
    "luu_tru": ("kho", "thuong"),
    "ra_soat": ("rasoat", "thuong"),
    "tra_cuu": ("tracuu", "thuong"),
}
ROLES = (*USERS, "anonymous")
SECRET_SUBJECT = "Phương án bảo vệ kho Quỳnh Lưu mật danh Hoàng Liên"
SECRET_SYMBOL = "99-PA/BMTXQL"

# Who may call a route: "public", "view" (any logged-in role), or a permission of api.auth.
ALLOWED = {
    "public": set(ROLES),
    "view": set(USERS),
    "upload": {"admin", "luu_tru"},
    "manage": {"admin", "luu_tru"},
    "review": {"admin", "ra_soat"},
    "download": {"admin", "luu_tru", "ra_soat"},
    "users": {"admin"},
}


@dataclass(frozen=True)
class Rule:
    """Who may call a route, what a permitted call answers, and whether it is a page."""

    who: str
    ok: int = 200
    page: bool = False  # HTML page: anonymous GET is redirected to /login, refusal is 403 HTML


RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): Rule("public"),
    ("GET", "/health"): Rule("public"),
    ("GET", "/login"): Rule("public", page=True),
    ("POST", "/login"): Rule("public", 303, page=True),
    ("MOUNT", "/static"): Rule("public"),
    ("GET", "/"): Rule("view", page=True),
    ("GET", "/search"): Rule("view", page=True),
    ("GET", "/documents/{doc_id}"): Rule("view", page=True),
    ("GET", "/documents"): Rule("view", page=True),
    ("GET", "/reports"): Rule("view", page=True),
    ("GET", "/account/password"): Rule("view", page=True),
    ("POST", "/account/password"): Rule("view", 303, page=True),
    ("POST", "/logout"): Rule("view", 303, page=True),
    ("GET", "/upload"): Rule("upload", page=True),
    ("GET", "/review"): Rule("review", page=True),
    ("GET", "/review/{doc_id}"): Rule("review", page=True),
    ("GET", "/api/me"): Rule("view"),
    ("POST", "/api/me/password"): Rule("view"),
    ("POST", "/api/me/tokens"): Rule("view", 201),
    ("GET", "/api/me/tokens"): Rule("view"),
    # Called with a token id that is nobody's: the owner check answers 404 to every role.
    ("DELETE", "/api/me/tokens/{token_id}"): Rule("view", 404),
    ("GET", "/account"): Rule("view", page=True),
    ("POST", "/account/tokens"): Rule("view", 200, page=True),  # shows the new secret once
    ("POST", "/account/tokens/{token_id}/revoke"): Rule("view", 303, page=True),
    ("GET", "/api/batches"): Rule("view"),
    ("GET", "/api/batches/{name}"): Rule("view"),
    ("GET", "/api/batches/{name}/export"): Rule("view"),
    ("POST", "/api/batches"): Rule("upload", 201),
    ("PUT", "/api/batches/{name}/files"): Rule("upload", 201),
    ("POST", "/api/batches/{name}/process"): Rule("upload", 202),
    ("POST", "/api/batches/{name}/retry-failed"): Rule("manage"),
    ("GET", "/api/dashboard"): Rule("view"),
    ("GET", "/api/documents"): Rule("view"),
    ("GET", "/api/documents/facets"): Rule("view"),
    ("GET", "/api/pages/{page_id}/thumbnail"): Rule("view"),
    ("GET", "/api/documents/{doc_id}/pdf"): Rule("view"),
    ("GET", "/api/documents/{doc_id}/notes"): Rule("view"),
    ("POST", "/api/documents/{doc_id}/notes"): Rule("view", 201),
    ("DELETE", "/api/documents/{doc_id}/notes/{note_id}"): Rule("view"),
    ("GET", "/api/documents/{doc_id}/similar"): Rule("view"),
    # Any logged-in role may ask; each item is then refused or done by its own rule.
    ("POST", "/api/documents/bulk"): Rule("view"),
    ("POST", "/api/documents/export"): Rule("view"),
    ("GET", "/api/views"): Rule("view"),
    ("POST", "/api/views"): Rule("view", 201),
    ("DELETE", "/api/views/{view_id}"): Rule("view"),
    ("GET", "/api/documents/{doc_id}"): Rule("view"),
    ("GET", "/api/pages/{page_id}/image"): Rule("view"),
    ("GET", "/api/pages/{page_id}/image/colour"): Rule("view"),
    ("GET", "/api/pages/{page_id}/words"): Rule("view"),
    ("GET", "/api/files/{source_file_id}/original"): Rule("download"),
    ("GET", "/api/review/queue"): Rule("review"),
    ("PUT", "/api/documents/{doc_id}/fields/{field}"): Rule("review"),
    ("PUT", "/api/pages/{page_id}/text"): Rule("review"),
    ("POST", "/api/documents/{doc_id}/accept"): Rule("review"),
    # After accept (keys run in order): permitted callers re-open what they just accepted.
    ("POST", "/api/documents/{doc_id}/reopen"): Rule("review"),
    ("GET", "/api/policies/autoaccept"): Rule("users"),
    ("PUT", "/api/policies/autoaccept/{collection}"): Rule("users"),
    ("PUT", "/api/documents/{doc_id}/classification"): Rule("review"),
    ("POST", "/api/documents/{doc_id}/split"): Rule("review"),
    ("POST", "/api/documents/{doc_id}/merge-next"): Rule("review"),
    ("GET", "/api/progress/summary"): Rule("view"),
    ("GET", "/api/progress/collections"): Rule("view"),
    ("GET", "/api/progress/collections/{name}"): Rule("view"),
    ("POST", "/api/progress/collections"): Rule("users"),
    ("PUT", "/api/progress/collections/{name}"): Rule("users"),
    ("PUT", "/api/progress/batches/{name}/collection"): Rule("users"),
    ("GET", "/api/progress/batches"): Rule("view"),
    ("GET", "/api/progress/batches/{name}"): Rule("view"),
    ("GET", "/api/progress/daily"): Rule("view"),
    ("GET", "/api/progress/report"): Rule("view"),
    ("GET", "/api/progress/report/preview"): Rule("view"),
    ("GET", "/api/search"): Rule("view"),
    # The administrator's user page (api/routes/admin_users.py): forms answer with a redirect.
    ("GET", "/admin/users"): Rule("users", page=True),
    ("GET", "/admin/users/{user_id}"): Rule("users", page=True),
    ("POST", "/admin/users"): Rule("users", 303, page=True),
    ("POST", "/admin/users/{user_id}/access"): Rule("users", 303, page=True),
    ("POST", "/admin/users/{user_id}/scope"): Rule("users", 303, page=True),
    ("POST", "/admin/users/{user_id}/state"): Rule("users", 303, page=True),
    ("POST", "/admin/users/{user_id}/password"): Rule("users", 303, page=True),
    ("GET", "/admin/policies"): Rule("users", page=True),
    ("POST", "/admin/policies"): Rule("users", 303, page=True),
}
# Form posts of the pages: the CSRF token travels as the form field, as a browser sends it.
FORM_POSTS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/account/password"): {"current": P2, "new": P3, "confirm": P3},
    ("POST", "/logout"): {},
    ("POST", "/account/tokens"): {"name": "kịch bản", "days": "30"},
    ("POST", "/account/tokens/{token_id}/revoke"): {},
    ("POST", "/admin/users"): {
        "username": "nhan-vien-moi",
        "password": "Mat-khau-moi-9",
        "confirm": "Mat-khau-moi-9",
        "role": "tra_cuu",
        "clearance": "mat",
        "collections": "Phông A",
    },
    ("POST", "/admin/users/{user_id}/access"): {"role": "ra_soat", "clearance": "mat"},
    ("POST", "/admin/policies"): {"collection": "Phông A", "threshold": "0,9", "action": "save"},
    ("POST", "/admin/users/{user_id}/scope"): {
        "collections": "Phông A",
        "departments": "Văn phòng",
    },
    ("POST", "/admin/users/{user_id}/state"): {"action": "lock"},
    ("POST", "/admin/users/{user_id}/password"): {
        "new": "Mat-khau-khac-7",
        "confirm": "Mat-khau-khac-7",
    },
}
# Run last, in this order: they end the session (password changes, logout).
LAST = [("POST", "/api/me/password"), ("POST", "/account/password"), ("POST", "/logout")]


@dataclass
class World:
    """Ids of the objects the routes are called on."""

    batch: str = "lo-a"
    mixed_batch: str = "lo-b"
    doc: int = 0  # two pages, ordinary
    doc2: int = 0  # merged with doc3
    doc3: int = 0
    page: int = 0  # first page of doc (image, words)
    page2: int = 0  # second page of doc (split point)
    file: int = 0
    secret: int = 0  # the MẬT document
    secret_page: int = 0
    secret_file: int = 0
    user: int = 0  # the account the admin routes change (tracuu; never the caller)
    note: int = 0  # a note on doc, one per user (each deletes their own)
    view: int = 0  # a saved view, one per user
    notes: dict[str, int] = field(default_factory=dict)
    views: dict[str, int] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)


def jpeg(color: int | tuple[int, int, int] = 200, mode: str = "L") -> bytes:
    """Return a tiny real JPEG (grey; ``mode="RGB"`` and a colour tuple for a colour one)."""
    buf = io.BytesIO()
    Image.new(mode, (40, 56), color).save(buf, format="JPEG")
    return buf.getvalue()


def _file(ctx: AppContext, s: Any, batch: Batch, name: str, data: bytes) -> SourceFile:
    blob = ctx.storage.store_stream([data])
    sf = SourceFile(
        batch_id=batch.id,
        original_name=name,
        order_key=name,
        sha256=blob.sha256,
        size=len(data),
        detected_type="jpeg",
        status="ready",
        page_count=1,
    )
    s.add(sf)
    s.flush()
    return sf


def _doc(
    s: Any,
    batch: Batch,
    sf: SourceFile,
    seq: int,
    texts: list[str],
    fields: dict[str, Any],
    classification: str = "thuong",
    first: int = 0,
) -> tuple[Document, list[Page]]:
    doc = Document(
        batch_id=batch.id,
        seq=seq,
        kind="state_document",
        classification=classification,
        status="extracted",
        fields=fields,
        field_confidence={k: 0.6 for k in fields},
        provenance={},
    )
    s.add(doc)
    s.flush()
    pages = []
    for i, text in enumerate(texts):
        p = Page(
            batch_id=batch.id,
            source_file_id=sf.id,
            page_index=first + i,
            document_id=doc.id,
            doc_order=i,
            text=text,
            mean_confidence=88.0,
            width=40,
            height=56,
            text_source="ocr",
        )
        s.add(p)
        s.flush()
        s.add(PageStage(page_id=p.id, stage="ocr", status=StageStatus.DONE))
        pages.append(p)
    return doc, pages


def _page_files(ctx: AppContext, page_id: int, words: list[str]) -> None:
    d = ctx.storage.derived / "pages" / str(page_id)
    d.mkdir(parents=True, exist_ok=True)
    (d / "page.jpg").write_bytes(jpeg())
    (d / "page-colour.jpg").write_bytes(jpeg((200, 30, 40), "RGB"))  # a red seal's colour
    boxes = [
        {"text": w, "left": 2, "top": 2 + 8 * i, "width": 30, "height": 6, "conf": 90.0}
        for i, w in enumerate(words)
    ]
    (d / "words.json").write_text(
        json.dumps(
            {"width": 40, "height": 56, "display_scale": 1.0, "words": boxes}, ensure_ascii=False
        ),
        "utf-8",
    )


def build_world(ctx: AppContext) -> World:
    """Users of every role, a batch with ordinary documents and one MẬT document, indexed.

    No OCR: rows are written directly, with a tiny page image and word boxes in storage.
    """
    w = World()
    with ctx.session() as s:
        for role, (name, clearance) in USERS.items():
            u = add_user(s, name, PASSWORD, role, clearance, full_name=name.title())
            if role == "tra_cuu":
                w.user = u.id
        upsert_collection(
            s, "Phông A", pages=100, owner="Văn phòng", deadline=dt.date(2026, 12, 31)
        )
        b = Batch(name=w.batch, collection="Phông A")
        s.add(b)
        s.flush()
        sf = _file(ctx, s, b, "thuong.jpg", jpeg(180))
        d1, p1 = _doc(
            s,
            b,
            sf,
            1,
            ["Kế hoạch công tác năm 2015 trang một", "Kế hoạch công tác trang hai"],
            {
                "doc_type": "KẾ HOẠCH",
                "symbol": "14-KH/UB",
                "date": "2015-03-20",
                "subject": "Kế hoạch công tác năm 2015",
            },
        )
        d2, _ = _doc(
            s,
            b,
            sf,
            2,
            ["Thông báo họp giao ban"],
            {"doc_type": "THÔNG BÁO", "symbol": "3-TB/VP", "subject": "Họp giao ban"},
            first=2,
        )
        d3, _ = _doc(s, b, sf, 3, ["Phụ lục danh sách"], {"doc_type": "PHỤ LỤC"}, first=3)
        # A second batch mixes an ordinary document with the MẬT one.
        b2 = Batch(name=w.mixed_batch, collection="Phông A")
        s.add(b2)
        s.flush()
        sfo = _file(ctx, s, b2, "cong-van.jpg", jpeg(150))
        _doc(s, b2, sfo, 1, ["Công văn thường về lịch trực"], {"doc_type": "CÔNG VĂN"})
        sfs = _file(ctx, s, b2, "mat.jpg", jpeg(90))
        secret_text = f"TỈNH ỦY LÂM ĐỒNG\nSố {SECRET_SYMBOL}\nMẬT\nPHƯƠNG ÁN\n{SECRET_SUBJECT}"
        ds, ps = _doc(
            s,
            b2,
            sfs,
            2,
            [secret_text],
            {
                "doc_type": "PHƯƠNG ÁN",
                "symbol": SECRET_SYMBOL,
                "number": "99",
                "subject": SECRET_SUBJECT,
                "secrecy": "MẬT",
                "issuer": "TỈNH ỦY",
            },
            classification="mat",
        )
        w.doc, w.doc2, w.doc3, w.secret = d1.id, d2.id, d3.id, ds.id
        w.page, w.page2, w.secret_page = p1[0].id, p1[1].id, ps[0].id
        w.file, w.secret_file = sf.id, sfs.id
    _page_files(ctx, w.page, ["Kế", "hoạch"])
    pdf = ctx.storage.document_pdf(w.doc)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with ctx.session() as s:
        for user in s.scalars(select(User)):
            w.notes[user.username] = add_note(s, w.doc, user.id, user.username, "Ghi chú")["id"]
            w.views[user.username] = save_view(s, user.id, "Kế hoạch", "type=KẾ HOẠCH")["id"]
    w.note, w.view = w.notes["quantri"], w.views["quantri"]
    _page_files(ctx, w.secret_page, SECRET_SUBJECT.split())
    indexing.index_documents(ctx, [w.doc, w.doc2, w.doc3, w.secret])
    return w


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form (login CSRF cookie); return the session's CSRF token."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    r = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": token.group(1),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    home = client.get("/")
    m = re.search(r'name="csrf-token" content="([^"]+)"', home.text)
    assert m, home.text
    return m.group(1)


def app_routes(app: Any) -> set[tuple[str, str]]:
    """Return (method, path) of every route, expanding included routers; mounts as MOUNT."""
    out: set[tuple[str, str]] = set()

    def add(route: Any) -> None:
        if isinstance(route, Mount):
            out.add(("MOUNT", route.path))
            return
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:  # FastAPI's included router
            for c in contexts():
                add(c)
            return
        for m in route.methods or ():
            if m != "HEAD":  # Starlette adds HEAD to every GET route
                out.add((m, route.path))

    for r in app.routes:
        add(r)
    return out


def request_for(key: tuple[str, str], w: World, csrf: str | None) -> dict[str, Any]:
    """Return the arguments of a valid call of route ``key`` (CSRF as the app expects)."""
    method, path = key
    url = path.format(
        doc_id=w.doc,
        page_id=w.page,
        source_file_id=w.file,
        name=w.batch,
        field="subject",
        user_id=w.user,
        token_id=999999,
        note_id=w.note,
        view_id=w.view,
        collection="Phông A",
    )
    kw: dict[str, Any] = {"method": method, "url": url, "follow_redirects": False}
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/api/me/password"): {"json": {"current": PASSWORD, "new": P2}},
        ("POST", "/api/me/tokens"): {"json": {"name": "kịch bản"}},
        ("POST", "/api/batches"): {"json": {"name": "lo-moi", "collection": "Phông A"}},
        ("PUT", "/api/batches/{name}/files"): {
            "params": {"filename": "moi.jpg"},
            "content": jpeg(120),
        },
        ("PUT", "/api/documents/{doc_id}/fields/{field}"): {"json": {"value": "Kế hoạch mới"}},
        ("PUT", "/api/pages/{page_id}/text"): {"json": {"text": "Chữ đã sửa"}},
        # Same level: permitted callers get 200 and the world stays as it is for the others.
        ("PUT", "/api/documents/{doc_id}/classification"): {"json": {"level": "thuong"}},
        ("POST", "/api/documents/{doc_id}/split"): {"json": {"page_id": w.page2}},
        ("POST", "/api/progress/collections"): {"json": {"name": "Phông B", "estimated_pages": 10}},
        ("PUT", "/api/progress/collections/{name}"): {"json": {"estimated_pages": 120}},
        ("PUT", "/api/progress/batches/{name}/collection"): {"json": {"collection": "Phông A"}},
        ("GET", "/api/documents"): {"params": {"type": "KẾ HOẠCH", "sort": "symbol"}},
        ("POST", "/api/documents/{doc_id}/notes"): {"json": {"text": "Cần đối chiếu bản gốc"}},
        ("POST", "/api/documents/bulk"): {"json": {"action": "accept", "ids": [w.doc3]}},
        ("POST", "/api/documents/export"): {"json": {"ids": [w.doc], "format": "csv"}},
        ("POST", "/api/views"): {"json": {"name": "Kế hoạch", "query": "type=KẾ HOẠCH"}},
        ("PUT", "/api/policies/autoaccept/{collection}"): {"json": {"threshold": 0.95}},
        ("GET", "/api/search"): {"params": {"q": "kế hoạch"}},
    }
    kw.update(bodies.get(key, {}))
    if key == ("POST", "/api/documents/{doc_id}/merge-next"):
        kw["url"] = f"/api/documents/{w.doc2}/merge-next"
    if key == ("PUT", "/api/progress/collections/{name}"):
        kw["url"] = "/api/progress/collections/Phông A"
    if key == ("GET", "/api/progress/collections/{name}"):
        kw["url"] = "/api/progress/collections/Phông A"
    if key == ("DELETE", "/api/documents/{doc_id}/notes/{note_id}"):
        kw["url"] = f"/api/documents/{w.doc}/notes/{w.note}"
    if key == ("DELETE", "/api/views/{view_id}"):
        kw["url"] = f"/api/views/{w.view}"
    if key == ("MOUNT", "/static"):
        kw.update(method="GET", url="/static/app.css")
    if key in FORM_POSTS:
        kw["data"] = {**FORM_POSTS[key], "csrf_token": csrf or ""}
    else:
        kw["headers"] = headers
    return kw


@pytest.fixture
def quiet_processor(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record batches sent for processing instead of starting OCR in a thread."""
    from pipeline.background import BatchProcessor

    sent: list[int] = []
    monkeypatch.setattr(BatchProcessor, "submit", lambda self, bid: sent.append(bid))
    return sent


def test_every_route_has_a_rule(settings, ctx):
    routes = app_routes(create_app(settings, ctx))
    missing = sorted(routes - set(RULES))
    assert not missing, f"routes without an authorization rule: {missing}"
    stale = sorted(set(RULES) - routes)
    assert not stale, f"rules for routes that no longer exist: {stale}"


def _expected(rule: Rule, role: str, method: str) -> int | str:
    if role in ALLOWED[rule.who]:
        return rule.ok
    if role == "anonymous":
        return "login" if rule.page and method == "GET" else 401
    return 403


@pytest.mark.slow  # ~3 s per role; test_every_route_has_a_rule stays in the quick run
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(role, settings, ctx, quiet_processor):
    w = build_world(ctx)
    app = create_app(settings, ctx)
    client = TestClient(app)
    csrf = login(client, USERS[role][0]) if role in USERS else None
    w.note = w.notes.get(USERS.get(role, ("",))[0], 1)
    w.view = w.views.get(USERS.get(role, ("",))[0], 1)
    keys = sorted(app_routes(app), key=lambda k: (LAST.index(k) if k in LAST else -1, k))
    seen = []
    for key in keys:
        rule = RULES[key]
        if key == ("POST", "/login"):
            continue  # exercised by login() above for every role; anonymous below
        if key == ("POST", "/account/password") and role in USERS:
            csrf = login(client, USERS[role][0], P2)  # the API password change ended it
        if key == ("POST", "/logout") and role in USERS:
            csrf = login(client, USERS[role][0], P3)
        r = client.request(**request_for(key, w, csrf))
        want = _expected(rule, role, key[0])
        if want == "login":
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), (
                key,
                r.status_code,
            )
        else:
            assert r.status_code == want, (role, key, r.status_code, r.text[:300])
        if want == 401:
            assert r.json()["error"]["code"] == "login_required"
        if want == 403 and not rule.page:
            assert r.json()["error"]["code"] == "forbidden_role", (key, r.text)
        seen.append(key)
    assert len(seen) == len(RULES) - 1
    if role == "anonymous":  # a failed login, the public form post
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = client.post(
            "/login", data={"username": "ai-do", "password": "Sai-mat-khau-1", "csrf_token": token}
        )
        assert r.status_code == 401 and "không đúng" in r.text
    if role in ALLOWED["upload"]:
        assert quiet_processor  # /process was accepted and queued


def test_state_changes_without_csrf_are_refused(settings, ctx, quiet_processor):
    w = build_world(ctx)
    client = TestClient(create_app(settings, ctx))
    good = login(client, "quantri")
    unsafe = [k for k in sorted(RULES) if k[0] in {"POST", "PUT", "PATCH", "DELETE"}]
    assert len(unsafe) >= 15
    for key in unsafe:
        if key == ("POST", "/login"):
            continue  # before a session: the double-submit cookie, checked below
        for token in (None, "gia-mao-" + good[:8]):
            kw = request_for(key, w, token)
            if token is None:
                kw.get("data", {}).pop("csrf_token", None)
            r = client.request(**kw)
            assert r.status_code == 403, (key, token, r.status_code)
            assert r.json()["error"]["code"] == "csrf_failed"
    # Nothing happened: the batch was not created, the field not changed, still logged in.
    assert client.get("/api/batches/lo-moi").status_code == 404
    assert (
        client.get(f"/api/documents/{w.doc}").json()["fields"]["subject"]
        == "Kế hoạch công tác năm 2015"
    )
    assert client.get("/api/me").status_code == 200
    assert not quiet_processor
    # The login form without its cookie-bound token.
    fresh = TestClient(client.app)
    r = fresh.post(
        "/login", data={"username": "quantri", "password": PASSWORD, "csrf_token": "doan-bua"}
    )
    assert r.status_code == 400 and "sohoa_session" not in r.headers.get("set-cookie", "")
