"""Backup and restore: database dump + every file with its SHA-256, verified on the way back;
and the encrypted-storage start-up check."""

from __future__ import annotations

import hashlib
import io
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, text

from audit import trail as audit
from backup.dump import MANIFEST, run_backup
from backup.restore import run_restore
from cli.main import main
from core.context import open_context
from core.db import Batch, Page, PageStage, SourceFile
from core.db_audit import AuditEntry
from core.encryption_check import (
    block_is_crypt,
    check_encrypted_storage,
    mount_of,
    require_encrypted_storage,
)
from core.errors import ConfigError, InputError
from core.settings import Settings
from pipeline.intake import get_or_create_batch, register_paths
from tests.conftest import image_pdf, text_page

# These restore into fresh data directories, each with its own SQLite file; the PostgreSQL
# dump and restore are test_postgresql_backup_and_restore's.
SQLITE_FORMAT = pytest.mark.sqlite_only(reason="SQLite backup format, restored to SQLite files")


def _png() -> bytes:
    buf = io.BytesIO()
    text_page(["Ảnh một trang"], size=(300, 200), font_px=20).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def filled(ctx, tmp_path):
    d = tmp_path / "scans"
    d.mkdir()
    (d / "p1.pdf").write_bytes(
        image_pdf([text_page(["Số 14-KH/BTCTU"], size=(400, 300), font_px=20)])
    )
    (d / "p2.png").write_bytes(_png())
    bid = get_or_create_batch(ctx, "VB-2015-01", classification="mat")
    report = register_paths(ctx, bid, [d])
    assert report.pages == 2 and not report.failed
    (ctx.storage.page_dir(1) / "words.json").write_text('[{"text": "Số"}]', encoding="utf-8")
    audit.record(ctx, "admin", audit.LOGIN_OK, address="10.0.0.1")
    return ctx


def _rows(ctx):
    with ctx.session() as s:
        return {
            "batch": [(b.id, b.name, b.classification) for b in s.scalars(select(Batch))],
            "file": [
                (f.id, f.original_name, f.sha256, f.size, f.status, f.page_count)
                for f in s.scalars(select(SourceFile).order_by(SourceFile.id))
            ],
            "page": [(p.id, p.source_file_id, p.page_index) for p in s.scalars(select(Page))],
            "stage": [(t.page_id, t.stage, t.status) for t in s.scalars(select(PageStage))],
        }


def _tree(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for sub in ("originals", "derived")
        for p in (root / sub).rglob("*")
        if p.is_file()
    }


def _use(monkeypatch, settings):
    monkeypatch.setattr("cli.main.get_settings", lambda: settings)


@SQLITE_FORMAT
def test_backup_then_restore_gives_the_same_rows_and_files(filled, tmp_path, monkeypatch):
    ctx = filled
    _use(monkeypatch, ctx.settings)
    bk = tmp_path / "bk"
    assert main(["backup", str(bk), "--user", "admin"]) == 0
    manifest = json.loads((bk / MANIFEST).read_text(encoding="utf-8"))
    paths = {f["path"] for f in manifest["files"]}
    assert "derived/pages/1/words.json" in paths
    assert sum(p.startswith("originals/") for p in paths) == 2
    assert not any(p.startswith("tmp/") or p.startswith("sohoa.db") for p in paths)
    assert {"audit/anchor.log", "audit/audit.key"} <= paths
    new = tmp_path / "restored"
    assert main(["restore", str(bk), "--data-dir", str(new)]) == 0
    rctx = open_context(Settings(data_dir=new, database_url=None))
    assert _rows(rctx) == _rows(ctx)
    assert _tree(new) == _tree(ctx.settings.data_dir)
    original = next(new.glob("originals/*/*/*"))
    assert not original.stat().st_mode & stat.S_IWUSR  # originals stay read-only
    assert audit.verify(rctx).ok
    with rctx.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    # The backup is audited once it is complete, so in the live log, not inside the dump.
    assert actions == [audit.LOGIN_OK, audit.RESTORE]
    with ctx.session() as s:
        done = s.scalar(select(AuditEntry).where(AuditEntry.action == audit.BACKUP))
        # Originals, derived files, and the audit key and anchor (audit/).
        assert done is not None and done.actor == "admin" and done.details["files"] == 5
    rctx.engine.dispose()


@SQLITE_FORMAT
def test_corrupted_file_in_backup_is_reported_and_not_restored(
    filled, tmp_path, monkeypatch, capsys
):
    ctx = filled
    bk = tmp_path / "bk"
    run_backup(ctx, bk)
    victim = next((bk / "files" / "originals").rglob("*"))
    while victim.is_dir():
        victim = next(victim.iterdir())
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    (bk / "files" / "derived" / "pages" / "1" / "words.json").unlink()
    new = tmp_path / "restored"
    report = run_restore(bk, Settings(data_dir=new, database_url=None))
    bad = {path: why for path, why in report.mismatches}
    rel = victim.relative_to(bk / "files").as_posix()
    assert bad == {rel: "sha256", "derived/pages/1/words.json": "missing"}
    assert not (new / rel).exists() and report.files == 3  # the other original, audit/ x2
    # Through the CLI: the same, with an exit code and the file named.
    _use(monkeypatch, Settings(data_dir=tmp_path / "cli", database_url=None))
    assert main(["restore", str(bk)]) == 65
    err = capsys.readouterr().err
    assert rel in err and "SHA-256 không khớp" in err


