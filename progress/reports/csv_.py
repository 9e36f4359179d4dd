"""CSV writer: the report's tables one after another, UTF-8 with BOM so Excel reads the marks."""

from __future__ import annotations

import io
from typing import Any

from core.cells import SafeCsvWriter, inert_csv_text
from progress.reports import tables as tb
from progress.reports import text as tx
from progress.reports.model import Report


def _plain(value: Any, kind: str) -> Any:
    # Machine-readable values: ISO dates, dot decimals, shares as 0..1.
    if value is None:
        return ""
    if kind in ("date", "datetime") and not isinstance(value, str):
        return value.isoformat()
    if kind in ("float", "pct"):
        return f"{value:.4f}"
    return inert_csv_text(value) if isinstance(value, str) else value


def write_csv(rep: Report, out: io.StringIO | Any) -> None:
    """Write every table of the report, each preceded by its title and followed by a blank row."""
    w = SafeCsvWriter(out)
    w.writerow([tx.TITLE])
    w.writerow([tx.subtitle(rep)])
    w.writerow([tx.made_on(rep)])
    w.writerow([])
    for t in (
        tb.products(rep),
        tb.collections(rep),
        tb.indicators(rep),
        tb.failures(rep),
        tb.risks(rep),
        tb.batches(rep),
        tb.daily(rep),
    ):
        w.writerow([t.title])
        w.writerow(t.headers)
        for i, r in enumerate(t.rows):
            w.writerow([_plain(v, t.kind(i, j)) for j, v in enumerate(r)])
        w.writerow([])
    w.writerow([tx.RECOMMENDATIONS])
    w.writerow([tx.RECOMMENDATIONS_HINT])
    w.writerow([])
    w.writerow([tx.RULE_TITLE])
    w.writerow([rep.rule])
    w.writerow([tx.DEFINITIONS])


def csv_bytes(rep: Report) -> bytes:
    """Return the CSV as UTF-8 with a BOM."""
    buf = io.StringIO(newline="")
    write_csv(rep, buf)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
