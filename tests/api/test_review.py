"""Review through the API: queue order, corrections with history, accept, split/merge, text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.db import Document, Page
from core.db_review import BoundaryChange, FieldCorrection
from tests.api.test_auth import add_document, login, make_user, token_for


@pytest.fixture
def reviewer(settings, ctx):
    make_user(ctx, "rs", "ra_soat")
    client = TestClient(create_app(settings, ctx))
    csrf = login(client, "rs")
    client.headers["X-CSRF-Token"] = csrf
    return client


def test_queue_lowest_confidence_first_and_filters(ctx, reviewer):
    a = add_document(ctx, batch="lo-a")
    b = add_document(ctx, batch="lo-b")
    with ctx.session() as s:
        s.get(Document, b).field_confidence = {"doc_type": 0.95, "symbol": 0.2}
    items = reviewer.get("/api/review/queue").json()["items"]
    assert [i["id"] for i in items] == [b, a]
    assert items[0]["weakest_field"] == "symbol" and items[0]["confidence"] == 0.2
    only_a = reviewer.get("/api/review/queue", params={"batch": "lo-a"}).json()["items"]
    assert [i["id"] for i in only_a] == [a]
    by_date = reviewer.get("/api/review/queue", params={"field": "date"}).json()["items"]
    assert by_date[0]["weakest_field"] == "date"
    assert reviewer.get("/api/review/queue", params={"kind": "profile"}).json()["items"] == []


def test_correction_writes_history_and_keeps_machine_value(ctx, reviewer):
    doc = add_document(ctx)
    r = reviewer.put(f"/api/documents/{doc}/fields/symbol", json={"value": "14-KH/UBND"})
    assert r.json()["changed"] is True
    same = reviewer.put(f"/api/documents/{doc}/fields/symbol", json={"value": "14-KH/UBND"})
    assert same.json()["changed"] is False
    reviewer.put(f"/api/documents/{doc}/fields/symbol", json={"value": "15-KH/UBND"})
    rec = reviewer.get(f"/api/documents/{doc}").json()
    assert rec["fields"]["symbol"] == "15-KH/UBND"
    assert rec["field_confidence"]["symbol"] == 1.0
    assert rec["machine"]["symbol"] == "14-KH/UB"
    with ctx.session() as s:
        rows = (
            s.query(FieldCorrection).filter_by(document_id=doc).order_by(FieldCorrection.id).all()
        )
        assert [(c.old_value, c.new_value, c.user) for c in rows] == [
            ("14-KH/UB", "14-KH/UBND", "rs"),
            ("14-KH/UBND", "15-KH/UBND", "rs"),
        ]
    assert rec["history"][0]["new"] == "15-KH/UBND"
    page = reviewer.get(f"/documents/{doc}")
    assert "15-KH/UBND" in page.text and "Lịch sử chỉnh sửa" in page.text
    bad = reviewer.put(f"/api/documents/{doc}/fields/khong_co", json={"value": "x"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_field"


def test_accept_marks_reviewed_and_leaves_queue(ctx, reviewer):
    doc = add_document(ctx)
    other = add_document(ctx)
    r = reviewer.post(f"/api/documents/{doc}/accept").json()
    assert r["status"] == "reviewed" and r["next"] == other
    with ctx.session() as s:
        assert s.get(Document, doc).status == "reviewed"
    ids = [i["id"] for i in reviewer.get("/api/review/queue").json()["items"]]
    assert doc not in ids


def test_split_merge_and_page_text(ctx, reviewer):
    doc = add_document(ctx, pages=3)
    rec = reviewer.get(f"/api/documents/{doc}").json()
    third = rec["pages"][2]["id"]
    first = rec["pages"][0]["id"]
    bad = reviewer.post(f"/api/documents/{doc}/split", json={"page_id": first})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_split"
    new = reviewer.post(f"/api/documents/{doc}/split", json={"page_id": third}).json()[
        "new_document"
    ]
    with ctx.session() as s:
        assert [p.id for p in s.get(Document, new).pages] == [third]
        assert len(s.get(Document, doc).pages) == 2
        assert s.get(Document, new).seq == s.get(Document, doc).seq + 1
    merged = reviewer.post(f"/api/documents/{doc}/merge-next").json()["merged"]
    assert merged == new
    with ctx.session() as s:
        assert [p.doc_order for p in s.get(Document, doc).pages] == [0, 1, 2]
        assert s.get(Document, new).status == "merged"
        assert [b.action for b in s.query(BoundaryChange).order_by(BoundaryChange.id)] == [
            "split",
            "merge",
        ]
    r = reviewer.put(f"/api/pages/{third}/text", json={"text": "Nội dung đúng"})
    assert r.json()["changed"] is True
    with ctx.session() as s:
        assert s.get(Page, third).text == "Nội dung đúng"
    hits = reviewer.get("/api/search", params={"q": "noi dung dung"}).json()["hits"]
    assert [h["id"] for h in hits] == [doc]


def test_searcher_cannot_correct(ctx, settings):
    doc = add_document(ctx)
    make_user(ctx, "tc", "tra_cuu")
    client = TestClient(create_app(settings, ctx), headers=token_for(ctx, "tc"))
    r = client.put(f"/api/documents/{doc}/fields/symbol", json={"value": "x"})
    assert r.status_code == 403
    assert client.get(f"/api/documents/{doc}").status_code == 200


def test_profile_fields_are_reviewed_nested_with_machine_value_and_flags(ctx, reviewer):
    doc = add_document(ctx)
    with ctx.session() as s:
        d = s.get(Document, doc)
        d.kind = "profile"
        d.fields = {
            "doc_type": "SƠ YẾU LÝ LỊCH",
            "profile": {"ho_ten": "Nguyễn Văn An", "noi_o": "Bảo Lộc, Lâm Đồng"},
        }
        d.field_confidence = {"profile.ho_ten": 0.7, "profile.noi_o": 0.5}
        d.provenance = {
            "_flags": {
                "flags": [
                    {
                        "field": "profile.noi_o",
                        "code": "repaired",
                        "detail": "Báo Lộc, Lâm Đồng → Bảo Lộc, Lâm Đồng",
                    }
                ]
            }
        }
    rec = reviewer.get(f"/api/documents/{doc}").json()
    assert rec["field_names"][:3] == ["doc_type", "profile.ho_ten", "profile.ho_ten_khai_sinh"]
    assert "subject" not in rec["field_names"] and "profile.so_the_dang_vien" in rec["field_names"]
    assert rec["flat_fields"]["profile.noi_o"] == "Bảo Lộc, Lâm Đồng"
    r = reviewer.put(
        f"/api/documents/{doc}/fields/profile.noi_o", json={"value": "Phường 2, Bảo Lộc, Lâm Đồng"}
    )
    assert r.json()["changed"] is True
    reviewer.put(f"/api/documents/{doc}/fields/profile.dan_toc", json={"value": "Kinh"})
    rec = reviewer.get(f"/api/documents/{doc}").json()
    assert rec["fields"]["profile"] == {
        "ho_ten": "Nguyễn Văn An",
        "dan_toc": "Kinh",
        "noi_o": "Phường 2, Bảo Lộc, Lâm Đồng",
    }
    assert rec["machine"]["profile.noi_o"] == "Bảo Lộc, Lâm Đồng"
    assert rec["field_confidence"]["profile.noi_o"] == 1.0
    page = reviewer.get(f"/review/{doc}").text
    assert 'id="f-profile.noi_o"' in page and "Nơi ở hiện nay" in page
    assert 'id="f-subject"' not in page  # a personal file has no trích yếu to review
    queue = reviewer.get("/review").text
    assert "Số thẻ đảng viên" in queue


def test_classification_raised_by_reviewers_lowered_by_admins_with_a_reason(ctx, settings):
    from audit import trail as audit
    from core.db_audit import AuditEntry

    make_user(ctx, "rs2", "ra_soat", "toi_mat")
    make_user(ctx, "qt", "admin", "tuyet_mat")
    app = create_app(settings, ctx)
    rs, qt = TestClient(app), TestClient(app)
    rs.headers["X-CSRF-Token"], qt.headers["X-CSRF-Token"] = login(rs, "rs2"), login(qt, "qt")
    doc = add_document(ctx)
    url = f"/api/documents/{doc}/classification"
    assert rs.put(url, json={"level": "mat"}).json() == {
        "document": doc,
        "from": "thuong",
        "to": "mat",
    }
    down = rs.put(url, json={"level": "thuong", "reason": "nhầm"})
    assert down.status_code == 403 and down.json()["error"]["code"] == "lower_classification_denied"
    bare = qt.put(url, json={"level": "thuong"})
    assert bare.status_code == 422 and bare.json()["error"]["code"] == "reason_required"
    assert qt.put(url, json={"level": "thuong", "reason": "Giải mật theo QĐ 5"}).status_code == 200
    assert rs.post(f"/api/documents/{doc}/accept").status_code == 200
    with ctx.session() as s:
        rows = [
            (e.action, e.actor, (e.details or {}).get("reason"))
            for e in s.query(AuditEntry)
            .filter(AuditEntry.object_type == "document", AuditEntry.object_id == str(doc))
            .order_by(AuditEntry.id)
        ]
    assert rows == [
        (audit.CLASSIFICATION_CHANGED, "rs2", None),
        (audit.CLASSIFICATION_CHANGED, "qt", "Giải mật theo QĐ 5"),
        (audit.DOC_ACCEPTED, "rs2", None),
    ]
