"""The audit chain anchored outside its table: a keyed hash (HMAC-SHA256, key in the data
directory or SOHOA_AUDIT_KEY) and an append-only anchor file, so forged rows, truncation and
deleting everything are detected; legacy chains are re-keyed with a recorded marker."""

from __future__ import annotations

import hashlib
import stat

import pytest
from sqlalchemy import select, text

from audit import trail as audit
from cli.main import main
from core.context import open_context
from core.db_audit import GENESIS, AuditEntry
from core.settings import Settings
from tests.audit.test_trail import _drop_triggers, _fill


def _verify(ctx):
    r = audit.verify(ctx)
    return r.ok, r.first_bad_id, r.problem


def test_key_file_is_private_and_anchor_follows_every_commit(ctx):
    _fill(ctx, 3)
    key = ctx.settings.data_dir / "audit" / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) >= 32
    lines = (ctx.settings.data_dir / "audit" / "anchor.log").read_text().splitlines()
    assert lines[0].startswith("rekey 1 " + GENESIS)
    assert [ln.split()[1] for ln in lines[1:]] == ["1", "2", "3"]
    # A rolled-back append never reaches the anchor.
    with pytest.raises(RuntimeError), ctx.session() as s:
        audit.record(s, "a", audit.LOGIN_OK)
        raise RuntimeError
    assert len((ctx.settings.data_dir / "audit" / "anchor.log").read_text().splitlines()) == 4
    assert _verify(ctx) == (True, None, None)


def test_a_row_appended_with_the_documented_formula_is_refused(ctx):
    _fill(ctx, 3)
    with ctx.session() as s:
        last = s.get(AuditEntry, 3)
        forged = AuditEntry(
            id=4,
            at=last.at,
            actor="kẻ giả mạo",
            action=audit.LOGIN_OK,
            object_type=None,
            object_id=None,
            details={},
            address=None,
            prev_hash=last.hash,
        )
        forged.hash = hashlib.sha256(
            forged.prev_hash.encode() + audit.canonical(forged)
        ).hexdigest()
        s.add(forged)
        s.execute(text("UPDATE audit_head SET last_id = 4, last_hash = :h"), {"h": forged.hash})
    assert _verify(ctx) == (False, 4, "hash_mismatch")


@pytest.mark.parametrize(
    ("sql", "bad"),
    [
        ("DELETE FROM audit_log WHERE id > 3", 4),  # the newest rows…
        ("DELETE FROM audit_log", 1),  # …or everything
    ],
)
def test_truncation_with_the_head_row_is_detected(ctx, monkeypatch, capsys, sql, bad):
    _fill(ctx, 5)
    _drop_triggers(ctx)
    with ctx.engine.begin() as c:
        c.execute(text(sql))
        c.execute(text("DELETE FROM audit_head"))  # the head row too
    ok, first_bad, problem = _verify(ctx)
    assert (ok, first_bad, problem) == (False, bad, "anchor_truncated")
    monkeypatch.setattr("cli.main.get_settings", lambda: ctx.settings)
    assert main(["audit", "verify"]) == 70
    assert "bị xóa" in capsys.readouterr().err


def test_a_chain_rewritten_with_the_key_is_detected_by_the_anchor(ctx):
    _fill(ctx, 4)
    _drop_triggers(ctx)
    anchor = audit.anchor_for(ctx.settings)
    with ctx.session() as s:  # someone who has the key and the database rewrites history
        prev = GENESIS
        for row in s.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            if row.id == 2:
                row.actor = "người khác"
            row.prev_hash = prev
            row.hash = audit.entry_hash(row, anchor)
            prev = row.hash
        s.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})
    assert _verify(ctx) == (False, 2, "anchor_mismatch")


def test_an_edited_anchor_line_is_detected(ctx):
    _fill(ctx, 2)
    path = ctx.settings.data_dir / "audit" / "anchor.log"
    lines = path.read_text().splitlines()
    n, h, mac = lines[-1].split()[1:]
    lines[-1] = f"v1 {int(n) + 5} {h} {mac}"
    path.write_text("\n".join(lines) + "\n")
    assert _verify(ctx)[2] == "anchor_forged"


def test_key_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_AUDIT_KEY", "k" * 40)
    ctx = open_context(Settings(data_dir=tmp_path / "data", database_url=None))
    _fill(ctx, 2)
    assert not (tmp_path / "data" / "audit" / "audit.key").exists()
    assert _verify(ctx) == (True, None, None)
    monkeypatch.setenv("SOHOA_AUDIT_KEY", "x" * 40)  # another key: nothing verifies
    other = open_context(Settings(data_dir=tmp_path / "data", database_url=None))
    assert _verify(other)[2] == "anchor_forged"


def test_a_legacy_chain_is_rekeyed_with_a_marker_and_stays_verifiable(ctx):
    _fill(ctx, 3)
    _drop_triggers(ctx)
    # The state before this version: plain SHA-256 rows and no anchor file.
    with ctx.session() as s:
        prev = GENESIS
        for row in s.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            row.prev_hash = prev
            row.hash = prev = audit.entry_hash(row)
        s.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})
    (ctx.settings.data_dir / "audit" / "anchor.log").unlink()
    assert _verify(ctx) == (True, None, None)  # legacy rows verify as they were written
    audit.record(ctx, "a", audit.LOGIN_OK)
    with ctx.session() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    marker = rows[3]
    assert marker.action == audit.AUDIT_REKEYED and marker.details["legacy_rows"] == 3
    assert marker.details["legacy_head"] == prev and rows[4].action == audit.LOGIN_OK
    first = (ctx.settings.data_dir / "audit" / "anchor.log").read_text().splitlines()[0]
    assert first.startswith(f"rekey 4 {prev} ")
    assert _verify(ctx) == (True, None, None)
    # The keyed rows cannot be forged with the plain formula.
    with ctx.session() as s:
        row = s.get(AuditEntry, 5)
        row.actor = "x"
        row.hash = audit.entry_hash(row)
    assert _verify(ctx)[1:] == (5, "hash_mismatch")
