"""PDF writer (reportlab): A4 portrait, an embedded Vietnamese-capable TrueType font, the chart."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.errors import DependencyError
from progress.reports import tables as tb
from progress.reports import text as tx
from progress.reports.chart import burnup_png
from progress.reports.clean import printable
from progress.reports.model import Report

# Font families with full Vietnamese coverage, tried in order. Never fonts-liberation 1.x
# (/usr/share/fonts/truetype/liberation/): it lacks the Vietnamese glyphs.
FONT_FAMILIES = [
    (
        "/usr/share/fonts/truetype/liberation2",
        "LiberationSerif-{}.ttf",
        ("Regular", "Bold", "Italic", "BoldItalic"),
    ),
    (
        "/usr/share/fonts/truetype/dejavu",
        "DejaVuSerif{}.ttf",
        ("", "-Bold", "-Italic", "-BoldItalic"),
    ),
    ("/usr/share/fonts/truetype/freefont", "FreeSerif{}.ttf", ("", "Bold", "Italic", "BoldItalic")),
]
# Binary image streams, not ASCII85: without reportlab's C accelerator the pure-Python
# encoder spent 65 ms of a 160 ms report on the chart image alone.
rl_config.useA85 = 0
FACE = "ReportSerif"
NUMERIC = ("int", "float", "pct")


def register_font() -> str:
    """Register the first complete Vietnamese-capable family; returns its path (regular)."""
    for folder, pattern, suffixes in FONT_FAMILIES:
        paths = [Path(folder) / pattern.format(s) for s in suffixes]
        if all(p.exists() for p in paths):
            if FACE not in pdfmetrics.getRegisteredFontNames():
                for name, p in zip(("", "-Bold", "-Italic", "-BoldItalic"), paths, strict=True):
                    pdfmetrics.registerFont(TTFont(FACE + name, str(p)))
                pdfmetrics.registerFontFamily(
                    FACE,
                    normal=FACE,
                    bold=FACE + "-Bold",
                    italic=FACE + "-Italic",
                    boldItalic=FACE + "-BoldItalic",
                )
            return str(paths[0])
    raise DependencyError(
        "no Vietnamese-capable TrueType font found",
        code="font_missing",
        message_vi="Thiếu phông chữ tiếng Việt (cài fonts-liberation2 hoặc fonts-dejavu-core).",
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FACE, fontSize=10, leading=13)
    return {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "num": ParagraphStyle("num", parent=base, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=FACE + "-Bold",
            fontSize=7.5,
            leading=9.5,
            alignment=TA_CENTER,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=FACE + "-Bold",
            fontSize=15,
            leading=19,
            alignment=TA_CENTER,
            spaceAfter=4,
        ),
        "sub": ParagraphStyle("sub", parent=base, fontName=FACE + "-Italic", alignment=TA_CENTER),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FACE + "-Bold",
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "sig": ParagraphStyle("sig", parent=base, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
    }


def _esc(s: str) -> str:
    # Every stored value reaches a Paragraph through here: clean, then escape the markup.
    return printable(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _header(text: str) -> str:
    # Units on their own line, abbreviated, so narrow columns do not break inside them.
    return (
        _esc(text)
        .replace(" (trang/ngày)", "<br/>(tr/ngày)")
        .replace(" (trang/giờ)", "<br/>(tr/giờ)")
    )


# Cells are drawn as plain strings (fast) when they fit on one line; only a cell that must
# wrap becomes a Paragraph. A report of 200 batches has ~2,500 cells: all Paragraphs cost
# ~0.4 s of line breaking on this machine.
CELL_SIZE, CELL_LEADING, CELL_PAD = 7.5, 9.5, 3


def _fits(text: str, width: float) -> bool:
    return "\n" not in text and (
        pdfmetrics.stringWidth(text, FACE, CELL_SIZE) <= width - 2 * CELL_PAD
    )


def _table(
    t: tb.Table, st: dict[str, ParagraphStyle], widths: list[float], cols: list[int] | None = None
) -> Table:
    cols = cols if cols is not None else list(range(len(t.headers)))
    data: list[list[Any]] = [[Paragraph(_header(t.headers[i]), st["head"]) for i in cols]]
    right: list[tuple[int, int]] = []
    for n, r in enumerate(t.rows, start=1):
        line: list[Any] = []
        for c, (i, width) in enumerate(zip(cols, widths, strict=True)):
            kind = t.kind(n - 1, i)
            value = printable(tb.fmt(r[i], kind))
            numeric = kind in NUMERIC
            if numeric:
                right.append((c, n))
            if _fits(value, width):
                line.append(value)
            else:
                line.append(Paragraph(_esc(value), st["num" if numeric else "cell"]))
        data.append(line)
    table = Table(data, colWidths=widths, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("FONTNAME", (0, 0), (-1, -1), FACE),
        ("FONTSIZE", (0, 1), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 1), (-1, -1), CELL_LEADING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += _right_aligned(right, len(t.rows))
    table.setStyle(TableStyle(style))
    return table


def _right_aligned(cells: list[tuple[int, int]], nrows: int) -> list[tuple[Any, ...]]:
    """Return ALIGN commands for the numeric cells: one per column when the whole column is."""
    by_col: dict[int, list[int]] = {}
    for c, n in cells:
        by_col.setdefault(c, []).append(n)
    out: list[tuple[Any, ...]] = []
    for c, rows in by_col.items():
        if len(rows) == nrows:
            out.append(("ALIGN", (c, 1), (c, -1), "RIGHT"))
        else:
            out += [("ALIGN", (c, n), (c, n), "RIGHT") for n in rows]
    return out


def write_pdf(rep: Report, out: Path | io.BytesIO) -> None:
    """Write the report as an A4 PDF a clerk can send as is."""
    register_font()
    st = _styles()
    doc = SimpleDocTemplate(
        out if isinstance(out, io.BytesIO) else str(out),
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=tx.TITLE,
        author="sohoa",
        initialFontName=FACE,
    )
    w = A4[0] - 3.5 * cm
    flow: list[Any] = []
    if rep.org:
        flow.append(Paragraph(_esc(rep.org.upper()), st["head"]))
    flow += [
        Paragraph(tx.TITLE, st["title"]),
        Paragraph(_esc(tx.subtitle(rep)), st["sub"]),
        Paragraph(_esc(tx.made_on(rep)), st["sub"]),
        Spacer(1, 8),
    ]
    prod = tb.products(rep)
    flow += [Paragraph(prod.title, st["h1"]), _table(prod, st, [w * 0.6, w * 0.2, w * 0.2])]
    coll = tb.collections(rep)
    cols = [0, 1, 2, 3, 5, 6, 9, 11, 12, 13, 15]
    widths = [2.55, 1.75, 1.45, 1.3, 1.3, 1.2, 1.5, 1.45, 1.75, 1.75, 1.5]  # cm, sum = 17.5
    flow += [
        Paragraph(coll.title, st["h1"]),
        _table(coll, st, [x * cm for x in widths], cols),
        Spacer(1, 6),
        Paragraph(f"<i>{tx.RULE_TITLE}.</i> {_esc(rep.rule)} {_esc(tx.DEFINITIONS)}", st["small"]),
        Spacer(1, 4),
        Image(io.BytesIO(burnup_png(rep.overall, rep.period.end)), width=w, height=w * 4.2 / 9),
    ]
    ind = tb.indicators(rep)
    flow.append(
        KeepTogether(
            [Paragraph(ind.title, st["h1"]), _table(ind, st, [w * 0.4, w * 0.15, w * 0.45])]
        )
    )
    fail = tb.failures(rep)
    if fail.rows:
        flow += [
            Spacer(1, 6),
            Paragraph(fail.title, st["base"]),
            _table(fail, st, [w * 0.25, w * 0.55, w * 0.2]),
        ]
    bt = tb.batches(rep)
    bcols = [0, 1, 2, 5, 7, 9, 10, 12, 13, 15, 18]
    flow += [
        Spacer(1, 6),
        Paragraph(bt.title, st["base"]),
        _table(bt, st, [x * cm for x in [2.0, 2.4, 1.55] + [1.3625] * 7 + [2.0]], bcols),
    ]
    flow.append(Paragraph("IV. Rủi ro", st["h1"]))
    flow += [Paragraph(f"{i}. {_esc(r)}", st["base"]) for i, r in enumerate(rep.risks, 1)]
    flow += [
        Paragraph(tx.RECOMMENDATIONS, st["h1"]),
        Paragraph(tx.RECOMMENDATIONS_HINT, st["small"]),
    ]
    flow += [Paragraph("." * 160, st["base"]) for _ in range(4)]
    sig = [[Paragraph(f"<b>{who}</b><br/><i>{hint}</i>", st["sig"]) for who, hint in tx.SIGNATURES]]
    flow += [
        Spacer(1, 14),
        Table(sig, colWidths=[w / 2, w / 2], style=[("FONTNAME", (0, 0), (-1, -1), FACE)]),
    ]
    doc.build(flow, onFirstPage=_footer, onLaterPages=_footer)


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(FACE, 8)
    canvas.drawRightString(A4[0] - 1.5 * cm, 1 * cm, f"Trang {doc.page}")
    canvas.restoreState()
