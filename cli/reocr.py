"""``sohoa reocr``: recognise a document's pages again and re-extract its fields."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from core.access import Scope
from core.levels import LEVELS

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext


def cmd_reocr(args: argparse.Namespace, ctx: AppContext) -> int:
    """OCR one document's pages again from their originals (audited)."""
    from audit import trail as audit
    from review.reocr import reocr_document

    done = reocr_document(
        ctx, args.document, audit.cli_actor(args.user), Scope(LEVELS[-1]), address="cli"
    )
    print(f"Tài liệu #{args.document}: đã nhận dạng lại {done} trang và trích xuất lại các trường.")
    return 0


def register(sub: Any) -> None:
    """Add ``reocr`` to the ``sohoa`` command line."""
    p = sub.add_parser("reocr", help="nhận dạng lại các trang của một tài liệu từ bản gốc")
    p.add_argument("document", type=int, help="số hiệu tài liệu (#)")
    p.add_argument("--user", help="người thực hiện (ghi vào nhật ký)")
    p.set_defaults(func=cmd_reocr)
