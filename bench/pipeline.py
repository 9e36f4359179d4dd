"""End-to-end benchmark: ingest a corpus with ``sohoa``, measure time and memory, score it.

Usage: ``python bench/pipeline.py [--corpus DIR] [--workers N] [--out DIR] [--record]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from bench.harness import (
    BENCH_DIR,
    RESULTS_MD,
    count_pages,
    ingest_command,
    machine_info,
    mib,
    record,
    run_export,
    run_monitored,
    shared_corpora,
    shown_command,
    sohoa_bin,
    sohoa_env,
)
from bench.score import load_export, load_truth, render_markdown, score_export

DEFAULT_CORPUS = shared_corpora() / "dev"
BATCH = "bench"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder to ingest")
    parser.add_argument("--truth", type=Path, help="ground-truth folder (default: the corpus)")
    parser.add_argument("--workers", type=int, help="sohoa ingest --workers (default: sohoa's)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="output folder")
    parser.add_argument("--record", action="store_true", help=f"append the block to {RESULTS_MD}")
    parser.add_argument("--keep-data", action="store_true", help="keep the temporary data dir")
    parser.add_argument("--sohoa", type=Path, help="sohoa executable (default: the venv's)")
    parser.add_argument("--label", default="", help="free text added to the block title")
    parser.add_argument(
        "--no-meter",
        action="store_true",
        help="run Tesseract itself, without the wrapper and the log that count its runs and "
        "their CPU",
    )
    parser.add_argument(
        "--no-bare",
        action="store_true",
        help="skip bare Tesseract on the same pages (the cost-per-page comparison)",
    )
    return parser.parse_args(argv)


# Appended to the log after every Tesseract call, with builtins only (no process of its own):
# the call's arguments, then `times`: this shell's own CPU, then its children's (Tesseract).
# It is put first on sohoa's PATH, so that `tesseract` stays the default program and sohoa
# reads pages and regions with Tesseract's library in process; those reads are logged by sohoa
# itself (SOHOA_TESSERACT_TALLY, ocr/_libtesseract.py) as `in-process <kind> <CPU s>`.
_METER = """#!/bin/bash
{real} "$@"
rc=$?
{{ echo "call $*"; times; }} >> {log}
exit $rc
"""
_TIMES = re.compile(r"(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s")


@dataclass
class TesseractUse:
    """Tesseract runs of one ingest by kind (page, region, orientation, check) and their CPU."""

    runs: dict[str, int] = field(default_factory=dict)
    cpu_s: dict[str, float] = field(default_factory=dict)
    meter_s: float = 0.0  # the wrapper shells' own CPU, to take out of the tree's

    @property
    def total_s(self) -> float:
        """CPU seconds of every Tesseract run."""
        return sum(self.cpu_s.values())


def write_meter(folder: Path, log: Path) -> Path | None:
    """Write a ``tesseract`` wrapper that logs each call's CPU to ``log``; None without one."""
    real = shutil.which("tesseract")
    if real is None:
        return None
    meter = folder / "tesseract"
    meter.write_text(_METER.format(real=shlex.quote(real), log=shlex.quote(str(log))))
    meter.chmod(0o755)
    return meter


def call_kind(args: str) -> str:
    """Return what a Tesseract call was for, from its arguments as sohoa passes them."""
    words = args.split()
    if "--version" in words or "--list-langs" in words:
        return "check"
    psm = words[words.index("--psm") + 1] if "--psm" in words[:-1] else ""
    return {"0": "orientation", "6": "region", "7": "region"}.get(psm, "page")


def read_meter(log: Path) -> TesseractUse:
    """Sum the log: runs and CPU per kind of call, and the wrappers' own CPU.

    The program's runs are the wrapper's entries; reads in sohoa's processes are
    ``in-process <kind> <CPU s>`` lines.
    """
    use = TesseractUse()
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    for i, line in enumerate(lines):
        words = line.split()
        if len(words) == 3 and words[0] == "in-process":
            kind = words[1]
            use.runs[kind] = use.runs.get(kind, 0) + 1
            use.cpu_s[kind] = use.cpu_s.get(kind, 0.0) + float(words[2])
            continue
        if not line.startswith("call ") or i + 2 >= len(lines):
            continue
        own, child = _TIMES.match(lines[i + 1]), _TIMES.match(lines[i + 2])
        if own is None or child is None:
            continue
        kind = call_kind(line[5:])
        use.runs[kind] = use.runs.get(kind, 0) + 1
        use.cpu_s[kind] = use.cpu_s.get(kind, 0.0) + _seconds(child)
        use.meter_s += _seconds(own)
    return use


def _seconds(m: re.Match[str]) -> float:
    return 60 * int(m[1]) + float(m[2]) + 60 * int(m[3]) + float(m[4])


def tesseract_line(use: TesseractUse, cpu_s: float, ocr_pages: int) -> str:
    """Return the block's line splitting the tree's CPU into Tesseract's by kind and the rest."""
    parts = [
        f"{kind} {use.runs[kind]} runs {use.cpu_s[kind]:.1f} s"
        for kind in ("page", "region", "orientation", "check")
        if kind in use.runs
    ]
    rest = cpu_s - use.total_s
    return (
        f"- CPU split: Tesseract {use.total_s:.1f} s = {use.total_s / ocr_pages:.2f} s/page "
        f"({', '.join(parts)}); the rest (sohoa's Python, poppler) {rest:.1f} s = "
        f"{rest / ocr_pages:.2f} s/page"
    )


