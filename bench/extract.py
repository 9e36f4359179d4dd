"""Score document splitting and field extraction on a corpus, reusing a sohoa export's OCR.

Usage:
    python bench/extract.py [--corpus NAME=DIR ...] [--ocr-root DIR] [--reocr] [--record]
    python bench/extract.py --corpus DIR --export FILE --data DIR [--misses]

Several corpora are scored side by side in one run (default: dev, dev2, dev2-holdout and
dev2-blind; dev2 corpora are generated with ``python -m bench.dev2`` when missing). dev2-blind
is the set no rule was written from: read its totals, never its ``--misses``
(bench/dev2/README.md). Each corpus is OCR'd once into ``--ocr-root/<name>`` (``sohoa ingest
--wait`` with the TUYỆT MẬT policy set to ``process`` so no page is purged before scoring) and
that OCR is reused until ``--reocr``.

Without ``--export`` the corpus is ingested with ``sohoa ingest --wait`` into a temporary data
directory first (slow: full OCR). With ``--export`` (JSONL, README "Export contract") and
``--data`` (that run's data dir, for word boxes and page images) only extraction runs: pages are
re-split with ``extract.split_documents`` in natural file order and every predicted document
is re-extracted with ``extract.extract_fields``, so rule changes are measured without OCR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Run as a script, this folder is first on sys.path and this file's own name would shadow the
# `extract` package: put the repository root first instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))


import extract  # noqa: E402
import ocr  # noqa: E402
from bench.harness import corpora, ensure_corpus, ocr_export  # noqa: E402
from bench.metrics import normalize_field, predicted_field, truth_fields  # noqa: E402
from core.models import OcrWord, PageText  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.storage import Storage  # noqa: E402
from ingest import natural_key  # noqa: E402
from pipeline.rereaders import band_reader, mark_reader  # noqa: E402
from pipeline.rereaders import line_reader as rereader_lines  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
# Issue 14's targets, measured end to end from scans.
TARGETS = {
    **dict.fromkeys(("doc_type", "number", "symbol", "date"), 0.97),
    **dict.fromkeys(
        ("issuer", "parent_issuer", "place", "signer_name", "signer_title",
         "signing_authority", "subject"),
        0.95,
    ),
}  # fmt: skip
PROFILE_TARGET = 0.95


class TimedReader:
    """The pipeline's region re-reader (pipeline/rereaders.py), counting calls and time."""

    def __init__(self, reader: Callable[[int, tuple[int, int, int, int]], list[str]]) -> None:
        self.reader = reader
        self.calls = 0
        self.seconds = 0.0

    def __call__(self, page_id: int, box: tuple[int, int, int, int]) -> list[str]:
        """Read the region again and account for it."""
        t0 = time.perf_counter()
        try:
            return self.reader(page_id, box)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - t0


def load_pages(export: Path, data: Path | None) -> list[tuple[tuple[str, int], PageText]]:
    """Return every exported page as ((file, 1-based page), PageText) in natural file order."""
    ids: dict[tuple[str, int], int] = {}
    if data is not None and (data / "sohoa.db").exists():
        con = sqlite3.connect(f"file:{data / 'sohoa.db'}?mode=ro", uri=True)
        rows = con.execute(
            "select p.id, s.original_name, p.page_index from page p "
            "join source_file s on s.id = p.source_file_id"
        ).fetchall()
        con.close()
        ids = {(name, idx + 1): pid for pid, name, idx in rows}
    pages = []
    for n, line in enumerate(export.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        for k, p in enumerate(rec.get("pages") or []):
            key = (p["source_file"], int(p["source_page"]))
            pid = ids.get(key, 100000 + n * 1000 + k)
            words: tuple[OcrWord, ...] = ()
            size = (0, 0)
            wfile = Storage(data).page_words(pid) if data else None
            if wfile is not None and wfile.exists():
                meta = json.loads(wfile.read_text(encoding="utf-8"))
                words = tuple(OcrWord(**w) for w in meta["words"])
                size = (int(meta.get("width") or 0), int(meta.get("height") or 0))
            page = PageText(
                pid,
                p.get("text") or "",
                words,
                file=key[0],
                frame=key[1] - 1,
                flags=tuple(p.get("flags") or ()),
                width=size[0],
                height=size[1],
            )
            pages.append((key, page))
    pages.sort(key=lambda kp: (natural_key(kp[0][0]), kp[0][1]))
    return pages


def load_truth(corpus: Path) -> list[dict[str, Any]]:
    docs = []
    for f in sorted(corpus.glob("doc_*.json"), key=lambda p: natural_key(p.name)):
        d = json.loads(f.read_text(encoding="utf-8"))
        d["keys"] = [(p["file"], int(p["frame"]) + 1) for p in d["pages"]]
        docs.append(d)
    return docs


def boundary_scores(
    order: Sequence[tuple[str, int]], pred: list[list[tuple[str, int]]], truth: list[dict[str, Any]]
) -> dict[str, float]:
    """Precision/recall/F1 of document breaks between consecutive ground-truth pages."""
    gt_doc = {k: d["id"] for d in truth for k in d["keys"]}
    pr_doc = {k: i for i, doc in enumerate(pred) for k in doc}
    seq = [k for k in order if k in gt_doc]
    tp = fp = fn = 0
    for a, b in zip(seq, seq[1:], strict=False):
        gt_break = gt_doc[a] != gt_doc[b]
        pr_break = pr_doc.get(a) != pr_doc.get(b)
        tp += gt_break and pr_break
        fp += pr_break and not gt_break
        fn += gt_break and not pr_break
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    exact = sum(1 for d in truth if d["keys"] in pred)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "docs_exact": exact,
        "docs": len(truth),
    }


