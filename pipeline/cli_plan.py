"""``sohoa plan``: the collections of the digitization plan (admin), and batch assignment."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Batch
from core.db_plan import DEFAULT_DEADLINE, Collection
from core.errors import InputError, NotFoundError
from core.text import nfc
from pipeline.context import AppContext
from pipeline.progress import batch_progress, collection_key

out = Console()
err = Console(stderr=True)


def parse_date(value: str) -> dt.date:
    """Parse ``2026-12-31`` or ``31/12/2026``."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InputError(f"bad date {value!r}", code="bad_argument",
                     message_vi=f"Ngày '{value}' không hợp lệ (dạng 31/12/2026 hoặc 2026-12-31).")


def find_collection(s: Session, name: str) -> Collection:
    """Return the collection named ``name`` (NFC, trimmed) or raise NotFoundError."""
    key = collection_key(name)
    for c in s.scalars(select(Collection)):
        if collection_key(c.name) == key:
            return c
    raise NotFoundError(f"no collection named {name!r}", code="collection_not_found",
                        message_vi=f"Không có bộ sưu tập nào tên '{name}'.")


def upsert_collection(s: Session, name: str, *, pages: int | None = None,
                      owner: str | None = None, deadline: dt.date | None = None,
                      note: str | None = None, create: bool = True) -> Collection:
    """Create or update a collection of the plan; only the given values change."""
    if pages is not None and pages < 0:
        raise InputError("negative page estimate", code="bad_argument",
                         message_vi="Số trang dự kiến phải lớn hơn hoặc bằng 0.")
    try:
        c = find_collection(s, name)
    except NotFoundError:
        if not create:
            raise
        c = Collection(name=nfc(name).strip(), estimated_pages=0, deadline=DEFAULT_DEADLINE)
        s.add(c)
    if pages is not None:
        c.estimated_pages = pages
    if owner is not None:
        c.owner_department = nfc(owner).strip() or None
    if deadline is not None:
        c.deadline = deadline
    if note is not None:
        c.note = nfc(note)
    s.flush()
    return c


def assign_batch(s: Session, batch_name: str, collection: str) -> Batch:
    """Point a batch at a planned collection (sets its free-text ``collection`` to the name)."""
    b = s.scalar(select(Batch).where(Batch.name == batch_name))
    if b is None:
        raise NotFoundError(f"no batch named {batch_name!r}", code="batch_not_found",
                            message_vi=f"Không có lô nào tên '{batch_name}'.")
    b.collection = find_collection(s, collection).name
    return b


def cmd_add(args: argparse.Namespace, ctx: AppContext) -> int:
    """Add a collection (or update it when it exists)."""
    with ctx.session() as s:
        c = upsert_collection(s, args.name, pages=args.pages, owner=args.owner,
                              deadline=parse_date(args.deadline) if args.deadline else None,
                              note=args.note)
        err.print(f"Đã lưu bộ sưu tập '{c.name}': {c.estimated_pages} trang, "
                  f"hạn {c.deadline:%d/%m/%Y}.")
    return 0


def cmd_set(args: argparse.Namespace, ctx: AppContext) -> int:
    """Change an existing collection."""
    with ctx.session() as s:
        c = upsert_collection(s, args.name, pages=args.pages, owner=args.owner,
                              deadline=parse_date(args.deadline) if args.deadline else None,
                              note=args.note, create=False)
        err.print(f"Đã cập nhật bộ sưu tập '{c.name}'.")
    return 0


def cmd_assign(args: argparse.Namespace, ctx: AppContext) -> int:
    """Put a batch into a collection of the plan."""
    with ctx.session() as s:
        b = assign_batch(s, args.batch, args.collection)
        err.print(f"Lô '{b.name}' thuộc bộ sưu tập '{b.collection}'.")
    return 0


def cmd_list(args: argparse.Namespace, ctx: AppContext) -> int:
    """List the plan's collections with pages received and done so far."""
    with ctx.session() as s:
        per: dict[str, list[int]] = {}
        for b in batch_progress(s):
            acc = per.setdefault(b.collection, [0, 0, 0, 0])
            acc[0] += 1
            acc[1] += b.pages_received
            acc[2] += b.pages_ocr_done
            acc[3] += b.pages_reviewed
        table = Table(title="Kế hoạch số hóa")
        for h in ("Bộ sưu tập", "Đơn vị phụ trách", "Dự kiến (trang)", "Hạn", "Số lô",
                  "Đã nhận", "Đã OCR", "Đã rà soát"):
            table.add_column(h, justify="right" if h not in ("Bộ sưu tập", "Đơn vị phụ trách")
                             else "left")
        for c in s.scalars(select(Collection).order_by(Collection.name)):
            n = per.get(collection_key(c.name), [0, 0, 0, 0])
            table.add_row(c.name, c.owner_department or "", str(c.estimated_pages),
                          f"{c.deadline:%d/%m/%Y}", *map(str, n))
    out.print(table)
    return 0


def register(sub: Any) -> None:
    """Add the ``plan`` command and its subcommands."""
    plan = sub.add_parser("plan", help="kế hoạch số hóa: bộ sưu tập, số trang dự kiến, hạn")
    ps = plan.add_subparsers(dest="plan_command", required=True)
    for name, func, helptext in (("add", cmd_add, "thêm (hoặc sửa) bộ sưu tập"),
                                 ("set", cmd_set, "sửa bộ sưu tập đã có")):
        p = ps.add_parser(name, help=helptext)
        p.add_argument("name", help="tên bộ sưu tập, ví dụ 'Hồ sơ đảng viên'")
        p.add_argument("--pages", type=int, help="số trang dự kiến")
        p.add_argument("--owner", help="đơn vị phụ trách")
        p.add_argument("--deadline", help=f"hạn hoàn thành (mặc định {DEFAULT_DEADLINE:%d/%m/%Y})")
        p.add_argument("--note")
        p.set_defaults(func=func)
    ls = ps.add_parser("list", help="liệt kê kế hoạch và tiến độ")
    ls.set_defaults(func=cmd_list)
    asg = ps.add_parser("assign", help="gán một lô vào bộ sưu tập")
    asg.add_argument("--batch", required=True)
    asg.add_argument("--collection", required=True)
    asg.set_defaults(func=cmd_assign)
