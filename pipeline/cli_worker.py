"""``sohoa worker``: process pending work (embedded mode: an in-process pool)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from sqlalchemy import select

from core.db import Batch
from pipeline.context import AppContext
from pipeline.runner import finish_batch, run_pages


def cmd_worker(args: argparse.Namespace, ctx: AppContext) -> int:
    """Process pending pages of every batch, polling for new work (embedded mode)."""
    while True:
        progress = run_pages(ctx, None, workers=args.workers)
        with ctx.session() as s:
            batch_ids = list(s.scalars(select(Batch.id)))
        for bid in batch_ids:
            finish_batch(ctx, bid)
        if args.once:
            return 0
        if not progress.total:
            time.sleep(args.poll)


def register(sub: Any) -> None:
    """Add the ``worker`` command."""
    wk = sub.add_parser("worker", help="xử lý các trang đang chờ (chế độ nhúng)")
    wk.add_argument("--workers", type=int, default=None)
    wk.add_argument("--once", action="store_true", help="exit when nothing is pending")
    wk.add_argument("--poll", type=float, default=5.0)
    wk.set_defaults(func=cmd_worker)
