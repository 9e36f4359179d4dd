"""Audit trail: hash chain, tamper detection, append-only triggers, concurrent writers,
export, and the classification-change rule."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from audit import trail as audit
from cli.main import main
from core.context import open_context
from core.db import Batch, Document
from core.db_audit import GENESIS, AuditEntry
from core.errors import InputError, NotFoundError, PermissionDenied
from core.settings import Settings
from review.classification import set_classification
from tests._db import drop_audit_guards


def _fill(ctx, n=5):
    for i in range(n):
        audit.record(
            ctx,
            "nguyễn văn a",
            audit.DOC_VIEW,
            object_type="document",
            object_id=i,
            details={"classification": "mat", "trang": i, "ghi chú": "Đảng ủy"},
            address="10.0.0.7",
        )


def _drop_triggers(ctx):
    drop_audit_guards(ctx.engine)


def test_chain_links_each_row_to_the_previous_by_keyed_hash(ctx):
    _fill(ctx, 3)
    with ctx.session() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert [r.id for r in rows] == [1, 2, 3]
        assert rows[0].prev_hash == GENESIS
        assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
        r = rows[1]
        body = {
            "id": 2,
            "at": r.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": "nguyễn văn a",
            "action": "doc_view",
            "object_type": "document",
            "object_id": "1",
            "details": {"classification": "mat", "trang": 1, "ghi chú": "Đảng ủy"},
            "address": "10.0.0.7",
            "prev_hash": rows[0].hash,
        }
        canon = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        key = (ctx.settings.data_dir / "audit" / "audit.key").read_bytes().strip()
        assert r.hash == hmac.new(key, (rows[0].hash + canon).encode(), hashlib.sha256).hexdigest()
        # The documented formula without the key does not give the row's hash.
        assert r.hash != hashlib.sha256(rows[0].hash.encode() + canon.encode()).hexdigest()
    report = audit.verify(ctx)
    assert report.ok and report.rows == 3


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor = 'x' WHERE id = 2",
        "DELETE FROM audit_log WHERE id = 3",
        "DELETE FROM audit_log",
    ],
)
def test_database_refuses_update_and_delete(ctx, sql):
    _fill(ctx, 3)
    with pytest.raises(DBAPIError, match="append-only"), ctx.engine.begin() as c:
        c.execute(text(sql))
    assert audit.verify(ctx).rows == 3


def test_edited_row_is_named_and_cli_exits_nonzero(ctx, monkeypatch, capsys):
    _fill(ctx, 5)
    _drop_triggers(ctx)
    with ctx.engine.begin() as c:
        c.execute(
            text('UPDATE audit_log SET details = \'{"classification": "thuong"}\' WHERE id = 3')
        )
    report = audit.verify(ctx)
    assert (report.ok, report.first_bad_id, report.problem) == (False, 3, "hash_mismatch")
    assert report.rows == 2
    monkeypatch.setattr("cli.main.get_settings", lambda: ctx.settings)
    assert main(["audit", "verify"]) == 70
    assert "bị can thiệp" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("where", "bad", "problem"),
    [
        ("id = 2", 3, "gap"),  # a row taken out of the middle
        ("id = 5", 5, "anchor_truncated"),  # the newest row taken away
    ],
)
def test_deleted_rows_are_detected(ctx, where, bad, problem):
    _fill(ctx, 5)
    _drop_triggers(ctx)
    with ctx.engine.begin() as c:
        c.execute(text(f"DELETE FROM audit_log WHERE {where}"))
    report = audit.verify(ctx)
    assert (report.ok, report.first_bad_id, report.problem) == (False, bad, problem)


def test_rewritten_chain_without_head_is_detected(ctx):
    # Re-hashing a forged row is not enough: the next row's prev_hash no longer matches.
    _fill(ctx, 4)
    _drop_triggers(ctx)
    with ctx.session() as s:
        row = s.get(AuditEntry, 2)
        assert row is not None
        row.actor = "kẻ giả mạo"
        row.hash = audit.entry_hash(row)
    report = audit.verify(ctx)
    # Re-hashed with the documented formula but without the key: the row itself is refused.
    assert (report.first_bad_id, report.problem) == (2, "hash_mismatch")


def test_cli_verify_ok(ctx, monkeypatch, capsys):
    _fill(ctx, 2)
    monkeypatch.setattr("cli.main.get_settings", lambda: ctx.settings)
    assert main(["audit", "verify"]) == 0
    assert "nguyên vẹn: 2 bản ghi" in capsys.readouterr().out


def test_entry_joins_the_callers_transaction(ctx):
    _fill(ctx, 1)
    with pytest.raises(RuntimeError), ctx.session() as s:
        audit.record(s, "a", audit.FIELD_CORRECTED, object_type="document", object_id=1)
        raise RuntimeError("the correction failed")
    audit.record(ctx, "a", audit.LOGIN_OK)
    report = audit.verify(ctx)
    assert report.ok and report.rows == 2


def test_concurrent_writers_never_fork_the_chain(settings):
    contexts = [open_context(settings) for _ in range(4)]  # separate engines, like processes
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            for j in range(25):
                audit.record(contexts[i], f"u{i}", audit.LOGIN_OK, details={"j": j})
        except BaseException as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = audit.verify(contexts[0])
    assert report.ok and report.rows == 100
    for c in contexts:
        c.engine.dispose()


def test_export_jsonl_and_csv_since_and_export_is_audited(ctx, tmp_path, monkeypatch):
    _fill(ctx, 3)
    monkeypatch.setattr("cli.main.get_settings", lambda: ctx.settings)
    out = tmp_path / "a.jsonl"
    assert (
        main(["audit", "export", "--format", "jsonl", "--out", str(out), "--user", "kiem_toan"])
        == 0
    )
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == [1, 2, 3]
    assert lines[0]["details"]["ghi chú"] == "Đảng ủy" and lines[0]["address"] == "10.0.0.7"
    csv_out = tmp_path / "a.csv"
    assert (
        main(["audit", "export", "--format", "csv", "--since", "2999-01-01", "--out", str(csv_out)])
        == 0
    )
    assert csv_out.read_text(encoding="utf-8").splitlines() == [
        "id,at,actor,action,object_type,object_id,details,address,prev_hash,hash"
    ]
    with ctx.session() as s:
        exports = list(s.scalars(select(AuditEntry).where(AuditEntry.action == audit.EXPORT)))
        assert [(e.actor, e.details["rows"]) for e in exports] == [
            ("kiem_toan", 3),
            (audit.cli_actor(), 0),
        ]
    assert audit.cli_actor().startswith(("os:", "system"))
    assert audit.verify(ctx).ok
    assert main(["audit", "export", "--since", "hôm qua"]) == 65


def _doc(ctx, classification="thuong", kind="state_document"):
    with ctx.session() as s:
        b = Batch(name=f"lo-{classification}-{kind}")
        s.add(b)
        s.flush()
        d = Document(batch_id=b.id, kind=kind, classification=classification)
        s.add(d)
        s.flush()
        return d.id


def _changes(ctx):
    with ctx.session() as s:
        return [
            (e.actor, e.object_id, e.details)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.action == audit.CLASSIFICATION_CHANGED)
            )
        ]


def test_anyone_who_edits_may_raise_and_it_is_audited(ctx):
    doc = _doc(ctx)
    assert set_classification(ctx, doc, "toi_mat", "ra_soat1", address="10.1.1.1") == "thuong"
    assert _changes(ctx) == [
        (
            "ra_soat1",
            str(doc),
            {"from": "thuong", "to": "toi_mat", "direction": "raise", "reason": None},
        )
    ]
    assert set_classification(ctx, doc, "toi_mat", "ra_soat1") == "toi_mat"  # no change
    assert len(_changes(ctx)) == 1


def test_lowering_needs_an_admin_and_a_reason(ctx):
    doc = _doc(ctx, "tuyet_mat")
    with pytest.raises(PermissionDenied) as e:
        set_classification(ctx, doc, "thuong", "ra_soat1", "đã giải mật")
    assert "quản trị" in e.value.message_vi
    with pytest.raises(InputError) as e2:
        set_classification(ctx, doc, "mat", "admin", "   ", is_admin=True)
    assert e2.value.code == "reason_required"
    assert _changes(ctx) == []
    with ctx.session() as s:
        assert s.get(Document, doc).classification == "tuyet_mat"  # type: ignore[union-attr]
    set_classification(ctx, doc, "mat", "admin", "Quyết định giải mật số 12/QĐ", is_admin=True)
    assert _changes(ctx)[0][2] == {
        "from": "tuyet_mat",
        "to": "mat",
        "direction": "lower",
        "reason": "Quyết định giải mật số 12/QĐ",
    }
    with ctx.session() as s:
        assert s.get(Document, doc).classification == "mat"  # type: ignore[union-attr]


def test_bad_level_and_missing_document(ctx):
    doc = _doc(ctx)
    with pytest.raises(InputError):
        set_classification(ctx, doc, "secret", "a")
    with pytest.raises(NotFoundError):
        set_classification(ctx, 9999, "mat", "a")


def test_only_classified_or_personal_documents_are_audited_on_view(ctx):
    with ctx.session() as s:
        assert (
            audit.record_document_access(s, "a", audit.DOC_VIEW, 1, "thuong", "state_document")
            is None
        )
        assert audit.record_document_access(s, "a", audit.DOC_VIEW, 2, "mat", "state_document") == 1
        assert (
            audit.record_document_access(
                s, "a", audit.DOC_DOWNLOAD, 3, "thuong", "profile", address="10.0.0.1"
            )
            == 2
        )
    assert audit.verify(ctx).rows == 2


@pytest.mark.services
def test_postgresql_chain_triggers_and_concurrency(tmp_path, pg_url):
    settings = Settings(data_dir=tmp_path / "data", database_url=pg_url)
    contexts = [open_context(settings) for _ in range(4)]
    try:

        def worker(i: int) -> None:
            for j in range(15):
                audit.record(contexts[i], f"u{i}", audit.LOGIN_FAILED, details={"j": j})

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report = audit.verify(contexts[0])
        assert report.ok and report.rows == 60
        for sql in (
            "UPDATE audit_log SET actor = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(DBAPIError, match="append-only"), contexts[0].engine.begin() as c:
                c.execute(text(sql))
        with contexts[0].engine.begin() as c:
            c.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            c.execute(text("UPDATE audit_log SET address = '1.2.3.4' WHERE id = 7"))
        report = audit.verify(contexts[0])
        assert (report.first_bad_id, report.problem) == (7, "hash_mismatch")
    finally:
        for c in contexts:
            c.engine.dispose()
