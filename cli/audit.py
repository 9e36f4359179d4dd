"""``sohoa audit verify`` and ``sohoa audit export``: check and read the audit trail."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from core.cells import SafeCsvWriter
from core.errors import InputError, StageError
from core.storage import atomic_output

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext

CSV_COLUMNS = (
    "id",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "details",
    "address",
    "prev_hash",
    "hash",
)


def _since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"bad --since {value!r}",
            code="bad_argument",
            message_vi="--since phải là ngày dạng 2026-01-31 (hoặc 2026-01-31T08:00).",
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def cmd_verify(args: argparse.Namespace, ctx: AppContext) -> int:
    """Recompute the hash chain; exit 70 naming the first broken row when tampered."""
    from audit import trail as audit

    report = audit.verify(ctx)
    if not report.ok:
        raise StageError(
            f"audit chain broken at row {report.first_bad_id}: {report.problem}",
            code="audit_tampered",
            message_vi=report.message_vi,
        )
    print(f"Nhật ký kiểm toán nguyên vẹn: {report.rows} bản ghi, chuỗi băm khớp.")
    return 0


def write_entries(entries: Any, fh: TextIO, fmt: str) -> int:
    """Write audit entries as ``csv`` or ``jsonl``; returns how many."""
    n = 0
    if fmt == "csv":
        w = SafeCsvWriter(fh)
        w.writerow(CSV_COLUMNS)
        for e in entries:
            row = dict(e, details=json.dumps(e["details"], ensure_ascii=False, sort_keys=True))
            w.writerow([row[c] if row[c] is not None else "" for c in CSV_COLUMNS])
            n += 1
    else:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def cmd_export(args: argparse.Namespace, ctx: AppContext) -> int:
    """Write the audit log (from ``--since`` on) as CSV or JSONL; the export is itself audited."""
    from audit import trail as audit

    since = _since(args.since)
    with ctx.session() as s, ExitStack() as stack:
        fh: TextIO = sys.stdout
        if args.out:
            fh = stack.enter_context(atomic_output(Path(args.out), encoding="utf-8", newline=""))
        n = write_entries(audit.iter_entries(s, since), fh, args.format)
    audit.record(
        ctx,
        audit.cli_actor(args.user),
        audit.EXPORT,
        object_type="audit_log",
        details={"format": args.format, "since": args.since, "rows": n, "out": args.out},
        address="cli",
    )
    if args.out:
        print(f"Đã xuất {n} bản ghi nhật ký vào {args.out}", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    """Add ``audit verify`` and ``audit export`` to the ``sohoa`` command line."""
    p = sub.add_parser("audit", help="nhật ký kiểm toán: kiểm tra toàn vẹn, xuất")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="kiểm tra chuỗi băm của nhật ký (phát hiện sửa/xóa)")
    v.set_defaults(func=cmd_verify)
    e = asub.add_parser("export", help="xuất nhật ký kiểm toán (CSV hoặc JSONL)")
    e.add_argument("--format", choices=["csv", "jsonl"], default="jsonl")
    e.add_argument("--since", help="từ ngày (ISO, ví dụ 2026-01-31)")
    e.add_argument("--out", help="tệp đích (mặc định: màn hình)")
    e.add_argument("--user", help="người xuất (ghi vào nhật ký)")
    e.set_defaults(func=cmd_export)
