"""The ``sohoa`` command line: ingest, status, export, serve, worker.

Exactly one error handler lives here: every :class:`SohoaError` becomes its message on stderr
and its ``exit_code``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from cli.preflight import preflight
from cli.show import err, out, print_intake, print_status, tag
from core.errors import InputError, NotFoundError, SohoaError
from core.settings import get_settings
from core.validation import batch_name

if TYPE_CHECKING:  # the commands import what they use: `sohoa --help` stays fast
    from core.context import AppContext
    from pipeline.runner import Pool
    from pipeline.runner import Progress as RunProgress

log = logging.getLogger(__name__)


def _years(value: str | None) -> tuple[int | None, int | None]:
    if not value:
        return None, None
    a, _, b = value.partition("-")
    try:
        return int(a), int(b or a)
    except ValueError:
        raise InputError(
            f"bad --years {value!r}",
            code="bad_argument",
            message_vi="--years phải có dạng 2010-2014 hoặc 2015.",
        ) from None


def cmd_ingest(args: argparse.Namespace, ctx: AppContext) -> int:
    """Register files into a batch and, with --wait, process them to completion."""
    _years(args.years)  # a bad --years stops the command before anything starts
    if not args.wait:
        return _register(args, ctx, None)
    preflight(ctx)
    from pipeline.runner import open_pool

    # The page workers start (and import the OCR code) while the files are registered.
    pool = open_pool(args.workers or ctx.settings.worker_count)
    try:
        return _register(args, ctx, pool)
    finally:
        pool.close()


def _start_page_workers(args: argparse.Namespace) -> None:
    """With --wait, start the page workers' fork server before the database is opened.

    Its imports and model loading (about a second) then run beside this process's own start
    (the database's imports, migrations, the engine check, registering the files) instead of
    after it, and the first pages are read that much sooner.
    """
    if args.wait:
        from pipeline.forking import start_fork_server

        start_fork_server()


def _register(args: argparse.Namespace, ctx: AppContext, pool: Pool | None) -> int:
    """Register the files; with a pool (``--wait``), process them to completion with it."""
    from core.db import Batch
    from pipeline.intake import get_or_create_batch, register_paths
    from progress.status import batch_status

    y0, y1 = _years(args.years)
    batch_id = get_or_create_batch(
        ctx,
        batch_name(args.batch),
        collection=args.collection,
        year_from=y0,
        year_to=y1,
        department=args.department,
        classification=args.classification,
        grouping=args.grouping,
        created_by=args.user,
    )
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        err.print(f"[red]Không tìm thấy:[/red] {escape(p)}")
    report = register_paths(ctx, batch_id, [Path(p) for p in args.paths if Path(p).exists()])
    print_intake(ctx, report, args.user)
    if pool is not None:
        _run_with_bars(ctx, batch_id, pool)
        with ctx.session() as s:
            b = s.get(Batch, batch_id)
            assert b is not None
            print_status(batch_status(s, b))
    return 1 if missing else 0


def _run_with_bars(ctx: AppContext, batch_id: int, pool: Pool) -> RunProgress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.runner import run_batch

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    ) as bars:
        task = bars.add_task("OCR trang", total=None)

        def update(p: RunProgress) -> None:
            bars.update(task, total=p.total, completed=p.done + p.failed)

        result = run_batch(ctx, batch_id, update, pool=pool)
    err.print(f"OCR xong: {result.done} trang, lỗi: {result.failed} trang.")
    return result


def cmd_status(args: argparse.Namespace, ctx: AppContext) -> int:
    """Show per-batch counts per stage and every failure with its reason."""
    from sqlalchemy import select

    from core.db import Batch
    from pipeline.enqueue import worker_overview
    from progress.status import batch_statuses

    with ctx.session() as s:
        q = select(Batch).order_by(Batch.id)
        if args.batch:
            q = q.where(Batch.name == args.batch)
        batches = list(s.scalars(q))
        if args.batch and not batches:
            raise NotFoundError(
                f"no batch named {args.batch!r}",
                code="batch_not_found",
                message_vi=f"Không có lô nào tên '{args.batch}'.",
            )
        summaries = [st for st, _progress in batch_statuses(s, batches)]
    if args.json:
        print(json.dumps(summaries, ensure_ascii=False, indent=2))
    else:
        for st in summaries:
            print_status(st)
        _print_workers(worker_overview(ctx))
    return 0


def _print_workers(overview: dict[str, Any]) -> None:
    """Print live workers and queue depths (from heartbeats and the broker)."""
    workers = overview.get("workers") or []
    out.print(
        f"Chế độ: {escape(str(overview.get('mode')))}; tiến trình xử lý đang chạy: {len(workers)}"
    )
    for name, depth in (overview.get("queues") or {}).items():
        out.print(f"Hàng đợi {escape(str(name))}: {depth}")


def cmd_export(args: argparse.Namespace, ctx: AppContext) -> int:
    """Write the batch's records as JSONL or CSV."""
    from audit import trail as audit_mod
    from core.storage import atomic_output
    from pipeline.intake import batch_by_name
    from records import export as export_mod

    with ctx.session() as s:
        batch = batch_by_name(s, args.batch)
    writer = export_mod.write_csv if args.format == "csv" else export_mod.write_jsonl
    with ctx.session() as s:
        records = export_mod.iter_records(s, batch.id, batch.name)
        if args.out:
            with atomic_output(Path(args.out), encoding="utf-8", newline="") as fh:
                n = writer(records, fh)
            err.print(f"Đã xuất {n} bản ghi vào {args.out}")
        else:
            writer(records, sys.stdout)
        audit_mod.record(
            ctx,
            audit_mod.cli_actor(None),
            audit_mod.EXPORT,
            object_type="batch",
            object_id=batch.id,
            details={"batch": batch.name, "format": args.format, "out": args.out},
            address="cli",
        )
    return 0


def cmd_serve(args: argparse.Namespace, ctx: AppContext) -> int:
    """Serve the web application and API."""
    import uvicorn

    from api.main import create_app
    from pipeline.background import BatchProcessor
    from pipeline.celery_app import is_embedded
    from progress.warm import start_warming

    app = create_app(ctx.settings, ctx)
    app.state.warmer = start_warming(ctx)
    if is_embedded(ctx.settings):
        # Work lives in the database: pages this process was reading when it was last
        # stopped (or killed) are taken up again at once, not at the next upload.
        app.state.processor = BatchProcessor(ctx)
        if resumed := app.state.processor.resume():
            log.info("resuming unfinished batches: %s", resumed)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``sohoa``."""
    p = argparse.ArgumentParser(
        prog="sohoa",
        description="Số hóa tài liệu lưu trữ: OCR tiếng Việt, trích xuất trường, tra cứu.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="nhận tệp vào một lô (PDF, TIFF, JPEG, PNG, ZIP, thư mục)")
    ing.add_argument("paths", nargs="+")
    ing.add_argument("--batch", required=True)
    ing.add_argument("--collection")
    ing.add_argument("--years", help="e.g. 2010-2014")
    ing.add_argument("--department")
    ing.add_argument(
        "--classification", default="thuong", choices=["thuong", "mat", "toi_mat", "tuyet_mat"]
    )
    ing.add_argument(
        "--grouping",
        choices=["auto", "file", "dossier"],
        default=None,
        help="tách tài liệu: auto (mặc định: mỗi tệp mới là tài liệu mới trừ khi trang cho thấy "
        "là trang tiếp), file (mỗi tệp một tài liệu), dossier (cả lô là một hồ sơ)",
    )
    ing.add_argument("--user", help="who uploads (recorded on the batch)")
    ing.add_argument("--wait", action="store_true", help="process to completion now")
    ing.add_argument("--workers", type=int, default=None)
    ing.set_defaults(func=cmd_ingest, before_context=_start_page_workers)

    st = sub.add_parser("status", help="tiến độ theo lô và các lỗi")
    st.add_argument("--batch")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)

    ex = sub.add_parser("export", help="xuất bản ghi của một lô")
    ex.add_argument("--batch", required=True)
    ex.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    ex.add_argument("--out")
    ex.set_defaults(func=cmd_export)

    sv = sub.add_parser("serve", help="chạy ứng dụng web và API")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.set_defaults(func=cmd_serve)

    for register in _feature_commands():
        register(sub)
    return p


def _feature_commands() -> list[Callable[[Any], None]]:
    """Return the ``register(subparsers)`` hooks of feature CLIs (search, reports, users…).

    Each feature keeps its commands in its own ``cli/<feature>.py`` exposing
    ``register(sub)``; its handlers take ``(args, ctx)`` like the ones above.
    """
    import importlib

    hooks = []
    for name in FEATURE_CLIS:
        module = importlib.import_module(f"cli.{name}")
        hooks.append(module.register)
    return hooks


# Feature command modules, in the order their commands appear in --help.
FEATURE_CLIS: list[str] = [
    "worker",
    "plan",
    "report",
    "search",
    "users",
    "audit",
    "backup",
    "classify",
    "reocr",
    "db",
    "policy",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    # The command line that started this process, for a worker that must start itself again
    # (not when called with arguments in another program's process).
    args.exec_argv = list(sys.orig_argv) if argv is None else None
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        before = getattr(args, "before_context", None)
        if before is not None:
            before(args)
        from core.context import open_context

        ctx = open_context(get_settings(), migrate=getattr(args, "migrate", True))
        return int(args.func(args, ctx))
    except KeyboardInterrupt:
        err.print("Đã dừng. Chạy lại cùng lệnh để tiếp tục từ chỗ dừng.")
        return 130
    except Exception as e:
        from core.faults import storage_fault

        # Ours, or a read-only/full disk met where no layer below translated it.
        known = e if isinstance(e, SohoaError) else storage_fault(e)
        if known is None:
            raise
        err.print(f"[red]Lỗi[/red] {tag(known.code)}: {escape(known.message_vi)}")
        return known.exit_code


if __name__ == "__main__":
    sys.exit(main())
