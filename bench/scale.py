"""Scale-out benchmark: one vs two ``sohoa worker`` processes, overhead, sizing table.

Measures pages/min of one and of two worker processes, the orchestration overhead per page,
and prints a sizing table (pages/day per core, cores for an archive by a date).

    .venv/bin/python bench/scale.py --pages 40 --mode server --record

Fewer pages understate the speed-up: the last pages of a run keep one worker busy while
the other idles (12 pages: 1.59x; 40 pages: 1.83x, same machine, same hour).

Each run: a fresh data directory (and a fresh PostgreSQL database + Redis database number in
``server`` mode), one image-only A4 200-dpi PDF of ``--pages`` scan-like pages
(bench/scanpdf.py), registered without processing; then N ``sohoa worker --concurrency 1``
processes are started and the run is timed from the first page claimed to the last page saved
(``page_stage.started_at`` / ``finished_at``), so worker start-up is not counted. OCR time is
``page_stage.duration_ms`` (``process_page`` alone); orchestration overhead is the rest of the
one-process wall time (queue, claim, job load, save, ack) per page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import create_engine, func, select, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.scanpdf import write_scan_pdf  # noqa: E402
from core.context import open_context  # noqa: E402
from core.db import Page, PageStage  # noqa: E402
from core.settings import Settings  # noqa: E402
from pipeline.intake import get_or_create_batch, register_paths  # noqa: E402

PG_ADMIN = "postgresql+psycopg://root@127.0.0.1:5432/postgres"


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _busy_cpu() -> float:
    t = psutil.cpu_times()
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))


def _tree_cpu(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            c = p.cpu_times()
            total += c.user + c.system + c.children_user + c.children_system
        except psutil.NoSuchProcess:
            continue
    return total


_redis_procs: list[subprocess.Popen[bytes]] = []


def _private_redis(tmp: Path) -> str:
    """Start a redis-server of our own (the shared one serves other people's tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _redis_procs.append(
        subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp),
            ],
            stdout=subprocess.DEVNULL,
        )
    )
    for _ in range(100):
        if _reachable(port):
            break
        time.sleep(0.1)
    return f"redis://127.0.0.1:{port}/0"


def run_once(n_workers: int, pdf: Path, pages: int, mode: str) -> dict[str, Any]:
    """Process the PDF with ``n_workers`` worker processes; return timings."""
    tmp = Path(tempfile.mkdtemp(prefix="sohoa-scale-"))
    db_name = f"sohoa_bench_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "SOHOA_DATA_DIR": str(tmp / "data")}
    admin = None
    if mode == "server":
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{db_name}"'))
        env["SOHOA_DATABASE_URL"] = f"postgresql+psycopg://root@127.0.0.1:5432/{db_name}"
        env["SOHOA_BROKER_URL"] = _private_redis(tmp)
    settings = Settings(
        data_dir=tmp / "data",
        database_url=env.get("SOHOA_DATABASE_URL"),
        broker_url=env.get("SOHOA_BROKER_URL"),
    )
    ctx = open_context(settings)
    register_paths(ctx, get_or_create_batch(ctx, "scale"), [pdf])
    procs: list[subprocess.Popen[bytes]] = []
    cpu: dict[int, float] = {}
    busy0, t0 = _busy_cpu(), time.monotonic()
    for i in range(n_workers):
        with (tmp / f"worker{i}.log").open("wb") as log:
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "cli.main",
                        "worker",
                        "--concurrency",
                        "1",
                        "--sweep-interval",
                        "0.5",
                    ],
                    env=env,
                    cwd=REPO,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            )
    try:
        while True:
            time.sleep(0.5)
            for p in procs:
                cpu[p.pid] = max(cpu.get(p.pid, 0.0), _tree_cpu(p.pid))
            with ctx.session() as s:
                left = s.scalar(
                    select(func.count())
                    .select_from(PageStage)
                    .where(PageStage.status.in_(("pending", "running")))
                )
                loose = s.scalar(
                    select(func.count()).select_from(Page).where(Page.document_id.is_(None))
                )
            if not left and not loose:
                break
            if time.monotonic() - t0 > 3600:
                raise RuntimeError("benchmark run did not finish within an hour")
    finally:
        wall_total = time.monotonic() - t0
        busy = _busy_cpu() - busy0
        for p in procs:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    with ctx.session() as s:
        rows = s.execute(
            select(
                PageStage.status,
                PageStage.started_at,
                PageStage.finished_at,
                PageStage.duration_ms,
                PageStage.attempts,
            )
        ).all()
    ctx.engine.dispose()
    while _redis_procs:
        r = _redis_procs.pop()
        r.kill()
        r.wait()
    if admin is not None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    assert len(rows) == pages and all(r[0] == "done" and r[4] == 1 for r in rows), rows
    spans = [(r[1], r[2]) for r in rows if r[1] is not None and r[2] is not None]
    wall = (max(b for _, b in spans) - min(a for a, _ in spans)).total_seconds()
    ocr_s = sum(float(r[3] or 0) for r in rows) / 1000
    in_task = sum((b - a).total_seconds() for a, b in spans) - ocr_s
    ours = sum(cpu.values())
    return {
        "workers": n_workers,
        "pages": pages,
        "wall_s": wall,
        "pages_per_min": pages / wall * 60,
        "ocr_s_per_page": ocr_s / pages,
        "overhead_s_per_page": (wall * n_workers - ocr_s) / pages,
        "in_task_overhead_s_per_page": in_task / pages,
        "other_load_cores": max(0.0, (busy - ours) / wall_total),
    }


