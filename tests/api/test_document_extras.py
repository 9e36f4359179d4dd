"""Around one document through the API: PDF, notes, similar, saved views, bulk actions."""

from __future__ import annotations

from urllib.parse import unquote

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import create_app
from audit import trail as audit
from core.db import Batch, Document
from core.db_audit import AuditEntry
from tests.api.test_authz_matrix import SECRET_SUBJECT, build_world, login


def _client(settings, ctx, user):
    c = TestClient(create_app(settings, ctx))
    c.headers["X-CSRF-Token"] = login(c, user)
    return c


def test_pdf_inline_with_a_vietnamese_name_and_audited(settings, ctx):
    w = build_world(ctx)
    c = _client(settings, ctx, "tracuu")
    r = c.get(f"/api/documents/{w.doc}/pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    cd = r.headers["content-disposition"]
    ascii_part, utf8_part = cd.split("; filename*=UTF-8''")
    assert ascii_part == 'inline; filename="Ke Hoach 14-KH-UB 2015-03-20 (#1).pdf"'
    assert unquote(utf8_part) == f"Kế Hoạch 14-KH-UB 2015-03-20 (#{w.doc}).pdf"
    assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
    d = c.get(f"/api/documents/{w.doc}/pdf", params={"download": True})
    assert d.headers["content-disposition"].startswith("attachment;")
    assert c.get(f"/api/documents/{w.secret}/pdf").status_code == 404
    assert c.get(f"/api/documents/{w.doc2}/pdf").json()["error"]["code"] == "pdf_missing"
    assert '"/api/documents/' in c.get("/openapi.json").text  # described, with the PDF route
    assert "/api/documents/{doc_id}/pdf" in c.get("/openapi.json").json()["paths"]


def test_notes_only_their_author_deletes_and_both_acts_are_audited(settings, ctx):
    w = build_world(ctx)
    reader, other = _client(settings, ctx, "tracuu"), _client(settings, ctx, "kho")
    r = reader.post(f"/api/documents/{w.doc}/notes", json={"text": "  Thiếu trang 3  "})
    assert r.status_code == 201 and r.json()["text"] == "Thiếu trang 3"
    note = r.json()["id"]
    assert other.delete(f"/api/documents/{w.doc}/notes/{note}").json()["error"]["code"] == (
        "not_your_note"
    )
    assert reader.post(f"/api/documents/{w.doc}/notes", json={"text": "   "}).status_code == 422
    assert reader.post(f"/api/documents/{w.secret}/notes", json={"text": "x"}).status_code == 404
    assert reader.delete(f"/api/documents/{w.doc}/notes/{note}").status_code == 200
    with ctx.session() as s:
        acts = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert audit.NOTE_ADDED in acts and audit.NOTE_DELETED in acts


def test_saved_views_are_per_user_and_drop_paging(settings, ctx):
    build_world(ctx)
    reader, other = _client(settings, ctx, "tracuu"), _client(settings, ctx, "kho")
    v = reader.post("/api/views", json={"name": " Kế  hoạch ", "query": "type=X&page=4&after=abc"})
    assert v.status_code == 201
    assert v.json()["name"] == "Kế hoạch" and v.json()["query"] == "type=X"
    again = reader.post("/api/views", json={"name": "Kế hoạch", "query": "type=Y"})
    assert again.json()["id"] == v.json()["id"]  # same name: replaced
    mine = {x["id"] for x in reader.get("/api/views").json()}
    assert v.json()["id"] not in {x["id"] for x in other.get("/api/views").json()} and mine
    assert other.delete(f"/api/views/{v.json()['id']}").status_code == 404


def test_bulk_actions_refuse_item_by_item(settings, ctx):
    w = build_world(ctx)
    reader, reviewer = _client(settings, ctx, "tracuu"), _client(settings, ctx, "rasoat")
    r = reader.post("/api/documents/bulk", json={"action": "accept", "ids": [w.doc]}).json()
    assert r["done"] == 0 and "không được rà soát" in r["items"][0]["message"]
    r = reviewer.post(
        "/api/documents/bulk", json={"action": "accept", "ids": [w.doc, w.secret, w.doc2]}
    ).json()
    assert [i["ok"] for i in r["items"]] == [True, False, True]
    assert SECRET_SUBJECT not in str(r)
    r = reviewer.post(
        "/api/documents/bulk", json={"action": "classify", "level": "mat", "ids": [w.doc3]}
    ).json()
    assert r["items"][0]["ok"]
    r = reviewer.post(
        "/api/documents/bulk", json={"action": "classify", "level": "thuong", "ids": [w.doc3]}
    ).json()
    assert not r["items"][0]["ok"]  # lowering: one by one, with a reason, by an administrator
    r = reviewer.post(
        "/api/documents/bulk", json={"action": "assign", "collection": "Phông A", "ids": [w.doc]}
    ).json()
    assert "quản trị" in r["items"][0]["message"]
    admin = _client(settings, ctx, "quantri")
    admin.post("/api/progress/collections", json={"name": "Phông B", "estimated_pages": 5})
    r = admin.post(
        "/api/documents/bulk", json={"action": "assign", "collection": "Phông B", "ids": [w.doc]}
    ).json()
    assert r["done"] == 1
    with ctx.session() as s:
        doc = s.get(Document, w.doc)
        assert s.get(Batch, doc.batch_id).collection == "Phông B"
        assigned = s.scalars(
            select(AuditEntry).where(AuditEntry.action == audit.BATCH_ASSIGNED)
        ).all()
    assert assigned and assigned[0].details["to"] == "Phông B"
    exported = reviewer.post("/api/documents/export", json={"ids": [w.doc, w.secret]})
    assert exported.headers["x-skipped"] == "1" and SECRET_SUBJECT not in exported.text


def test_thumbnails_are_made_once_and_cached_under_the_data_dir(settings, ctx):
    w = build_world(ctx)
    c = _client(settings, ctx, "tracuu")
    r = c.get(f"/api/pages/{w.page}/thumbnail")
    assert r.status_code == 200 and r.content[:2] == b"\xff\xd8"
    assert r.headers["cache-control"] == "no-store"
    thumb = ctx.storage.page_thumbnail(w.page)
    assert thumb.exists() and thumb.is_relative_to(ctx.storage.root)
    stamp = thumb.stat().st_mtime_ns
    c.get(f"/api/pages/{w.page}/thumbnail")
    assert thumb.stat().st_mtime_ns == stamp
