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
    """List the plan's collections with pages received and done so far."""
    from sqlalchemy import select

    from core.db_plan import Collection
    from progress.counts import batch_progress, collection_key

    with ctx.session() as s:
        per: dict[str, list[int]] = {}
        for b in batch_progress(s):
            acc = per.setdefault(b.collection, [0, 0, 0, 0])
            acc[0] += 1
            acc[1] += b.pages_received
            acc[2] += b.pages_ocr_done
            acc[3] += b.pages_reviewed
        table = Table(title="Kế hoạch số hóa")
        for h in (
            "Bộ sưu tập",
            "Đơn vị phụ trách",
            "Dự kiến (trang)",
            "Hạn",
            "Số lô",
            "Đã nhận",
            "Đã OCR",
            "Đã rà soát",
        ):
            table.add_column(
                h, justify="right" if h not in ("Bộ sưu tập", "Đơn vị phụ trách") else "left"
            )
        for c in s.scalars(select(Collection).order_by(Collection.name)):
            n = per.get(collection_key(c.name), [0, 0, 0, 0])
            table.add_row(
                c.name,
                c.owner_department or "",
                str(c.estimated_pages),
                f"{c.deadline:%d/%m/%Y}",
                *map(str, n),
            )
    out.print(table)
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
    ls = ps.add_parser("list", help="liệt kê kế hoạch và tiến độ")
    ls.set_defaults(func=cmd_list)
    asg = ps.add_parser("assign", help="gán một lô vào bộ sưu tập")
    asg.add_argument("--batch", required=True)
    asg.add_argument("--collection", required=True)
    asg.set_defaults(func=cmd_assign)
