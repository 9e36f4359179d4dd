"""Memory benchmark: does sohoa's peak RSS stay flat as a scanned PDF grows from N to M pages.

Usage: ``python bench/memory.py [--pages 200] [--small 20] [--workers N] [--ocr/--no-ocr]
[--record]``. Generates image-only A4 200-dpi PDFs, ingests each into a fresh data dir with
``--wait`` under the process-tree monitor, exports, and compares the peaks.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.harness import (
    BENCH_DIR,
    RESULTS_MD,
    RunStats,
    count_pages,
    ingest_command,
    machine_info,
    mib,
    record,
    run_export,
    run_monitored,
    shown_command,
    sohoa_bin,
    sohoa_env,
)
from bench.scanpdf import write_scan_pdf

BATCH = "memory"
FLAT_RATIO = 1.25  # peak growth below this between the small and the large run counts as flat


@dataclass(slots=True)
class SizeRun:
    """One ingest of an N-page PDF: the monitor's figures and what the export held."""

    pages: int
    stats: RunStats
    exported_pages: int
    ocr_pages: int


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of the large PDF")
    parser.add_argument("--small", type=int, default=20, help="pages of the small PDF (0: skip)")
    parser.add_argument("--workers", type=int, help="sohoa ingest --workers (default: sohoa's)")
    parser.add_argument(
        "--ocr",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--no-ocr: intake only (no --wait)",
    )
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="output folder")
    parser.add_argument("--record", action="store_true", help=f"append the block to {RESULTS_MD}")
    parser.add_argument("--sohoa", type=Path, help="sohoa executable (default: the venv's)")
    parser.add_argument("--keep-data", action="store_true", help="keep the temporary data dirs")
    return parser.parse_args(argv)


def run_size(args: argparse.Namespace, pages: int, run_dir: Path) -> SizeRun:
    """Generate a ``pages``-page PDF, ingest it into a fresh data dir and export it."""
    work = Path(tempfile.mkdtemp(prefix=f"sohoa-mem{pages}-"))
    try:
        pdf = write_scan_pdf(work / f"scan_{pages:04d}p.pdf", pages)
        env = sohoa_env(work / "data")
        sohoa = sohoa_bin(args.sohoa)
        # Without OCR the ingest runs without --wait: sniff, store and split pages only.
        cmd = ingest_command(sohoa, [pdf], BATCH, args.workers, wait=args.ocr)
        log = run_dir / f"sohoa_{pages}p.log"
        stats = run_monitored(cmd, env, log, cwd=work)
        exported = ocr = 0
        if stats.returncode == 0:
            export = run_dir / f"export_{pages}p.jsonl"
            run_export(sohoa, env, BATCH, export, log, cwd=work)
            exported, ocr = count_pages(export)
    finally:
        if not args.keep_data:
            shutil.rmtree(work, ignore_errors=True)
    return SizeRun(pages, stats, exported, ocr)


def render(args: argparse.Namespace, runs: list[SizeRun], stamp: datetime) -> str:
    """Return the Markdown block for the runs (table plus growth ratios)."""
    mode = "full OCR (--wait)" if args.ocr else "no OCR (intake only, no --wait)"
    cmd = ingest_command(Path("sohoa"), [Path("scan_NNNNp.pdf")], BATCH, args.workers, args.ocr)
    lines = [
        f"### memory {stamp:%Y-%m-%d %H:%M %Z} — {mode}",
        "",
        f"- command: `{shown_command(cmd)}` (A4, 200 dpi, greyscale JPEG pages)",
        f"- machine: {machine_info()}",
        "",
        "| pages | exit | wall s | pages/min | exported (OCR) | peak tree RSS | "
        "peak single RSS | peak tree PSS | max procs | other load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        s = run.stats
        lines.append(
            f"| {run.pages} | {s.returncode} | {s.wall_s:.1f} | {run.pages / (s.wall_s / 60):.1f}"
            f" | {run.exported_pages} ({run.ocr_pages}) | {mib(s.peak_tree_rss)} | "
            f"{mib(s.peak_single_rss)} | {mib(s.peak_tree_pss)} | {s.max_procs} | "
            f"{s.foreign_load:.2f} |"
        )
    failed = [run.pages for run in runs if run.stats.returncode != 0]
    if failed:
        lines += ["", f"- FAILED runs ({failed} pages): see the sohoa_<N>p.log files; no verdict"]
    elif len(runs) == 2 and runs[0].stats.peak_tree_rss and runs[0].stats.peak_single_rss:
        small, big = runs[0].stats, runs[1].stats
        tree = big.peak_tree_rss / small.peak_tree_rss
        single = big.peak_single_rss / small.peak_single_rss
        verdict = "flat" if max(tree, single) < FLAT_RATIO else "GROWS with page count"
        lines += [
            "",
            f"- growth {runs[0].pages}→{runs[1].pages} pages: tree RSS ×{tree:.2f}, "
            f"single-process RSS ×{single:.2f} → {verdict} (flat means < ×{FLAT_RATIO})",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the small and large ingests, print the block, optionally record it."""
    args = parse_args(argv)
    stamp = datetime.now().astimezone()
    run_dir = (args.out / f"memory-{stamp:%Y%m%d-%H%M%S}").resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    sizes = [n for n in (args.small, args.pages) if n > 0]
    runs = []
    for pages in sizes:
        print(f"ingesting {pages} pages ...", file=sys.stderr, flush=True)
        run = run_size(args, pages, run_dir)
        runs.append(run)
        s = run.stats
        print(
            f"  exit {s.returncode}, wall {s.wall_s:.1f} s, peak tree RSS {mib(s.peak_tree_rss)}, "
            f"single {mib(s.peak_single_rss)}",
            file=sys.stderr,
            flush=True,
        )
    block = render(args, runs, stamp)
    (run_dir / "summary.md").write_text(block + "\n", encoding="utf-8")
    print(block)
    ok = all(run.stats.returncode == 0 for run in runs)
    if args.record and ok:
        record(block)
        print(f"\nrecorded in {RESULTS_MD}")
    elif args.record:
        print(f"\nnot recorded: a run failed (logs in {run_dir})", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
