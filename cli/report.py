"""``sohoa report``: the weekly or monthly progress report as XLSX, PDF or CSV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from progress.reports.output import FORMATS

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext


err = Console(stderr=True)


def cmd_report(args: argparse.Namespace, ctx: AppContext) -> int:
    """Write the report of the week or month containing --date (default: today in Viet Nam)."""
    from core.storage import write_atomic
    from progress.counts import today_vn
    from progress.plan import parse_date
    from progress.reports.model import build_report
    from progress.reports.output import file_name, render

    day = parse_date(args.date) if args.date else today_vn()
    with ctx.session() as s:
        rep = build_report(s, args.period, day, org=args.org)
    data = render(rep, args.format)
    out = Path(args.out) if args.out else Path(file_name(rep, args.format))
    write_atomic(out, data, mode=0o644)  # a full disk leaves no half-written report behind
    err.print(f"Đã ghi báo cáo {rep.period.label_vi} ({len(data)} byte) vào {out}")
    for risk in rep.risks:
        err.print(f"  - {risk}")
    return 0


def register(sub: Any) -> None:
    """Add the ``report`` command."""
    rp = sub.add_parser("report", help="báo cáo tiến độ tuần/tháng (xlsx, pdf, csv)")
    rp.add_argument("--period", choices=["week", "month"], default="month")
    rp.add_argument("--date", help="ngày báo cáo (mặc định hôm nay, giờ Việt Nam)")
    rp.add_argument("--format", choices=sorted(FORMATS), default="xlsx")
    rp.add_argument("--out", help="tệp ghi ra (mặc định bao-cao-<kỳ>.<định dạng>)")
    rp.add_argument("--org", help="tên cơ quan in ở đầu báo cáo")
    rp.set_defaults(func=cmd_report)
