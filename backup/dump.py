"""``sohoa backup``: a consistent database dump plus every stored file with its SHA-256.

Layout of a backup folder::

    manifest.json        format, database dump name/size/sha256, and every file (path, size,
                         sha256); written last, so a backup without it is incomplete
    sohoa.db             SQLite: online backup API copy (consistent while workers write)
    sohoa.pgdump         PostgreSQL: ``pg_dump --format=custom``
    files/<path>         originals/…, derived/…, audit/ (the audit key and anchor file) and any
                         other data-dir file except tmp/

The database is dumped first, then files are copied: originals are only ever added, so every
file the dumped database refers to is in the copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from audit import trail as audit
from core.context import AppContext
from core.db import utcnow
from core.db_audit import AuditHead
from core.errors import ConfigError, DependencyError, InputError
from core.migrate import SQLITE_LOCK_SUFFIX

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_DUMP, PG_DUMP = "sohoa.db", "sohoa.pgdump"
_CHUNK = 1 << 20
# Not copied: partial uploads, the live SQLite files (the dump stands for them) and the
# empty lock file schema upgrades take beside them.
_SKIP_DIRS = {"tmp"}
SKIP_SUFFIXES = ("-wal", "-shm", "-journal", SQLITE_LOCK_SUFFIX)
# The audit anchor and key live in data_dir/audit/ and are backed up with the files.
ANCHOR_REL = "audit/anchor.log"


@dataclass
class BackupReport:
    """What a backup wrote."""

    dest: Path
    files: int = 0
    bytes: int = 0
    db_kind: str = ""
    misnamed_originals: list[str] = field(default_factory=list)


def copy_hashed(src: Path, dst: Path) -> tuple[int, str]:
    """Copy ``src`` to ``dst`` while hashing; returns (size, sha256 hex)."""
    digest, size = hashlib.sha256(), 0
    dst.parent.mkdir(parents=True, exist_ok=True)
    with src.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(_CHUNK):
            digest.update(chunk)
            fout.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def sha256_file(path: Path) -> str:
    """Return the SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_relpath(rel: str) -> PurePosixPath:
    """Return a manifest path if it stays inside its folder.

    Raises:
        InputError: ``backup_unsafe_path`` for absolute paths or ``..``.
    """
    p = PurePosixPath(rel)
    if p.is_absolute() or ".." in p.parts or "\\" in rel or not p.parts:
        raise InputError(
            f"unsafe path in manifest: {rel!r}",
            code="backup_unsafe_path",
            message_vi=f"Bản sao lưu chứa đường dẫn không an toàn: {rel}",
        )
    return p


def pg_env_url(url: str) -> tuple[str, dict[str, str]]:
    """Return a libpq URL (no driver suffix, no password) and env with ``PGPASSWORD``."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    plain = u.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _copy_anchor(src: Path, dst: Path, upto: int) -> tuple[int, str]:
    """Copy the anchor file's lines up to row ``upto``; returns (size, sha256 hex)."""
    kept = []
    for line in src.read_text(encoding="ascii", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            n = int(parts[1]) - (1 if parts[0] == "rekey" else 0)
            if n > upto:
                continue
        kept.append(line + "\n")
    data = "".join(kept).encode("ascii", errors="replace")
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)
    return len(data), hashlib.sha256(data).hexdigest()


def _data_files(root: Path, db_file: Path | None, exclude: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        dirnames[:] = sorted(d for d in dirnames if (here / d).resolve() != exclude)
        for name in sorted(filenames):
            p = here / name
            if db_file is not None and (
                p == db_file or (p.name.startswith(db_file.name) and p.name.endswith(SKIP_SUFFIXES))
            ):
                continue
            yield p


def _dump_database(ctx: AppContext, dest: Path) -> tuple[str, str]:
    url = ctx.engine.url
    if url.get_backend_name() == "sqlite":
        assert url.database
        src = sqlite3.connect(url.database)
        dst = sqlite3.connect(dest / SQLITE_DUMP)
        try:
            src.backup(dst)  # one step: a consistent snapshot even while others write
        finally:
            dst.close()
            src.close()
        return "sqlite", SQLITE_DUMP
    if url.get_backend_name() == "postgresql":
        plain, env = pg_env_url(url.render_as_string(hide_password=False))
        try:
            subprocess.run(
                ["pg_dump", "--format=custom", "--file", str(dest / PG_DUMP), plain],
                env=env,
                check=True,
                capture_output=True,
                timeout=6 * 3600,
            )
        except FileNotFoundError as e:
            raise DependencyError(
                "pg_dump not found",
                code="pg_dump_missing",
                message_vi="Thiếu chương trình pg_dump (gói postgresql-client).",
            ) from e
        except subprocess.CalledProcessError as e:
            raise ConfigError(
                f"pg_dump failed: {e.stderr.decode(errors='replace')}",
                code="pg_dump_failed",
                message_vi="pg_dump không sao lưu được cơ sở dữ liệu.",
            ) from e
        return "postgresql", PG_DUMP
    raise ConfigError(
        f"cannot back up {url.get_backend_name()}",
        code="backup_unsupported",
        message_vi="Chỉ sao lưu được SQLite hoặc PostgreSQL.",
    )


def run_backup(ctx: AppContext, dest: Path, actor: str = audit.SYSTEM) -> BackupReport:
    """Write a backup of the database and every stored file into the new folder ``dest``.

    Raises:
        InputError: ``backup_dest_not_empty`` when ``dest`` exists and is not empty.
    """
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise InputError(
            f"{dest} is not empty",
            code="backup_dest_not_empty",
            message_vi=f"Thư mục đích {dest} không trống; hãy chọn thư mục mới.",
        )
    dest.mkdir(parents=True, exist_ok=True)
    report = BackupReport(dest)
    with ctx.session() as s:
        # The audit anchor (outside the database) must not claim rows the dump lacks: only
        # what was committed before the dump started is copied from it.
        anchored = s.scalar(select(AuditHead.last_id)) or 0
    report.db_kind, db_name = _dump_database(ctx, dest)
    root = ctx.settings.data_dir.resolve()
    db_path = ctx.engine.url.database if report.db_kind == "sqlite" else None
    files: list[dict[str, Any]] = []
    for p in _data_files(root, Path(db_path).resolve() if db_path else None, dest.resolve()):
        rel = p.relative_to(root).as_posix()
        if rel == ANCHOR_REL:
            size, sha = _copy_anchor(p, dest / "files" / rel, anchored)
        else:
            size, sha = copy_hashed(p, dest / "files" / rel)
        if rel.startswith("originals/") and p.name != sha:
            report.misnamed_originals.append(rel)  # the live store itself is damaged
        files.append({"path": rel, "size": size, "sha256": sha})
        report.files += 1
        report.bytes += size
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(),
        "database": {
            "kind": report.db_kind,
            "file": db_name,
            "size": (dest / db_name).stat().st_size,
            "sha256": sha256_file(dest / db_name),
        },
        "files": files,
    }
    tmp = dest / (MANIFEST + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(dest / MANIFEST)
    audit.record(
        ctx,
        actor,
        audit.BACKUP,
        object_type="backup",
        object_id=str(dest),
        details={
            "files": report.files,
            "bytes": report.bytes,
            "database": report.db_kind,
            "misnamed_originals": report.misnamed_originals,
        },
        address="cli",
    )
    return report
