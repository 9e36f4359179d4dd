"""Score a ``sohoa export`` JSONL file against the corpus ground truth (see corpora README).

Usage: ``python bench/score.py --export FILE --truth DIR [--json OUT] [--pages]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.metrics import (
    levenshtein,
    normalize_field,
    normalize_text,
    percentile,
    predicted_field,
    skew_error,
    strip_diacritics,
    truth_fields,
    words_of,
)
from bench.report import Report, render_markdown
from core.states import PageFlag

PageKey = tuple[str, int]  # (file name, 1-based page within that file)
ExportIndex = dict[PageKey, tuple[dict, dict]]  # page key -> (export page, export document)


@dataclass(slots=True)
class TruthDoc:
    """One ground-truth document: its id, fields and pages in order."""

    id: str
    fields: dict[str, Any]
    pages: list[dict[str, Any]]


def page_key(file_name: str, page: int) -> PageKey:
    """Build a page key from a file name (any directory part is dropped) and 1-based page."""
    return (Path(str(file_name)).name, int(page))


def load_truth(truth_dir: Path) -> list[TruthDoc]:
    """Load every ground-truth JSON (``doc_*.json`` and scored ``nasty_*.json``) in a folder."""
    docs = []
    for path in sorted(truth_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
            continue  # manifest.json and anything else that is not a truth file
        docs.append(TruthDoc(data.get("id", path.stem), data.get("fields") or {}, data["pages"]))
    return docs


# Ground-truth kinds are short; the export contract names them in full.


def load_export(path: Path) -> list[dict[str, Any]]:
    """Load an export JSONL file: one JSON document per non-empty line."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def index_export(docs: list[dict[str, Any]]) -> ExportIndex:
    """Map each exported page key to ``(page, document)``; the first occurrence wins."""
    index: ExportIndex = {}
    for doc in docs:
        for page in doc.get("pages") or []:
            if page.get("source_file") is None or page.get("source_page") is None:
                continue
            index.setdefault(page_key(page["source_file"], page["source_page"]), (page, doc))
    # A file the export declares a duplicate of another holds that file's pages: score them.
    for doc in docs:
        if doc.get("status") != "duplicate":
            continue
        for err in doc.get("errors") or []:
            dup, original = err.get("source_file"), err.get("duplicate_of")
            for key, hit in list(index.items()):
                if original and dup and key[0] == original:
                    index.setdefault(page_key(dup, key[1]), hit)
    return index


def _ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


def score_pages(truth: list[TruthDoc], index: ExportIndex, rep: Report) -> None:
    """Fill the text, orientation and skew figures of ``rep``; missing pages count in full."""
    sums = {k: 0 for k in ("ce", "cn", "we", "wn", "de", "dn", "ue", "un", "te", "tn")}
    orient_ok = turned_ok = turned_n = 0
    skews: list[float] = []
    gt_keys = set()
    for doc in truth:
        for gt in doc.pages:
            key = page_key(gt["file"], int(gt["frame"]) + 1)
            gt_keys.add(key)
            hit = index.get(key)
            true_rot = int(gt.get("rotation") or 0) % 360
            row: dict[str, Any] = {
                "doc": doc.id,
                "file": key[0],
                "page": key[1],
                "found": bool(hit),
                "rotation_true": true_rot,
            }
            # sohoa keeps no text of a TUYỆT MẬT page (store only): there is nothing to score,
            # and counting it as unread would charge its whole text to the OCR.
            if hit and PageFlag.TOP_SECRET_PURGED in (hit[0].get("flags") or ()):
                rep.purged_pages += 1
                row["cer"] = math.nan
            else:
                ref = normalize_text(gt.get("text"))
                hyp = normalize_text(hit[0].get("text")) if hit else ""
                ce, we = levenshtein(ref, hyp), levenshtein(words_of(ref), words_of(hyp))
                de = levenshtein(strip_diacritics(ref), strip_diacritics(hyp))
                sums["ce"] += ce
                sums["cn"] += len(ref)
                sums["we"] += we
                sums["wn"] += len(words_of(ref))
                sums["de"] += de
                sums["dn"] += len(strip_diacritics(ref))
                group = "t" if true_rot else "u"
                sums[group + "e"] += ce
                sums[group + "n"] += len(ref)
                row["cer"] = _ratio(ce, len(ref))
            if true_rot:
                turned_n += 1
            if hit:
                pred_rot = hit[0].get("rotation")
                ok = pred_rot is not None and int(pred_rot) % 360 == true_rot
                orient_ok += ok
                turned_ok += ok and bool(true_rot)
                row["rotation_pred"] = pred_rot
                if hit[0].get("skew_deg") is not None and gt.get("skew_deg") is not None:
                    err = skew_error(hit[0]["skew_deg"], gt["skew_deg"])
                    skews.append(err)
                    row["skew_err"] = err
            else:
                rep.missing_pages.append(f"{key[0]}#{key[1]}")
            rep.per_page.append(row)
    rep.gt_pages = len(gt_keys)
    rep.matched_pages = len(gt_keys & index.keys())
    rep.extra_pages = len(index.keys() - gt_keys)
    rep.cer = _ratio(sums["ce"], sums["cn"])
    rep.wer = _ratio(sums["we"], sums["wn"])
    rep.cer_nodiac = _ratio(sums["de"], sums["dn"])
    rep.cer_upright = _ratio(sums["ue"], sums["un"])
    rep.cer_turned = _ratio(sums["te"], sums["tn"])
    rep.orientation_acc = _ratio(orient_ok, rep.gt_pages)
    rep.orientation_acc_turned = _ratio(turned_ok, turned_n)
    rep.skew_median = percentile(skews, 50)
    rep.skew_p95 = percentile(skews, 95)
    rep.skew_max = max(skews) if skews else math.nan


