"""The secrecy field is the classification; split and merge never repeat or leave a document
without pages; merged documents are neither accepted nor exported."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import create_app
from core.db import Document
from core.db_audit import AuditEntry
from tests.api.test_auth import add_document, login, make_user


def _client(settings, ctx, user: str) -> TestClient:
    c = TestClient(create_app(settings, ctx))
    c.headers["X-CSRF-Token"] = login(c, user)
    return c


@pytest.fixture
def people(settings, ctx):
    make_user(ctx, "rs", "ra_soat", "toi_mat")
    make_user(ctx, "qt", "admin", "tuyet_mat")
    return _client(settings, ctx, "rs"), _client(settings, ctx, "qt")


def _export(admin: TestClient, batch: str = "lo-a") -> dict[int, dict]:
    lines = admin.get(f"/api/batches/{batch}/export").text.splitlines()
    return {r["id"]: r for r in map(json.loads, lines) if r["id"] is not None}


def _actions(ctx, doc: int) -> list[str]:
    with ctx.session() as s:
        q = select(AuditEntry.action).where(
            AuditEntry.object_type == "document", AuditEntry.object_id == str(doc)
        )
        return [a for a in s.scalars(q) if a != "doc_view"]


def test_a_reviewer_cannot_blank_or_lower_the_mark(ctx, people):
    rs, admin = people
    doc = add_document(ctx, classification="mat")
    for value in ("", "thuong", "Thường"):
        r = rs.put(f"/api/documents/{doc}/fields/secrecy", json={"value": value})
        assert r.status_code == 403, (value, r.text)
        assert r.json()["error"]["code"] == "lower_classification_denied"
    with ctx.session() as s:
        assert s.get(Document, doc).classification == "mat"
    # The export takes the mark from the classification, even where the stored field is blank.
    assert _export(admin)[doc]["fields"]["secrecy"] == "MẬT"
    assert admin.get(f"/api/documents/{doc}").json()["flat_fields"]["secrecy"] == "MẬT"
    assert _actions(ctx, doc) == []


def test_raising_by_the_field_is_a_classification_change(ctx, people):
    rs, admin = people
    doc = add_document(ctx, classification="mat")
    r = rs.put(f"/api/documents/{doc}/fields/secrecy", json={"value": "tối mật"})
    assert r.status_code == 200 and r.json() | {"value": "TỐI MẬT", "changed": True} == r.json()
    with ctx.session() as s:
        d = s.get(Document, doc)
        assert d.classification == "toi_mat" and d.fields["secrecy"] == "TỐI MẬT"
    assert _actions(ctx, doc) == ["classification_changed"]
    assert _export(admin)[doc]["fields"]["secrecy"] == "TỐI MẬT"
    # Raised on the classification route: the field follows.
    admin.put(f"/api/documents/{doc}/classification", json={"level": "tuyet_mat"})
    assert admin.get(f"/api/documents/{doc}").json()["fields"]["secrecy"] == "TUYỆT MẬT"


def test_an_administrator_lowers_with_a_reason_only(ctx, people):
    _rs, admin = people
    doc = add_document(ctx, classification="mat")
    r = admin.put(f"/api/documents/{doc}/fields/secrecy", json={"value": ""})
    assert r.status_code == 422 and r.json()["error"]["code"] == "reason_required"
    r = admin.put(
        f"/api/documents/{doc}/fields/secrecy",
        json={"value": "", "reason": "Giải mật theo QĐ 12/2026"},
    )
    assert r.status_code == 200, r.text
    assert "secrecy" not in _export(admin)[doc]["fields"]
    with ctx.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.action == "classification_changed")).one()
        assert e.details == {
            "from": "mat",
            "to": "thuong",
            "direction": "lower",
            "reason": "Giải mật theo QĐ 12/2026",
        }


def test_merge_is_never_repeated_and_merged_documents_go_nowhere(ctx, people):
    rs, admin = people
    a, b, c = (add_document(ctx, pages=2) for _ in range(3))
    assert rs.post(f"/api/documents/{a}/merge-next").json()["merged"] == b
    # Again: the emptied document is skipped, the next live one is taken.
    assert rs.post(f"/api/documents/{a}/merge-next").json()["merged"] == c
    again = rs.post(f"/api/documents/{a}/merge-next")
    assert again.status_code == 422 and again.json()["error"]["code"] == "bad_merge"
    for url, body in (
        (f"/api/documents/{b}/merge-next", None),
        (f"/api/documents/{b}/accept", None),
        (f"/api/documents/{b}/split", {"page_id": 1}),
        (f"/api/documents/{b}/fields/subject", {"value": "x"}),
        (f"/api/documents/{b}/classification", {"level": "mat"}),
    ):
        method = "PUT" if "/fields/" in url or url.endswith("classification") else "POST"
        r = rs.request(method, url, json=body)
        assert r.status_code == 422, (url, r.text)
        assert r.json()["error"]["code"] == "document_merged"
        assert "đã được gộp" in r.json()["error"]["message"]
    rec = admin.get(f"/api/documents/{a}").json()
    assert len(rec["pages"]) == 6
    assert [p["number"] for p in rec["pages"]] == [1, 2, 3, 4, 5, 6]
    assert rs.post(f"/api/documents/{a}/accept").status_code == 200
    exported = _export(admin)
    assert set(exported) == {a} and len(exported[a]["pages"]) == 6
    assert all(r["pages"] for r in exported.values())


def test_split_twice_at_the_same_page_is_refused(ctx, people):
    rs, _admin = people
    a = add_document(ctx, pages=3)
    pages = [p["id"] for p in rs.get(f"/api/documents/{a}").json()["pages"]]
    new = rs.post(f"/api/documents/{a}/split", json={"page_id": pages[1]}).json()["new_document"]
    again = rs.post(f"/api/documents/{a}/split", json={"page_id": pages[1]})
    assert again.status_code == 422 and again.json()["error"]["code"] == "bad_split"
    single = add_document(ctx, pages=1)
    page = rs.get(f"/api/documents/{single}").json()["pages"][0]["id"]
    r = rs.post(f"/api/documents/{single}/split", json={"page_id": page})
    assert r.status_code == 422  # the first (only) page: no document may end up empty
    with ctx.session() as s:
        live = s.scalars(select(Document).where(Document.status != "merged")).all()
        assert all(d.pages for d in live)
        assert [len(s.get(Document, i).pages) for i in (a, new)] == [1, 2]
