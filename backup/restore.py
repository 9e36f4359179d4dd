"""``sohoa restore``: put a backup into an empty data directory, checking every SHA-256."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from audit import trail as audit
from backup.dump import (
    ANCHOR_REL,
    MANIFEST,
    SKIP_SUFFIXES,
    copy_hashed,
    pg_env_url,
    safe_relpath,
    sha256_file,
)
from core.context import open_context
from core.db import make_engine
from core.errors import ConfigError, DependencyError, InputError
from core.settings import Settings

# Tables that hold rows even in a freshly migrated, never used database.
_BOOKKEEPING = {"alembic_version", "audit_head"}


@dataclass
class RestoreReport:
    """What a restore put back, and every file that did not match the manifest."""

    files: int = 0
    bytes: int = 0
    mismatches: list[tuple[str, str]] = field(default_factory=list)  # (path, problem)
    audit: audit.VerifyReport | None = None


def read_manifest(src: Path) -> dict[str, Any]:
    """Return a backup's manifest.

    Raises:
        InputError: ``backup_incomplete`` when there is none (interrupted or not a backup).
    """
    try:
        return dict(json.loads((Path(src) / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError) as e:
        raise InputError(
            f"no readable manifest in {src}: {e}",
            code="backup_incomplete",
            message_vi=f"{src} không phải bản sao lưu hoàn chỉnh (thiếu hoặc hỏng {MANIFEST}).",
        ) from e


def target_in_use(settings: Settings) -> list[str]:
    """Return why the target data directory/database is not empty (empty list: it is)."""
    reasons: list[str] = []
    root = settings.data_dir
    url = make_url(settings.db_url)
    db_file = (
        Path(url.database).resolve()
        if url.get_backend_name() == "sqlite" and url.database
        else None
    )
    if root.exists():
        for p in root.rglob("*"):
            if p.is_file() and not (
                db_file
                and p.name.startswith(db_file.name)
                and (p == db_file or p.name.endswith(SKIP_SUFFIXES))
            ):
                reasons.append(f"tệp {p.relative_to(root).as_posix()}")
                break
    if db_file is not None and not db_file.exists():
        return reasons
    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as c:
            for table in inspect(c).get_table_names():
                if table in _BOOKKEEPING:
                    continue
                if c.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first() is not None:
                    reasons.append(f"bảng {table} có dữ liệu")
                    break
    finally:
        engine.dispose()
    return reasons


def run_restore(
    src: Path, settings: Settings, *, force: bool = False, actor: str = audit.SYSTEM
) -> RestoreReport:
    """Restore the backup in ``src`` into ``settings.data_dir`` and ``settings.db_url``.

    The database dump is checked against the manifest before anything is written; each file
    is hashed while it is copied and left out (and reported) when it does not match. The
    restored audit chain is verified, and the restore itself is audited.

    Raises:
        InputError: ``restore_target_not_empty`` (without ``force``), ``backup_incomplete``,
            ``backup_corrupt`` (the database dump does not match its manifest entry).
    """
    src = Path(src)
    manifest = read_manifest(src)
    busy = target_in_use(settings)
    if busy and not force:
        raise InputError(
            f"target not empty: {busy}",
            code="restore_target_not_empty",
            message_vi=f"Nơi khôi phục không trống ({'; '.join(busy)}). Hãy dùng "
            "thư mục/cơ sở dữ liệu mới, hoặc --force để ghi đè.",
        )
    db = manifest["database"]
    dump = src / safe_relpath(db["file"])
    if not dump.is_file() or sha256_file(dump) != db["sha256"]:
        raise InputError(
            f"database dump {dump} does not match the manifest",
            code="backup_corrupt",
            message_vi=f"Bản sao cơ sở dữ liệu ({db['file']}) bị hỏng hoặc bị "
            "sửa (SHA-256 không khớp); không khôi phục.",
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    _restore_database(db["kind"], dump, settings.db_url)
    # The audit anchor belongs with the database it anchors: the backup's copy (if any)
    # replaces the target's, or a restored older log would look truncated.
    (settings.data_dir / ANCHOR_REL).unlink(missing_ok=True)
    report = RestoreReport()
    for entry in manifest["files"]:
        _restore_file(src, settings.data_dir, entry, report)
    ctx = open_context(settings)  # migrates a backup taken before later schema changes
    try:
        report.audit = audit.verify(ctx)
        audit.record(
            ctx,
            actor,
            audit.RESTORE,
            object_type="backup",
            object_id=str(src),
            details={
                "files": report.files,
                "bytes": report.bytes,
                "mismatches": [p for p, _ in report.mismatches][:100],
                "audit_ok": report.audit.ok,
            },
            address="cli",
        )
    finally:
        ctx.engine.dispose()
    return report


def _restore_database(kind: str, dump: Path, url: str) -> None:
    backend = make_url(url).get_backend_name()
    if kind != backend:
        raise ConfigError(
            f"backup is {kind}, target is {backend}",
            code="restore_mismatch",
            message_vi=f"Bản sao lưu là {kind} nhưng cơ sở dữ liệu đích là "
            f"{backend}; không khôi phục chéo được.",
        )
    if kind == "sqlite":
        target = make_url(url).database
        assert target
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)  # replaces every page, WAL included, under SQLite's locks
        finally:
            dest.close()
            source.close()
        return
    plain, env = pg_env_url(url)
    try:
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                plain,
                str(dump),
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=6 * 3600,
        )
    except FileNotFoundError as e:
        raise DependencyError(
            "pg_restore not found",
            code="pg_restore_missing",
            message_vi="Thiếu chương trình pg_restore (gói postgresql-client).",
        ) from e
    except subprocess.CalledProcessError as e:
        raise ConfigError(
            f"pg_restore failed: {e.stderr.decode(errors='replace')}",
            code="pg_restore_failed",
            message_vi="pg_restore không khôi phục được cơ sở dữ liệu.",
        ) from e


def _restore_file(src: Path, root: Path, entry: dict[str, Any], report: RestoreReport) -> None:
    rel = safe_relpath(entry["path"])
    source = src / "files" / rel
    if not source.is_file():
        report.mismatches.append((str(rel), "missing"))
        return
    final = root / rel
    partial = final.with_name(final.name + ".restoring")
    size, sha = copy_hashed(source, partial)
    if sha != entry["sha256"] or size != entry["size"]:
        partial.unlink()
        report.mismatches.append((str(rel), "sha256"))
        return
    if rel.parts[0] == "originals":
        partial.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    with contextlib.suppress(FileNotFoundError):
        final.chmod(stat.S_IRUSR | stat.S_IWUSR)
    partial.replace(final)
    report.files += 1
    report.bytes += size
