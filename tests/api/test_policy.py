"""The auto-accept policy over the API: administrators set it, reviewers re-open, all audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import create_app
from audit import trail as audit
from core.db import Batch, Document
from core.db_audit import AuditEntry
from core.states import DocumentStatus
from tests.api.test_auth import make_user, token_for


def test_admin_sets_and_removes_a_policy_and_a_reviewer_reopens(ctx, settings):
    make_user(ctx, "quantri", "admin", "tuyet_mat")
    make_user(ctx, "rasoat", "ra_soat", "mat")
    with ctx.session() as s:
        batch = Batch(name="lo", collection="Văn bản 2014-2024")
        s.add(batch)
        s.flush()
        doc = Document(
            batch_id=batch.id,
            kind="party_document",
            status=DocumentStatus.REVIEWED,
            accepted_by_policy=True,
        )
        s.add(doc)
        s.flush()
        doc_id = doc.id
    app = create_app(settings, ctx)
    admin = TestClient(app, headers=token_for(ctx, "quantri"))
    reviewer = TestClient(app, headers=token_for(ctx, "rasoat"))
    url = "/api/policies/autoaccept/Văn bản 2014-2024"

    for bad in (0.5, 1.2, "cao"):
        r = admin.put(url, json={"threshold": bad})
        assert r.status_code == 422, r.text
    r = admin.put("/api/policies/autoaccept/Không có", json={"threshold": 0.9})
    assert r.status_code == 422 and "Không có bộ sưu tập" in r.json()["error"]["message"]
    assert reviewer.put(url, json={"threshold": 0.9}).status_code == 403

    r = admin.put(url, json={"threshold": 0.92})
    assert r.status_code == 200 and r.json()["threshold"] == 0.92
    listed = admin.get("/api/policies/autoaccept").json()
    assert [p["collection"] for p in listed["policies"]] == ["Văn bản 2014-2024"]
    assert "Văn bản 2014-2024" in listed["collections"]
    assert admin.put(url, json={"threshold": None}).json() is None
    assert admin.get("/api/policies/autoaccept").json()["policies"] == []

    # Documents without pages cannot be re-opened (nothing to review): give it none, expect
    # the Vietnamese refusal; the audit has both policy changes.
    r = reviewer.post(f"/api/documents/{doc_id}/reopen")
    assert r.status_code == 422 and r.json()["error"]["code"] == "document_empty"
    with ctx.session() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count(audit.POLICY_CHANGED) == 2