def score_fields(truth: list[TruthDoc], index: ExportIndex, rep: Report) -> None:
    """Fill per-field and overall field accuracy, judging the document holding the first page."""
    counts: dict[str, list[int]] = {}
    for doc in truth:
        if not doc.fields:
            continue
        first = doc.pages[0]
        hit = index.get(page_key(first["file"], int(first["frame"]) + 1))
        pred_fields = dict(hit[1].get("fields") or {}) if hit else {}
        if hit and "kind" not in pred_fields:
            pred_fields["kind"] = hit[1].get("kind")  # the contract also puts kind at top level
        # A TUYỆT MẬT document is stored only: sohoa keeps its mark and kind, nothing else.
        withheld = bool(hit) and hit[1].get("status") == "store_only"
        for name, value in truth_fields(doc.fields).items():
            want = normalize_field(value)
            if not want or withheld and name not in ("secrecy", "kind"):
                continue
            got = normalize_field(predicted_field(pred_fields, name))
            tally = counts.setdefault(name, [0, 0])
            tally[0] += got == want
            tally[1] += 1
    rep.fields = {
        name: {"correct": c, "total": n, "acc": c / n} for name, (c, n) in sorted(counts.items())
    }
    rep.field_acc = _ratio(sum(c for c, _ in counts.values()), sum(n for _, n in counts.values()))


def find_duplicates(truth_dir: Path, missing: set[str], present: set[str]) -> dict[str, str]:
    """Map each missing file to a byte-identical file the export does hold (dedup diagnostics)."""
    found: dict[str, str] = {}
    for name in sorted(missing):
        path = truth_dir / name
        if not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).digest()
        for other in sorted(present):
            cand = truth_dir / other
            same_size = cand.is_file() and cand.stat().st_size == path.stat().st_size
            if same_size and hashlib.sha256(cand.read_bytes()).digest() == digest:
                found[name] = other
                break
    return found


def score_export(
    export: list[dict[str, Any]], truth: list[TruthDoc], truth_dir: Path | None = None
) -> Report:
    """Score exported documents against ground truth and return the full report.

    With ``truth_dir``, missing pages whose file is a byte-identical copy of an exported file are
    named in ``rep.duplicates`` (they still count as missing).
    """
    rep = Report()
    index = index_export(export)
    score_pages(truth, index, rep)
    score_fields(truth, index, rep)
    if truth_dir is not None and rep.missing_pages:
        missing = {m.rsplit("#", 1)[0] for m in rep.missing_pages}
        rep.duplicates = find_duplicates(truth_dir, missing, {k[0] for k in index})
    for doc in export:
        status = str(doc.get("status", "?"))
        rep.statuses[status] = rep.statuses.get(status, 0) + 1
        if status == "failed":
            errors = doc.get("errors") or []
            rep.failed += [
                {
                    "file": e.get("source_file") or str(e.get("detail") or doc.get("id")),
                    "code": e.get("code"),
                }
                for e in errors
            ] or [{"file": str(doc.get("id")), "code": None}]
    return rep


def main(argv: list[str] | None = None) -> int:
    """Command line entry: score an export and print Markdown (optionally write JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, required=True, help="export JSONL file")
    parser.add_argument("--truth", type=Path, required=True, help="ground-truth folder")
    parser.add_argument("--json", type=Path, help="write the full report as JSON here")
    parser.add_argument("--pages", action="store_true", help="also print a per-page table")
    args = parser.parse_args(argv)
    rep = score_export(load_export(args.export), load_truth(args.truth), args.truth)
    if args.json:
        args.json.write_text(json.dumps(asdict(rep), ensure_ascii=False, indent=1), "utf-8")
    print(render_markdown(rep, with_pages=args.pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
