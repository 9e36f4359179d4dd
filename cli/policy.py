"""``sohoa policy``: auto-accept per collection (operators, audited as the named user)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext

out = Console()
err = Console(stderr=True)


def cmd_show(args: argparse.Namespace, ctx: AppContext) -> int:
    """List the policies in force and the pages they saved."""
    from review.autoaccept import list_policies, pages_saved

    policies = list_policies(ctx)
    if not policies:
        err.print("Chưa bộ sưu tập nào tự động chấp nhận: mọi tài liệu đều chờ rà soát.")
    else:
        t = Table("Bộ sưu tập", "Ngưỡng", "Người đặt", "Lúc")
        for p in policies:
            t.add_row(p.collection, f"{p.threshold:.2f}".replace(".", ","), p.set_by, p.set_at)
        out.print(t)
    err.print(f"Trang được chấp nhận tự động (không cần rà soát): {pages_saved(ctx, None)}.")
    return 0


def cmd_autoaccept(args: argparse.Namespace, ctx: AppContext) -> int:
    """Set a collection's threshold, or turn the policy off."""
    from audit.trail import SYSTEM
    from review.autoaccept import set_policy

    threshold = None if args.off else args.threshold
    if threshold is None and not args.off:
        err.print("[red]Cần --threshold (0,80-1,00) hoặc --off.[/red]")
        return 64
    set_policy(ctx, args.collection, threshold, args.user or SYSTEM, "cli")
    if threshold is None:
        err.print(f"Đã tắt tự động chấp nhận cho '{args.collection}'.")
    else:
        err.print(
            f"Bộ sưu tập '{args.collection}': tài liệu có mọi trường đạt độ tin cậy ≥ "
            f"{threshold:.2f}, không dấu mật, không trang kém sẽ được chấp nhận không cần rà soát."
        )
    return 0


def register(sub: Any) -> None:
    """Add the ``policy`` command and its subcommands."""
    pol = sub.add_parser("policy", help="chính sách tự động chấp nhận theo bộ sưu tập")
    ps = pol.add_subparsers(dest="policy_command", required=True)
    ps.add_parser("show", help="các chính sách đang áp dụng").set_defaults(func=cmd_show)
    a = ps.add_parser("autoaccept", help="đặt ngưỡng (hoặc tắt) cho một bộ sưu tập")
    a.add_argument("--collection", required=True)
    g = a.add_mutually_exclusive_group(required=True)
    g.add_argument("--threshold", type=float, help="ngưỡng độ tin cậy, 0.80-1.00")
    g.add_argument("--off", action="store_true", help="tắt: mọi tài liệu chờ rà soát")
    a.add_argument("--user", help="người đặt (ghi vào nhật ký)")
    a.set_defaults(func=cmd_autoaccept)