def score(
    args: argparse.Namespace, corpus: Path, export: Path | None, data: Path | None
) -> dict[str, Any]:
    work = None
    if export is None:
        work = Path(tempfile.mkdtemp(prefix="sohoa-bench-extract-"))
        export, data = ocr_export(corpus, work, "bench-extract")
    pages = load_pages(export, None if args.no_words else data)
    truth = load_truth(corpus)
    by_id = {pt.page_id: key for key, pt in pages}
    t0 = time.perf_counter()
    groups = extract.split_documents([pt for _, pt in pages])
    pred_keys = [[by_id[i] for i in g] for g in groups]
    reread = data is not None and not args.no_reread and not args.no_words
    storage = Storage(data) if reread and data is not None else None
    engine = ocr.load_engine(Settings().ocr)
    reader = TimedReader(mark_reader(storage, engine)) if storage else None
    line_reader = TimedReader(rereader_lines(storage, engine)) if storage else None
    bands = TimedReader(band_reader(storage, engine)) if storage else None
    page_of = {pt.page_id: pt for _, pt in pages}
    results = [
        extract.extract_fields(
            [page_of[i] for i in g], mark_reader=reader, line_reader=line_reader, band_reader=bands
        )
        for g in groups
    ]
    seconds = time.perf_counter() - t0
    doc_of = {k: i for i, doc in enumerate(pred_keys) for k in doc}
    hits: dict[str, list[int]] = defaultdict(list)
    misses: list[str] = []
    sec = {"tp": 0, "fp": 0, "fn": 0, "exact": 0, "n": 0}
    for d in truth:
        i = doc_of.get(d["keys"][0])
        got = results[i] if i is not None else None
        gt = truth_fields(d["fields"])
        for name, want in gt.items():
            if name == "secrecy":
                continue
            if normalize_field(want) == "":
                continue
            have = None
            if got is not None:
                have = got.kind if name == "kind" else predicted_field(got.fields, name)
            ok = normalize_field(want) == normalize_field(have)
            hits[name].append(int(ok))
            if not ok:
                misses.append(f"{d['id']} {name}: want {want!r} got {have!r}")
        want_s = str(d["fields"].get("secrecy") or "")
        have_s = str((got.fields.get("secrecy") if got else "") or "")
        sec["n"] += 1
        sec["exact"] += want_s == have_s
        sec["tp"] += bool(want_s) and bool(have_s)
        sec["fn"] += bool(want_s) and not have_s
        sec["fp"] += bool(have_s) and not want_s
        if want_s != have_s:
            misses.append(f"{d['id']} secrecy: want {want_s!r} got {have_s!r}")
    # Secrecy false alarms on exported documents outside the ground truth count too.
    gt_first = {d["keys"][0] for d in truth}
    for keys, res in zip(pred_keys, results, strict=True):
        if (
            keys[0] not in gt_first
            and res.fields.get("secrecy")
            and not any(k in {kk for d in truth for kk in d["keys"]} for k in keys)
        ):
            sec["fp"] += 1
    order = [k for k, _ in pages]
    return {
        "fields": {k: (sum(v), len(v)) for k, v in sorted(hits.items())},
        "boundaries": boundary_scores(order, pred_keys, truth),
        "secrecy": sec,
        "misses": misses,
        "seconds": seconds,
        "pages": len(pages),
        "reread_calls": sum(r.calls for r in (reader, line_reader, bands) if r),
        "reread_seconds": sum(r.seconds for r in (reader, line_reader, bands) if r),
        "export": str(export),
        "data": str(data),
        "work": str(work) if work else None,
    }


