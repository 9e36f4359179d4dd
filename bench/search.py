"""Search benchmark: indexing speed, query latency and relevance for tantivy and Whoosh.

Builds an index of N pages of real Vietnamese text (lines of ../shared/corpora/text/*.txt
and of the dev ground-truth pages, recombined into pages and documents with realistic header
fields), then runs a fixed mix of 50 queries in a fresh process (so its RAM is the index's,
not the corpus's) and checks relevance on the OCR'd dev corpus.

    .venv/bin/python bench/search.py --pages 100000 --whoosh-pages 10000 --record
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.harness import RESULTS_MD, machine_info, ocr_export  # noqa: E402
from bench.metrics import percentile  # noqa: E402
from bench.search_data import (  # noqa: E402
    CORPORA,
    generate_documents,
    queries_for,
    relevance,
)
from core.search_types import IndexedDocument, SearchQuery  # noqa: E402
from search import open_backend  # noqa: E402

COMMAND = ".venv/bin/python bench/search.py --pages {pages} --whoosh-pages {wpages} --record"


def _cpu() -> float:
    """Return CPU seconds of this process, all threads (tantivy indexes in Rust threads)."""
    t = psutil.Process().cpu_times()
    return float(t.user + t.system)


def _busy() -> float:
    """Return machine-wide busy CPU seconds (how loaded the shared machine was)."""
    t = psutil.cpu_times()
    return float(t.user + t.system + getattr(t, "nice", 0.0))


def build(
    backend_name: str, docs: list[IndexedDocument], index_dir: Path, threads: int
) -> dict[str, Any]:
    """Index ``docs`` as one stream (the backend commits in slices); return speed and size."""
    if index_dir.exists():
        shutil.rmtree(index_dir)
    backend = open_backend(backend_name, index_dir, threads=threads, lock_timeout_s=60)
    pages = sum(len(d.pages) for d in docs)
    rss0 = psutil.Process().memory_info().rss
    cpu0, busy0 = _cpu(), _busy()
    t0 = time.perf_counter()
    # As `sohoa reindex` does: one stream of documents, committed in the backend's slices.
    backend.index(iter(docs))
    wall = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    foreign = max(0.0, (_busy() - busy0) - cpu) / wall
    backend.close()
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    return {
        "docs": len(docs),
        "pages": pages,
        "index_s": wall,
        "pages_per_s": pages / wall,
        "cpu_s": cpu,
        "pages_per_cpu_s": pages / cpu,
        "other_load": foreign,
        "index_mib": size / 2**20,
        "index_rss_growth_mib": (psutil.Process().memory_info().rss - rss0) / 2**20,
    }


def run_queries(
    backend_name: str, index_dir: Path, queries: list[dict[str, Any]], rounds: int
) -> dict[str, Any]:
    """Open the index in this (fresh) process and time every query ``rounds`` times."""
    rss_start = psutil.Process().memory_info().rss
    cpu0, busy0, wall0 = _cpu(), _busy(), time.perf_counter()
    backend = open_backend(backend_name, index_dir)
    out: dict[str, Any] = {}
    modes: tuple[tuple[str, dict[str, Any]], ...] = (
        ("full", {}),
        ("no_facets", {"facets": False}),
        ("bare", {"facets": False, "snippets": False}),
    )
    for n, (mode, extra) in enumerate(modes):
        qs = [SearchQuery(**{**q["query"], **extra}) for q in queries]
        for q in qs if n == 0 else ():  # warm-up: first touch of postings and stored blocks
            backend.search(q)
        times: list[float] = []
        per_cat: dict[str, list[float]] = {}
        totals = []
        for _ in range(rounds):
            for q, spec in zip(qs, queries, strict=True):
                t0 = time.perf_counter()
                res = backend.search(q)
                ms = (time.perf_counter() - t0) * 1000
                times.append(ms)
                per_cat.setdefault(str(spec["category"]), []).append(ms)
                totals.append(res.total)
        out[mode] = {
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
            "max": max(times),
            "p95_by_category": {c: percentile(v, 95) for c, v in per_cat.items()},
            "mean_total": sum(totals) / len(totals),
        }
    wall = time.perf_counter() - wall0
    out["other_load"] = max(0.0, (_busy() - busy0) - (_cpu() - cpu0)) / wall
    out["cpu_ms_per_query"] = (_cpu() - cpu0) * 1000 / (len(queries) * (3 * rounds + 1))
    out["rss_mib"] = psutil.Process().memory_info().rss / 2**20
    out["rss_growth_mib"] = (psutil.Process().memory_info().rss - rss_start) / 2**20
    return out


def _query_subprocess(
    backend_name: str, index_dir: Path, queries: list[dict[str, Any]], rounds: int, work: Path
) -> dict[str, Any]:
    qfile = work / f"queries-{backend_name}.json"
    qfile.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--query-only",
        backend_name,
        "--index",
        str(index_dir),
        "--queries",
        str(qfile),
        "--rounds",
        str(rounds),
    ]
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def render(
    args: argparse.Namespace, rows: dict[str, dict[str, Any]], rel: dict[str, dict[str, Any]]
) -> str:
    """Return the Markdown block for RESULTS.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### search {stamp}",
        "",
        f"- command: `{COMMAND.format(pages=args.pages, wpages=args.whoosh_pages)}`",
        f"- machine: {machine_info()}",
        "- corpus: lines of ../shared/corpora/text/*.txt + dev ground-truth pages, "
        "recombined into pages of 30-45 lines (~2 KB) and documents of 1-6 pages with "
        "generated header fields (doc type, symbol, year, issuer, classification); "
        "queries: 50 fixed (10 single syllables, 10 common words, 10 folded, 8 phrases, "
        "6 symbols, 6 filtered), 10 hits each with pages that matched, snippets and 7 "
        f"facets; {args.rounds} timed rounds (Whoosh: {args.whoosh_rounds}) after one warm-up "
        "round, in a fresh process. Other load = cores busy with other work meanwhile "
        "(shared 2-core machine): wall figures stretch by about (1 + other load / 2).",
        "",
        "| backend | pages | docs | index pages/s (wall) | pages per CPU-s | other load "
        "(cores) | index size | query RSS | p50 ms | p95 ms | p99 ms | max ms | "
        "p95 no facets | p95 bare | CPU ms/query | other load during queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        b, q = r["build"], r["query"]
        f, nf, bare = q["full"], q["no_facets"], q["bare"]
        lines.append(
            f"| {name} | {b['pages']:,} | {b['docs']:,} | {b['pages_per_s']:,.0f} | "
            f"{b['pages_per_cpu_s']:,.0f} | {b['other_load']:.1f} | "
            f"{b['index_mib']:.0f} MiB | {q['rss_mib']:.0f} MiB | {f['p50']:.1f} | "
            f"{f['p95']:.1f} | {f['p99']:.1f} | {f['max']:.1f} | {nf['p95']:.1f} | "
            f"{bare['p95']:.1f} | {q['cpu_ms_per_query']:.1f} | {q['other_load']:.1f} |"
        )
    lines += ["", "p95 by query category (ms, full queries):", ""]
    cats = list(next(iter(rows.values()))["query"]["full"]["p95_by_category"])
    lines.append("| backend | " + " | ".join(cats) + " |")
    lines.append("|---|" + "---:|" * len(cats))
    for name, r in rows.items():
        pc = r["query"]["full"]["p95_by_category"]
        lines.append(f"| {name} | " + " | ".join(f"{pc[c]:.1f}" for c in cats) + " |")
    lines += [
        "",
        "Relevance on the OCR'd dev corpus (sohoa export of its scans; ground truth "
        "fields.subject): share of documents found in the top 3 by their subject.",
        "",
        "| backend | documents | exact (with diacritics) | folded (without) |",
        "|---|---:|---:|---:|",
    ]
    for name, r in rel.items():
        lines.append(f"| {name} | {r['n']:.0f} | {r['exact']:.1%} | {r['folded']:.1%} |")
    return "\n".join(lines)


