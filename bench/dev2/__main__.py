"""Command line: ``python -m bench.dev2 --out DIR --seed N --count K [--small] [--split NAME]``."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from bench.dev2.generate import default_jobs, generate

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.dev2", description=__doc__)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "corpora" / "dev2")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--split", default=None, help="split name in the ground truth")
    ap.add_argument(
        "--small",
        action="store_true",
        help="4 documents: a form, a two-document PDF, a multi-frame TIFF",
    )
    ap.add_argument("--jobs", type=int, default=default_jobs())
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    count = 4 if args.small else args.count
    split = args.split or ("dev2-small" if args.small else "dev2")
    m = generate(args.out, args.seed, count, split, small=args.small, jobs=args.jobs)
    print(
        f"{len(m['docs'])} documents, {m['pages']} pages, {len(m['files'])} files in "
        f"{args.out} ({m['seconds']} s); fonts: "
        + ", ".join(f"{k} {v['docs']}" for k, v in m["fonts"].items())
    )
    kinds = Counter()
    for f in m["files"]:
        kinds[f.rsplit(".", 1)[-1]] += 1
    print("files:", dict(kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
