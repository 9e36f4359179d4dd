"""``sohoa plan``: the collections of the digitization plan (admin), and batch assignment."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from core.mission import DEADLINE

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext

out = Console()
err = Console(stderr=True)


def cmd_add(args: argparse.Namespace, ctx: AppContext) -> int:
    """Add a collection (or update it when it exists)."""
    from progress.plan import parse_date, upsert_collection

    with ctx.session() as s:
        c = upsert_collection(
            s,
            args.name,
            pages=args.pages,
            owner=args.owner,
            deadline=parse_date(args.deadline) if args.deadline else None,
            note=args.note,
        )
        err.print(
            f"Đã lưu bộ sưu tập '{c.name}': {c.estimated_pages} trang, hạn {c.deadline:%d/%m/%Y}."
        )
    return 0


def cmd_set(args: argparse.Namespace, ctx: AppContext) -> int:
    """Change an existing collection."""
    from progress.plan import parse_date, upsert_collection

    with ctx.session() as s:
        c = upsert_collection(
            s,
            args.name,
            pages=args.pages,
            owner=args.owner,
            deadline=parse_date(args.deadline) if args.deadline else None,
            note=args.note,
            create=False,
        )
        err.print(f"Đã cập nhật bộ sưu tập '{c.name}'.")
    return 0


def cmd_assign(args: argparse.Namespace, ctx: AppContext) -> int:
    """Put a batch into a collection of the plan."""
    from progress.plan import assign_batch

    with ctx.session() as s:
        b = assign_batch(s, args.batch, args.collection)
        err.print(f"Lô '{b.name}' thuộc bộ sưu tập '{b.collection}'.")
    return 0


def cmd_list(args: argparse.Namespace, ctx: AppContext) -> int:
    """List the plan: planned, done, rates, forecast and status (the one forecast rule)."""
    from progress.counts import today_vn
    from progress.plan import parse_date
    from progress.reports.model import build_report
    from progress.reports.tables import fmt

    as_of = parse_date(args.date) if args.date else today_vn()
    with ctx.session() as s:
        rep = build_report(s, "month", as_of)
    table = Table(title=f"Kế hoạch số hóa, tính đến {as_of:%d/%m/%Y} (số hóa = đã rà soát)")
    left = ("Bộ sưu tập", "Đơn vị phụ trách", "Dự kiến xong", "Tình trạng")
    for h in (
        "Bộ sưu tập",
        "Đơn vị phụ trách",
        "Kế hoạch (trang)",
        "Hạn",
        "Đã OCR",
        "Đã số hóa",
        "Tốc độ 7 ngày",
        "Cần/ngày",
        "Dự kiến xong",
        "Tình trạng",
    ):
        table.add_column(h, justify="left" if h in left else "right")
    for r in [*rep.rows, rep.overall, *rep.unplanned]:
        f = r.digitized
        table.add_row(
            r.name,
            r.owner or "",
            fmt(r.planned, "int") if r.planned else "—",
            fmt(f.deadline, "date") if r.planned else "—",
            fmt(r.ocr.done, "int"),
            fmt(f.done, "int") + (f" ({fmt(f.share_done, 'pct')})" if f.share_done else ""),
            fmt(f.rate_7d, "float"),
            fmt(f.required_rate, "float"),
            f.projected_vi,
            f.status_vi,
            end_section=r is rep.overall or (bool(rep.rows) and r is rep.rows[-1]),
        )
    out.print(table)
    out.print(rep.rule, style="dim")
    return 0


def register(sub: Any) -> None:
    """Add the ``plan`` command and its subcommands."""
    plan = sub.add_parser("plan", help="kế hoạch số hóa: bộ sưu tập, số trang dự kiến, hạn")
    ps = plan.add_subparsers(dest="plan_command", required=True)
    for name, func, helptext in (
        ("add", cmd_add, "thêm (hoặc sửa) bộ sưu tập"),
        ("set", cmd_set, "sửa bộ sưu tập đã có"),
    ):
        p = ps.add_parser(name, help=helptext)
        p.add_argument("name", help="tên bộ sưu tập, ví dụ 'Hồ sơ đảng viên'")
        p.add_argument("--pages", type=int, help="số trang dự kiến")
        p.add_argument("--owner", help="đơn vị phụ trách")
        p.add_argument("--deadline", help=f"hạn hoàn thành (mặc định {DEADLINE:%d/%m/%Y})")
        p.add_argument("--note")
        p.set_defaults(func=func)
    ls = ps.add_parser("list", help="kế hoạch, đã làm, tốc độ, dự báo và tình trạng")
    ls.add_argument("--date", help="tính đến ngày (31/12/2026 hoặc 2026-12-31; mặc định hôm nay)")
    ls.set_defaults(func=cmd_list)
    asg = ps.add_parser("assign", help="gán một lô vào bộ sưu tập")
    asg.add_argument("--batch", required=True)
    asg.add_argument("--collection", required=True)
    asg.set_defaults(func=cmd_assign)
