"""Auto-accept per collection: the decision, the pipeline applying it, the policy and re-opening."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit import trail as audit
from core.access import Scope
from core.db import AutoAcceptPolicy, Batch, Document, Page, SourceFile
from core.db_audit import AuditEntry
from core.errors import InputError
from core.states import DocumentStatus
from pipeline.autoaccept import apply_policy, refusal
from pipeline.intake import get_or_create_batch, register_paths
from pipeline.runner import run_batch
from review.autoaccept import list_policies, pages_saved, reopen_document, set_policy
from tests.conftest import image_pdf, text_page

FIELDS = {
    "doc_type": "KẾ HOẠCH",
    "symbol": "14-KH/BTCTU",
    "date": "2015-03-20",
    "issuer": "BAN TỔ CHỨC TỈNH ỦY",
    "subject": "Rà soát hồ sơ đảng viên năm 2015",
    "signer_name": "Nguyễn Văn An",
    "secrecy": "",
    "urgency": "",
}
SURE = {k: 0.95 for k in FIELDS} | {"urgency": 0.3}  # an empty field's confidence is moot
EVERYONE = Scope(clearance="tuyet_mat")


def test_refusal_names_what_needs_a_person():
    assert refusal("party_document", FIELDS, SURE, "thuong", [[]], 0.9) is None
    low = SURE | {"subject": 0.85}
    assert refusal("party_document", FIELDS, low, "thuong", [[]], 0.9) == "confidence:subject"
    marked = FIELDS | {"secrecy": "MẬT"}
    assert refusal("party_document", marked, SURE, "thuong", [[]], 0.9) == "secrecy"
    assert refusal("party_document", FIELDS, SURE, "mat", [[]], 0.9) == "secrecy"
    assert refusal("party_document", FIELDS, SURE, "thuong", [["low_quality"]], 0.9) == (
        "page_quality"
    )
    assert refusal("other", FIELDS, SURE, "thuong", [[]], 0.9) == "kind"
    unsigned = FIELDS | {"signer_name": ""}
    assert refusal("party_document", unsigned, SURE, "thuong", [[]], 0.9) == ("missing:signer_name")


def _document(ctx, collection: str | None, classification: str = "thuong") -> int:
    with ctx.session() as s:
        batch = Batch(name=f"lo-{collection}-{classification}", collection=collection)
        s.add(batch)
        s.flush()
        sf = SourceFile(batch_id=batch.id, original_name="a.pdf")
        s.add(sf)
        s.flush()
        doc = Document(
            batch_id=batch.id,
            kind="party_document",
            classification=classification,
            fields=dict(FIELDS),
            field_confidence=dict(SURE),
            status=DocumentStatus.EXTRACTED,
        )
        s.add(doc)
        s.flush()
        s.add(Page(batch_id=batch.id, source_file_id=sf.id, page_index=0, document_id=doc.id))
        return doc.id


def test_policy_accepts_reopens_and_counts_saved_pages(ctx):
    sure = _document(ctx, "Văn bản 2014-2024")
    secret = _document(ctx, "Văn bản 2014-2024", "mat")
    elsewhere = _document(ctx, "Hồ sơ đảng viên")
    with pytest.raises(InputError) as e:
        set_policy(ctx, "Văn bản 2014-2024", 0.5, "quantri", None)
    assert e.value.code == "threshold_out_of_range"
    with pytest.raises(InputError):
        set_policy(ctx, "Không có", 0.9, "quantri", None)
    set_policy(ctx, "Văn bản 2014-2024", 0.9, "quantri", "127.0.0.1")
    assert [(p.collection, p.threshold) for p in list_policies(ctx)] == [("Văn bản 2014-2024", 0.9)]
    with ctx.session() as s:
        decided = {
            d.id: apply_policy(s, d, [[]])
            for d in s.scalars(select(Document).order_by(Document.id))
        }
    assert decided == {sure: True, secret: False, elsewhere: False}
    with ctx.session() as s:
        doc = s.get(Document, sure)
        assert doc.status == DocumentStatus.REVIEWED and doc.accepted_by_policy
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == [audit.POLICY_CHANGED, audit.DOC_AUTO_ACCEPTED]
    assert pages_saved(ctx, EVERYONE) == 1
    assert pages_saved(ctx, Scope(clearance="thuong")) == 1

    reopen_document(ctx, sure, "rasoat", EVERYONE)
    with ctx.session() as s:
        doc = s.get(Document, sure)
        assert doc.status == DocumentStatus.EXTRACTED and not doc.accepted_by_policy
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == audit.DOC_REOPENED and last.details["by_policy"] is True
    assert pages_saved(ctx, EVERYONE) == 0
    with pytest.raises(InputError) as e:
        reopen_document(ctx, sure, "rasoat", EVERYONE)
    assert e.value.code == "document_not_accepted"

    set_policy(ctx, "Văn bản 2014-2024", None, "quantri", None)
    assert list_policies(ctx) == []
    with ctx.session() as s:
        assert s.get(AutoAcceptPolicy, "Văn bản 2014-2024") is None


def test_the_pipeline_applies_the_policy_when_documents_are_assembled(ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_FAKE_STATE", str(tmp_path / "fake-state"))
    ctx.settings.ocr.engine = "tests.ocr.fake_engines:fake_signed"
    scans = tmp_path / "in"
    scans.mkdir()
    (scans / "a.pdf").write_bytes(image_pdf([text_page(["Kế hoạch"])]))
    batch = get_or_create_batch(ctx, "lo", collection="Văn bản 2014-2024")
    register_paths(ctx, batch, [scans / "a.pdf"])
    with ctx.session() as s:
        # A threshold below what an administrator may set: this is about the wiring (the fake
        # page's calibrated confidences are below 0.8), the decision is tested above.
        s.add(AutoAcceptPolicy(collection="Văn bản 2014-2024", threshold=0.1, set_by="test"))
    run_batch(ctx, batch, workers=1)
    with ctx.session() as s:
        doc = s.scalars(select(Document)).one()
        why = refusal(doc.kind, doc.fields, doc.field_confidence, doc.classification, [[]], 0.1)
        assert (doc.status == DocumentStatus.REVIEWED) == (why is None), why
        assert doc.accepted_by_policy == (why is None)


def test_cli_sets_shows_and_turns_off(ctx, settings, monkeypatch, capsys):
    from cli.main import main

    monkeypatch.setenv("SOHOA_DATA_DIR", str(settings.data_dir))
    _document(ctx, "Hồ sơ đảng viên")
    args = ["policy", "autoaccept", "--collection", "Hồ sơ đảng viên"]
    assert main([*args, "--threshold", "0.95", "--user", "quantri"]) == 0
    capsys.readouterr()
    assert main(["policy", "show"]) == 0
    shown = capsys.readouterr()
    assert "Hồ sơ đảng viên" in shown.out and "0,95" in shown.out
    assert main([*args, "--threshold", "0.5"]) != 0
    assert "0,80" in capsys.readouterr().err
    assert main([*args, "--off"]) == 0
    assert main(["policy", "show"]) == 0
    assert "Chưa bộ sưu tập nào" in capsys.readouterr().err
    with ctx.session() as s:
        who = s.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == audit.POLICY_CHANGED)
        ).all()
    assert who == ["quantri", "system"]
