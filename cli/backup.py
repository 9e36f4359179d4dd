"""``sohoa backup DEST`` and ``sohoa restore SRC [--data-dir D] [--force]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputError

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext


def cmd_backup(args: argparse.Namespace, ctx: AppContext) -> int:
    """Dump the database and copy every stored file with its SHA-256 into DEST."""
    from audit import trail as audit
    from backup.dump import run_backup

    report = run_backup(ctx, Path(args.dest), audit.cli_actor(args.user))
    print(
        f"Đã sao lưu cơ sở dữ liệu ({report.db_kind}) và {report.files} tệp "
        f"({report.bytes / (1 << 20):.1f} MB) vào {report.dest}."
    )
    for rel in report.misnamed_originals:
        print(
            f"Cảnh báo: bản gốc {rel} không khớp SHA-256 trong tên (kho lưu trữ bị hỏng?).",
            file=sys.stderr,
        )
    return 0


def cmd_restore(args: argparse.Namespace, ctx: AppContext) -> int:
    """Restore a backup into an empty data directory and verify every file."""
    from audit import trail as audit
    from backup.restore import run_restore

    settings = ctx.settings
    if args.data_dir:
        target = Path(args.data_dir)
        # A different data dir keeps SQLite inside it; a PostgreSQL URL stays as configured.
        db = None if settings.db_url.startswith("sqlite") else settings.database_url
        settings = settings.model_copy(update={"data_dir": target, "database_url": db})
    # The CLI opened (and migrated) the configured database before calling us: let it go.
    ctx.engine.dispose()
    report = run_restore(
        Path(args.src), settings, force=args.force, actor=audit.cli_actor(args.user)
    )
    print(
        f"Đã khôi phục {report.files} tệp ({report.bytes / (1 << 20):.1f} MB) vào "
        f"{settings.data_dir}."
    )
    if report.audit is not None:
        print(report.audit.message_vi, file=sys.stderr if not report.audit.ok else sys.stdout)
    for rel, problem in report.mismatches:
        why = "thiếu trong bản sao lưu" if problem == "missing" else "SHA-256 không khớp"
        print(f"Lỗi: {rel}: {why}", file=sys.stderr)
    if report.mismatches:
        raise InputError(
            f"{len(report.mismatches)} files failed verification",
            code="backup_corrupt",
            message_vi=f"{len(report.mismatches)} tệp trong bản sao lưu bị hỏng "
            "hoặc thiếu; các tệp này chưa được khôi phục.",
        )
    return 0 if report.audit is None or report.audit.ok else 70


def register(sub: Any) -> None:
    """Add ``backup`` and ``restore`` to the ``sohoa`` command line."""
    b = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu và toàn bộ tệp (kèm SHA-256)")
    b.add_argument("dest", help="thư mục đích mới (hoặc trống)")
    b.add_argument("--user", help="người sao lưu (ghi vào nhật ký)")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="khôi phục bản sao lưu vào thư mục dữ liệu trống")
    r.add_argument("src", help="thư mục bản sao lưu")
    r.add_argument("--data-dir", help="thư mục dữ liệu đích (mặc định: SOHOA_DATA_DIR)")
    r.add_argument("--force", action="store_true", help="ghi đè nơi đích không trống")
    r.add_argument("--user", help="người khôi phục (ghi vào nhật ký)")
    r.set_defaults(func=cmd_restore)