def record_section(block: str, path: Path = RESULTS_MD) -> None:
    """Append ``block`` under the ``## Search`` heading (created at the end when missing)."""
    text = path.read_text(encoding="utf-8")
    if "\n## Search\n" not in text:
        path.write_text(
            text.rstrip() + "\n\n## Search\n\n" + block.rstrip() + "\n", encoding="utf-8"
        )
        return
    head, _, tail = text.partition("\n## Search\n")
    nxt = tail.find("\n## ")
    section, rest = (tail, "") if nxt < 0 else (tail[:nxt], tail[nxt:])
    path.write_text(
        head + "\n## Search\n" + section.rstrip() + "\n\n" + block.rstrip() + "\n" + rest,
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --query-only, the timed query phase of one backend)."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--pages", type=int, default=100_000)
    p.add_argument("--whoosh-pages", type=int, default=10_000)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--whoosh-rounds", type=int, default=1)
    p.add_argument(
        "--threads",
        type=int,
        default=0,
        help="tantivy indexing threads (0: the product's default, every core in bulk)",
    )
    p.add_argument("--work", type=Path, default=None)
    p.add_argument("--record", action="store_true")
    p.add_argument("--query-only", choices=["tantivy", "whoosh"])
    p.add_argument(
        "--dev-export",
        type=Path,
        default=None,
        help="sohoa JSONL export of the OCR'd dev corpus for relevance "
        "(default: OCR the dev corpus first, a few minutes)",
    )
    p.add_argument("--index", type=Path)
    p.add_argument("--queries", type=Path)
    args = p.parse_args(argv)
    if args.query_only:
        queries = json.loads(args.queries.read_text(encoding="utf-8"))
        print(json.dumps(run_queries(args.query_only, args.index, queries, args.rounds)))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="sohoa-search-bench-"))
    t0 = time.perf_counter()
    docs = generate_documents(args.pages, seed=7)
    print(
        f"generated {len(docs):,} documents / {args.pages:,} pages in "
        f"{time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    dev_export = args.dev_export or ocr_export(CORPORA / "dev", work / "dev-ocr", "dev")[0]
    rows: dict[str, dict[str, Any]] = {}
    rel: dict[str, dict[str, Any]] = {}
    for name, n_pages in (("tantivy", args.pages), ("whoosh", args.whoosh_pages)):
        if n_pages <= 0:
            continue
        subset, total = [], 0
        for d in docs:
            if total >= n_pages:
                break
            subset.append(d)
            total += len(d.pages)
        built = build(name, subset, work / name, args.threads)
        print(f"{name}: indexed {built}", file=sys.stderr)
        rounds = args.rounds if name == "tantivy" else args.whoosh_rounds
        queried = _query_subprocess(name, work / name, queries_for(subset), rounds, work)
        print(f"{name}: queries {json.dumps(queried)[:400]}", file=sys.stderr)
        rows[name] = {"build": built, "query": queried}
        rel[name] = relevance(name, work / f"{name}-dev", dev_export)
        print(f"{name}: relevance {rel[name]}", file=sys.stderr)
    block = render(args, rows, rel)
    print(block)
    if args.record:
        record_section(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