def _rates(out: dict[str, Any]) -> tuple[float, float]:
    s = out["secrecy"]
    rec = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
    prec = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
    return rec, prec


def render(outs: dict[str, dict[str, Any]], command: str) -> str:
    """Return the Markdown block: one column per corpus, targets marked per cell."""
    names = list(outs)
    fields = sorted({f for o in outs.values() for f in o["fields"]})
    lines = [
        f"### Extraction on {', '.join(f'`{n}`' for n in names)} — "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `{command}`",
        "",
        "; ".join(
            f"{n}: {o['pages']} pages, split + extraction {o['seconds']:.1f} s "
            f"({o['reread_calls']} region re-reads, {o['reread_seconds']:.1f} s)"
            for n, o in outs.items()
        )
        + ". Accuracy per field: exact / n (%); ✓/✗ against the issue's target.",
        "",
        "| field | target | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for name in fields:
        target = TARGETS.get(name, PROFILE_TARGET if name.startswith("profile.") else None)
        cells = []
        for o in outs.values():
            if name not in o["fields"]:
                cells.append("–")
                continue
            ok, n = o["fields"][name]
            mark = "" if target is None else (" ✓" if ok / n >= target else " ✗")
            cells.append(f"{ok}/{n} ({ok / n:.0%}){mark}")
        tgt = "" if target is None else f"≥ {target:.0%}"
        lines.append(f"| {name} | {tgt} | " + " | ".join(cells) + " |")
    b_cells = [f"{o['boundaries']['f1']:.3f}" for o in outs.values()]
    r_cells = [f"{_rates(o)[0]:.0%}" for o in outs.values()]
    p_cells = [f"{_rates(o)[1]:.0%}" for o in outs.values()]
    lines += [
        "| boundaries F1 | ≥ 0.98 | " + " | ".join(b_cells) + " |",
        "| secrecy recall | 100 % | " + " | ".join(r_cells) + " |",
        "| secrecy precision | ≥ 98 % | " + " | ".join(p_cells) + " |",
        "",
    ]
    return "\n".join(lines)


def record(block: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if "\n## Extraction\n" not in text:
        text = text.rstrip("\n") + "\n\n## Extraction\n\n" + block + "\n"
    else:
        head, _, tail = text.partition("\n## Extraction\n")
        nxt = tail.find("\n## ")
        section, rest = (tail, "") if nxt < 0 else (tail[: nxt + 1], tail[nxt + 1 :])
        text = (
            head
            + "\n## Extraction\n"
            + section.rstrip("\n")
            + "\n\n"
            + block
            + "\n"
            + ("\n" + rest if rest else "")
        )
    RESULTS.write_text(text, encoding="utf-8")


def _saved_ocr(name: str, corpus: Path, root: Path, again: bool) -> tuple[Path, Path]:
    """Return (export, data dir) of the corpus's OCR, running it once into ``root/name``."""
    work = root / name
    export = work / "export.jsonl"
    if again and work.exists():
        shutil.rmtree(work)
    if not export.exists():
        export, _data = ocr_export(corpus, work, "bench-extract")
    return export, work / "data"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", default=[], help="NAME=DIR, repeatable")
    ap.add_argument("--ocr-root", type=Path, default=REPO / "bench" / "out" / "extract-ocr")
    ap.add_argument("--reocr", action="store_true", help="OCR the corpora again")
    ap.add_argument("--export", type=Path, help="one corpus: reuse this sohoa JSONL export")
    ap.add_argument("--data", type=Path, help="data dir of that export (word boxes, images)")
    ap.add_argument("--no-reread", action="store_true", help="no second read of boxed marks")
    ap.add_argument("--no-words", action="store_true", help="plain text only (no word boxes)")
    ap.add_argument("--record", action="store_true", help="append the table to RESULTS.md")
    ap.add_argument("--misses", action="store_true", help="print every wrong field")
    args = ap.parse_args(argv)
    chosen = corpora(args.corpus)
    outs: dict[str, dict[str, Any]] = {}
    for name, path in chosen.items():
        if args.export is not None:
            export, data = args.export, args.data
        else:
            ensure_corpus(name, path)
            export, data = _saved_ocr(name, path, args.ocr_root.resolve(), args.reocr)
        outs[name] = score(args, path, export, data)
    command = "python bench/extract.py " + " ".join(argv if argv is not None else sys.argv[1:])
    block = render(outs, command.strip())
    print(block)
    if args.misses:
        for name, out in outs.items():
            print("\n".join(f"[{name}] {m}" for m in out["misses"]))
    if args.record:
        record(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
