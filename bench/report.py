"""The scorer's report: one data class of figures and its Markdown rendering."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Report:
    """All figures of one scoring run (JSON-friendly)."""

    gt_pages: int = 0
    matched_pages: int = 0
    missing_pages: list[str] = field(default_factory=list)
    extra_pages: int = 0
    purged_pages: int = 0  # TUYỆT MẬT pages: their text is withheld by design, not scored
    cer: float = math.nan
    wer: float = math.nan
    cer_nodiac: float = math.nan
    cer_upright: float = math.nan
    cer_turned: float = math.nan
    orientation_acc: float = math.nan
    orientation_acc_turned: float = math.nan
    skew_median: float = math.nan
    skew_p95: float = math.nan
    skew_max: float = math.nan
    field_acc: float = math.nan
    fields: dict[str, dict[str, float]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    failed: list[dict[str, Any]] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)
    per_page: list[dict[str, Any]] = field(default_factory=list)


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def render_markdown(rep: Report, with_pages: bool = False) -> str:
    """Render the report as Markdown tables (summary, fields, optionally pages)."""
    lines = ["| metric | value |", "|---|---|"]
    rows = [
        (
            "GT pages / matched / missing / extra",
            f"{rep.gt_pages} / {rep.matched_pages} / {len(rep.missing_pages)} / {rep.extra_pages}",
        ),
        ("CER", _fmt(rep.cer)),
        (
            "pages whose text is withheld (TUYỆT MẬT), not in the text figures",
            str(rep.purged_pages),
        ),
        ("WER", _fmt(rep.wer)),
        ("CER without diacritics", _fmt(rep.cer_nodiac)),
        ("CER upright / turned pages", f"{_fmt(rep.cer_upright)} / {_fmt(rep.cer_turned)}"),
        (
            "orientation accuracy (all / turned)",
            f"{_fmt(rep.orientation_acc)} / {_fmt(rep.orientation_acc_turned)}",
        ),
        (
            "skew error ° median / p95 / max",
            f"{_fmt(rep.skew_median, 2)} / {_fmt(rep.skew_p95, 2)} / {_fmt(rep.skew_max, 2)}",
        ),
        ("field accuracy (overall)", _fmt(rep.field_acc)),
        ("export documents by status", ", ".join(f"{k}: {v}" for k, v in rep.statuses.items())),
    ]
    lines += [f"| {name} | {value} |" for name, value in rows]
    if rep.missing_pages:
        lines += ["", "Missing pages: " + ", ".join(rep.missing_pages)]
    if rep.duplicates:
        dups = ", ".join(f"{a} = {b}" for a, b in rep.duplicates.items())
        lines += ["", f"(missing files byte-identical to exported ones: {dups})"]
    if rep.failed:
        lines += [
            "",
            "Failed documents: " + "; ".join(f"{f['file']}: {f['code']}" for f in rep.failed),
        ]
    lines += ["", "| field | correct | total | accuracy |", "|---|---|---|---|"]
    lines += [
        f"| {name} | {v['correct']} | {v['total']} | {v['acc']:.2f} |"
        for name, v in rep.fields.items()
    ]
    if with_pages:
        lines += [
            "",
            "| doc | file | page | CER | rotation true/pred | skew err |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {p['doc']} | {p['file']} | {p['page']} | {_fmt(p['cer'])} | "
            f"{p['rotation_true']}/{p.get('rotation_pred', '-')} | "
            f"{_fmt(p.get('skew_err', math.nan), 2)} |"
            for p in rep.per_page
        ]
    return "\n".join(lines)
