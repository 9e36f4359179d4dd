"""Review changes and their audit entries commit together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from audit import trail as audit
from core.access import Scope
from core.db import Batch, Document, Page, SourceFile
from core.db_audit import AuditEntry
from core.db_review import BoundaryChange, FieldCorrection
from review import actions as rv
from review import boundaries as bd
from tests._db import break_audit_log


def _docs(ctx) -> tuple[int, int, list[int]]:
    """Two ordinary documents in one batch: the first with two pages."""
    with ctx.session() as s:
        b = Batch(name="lo-rs")
        s.add(b)
        s.flush()
        sf = SourceFile(batch_id=b.id, original_name="a.pdf")
        s.add(sf)
        s.flush()
        ids, pages = [], []
        for seq, texts in ((1, ["trang một", "trang hai"]), (2, ["trang ba"])):
            d = Document(
                batch_id=b.id,
                seq=seq,
                kind="state_document",
                status="extracted",
                fields={"symbol": "14-KH/UB"},
                field_confidence={"symbol": 0.5},
            )
            s.add(d)
            s.flush()
            ids.append(d.id)
            for t in texts:
                p = Page(
                    batch_id=b.id,
                    source_file_id=sf.id,
                    page_index=len(pages),
                    document_id=d.id,
                    doc_order=len([x for x in pages if x[1] == d.id]),
                    text=t,
                )
                s.add(p)
                s.flush()
                pages.append((p.id, d.id))
        return ids[0], ids[1], [p for p, _ in pages]


def _audit_down(ctx) -> None:
    # What a full disk or a broken audit table looks like from the application's side.
    break_audit_log(ctx.engine)


def _state(ctx, doc: int) -> tuple:
    with ctx.session() as s:
        d = s.get(Document, doc)
        return (
            dict(d.fields),
            d.classification,
            [
                (p.id, p.document_id, p.doc_order, p.text)
                for p in s.scalars(select(Page).order_by(Page.id))
            ],
            s.scalar(select(func.count(FieldCorrection.id))),
            s.scalar(select(func.count(BoundaryChange.id))),
            s.scalar(select(func.count(Document.id))),
        )


def test_each_review_change_is_audited_in_its_transaction(ctx):
    a, b, pages = _docs(ctx)
    assert rv.correct_field(ctx, a, "symbol", "15-KH/UB", "rs", Scope("thuong"), "10.0.0.9")[0]
    assert rv.correct_page_text(
        ctx, pages[0], "trang một đã sửa", "rs", Scope("thuong"), "10.0.0.9"
    )
    new = bd.split_document(ctx, a, pages[1], "rs", Scope("thuong"), "10.0.0.9")
    assert bd.merge_next(ctx, a, "rs", Scope("thuong"), "10.0.0.9") == new
    with ctx.session() as s:
        rows = [
            (e.actor, e.action, e.object_type, e.object_id, e.details, e.address)
            for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert rows == [
        ("rs", audit.FIELD_CORRECTED, "document", str(a), {"field": "symbol"}, "10.0.0.9"),
        ("rs", audit.FIELD_CORRECTED, "page", str(pages[0]), {"field": "page_text"}, "10.0.0.9"),
        (
            "rs",
            audit.BOUNDARY_CHANGED,
            "document",
            str(a),
            {"action": "split", "page": pages[1], "new_document": new},
            "10.0.0.9",
        ),
        (
            "rs",
            audit.BOUNDARY_CHANGED,
            "document",
            str(a),
            {"action": "merge", "merged": new, "pages": 1},
            "10.0.0.9",
        ),
    ]
    assert audit.verify(ctx).ok


def test_secrecy_correction_is_a_classification_change(ctx):
    a, _, _ = _docs(ctx)
    assert rv.correct_field(ctx, a, "secrecy", "TỐI MẬT", "rs", Scope("toi_mat"))[0]
    with ctx.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert s.get(Document, a).classification == "toi_mat"
    # One value: audited as the classification it is, not as a field correction.
    assert actions == [audit.CLASSIFICATION_CHANGED]


@pytest.mark.parametrize("change", ["field", "secrecy", "page_text", "split", "merge"])
def test_a_change_whose_audit_fails_does_not_persist(ctx, change):
    a, b, pages = _docs(ctx)
    before = _state(ctx, a)
    _audit_down(ctx)
    calls = {
        "field": lambda: rv.correct_field(ctx, a, "symbol", "15-KH/UB", "rs", Scope("thuong")),
        "secrecy": lambda: rv.correct_field(ctx, a, "secrecy", "MẬT", "rs", Scope("mat")),
        "page_text": lambda: rv.correct_page_text(ctx, pages[0], "sửa", "rs", Scope("thuong")),
        "split": lambda: bd.split_document(ctx, a, pages[1], "rs", Scope("thuong")),
        "merge": lambda: bd.merge_next(ctx, a, "rs", Scope("thuong")),
    }
    with pytest.raises(DBAPIError, match="audit unavailable"):
        calls[change]()
    assert _state(ctx, a) == before  # fields, level, pages, history rows, documents
    with ctx.session() as s:
        assert s.scalar(select(func.count(AuditEntry.id))) == 0
