"""Fit the field-confidence calibration on dev2 and measure it on corpora it never saw.

Usage:
    python bench/calibrate.py [--fit NAME] [--corpus NAME=DIR ...] [--cached] [--write]
                              [--record]

Every corpus's saved OCR (``bench/out/extract-ocr/<name>``, see bench/extract.py) is split and
extracted again exactly as bench/extract.py does, with the pipeline's region re-readers. For
every document whose first page matches a ground-truth document, every field that has a
confidence and a ground-truth entry becomes one observation: field key, raw confidence
(``ocr × certainty``, before calibration), rule, flags, page quality, value length, and whether
the value is right under bench/metrics.py's ``normalize_field`` equality. Unlike
bench/extract.py, a ground-truth entry that is empty counts too (a value read where there is
none is wrong; no value where there is none is right), because a confidence is shown for it.

The map is fitted on ``--fit`` (default dev2, seed 2026) only; the other corpora (dev2-holdout,
dev) are evaluation corpora and never reach the fit. ``--write`` saves the map to
extract/data/calibration.json with its provenance; ``--record`` puts the reliability tables in
bench/RESULTS.md under "## Calibration". Observations are cached in
``bench/out/calibrate/<name>.jsonl``; ``--cached`` reuses them instead of extracting again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import ocr  # noqa: E402
from bench.extract import (  # noqa: E402
    DEV2_SEEDS,
    _ensure_corpus,
    _saved_ocr,
    load_pages,
    load_truth,
)
from bench.metrics import normalize_field, predicted_field, truth_fields  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.states import is_low_quality  # noqa: E402
from core.storage import Storage  # noqa: E402
from extract import split_documents  # noqa: E402
from extract._calibrate import (  # noqa: E402
    MAP_FILE,
    CalibrationMap,
    Step,
    extract_raw_fields,
    family,
    fit_steps,
    stratum,
)
from pipeline.rereaders import line_reader as rereader_lines  # noqa: E402
from pipeline.rereaders import mark_reader  # noqa: E402

REPO = _HERE.parent
RESULTS = REPO / "bench" / "RESULTS.md"
CACHE = REPO / "bench" / "out" / "calibrate"
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)
THRESHOLDS = (0.5, 0.7, 0.8, 0.85, 0.9, 0.95)


def _dev_corpus() -> Path:
    """Return the shared dev corpus: ``shared/corpora/dev`` beside the repository or above it.

    Worktrees live one level deeper than the main checkout, so the first ancestor holding
    ``shared/corpora/dev`` is the one.
    """
    for parent in REPO.parents:
        if (parent / "shared" / "corpora" / "dev").is_dir():
            return parent / "shared" / "corpora" / "dev"
    return REPO.parent / "shared" / "corpora" / "dev"


def _corpora(specs: list[str]) -> dict[str, Path]:
    if not specs:
        out = {n: REPO / "bench" / "corpora" / n for n in DEV2_SEEDS}
        out["dev"] = _dev_corpus()
        return out
    out = {}
    for spec in specs:
        name, sep, folder = spec.partition("=")
        path = Path(folder if sep else name)
        out[name if sep else path.name] = path
    return out


def collect(corpus: Path, export: Path, data: Path | None) -> list[dict[str, Any]]:
    """Return one observation per scored field of every matched document (module docstring)."""
    pages = load_pages(export, data)
    truth = load_truth(corpus)
    by_id = {pt.page_id: key for key, pt in pages}
    page_of = {pt.page_id: pt for _, pt in pages}
    groups = split_documents([pt for _, pt in pages])
    storage = Storage(data) if data is not None else None
    engine = ocr.load_engine(Settings().ocr)
    reader = mark_reader(storage, engine) if storage else None
    lines = rereader_lines(storage, engine) if storage else None
    doc_of = {by_id[g[0]]: g for g in groups}
    poor = {pid for pid, pt in page_of.items() if is_low_quality(pt.flags)}
    out = []
    for d in truth:
        group = doc_of.get(d["keys"][0])
        if group is None:
            continue
        got = extract_raw_fields([page_of[i] for i in group], reader, lines)
        gt = truth_fields(d["fields"])
        for key, raw in sorted(got.confidence.items()):
            if key not in gt or family(key) is None:
                continue
            have = predicted_field(got.fields, key)
            prov = got.provenance.get(key) or {}
            text = normalize_field(have)
            out.append(
                {
                    "doc": d["id"],
                    "key": key,
                    "family": family(key),
                    "raw": raw,
                    "rule": prov.get("rule") or "",
                    "flags": sorted(set(prov.get("flags") or ())),
                    "poor_page": prov.get("page") in poor,
                    "stratum": stratum(key, got.provenance, poor),
                    "kind": got.kind,
                    "empty": text == "",
                    "chars": len(text),
                    "exact_doc": [by_id[i] for i in group] == d["keys"],
                    "right": text == normalize_field(gt[key]),
                    "truth_empty": normalize_field(gt[key]) == "",
                    "have": text,
                    "want": normalize_field(gt[key]),
                }
            )
    return out


def observations(name: str, path: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    cache = CACHE / f"{name}.jsonl"
    if args.cached and cache.exists():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    _ensure_corpus(name, path)
    export, data = _saved_ocr(name, path, args.ocr_root, False)
    obs = collect(path, export, data)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in obs), "utf-8")
    return obs


def fit(obs: list[dict[str, Any]], min_n: int) -> dict[str, list[Step]]:
    """Fit one step map per family/stratum; a doubt stratum with too few fields gets none.

    Without its own steps a doubted field falls back to the plain steps, capped at its raw
    value (``CalibrationMap.calibrate``).
    """
    points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for o in obs:
        points[f"{o['family']}/{o['stratum']}"].append((o["raw"], o["right"]))
        if o["stratum"] != "plain":
            # The plain curve of a family also needs the doubted fields when they are few.
            points[f"{o['family']}/all"].append((o["raw"], o["right"]))
    steps = {}
    for name, pts in sorted(points.items()):
        fam, _, strat = name.partition("/")
        if strat == "all":
            continue
        if strat != "plain" and len(pts) < 2 * min_n:
            continue
        steps[name] = fit_steps(pts, min_n)
    return steps


def calibrated(cmap: CalibrationMap, obs: list[dict[str, Any]]) -> list[tuple[float, bool]]:
    return [(cmap.calibrate(o["key"], o["raw"], o["stratum"]), o["right"]) for o in obs]


def reliability(pairs: list[tuple[float, bool]]) -> list[tuple[str, int, float | None]]:
    rows = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        top = hi >= 1.0
        inside = [ok for c, ok in pairs if lo <= c < hi or (top and c == hi)]
        acc = sum(inside) / len(inside) if inside else None
        rows.append((f"{lo:.2f}–{hi:.2f}", len(inside), acc))
    return rows


def frontier(pairs: list[tuple[float, bool]]) -> list[tuple[float, float, float, int]]:
    """Return (threshold, precision, coverage, n) of the fields at or above each threshold."""
    rows = []
    for t in THRESHOLDS:
        above = [ok for c, ok in pairs if c >= t]
        prec = sum(above) / len(above) if above else float("nan")
        rows.append((t, prec, len(above) / len(pairs) if pairs else 0.0, len(above)))
    return rows


def _pct(x: float | None) -> str:
    return "–" if x is None or x != x else f"{x:.1%}"


def render(
    fit_name: str,
    cmap: CalibrationMap,
    obs: dict[str, list[dict[str, Any]]],
    command: str,
) -> str:
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    now = dt.datetime.now(dt.UTC)
    lines = [
        f"### Confidence calibration, fitted on `{fit_name}` — {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `{command}`; load: `{load}`.",
        "",
        "Fields: every field with a confidence and a ground-truth entry of each matched "
        "document (an empty truth counts). Raw = `ocr × certainty`; calibrated = "
        "extract/data/calibration.json (per family and stratum, isotonic, lower Wilson bound).",
        "",
    ]
    for name, o in obs.items():
        role = "fit" if name == fit_name else "held out"
        raw = [(x["raw"], x["right"]) for x in o]
        cal = calibrated(cmap, o)
        acc = sum(ok for _, ok in raw) / len(raw) if raw else 0.0
        lines += [
            f"**{name}** ({role}): {len(o)} fields, {acc:.1%} right.",
            "",
            "| confidence | raw n | raw right | calibrated n | calibrated right |",
            "|---|---|---|---|---|",
        ]
        for (label, n_r, a_r), (_, n_c, a_c) in zip(
            reliability(raw), reliability(cal), strict=True
        ):
            lines.append(f"| {label} | {n_r} | {_pct(a_r)} | {n_c} | {_pct(a_c)} |")
        lines += ["", "| ≥ threshold | raw precision | raw share | calibrated precision | "
                  "calibrated share |", "|---|---|---|---|---|"]  # fmt: skip
        for (t, p_r, c_r, n_r), (_, p_c, c_c, n_c) in zip(
            frontier(raw), frontier(cal), strict=True
        ):
            lines.append(
                f"| {t:.2f} | {_pct(p_r)} ({n_r}) | {c_r:.1%} | {_pct(p_c)} ({n_c}) | {c_c:.1%} |"
            )
        lines.append("")
    return "\n".join(lines)


def record(block: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    marker = "\n## Calibration\n"
    if marker not in text:
        text = text.rstrip("\n") + "\n" + marker + "\n" + block + "\n"
    else:
        head, _, tail = text.partition(marker)
        nxt = tail.find("\n## ")
        rest = "" if nxt < 0 else tail[nxt + 1 :]
        text = head + marker + "\n" + block + "\n" + ("\n" + rest if rest else "")
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", default=[], help="NAME=DIR, repeatable")
    ap.add_argument("--fit", default="dev2", help="the corpus the map is fitted on")
    ap.add_argument("--ocr-root", type=Path, default=REPO / "bench" / "out" / "extract-ocr")
    ap.add_argument("--cached", action="store_true", help="reuse bench/out/calibrate/*.jsonl")
    ap.add_argument("--min-n", type=int, default=10, help="fewest fields in one step")
    ap.add_argument("--write", action="store_true", help="save the map to " + str(MAP_FILE))
    ap.add_argument("--record", action="store_true", help="put the tables in RESULTS.md")
    args = ap.parse_args(argv)
    corpora = _corpora(args.corpus)
    if args.fit not in corpora:
        ap.error(f"--fit {args.fit} is not one of the corpora")
    obs = {name: observations(name, path, args) for name, path in corpora.items()}
    fitted = obs[args.fit]
    seed = DEV2_SEEDS.get(args.fit, (None, 0))[0]
    provenance = {
        "corpus": args.fit,
        "seed": seed,
        "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d}",
        "n": len(fitted),
        "documents": len({o["doc"] for o in fitted}),
        "min_n": args.min_n,
        "command": "python bench/calibrate.py " + " ".join(argv or sys.argv[1:]),
    }
    cmap = CalibrationMap(fit(fitted, args.min_n), provenance)
    command = provenance["command"].strip()
    block = render(args.fit, cmap, obs, command)
    print(block)
    if args.write:
        MAP_FILE.write_text(
            json.dumps(cmap.to_json(), ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
    if args.record:
        record(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