def sizing(ppd_core: float, archives: list[int], days: list[int]) -> list[str]:
    """Return markdown rows: cores needed to OCR each archive size within each deadline."""
    head = "| archive pages | " + " | ".join(f"{d} days" for d in days) + " |"
    lines = [head, "|---|" + "---|" * len(days)]
    for a in archives:
        cells = [str(math.ceil(a / (ppd_core * d))) for d in days]
        lines.append(f"| {a:,} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    """Run the benchmark and print (and with --record append) the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--mode", choices=["auto", "server", "embedded"], default="auto")
    ap.add_argument(
        "--archive-pages", type=int, nargs="*", default=[100_000, 1_000_000, 5_000_000, 20_000_000]
    )
    ap.add_argument(
        "--by",
        type=dt.date.fromisoformat,
        default=None,
        help="deadline date for an extra sizing column",
    )
    ap.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = ap.parse_args()
    mode = args.mode
    if mode == "auto":
        mode = "server" if _reachable(5432) and shutil.which("redis-server") else "embedded"
    work = Path(tempfile.mkdtemp(prefix="sohoa-scale-pdf-"))
    pdf = write_scan_pdf(work / "quyen.pdf", args.pages)
    load0 = os.getloadavg()
    one = run_once(1, pdf, args.pages, mode)
    two = run_once(2, pdf, args.pages, mode)
    load1 = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)
    speedup = two["pages_per_min"] / one["pages_per_min"]
    overhead = one["overhead_s_per_page"] / one["ocr_s_per_page"]
    ppd_core = 86400 / (one["wall_s"] / one["pages"])  # one process on one core, all costs in
    days = [30, 90, 365]
    if args.by:
        days.append((args.by - dt.date.today()).days)
    cmd = "python bench/scale.py " + " ".join(sys.argv[1:])
    stack = "PostgreSQL + private Redis" if mode == "server" else "SQLite + file broker"
    commit = (
        subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )
    out = [
        f"### {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC — `{cmd}` (commit {commit})",
        "",
        f"Mode {mode} ({stack}),"
        f" {args.pages} image-only A4 200-dpi pages, {os.cpu_count()} cores, "
        f"load average {load0[0]:.2f} before / {load1[0]:.2f} after; other work took "
        f"{one['other_load_cores']:.2f} / {two['other_load_cores']:.2f} cores on average "
        "during the 1- / 2-worker runs.",
        "",
        "| workers | wall s | pages/min | OCR s/page | overhead s/page | in-task s/page |",
        "|---|---|---|---|---|---|",
    ]
    for r in (one, two):
        out.append(
            f"| {r['workers']} | {r['wall_s']:.1f} | {r['pages_per_min']:.1f} | "
            f"{r['ocr_s_per_page']:.2f} | {r['overhead_s_per_page']:.3f} | "
            f"{r['in_task_overhead_s_per_page']:.3f} |"
        )
    out += [
        "",
        f"- Speed-up of 2 workers over 1: **{speedup:.2f}×** (target ≥ 1.8×).",
        f"- Orchestration overhead (1 worker: wall − OCR, per page) = **{overhead:.1%}** of "
        "OCR time (target ≤ 5 %).",
        f"- Pages/day per core (1 process, everything included): **{ppd_core:,.0f}**.",
        "",
        "Cores needed to OCR an archive within a deadline (at the rate above):",
        "",
        *sizing(ppd_core, args.archive_pages, days),
        "",
    ]
    report = "\n".join(out)
    print(report)
    if args.record:
        results = REPO / "bench" / "RESULTS.md"
        body = results.read_text(encoding="utf-8")
        if "\n## Scale\n" not in body:
            body = body.rstrip("\n") + "\n\n## Scale\n"
        head, _, rest = body.partition("\n## Scale\n")
        section, nxt, tail = rest.partition("\n## ")  # only this section is ours
        section = section.rstrip("\n") + "\n\n" + report + "\n"
        results.write_text(
            head + "\n## Scale\n" + section + (nxt + tail if nxt else ""), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