def bare_comparison(
    corpus: Path, ocr_pages: int, wall_s: float, cpu_s: float, jobs: int
) -> list[str]:
    """Run bare Tesseract on the corpus's pages with ``jobs`` processes; compare per page.

    Bare Tesseract (``--psm 3`` on each raw page image, no straightening, no extraction, no
    PDF, no index) is the floor of what reading the pages costs; the issue asks the whole
    pipeline to stay within 1.1 x of it per page, in the same run.
    """
    from bench.ocr import load_pages, run_bare

    pages = load_pages(corpus)
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-bare-") as tmp:
        bare = run_bare(corpus, pages, jobs, Path(tmp))
    n = len(pages)
    wall_ratio = (wall_s / ocr_pages) / (bare.seconds / n)
    cpu_ratio = (cpu_s / ocr_pages) / (bare.cpu_seconds / n)
    return [
        f"- bare Tesseract on the same corpus ({n} ground-truth pages, {jobs} processes, "
        f"`tesseract -l vie --psm 3`, raw images): wall {bare.seconds:.1f} s = "
        f"{bare.seconds / n:.2f} s/page, CPU {bare.cpu_seconds / n:.2f} s/page",
        f"- whole pipeline (ingest, straightening, OCR, extraction, re-reads, PDFs, index) per "
        f"OCR page: wall {wall_s / ocr_pages:.2f} s = **{wall_ratio:.2f} x** bare, CPU "
        f"{cpu_s / ocr_pages:.2f} s = **{cpu_ratio:.2f} x** bare (target <= 1.1 x)",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print a Markdown block, optionally record it; return an exit code."""
    args = parse_args(argv)
    corpus = args.corpus.resolve()
    truth_dir = (args.truth or corpus).resolve()
    stamp = datetime.now().astimezone()
    run_dir = (args.out / f"pipeline-{stamp:%Y%m%d-%H%M%S}").resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    log = run_dir / "sohoa.log"
    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-"))
    data_dir = work / "data"
    env = sohoa_env(data_dir)
    meter_log = work / "tesseract-calls.log"
    meter = None if args.no_meter else write_meter(work, meter_log)
    if meter is not None:
        env["PATH"] = os.pathsep.join([str(work), env.get("PATH", "")])
        env["SOHOA_TESSERACT_TALLY"] = str(meter_log)
    sohoa = sohoa_bin(args.sohoa)
    cmd = ingest_command(sohoa, [corpus], BATCH, args.workers, wait=True)
    try:
        stats = run_monitored(cmd, env, log, cwd=work)
        use = read_meter(meter_log) if meter is not None else None
        if use is not None:
            stats.cpu_s -= use.meter_s  # the wrappers' shells are the bench's, not sohoa's
        export = run_dir / "export.jsonl"
        export_s = (
            run_export(sohoa, env, BATCH, export, log, cwd=work) if stats.returncode == 0 else 0.0
        )
    finally:
        if not args.keep_data:
            shutil.rmtree(work, ignore_errors=True)
    if stats.returncode != 0 or not export.exists():
        print(f"ingest failed (exit {stats.returncode}); see {log}", file=sys.stderr)
        return 1
    total, ocr_pages = count_pages(export)
    rep = score_export(load_export(export), load_truth(truth_dir), truth_dir)
    (run_dir / "score.json").write_text(
        json.dumps({"run": asdict(stats), "score": asdict(rep)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    split = [] if use is None else [tesseract_line(use, stats.cpu_s, ocr_pages)]
    jobs = args.workers or max(1, os.cpu_count() or 1)  # as sohoa picks its workers
    versus = (
        [] if args.no_bare else bare_comparison(corpus, ocr_pages, stats.wall_s, stats.cpu_s, jobs)
    )
    title = f"### pipeline {stamp:%Y-%m-%d %H:%M %Z}" + (f" — {args.label}" if args.label else "")
    block = "\n".join(
        [
            title,
            "",
            f"- command: `{shown_command(cmd)}`",
            f"- machine: {machine_info()}",
            f"- ingest: exit {stats.returncode}, wall {stats.wall_s:.1f} s, {ocr_pages} OCR pages "
            f"({total} exported), {ocr_pages / (stats.wall_s / 60):.1f} pages/min; "
            f"export {export_s:.1f} s",
            f"- memory: peak tree RSS {mib(stats.peak_tree_rss)}, peak single-process RSS "
            f"{mib(stats.peak_single_rss)}, peak tree PSS {mib(stats.peak_tree_pss)}, "
            f"up to {stats.max_procs} processes",
            f"- CPU: sohoa tree {stats.cpu_s:.0f} s ({stats.cpu_s / stats.wall_s:.2f} cores busy "
            f"on average); other work on the machine {stats.foreign_load:.2f} cores on average",
            *split,
            *versus,
            f"- outputs: `{run_dir}` (score.json, export.jsonl, sohoa.log)",
            "",
            render_markdown(rep),
        ]
    )
    (run_dir / "summary.md").write_text(block + "\n", encoding="utf-8")
    print(block)
    if args.record:
        record(block)
        print(f"\nrecorded in {RESULTS_MD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