@SQLITE_FORMAT
def test_corrupted_database_dump_is_refused_before_anything_is_written(filled, tmp_path):
    bk = tmp_path / "bk"
    run_backup(filled, bk)
    with (bk / "sohoa.db").open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\xab" * 16)
    new = tmp_path / "restored"
    with pytest.raises(InputError) as e:
        run_restore(bk, Settings(data_dir=new, database_url=None))
    assert e.value.code == "backup_corrupt"
    assert not (new / "originals").exists()


@SQLITE_FORMAT
def test_restore_refuses_a_used_target_unless_forced(filled, tmp_path):
    bk = tmp_path / "bk"
    run_backup(filled, bk)
    with pytest.raises(InputError) as e:
        run_restore(bk, filled.settings)
    assert e.value.code == "restore_target_not_empty" and "không trống" in e.value.message_vi
    other = tmp_path / "other"
    other.mkdir()
    (other / "ghi_chu.txt").write_text("x")
    with pytest.raises(InputError):
        run_restore(bk, Settings(data_dir=other, database_url=None))
    report = run_restore(bk, Settings(data_dir=other, database_url=None), force=True)
    assert not report.mismatches and report.audit is not None and report.audit.ok


@SQLITE_FORMAT
def test_incomplete_or_hostile_backups_are_refused(filled, tmp_path):
    bk = tmp_path / "bk"
    run_backup(filled, bk)
    with pytest.raises(InputError) as e:
        run_backup(filled, bk)
    assert e.value.code == "backup_dest_not_empty"
    manifest = json.loads((bk / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][0]["path"] = "../../etc/cron.d/x"
    (bk / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError) as e:
        run_restore(bk, Settings(data_dir=tmp_path / "n1", database_url=None))
    assert e.value.code == "backup_unsafe_path"
    (bk / MANIFEST).unlink()
    with pytest.raises(InputError) as e:
        run_restore(bk, Settings(data_dir=tmp_path / "n2", database_url=None))
    assert e.value.code == "backup_incomplete"


@pytest.mark.services
def test_postgresql_backup_and_restore(tmp_path, pg_url):
    settings = Settings(data_dir=tmp_path / "data", database_url=pg_url)
    ctx = open_context(settings)
    try:
        bid = get_or_create_batch(ctx, "pg-lo")
        (tmp_path / "s").mkdir()
        (tmp_path / "s" / "a.png").write_bytes(_png())
        register_paths(ctx, bid, [tmp_path / "s"])
        before = _rows(ctx)
        bk = tmp_path / "bk"
        report = run_backup(ctx, bk)
        assert report.db_kind == "postgresql" and (bk / "sohoa.pgdump").stat().st_size > 0
        get_or_create_batch(ctx, "thêm sau sao lưu")
        ctx.engine.dispose()
        restored = run_restore(bk, settings, force=True)
        assert not restored.mismatches and restored.audit is not None and restored.audit.ok
        assert _rows(ctx) == before
        with ctx.engine.begin() as c, pytest.raises(Exception, match="append-only"):
            c.execute(text("DELETE FROM audit_log"))
    finally:
        ctx.engine.dispose()


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
/dev/dm-1 /srv/sohoa ext4 rw,relatime 0 0
/dev/sdb1 /srv/sohoa/plain ext4 rw 0 0
/home/u/.Private /home/u ecryptfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def _fake_sys(root):
    crypt = root / "class" / "block" / "dm-0"
    (crypt / "dm").mkdir(parents=True)
    (crypt / "dm" / "uuid").write_text("CRYPT-LUKS2-abc-luks\n")
    lvm = root / "class" / "block" / "dm-1"
    (lvm / "dm").mkdir(parents=True)
    (lvm / "dm" / "uuid").write_text("LVM-xyz\n")
    (lvm / "slaves" / "dm-0").mkdir(parents=True)
    (root / "class" / "block" / "sdb1").mkdir(parents=True)
    return root


def test_mount_lookup_takes_the_deepest_mount():
    assert mount_of(Path("/srv/sohoa/data"), MOUNTS)[1] == "/srv/sohoa"
    assert mount_of(Path("/srv/sohoa/plain/x"), MOUNTS)[0] == "/dev/sdb1"
    assert mount_of(Path("/srv/other"), MOUNTS)[1] == "/"


def test_luks_under_lvm_and_ecryptfs_count_as_encrypted(tmp_path):
    sys_root = _fake_sys(tmp_path / "sys")
    assert block_is_crypt("/dev/dm-1", sys_root)  # LVM on top of LUKS
    assert not block_is_crypt("/dev/sdb1", sys_root)
    assert check_encrypted_storage(Path("/srv/sohoa/data"), MOUNTS, sys_root)
    assert check_encrypted_storage(Path("/home/u/data"), MOUNTS, sys_root)
    assert not check_encrypted_storage(Path("/tmp/data"), MOUNTS, sys_root)


def test_startup_refuses_unencrypted_storage_only_when_required(tmp_path):
    require_encrypted_storage(tmp_path, required=False)
    if check_encrypted_storage(tmp_path):
        pytest.skip("this machine's temp dir is on encrypted storage")
    with pytest.raises(ConfigError) as e:
        require_encrypted_storage(tmp_path, required=True)
    assert e.value.code == "storage_not_encrypted" and "mã hóa" in e.value.message_vi
