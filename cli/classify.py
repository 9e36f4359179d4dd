"""``sohoa classify``: raise or lower one document's classification from the command line."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from core.access import Scope
from core.levels import LABELS, LEVELS

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext


def cmd_classify(args: argparse.Namespace, ctx: AppContext) -> int:
    """Set a document's level; lowering needs ``--reason`` (audited either way)."""
    from audit import trail as audit
    from review.actions import change_classification

    # The operator at the command line has the database itself: an administrator's rights,
    # and the same rules (a written reason to lower, TUYỆT MẬT text purged under store_only).
    old = change_classification(
        ctx,
        args.document,
        args.level,
        audit.cli_actor(args.user),
        Scope(LEVELS[-1]),
        args.reason,
        is_admin=True,
        address="cli",
    )
    if old == args.level:
        print(f"Tài liệu #{args.document} đã là {LABELS[old]}; không thay đổi.")
    else:
        print(f"Tài liệu #{args.document}: {LABELS[old]} → {LABELS[args.level]}.")
    return 0


def register(sub: Any) -> None:
    """Add ``classify`` to the ``sohoa`` command line."""
    p = sub.add_parser("classify", help="đổi độ mật của một tài liệu (hạ độ mật phải có lý do)")
    p.add_argument("document", type=int, help="số hiệu tài liệu (#)")
    p.add_argument("level", choices=LEVELS, help="độ mật mới")
    p.add_argument("--reason", default="", help="lý do (bắt buộc khi hạ độ mật)")
    p.add_argument("--user", help="người thực hiện (ghi vào nhật ký)")
    p.set_defaults(func=cmd_classify)
