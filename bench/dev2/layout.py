"""Page layout for dev2: turns a document into drawing operations and ground-truth lines.

Every printed line is appended to the page's ``lines`` in the reading order the corpus README
defines (page number, left header block, right header block, title, body, ``Nơi nhận`` column,
signature column) at the moment its drawing operation is created, so the ground truth is by
construction exactly what is drawn. Seals, signatures, handwriting, rules, boxes, dotted
leaders and photos are operations without text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.dev2 import fonts
from bench.dev2.content import Document, Para

MM_PER_IN = 25.4


@dataclass(slots=True)
class Style:
    """Typography and page geometry of one document (drawn once per document)."""

    family: str
    dpi: int
    body_pt: float
    head_pt: float
    small_pt: float
    spacing: float  # line pitch as a multiple of the font size
    para_gap_pt: float
    indent_mm: float
    margins_mm: tuple[float, float, float, float]  # top, right, bottom, left
    justify: bool
    page_number: str  # "plain" or "dashed"
    ink: tuple[int, int, int]

    def px(self, pt: float) -> int:
        """Points to pixels at this page's resolution."""
        return max(1, round(pt * self.dpi / 72))

    def mm(self, mm: float) -> int:
        """Millimetres to pixels at this page's resolution."""
        return round(mm * self.dpi / MM_PER_IN)


def draw_style(rng: random.Random, family: str, dpi: int) -> Style:
    """Draw a document's typography: 13-14 pt body, NĐ 30-like margins with some spread."""
    body = rng.choice([13, 13, 14, 14, 13.5, 12.5])
    return Style(
        family=family,
        dpi=dpi,
        body_pt=body,
        head_pt=rng.choice([12, 12.5, 13, 13.5]),
        small_pt=rng.choice([11, 11.5, 12]),
        spacing=rng.uniform(1.12, 1.42),
        para_gap_pt=rng.choice([0, 2, 3, 4, 6]),
        indent_mm=rng.uniform(8, 12.7),
        margins_mm=(
            rng.uniform(15, 25),
            rng.uniform(12, 20),
            rng.uniform(15, 25),
            rng.uniform(25, 35),
        ),
        justify=rng.random() < 0.8,
        page_number=rng.choice(["plain", "plain", "dashed"]),
        ink=rng.choice([(18, 18, 18), (30, 30, 34), (24, 26, 48)]),
    )


@dataclass(slots=True)
class Page:
    """One page: its size in pixels, drawing operations and printed lines in reading order."""

    width: int
    height: int
    ops: list[tuple] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


class Layout:
    """Places text on A4 pages, breaking to a new page when the bottom margin is reached."""

    def __init__(self, st: Style) -> None:
        self.st = st
        self.w = round(210 * st.dpi / MM_PER_IN)
        self.h = round(297 * st.dpi / MM_PER_IN)
        top, right, bottom, left = st.margins_mm
        self.left, self.right = st.mm(left), self.w - st.mm(right)
        self.top, self.bottom = st.mm(top), self.h - st.mm(bottom)
        self.pages: list[Page] = []
        self.y = 0
        self.new_page()

    # -- primitives -------------------------------------------------------------------------
    @property
    def page(self) -> Page:
        """The page being filled."""
        return self.pages[-1]

    def font(self, style: str, pt: float):
        """Return the document's font in ``style`` at ``pt`` points."""
        return fonts.load(self.st.family, style, self.st.px(pt))

    def width(self, text: str, style: str, pt: float) -> float:
        """Return the width of ``text`` in pixels."""
        return self.font(style, pt).getlength(text)

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        style: str,
        pt: float,
        color: tuple[int, int, int] | None = None,
        record: bool = True,
    ) -> None:
        """Draw ``text`` with its left end at ``x``; record it as a printed line."""
        fonts.check_text(fonts.FAMILIES[self.st.family].path(style), text)
        self.page.ops.append(
            (
                "text",
                round(x),
                round(baseline),
                text,
                self.st.family,
                style,
                self.st.px(pt),
                color or self.st.ink,
            )
        )
        if record:
            self.page.lines.append(text)

    def centered(
        self,
        x0: float,
        x1: float,
        baseline: float,
        text: str,
        style: str,
        pt: float,
        color: tuple[int, int, int] | None = None,
    ) -> tuple[float, float]:
        """Draw ``text`` centred between ``x0`` and ``x1``; return its ends."""
        w = self.width(text, style, pt)
        x = (x0 + x1) / 2 - w / 2
        self.text(x, baseline, text, style, pt, color)
        return x, x + w

    def rule(self, x0: float, x1: float, y: float, weight: float = 1.0) -> None:
        """Draw a horizontal rule (not text)."""
        self.page.ops.append(
            (
                "rule",
                round(x0),
                round(y),
                round(x1),
                round(y),
                max(1, round(weight * self.st.dpi / 120)),
            )
        )

    def pitch(self, pt: float) -> int:
        """Return the line pitch in pixels for ``pt``-point text."""
        return round(self.st.px(pt) * self.st.spacing)

    def new_page(self) -> None:
        """Start a new page; from page 2 on, print its number at the top centre."""
        self.pages.append(Page(self.w, self.h))
        self.y = self.top
        n = len(self.pages)
        if n > 1:  # NĐ 30 and 36-HD: page numbers from page 2, top centre
            label = str(n) if self.st.page_number == "plain" else f"- {n} -"
            pt = self.st.body_pt - 0.5
            base = self.st.mm(self.st.margins_mm[0] * 0.55) + self.st.px(pt) * 0.8
            self.centered(0, self.w, base, label, "r", pt)
            self.y = max(self.top, round(base + self.st.px(pt)))

    def need(self, h: float) -> None:
        """Break to a new page unless ``h`` more pixels fit above the bottom margin."""
        if self.y + h > self.bottom:
            self.new_page()

    # -- wrapping ---------------------------------------------------------------------------
    def wrap(
        self,
        text: str,
        style: str,
        pt: float,
        width: float,
        first_indent: float = 0,
        bold_prefix: str = "",
    ) -> list[list[tuple[str, str]]]:
        """Greedy word wrap; words of ``bold_prefix`` are set bold. Returns lines of words."""
        words = text.split()
        n_bold = len(bold_prefix.split()) if bold_prefix else 0
        tagged = [
            (w, ("b" if style == "r" else "bi") if i < n_bold else style)
            for i, w in enumerate(words)
        ]
        space = self.width(" ", style, pt)
        lines: list[list[tuple[str, str]]] = [[]]
        cur = first_indent
        for word, wst in tagged:
            ww = self.width(word, wst, pt)
            if lines[-1] and cur + space + ww > width:
                lines.append([])
                cur = 0
            cur += (space if lines[-1] else 0) + ww
            lines[-1].append((word, wst))
        return [ln for ln in lines if ln]

    def words_line(
        self,
        x0: float,
        width: float,
        baseline: float,
        words: list[tuple[str, str]],
        pt: float,
        justify: bool,
    ) -> None:
        """Draw one wrapped line word by word (justified when asked); record it once."""
        space = self.width(" ", words[0][1], pt)
        widths = [self.width(w, s, pt) for w, s in words]
        gap = space
        if justify and len(words) > 1:
            gap = max(space, (width - sum(widths)) / (len(words) - 1))
            if gap > space * 3.2:  # a nearly empty line is left ragged, as Word does
                gap = space
        styles = {s for _, s in words}
        if len(styles) == 1 and gap == space:
            self.text(x0, baseline, " ".join(w for w, _ in words), words[0][1], pt)
            return
        x = x0
        for (w, s), ww in zip(words, widths, strict=True):
            self.text(x, baseline, w, s, pt, record=False)
            x += ww + gap
        self.page.lines.append(" ".join(w for w, _ in words))

    def paragraph(self, para: Para, pt: float) -> None:
        """Set a body paragraph: justified with a first-line indent, or centred, by style."""
        st = self.st
        width = self.right - self.left
        pitch = self.pitch(pt)
        if para.style in ("center", "center_bold"):
            style = "b" if para.style == "center_bold" else "r"
            for ln in self.wrap(para.text, style, pt, width * 0.85):
                self.need(pitch)
                self.y += pitch
                self.centered(self.left, self.right, self.y, " ".join(w for w, _ in ln), style, pt)
            self.y += st.px(st.para_gap_pt)
            return
        style = {"heading": "b", "italic": "i"}.get(para.style, "r")
        indent = st.mm(st.indent_mm)
        lines = self.wrap(para.text, style, pt, width, indent, para.bold_prefix)
        for i, ln in enumerate(lines):
            self.need(pitch)
            self.y += pitch
            x0 = self.left + (indent if i == 0 else 0)
            last = i == len(lines) - 1
            self.words_line(x0, self.right - x0, self.y, ln, pt, st.justify and not last)
        self.y += st.px(st.para_gap_pt)


# -- marks --------------------------------------------------------------------------------------
def mark(
    lay: Layout,
    x_center: float,
    baseline: float,
    text: str,
    pt: float,
    boxed: bool,
    color: tuple[int, int, int] | None = None,
) -> float:
    """Draw a secrecy or urgency mark, bold, optionally boxed; return its right edge."""
    x0, x1 = lay.centered(x_center, x_center, baseline, text, "b", pt, color)
    if boxed:
        pad = lay.st.px(pt) * 0.3
        top = baseline - lay.st.px(pt) * 0.95
        bot = baseline + lay.st.px(pt) * 0.3
        lay.page.ops.append(
            (
                "box",
                round(x0 - pad),
                round(top),
                round(x1 + pad),
                round(bot),
                max(2, round(lay.st.dpi / 100)),
                color or lay.st.ink,
            )
        )
    return x1


def layout_document(doc: Document, st: Style, rng: random.Random) -> list[Page]:
    """Lay a typed document out on pages; returns them with their ops and lines."""
    lay = Layout(st)
    W = lay.right - lay.left
    party = doc.kind == "party"
    left_x0, left_x1 = lay.left, lay.left + 0.42 * W
    right_x0, right_x1 = lay.left + 0.40 * W, lay.right
    hp = st.head_pt
    marks = [m for m in (doc.secrecy, doc.urgency) if m]
    red = (196, 34, 40)
    mark_color = red if rng.random() < 0.35 else None
    # Marks stamped in the top margin come first in reading order.
    if marks and doc.mark_style == "top":
        base = st.mm(st.margins_mm[0] * 0.45) + st.px(hp)
        for m in marks:
            mark(lay, lay.left + st.mm(18), base, m, hp + 1, True, mark_color)
            base += st.px(hp) * 1.7
        lay.y = max(lay.y, round(base - st.px(hp)))
    top = lay.y
    # Left block: superior body, issuing body, "*" or rule, number and symbol, V/v, marks.
    pitch = lay.pitch(hp)
    y = top
    for ln in doc.issuer.parent_lines:
        y += pitch
        lay.centered(left_x0, left_x1, y, ln, "r", _fit(lay, ln, "r", hp, left_x1 - left_x0))
    name_edges = []
    for ln in doc.issuer.name_lines:
        y += pitch
        name_edges.append(
            lay.centered(left_x0, left_x1, y, ln, "b", _fit(lay, ln, "b", hp, left_x1 - left_x0))
        )
    cx = (left_x0 + left_x1) / 2
    if party:
        y += pitch
        lay.centered(left_x0, left_x1, y, "*", "r", hp)
    else:
        y += st.px(hp) * 0.45
        half = (name_edges[-1][1] - name_edges[-1][0]) * rng.uniform(0.25, 0.4)
        lay.rule(cx - half, cx + half, y)
        y += st.px(hp) * 0.4
    y += pitch
    so = f"Số {doc.symbol}" if party else f"Số: {doc.symbol}"
    lay.centered(left_x0, left_x1, y, so, "r", hp)
    so_base = y
    if doc.code == "CV":
        vv_style = "i" if party else "r"
        for ln in lay.wrap(f"V/v {doc.subject}", vv_style, st.small_pt, (left_x1 - left_x0) * 0.95):
            y += lay.pitch(st.small_pt)
            lay.centered(left_x0, left_x1, y, " ".join(w for w, _ in ln), vv_style, st.small_pt)
    if marks and doc.mark_style == "left":
        for m in marks:
            y += st.px(hp) * 1.9
            mark(lay, cx, y, m, hp + 0.5, doc.mark_boxed, mark_color)
        y += st.px(hp) * 0.4
    left_bottom = y
    # Right block: national or Party heading, rule, date line in italics.
    y = top
    rw = right_x1 - right_x0
    if party:
        t = "ĐẢNG CỘNG SẢN VIỆT NAM"
        pt = _fit(lay, t, "b", hp + 2, rw)
        y += lay.pitch(pt)
        x0, x1 = lay.centered(right_x0, right_x1, y, t, "b", pt)
        y += st.px(pt) * 0.35
        lay.rule(x0, x1, y, 1.3)
    else:
        t1, t2 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
        pt1 = _fit(lay, t1, "b", hp, rw)
        y += lay.pitch(pt1)
        lay.centered(right_x0, right_x1, y, t1, "b", pt1)
        pt2 = min(pt1 + 1, _fit(lay, t2, "b", pt1 + 1, rw))
        y += lay.pitch(pt2)
        x0, x1 = lay.centered(right_x0, right_x1, y, t2, "b", pt2)
        y += st.px(pt2) * 0.35
        lay.rule(x0, x1, y, 1.1)
    date_base = max(so_base, y + st.px(hp) * 1.6)
    dpt = _fit(lay, doc.date_line, "i", hp + 1, rw)
    lay.centered(right_x0, right_x1, date_base, doc.date_line, "i", dpt)
    lay.y = round(max(left_bottom, date_base) + st.px(hp) * 1.2)
    if marks and doc.mark_style == "center":
        for m in marks:
            lay.y += st.px(hp) * 1.6
            mark(lay, lay.left + W / 2, lay.y, m, hp + 1, doc.mark_boxed, mark_color)
        lay.y += st.px(hp) * 0.5
    # Title and subject.
    tpt = st.body_pt + rng.choice([0, 0.5, 1])
    if doc.code != "CV":
        lay.y += round(lay.pitch(tpt) * 1.3)
        lay.centered(lay.left, lay.right, lay.y, doc.doc_type, "b", tpt + 0.5)
        sub_lines = lay.wrap(doc.subject, "b", st.body_pt, W * rng.uniform(0.7, 0.85))
        sx0 = sx1 = lay.left + W / 2
        for ln in sub_lines:
            lay.y += lay.pitch(st.body_pt)
            a, b = lay.centered(
                lay.left, lay.right, lay.y, " ".join(w for w, _ in ln), "b", st.body_pt
            )
            sx0, sx1 = min(sx0, a), max(sx1, b)
        lay.y += st.px(st.body_pt) * 0.5
        half = min(sx1 - sx0, W * 0.3) * rng.uniform(0.2, 0.35)
        lay.rule(lay.left + W / 2 - half, lay.left + W / 2 + half, lay.y)
        lay.y += st.px(st.body_pt) * 0.4
    else:
        lay.y += st.px(st.body_pt)
    if doc.kinh_gui:
        lay.y += lay.pitch(st.body_pt)
        if len(doc.kinh_gui) == 1:
            lay.centered(
                lay.left, lay.right, lay.y, f"Kính gửi: {doc.kinh_gui[0]}", "r", st.body_pt
            )
        else:
            kx = lay.left + W * 0.22
            lay.text(kx, lay.y, "Kính gửi:", "r", st.body_pt)
            gx = kx + lay.width("Kính gửi: ", "r", st.body_pt)
            for i, k in enumerate(doc.kinh_gui):
                if i:
                    lay.y += lay.pitch(st.body_pt)
                end = ";" if i < len(doc.kinh_gui) - 1 else "."
                lay.text(gx, lay.y, f"- {k}{end}", "r", st.body_pt)
        lay.y += st.px(st.body_pt) * 0.6
    for para in doc.body:
        lay.paragraph(para, st.body_pt)
    _closing(lay, doc, rng)
    return lay.pages


def _fit(lay: Layout, text: str, style: str, pt: float, width: float) -> float:
    """Return the largest size down from ``pt`` at which ``text`` fits ``width``."""
    while pt > 9 and lay.width(text, style, pt) > width * 0.98:
        pt -= 0.5
    return pt


def _closing(lay: Layout, doc: Document, rng: random.Random) -> None:
    st = lay.st
    W = lay.right - lay.left
    c = doc.closing
    rp = st.small_pt
    lcol = (lay.left, lay.left + 0.46 * W)
    rcol = (lay.left + 0.45 * W, lay.right)
    gap_mm = rng.uniform(18, 26)
    rec_lines: list[tuple[str, str, float]] = []
    if c.recipients:
        label_style = "bi" if doc.kind == "state" else rng.choice(["r", "b"])
        rec_lines.append(("Nơi nhận:", label_style, rp + (0.5 if doc.kind == "state" else 1)))
        for item in c.recipients:
            for i, ln in enumerate(lay.wrap(f"- {item}", "r", rp - 0.5, lcol[1] - lcol[0])):
                rec_lines.append(((" " if i else "") + " ".join(w for w, _ in ln), "r", rp - 0.5))
    sig_pt = st.body_pt
    n_sig = len(c.authority) + (1 if c.title else 0)
    sig_h = n_sig * lay.pitch(sig_pt) + st.mm(gap_mm) + lay.pitch(sig_pt)
    rec_h = sum(lay.pitch(p) for _, _, p in rec_lines)
    lay.y += st.px(st.body_pt) * 0.8
    lay.need(max(sig_h, rec_h) + st.px(st.body_pt))
    start = lay.y
    # "Nơi nhận" column first (reading order), then the signature column.
    y = start + st.px(st.body_pt) * 0.6
    for text, style, pt in rec_lines:
        y += lay.pitch(pt) * 0.92
        x = lcol[0] + (lay.width("- ", "r", pt) if text.startswith(" ") else 0)
        lay.text(x, y, text.strip(), style, pt)
        if text == "Nơi nhận:" and style == "r":
            lay.rule(x, x + lay.width(text, style, pt), y + st.px(pt) * 0.15, 0.8)
    if c.second:  # minutes: secretary on the left, chair on the right
        _sign_column(lay, lcol, start, (), c.second[0], c.second[1], sig_pt, gap_mm, rng, seal=None)
    _sign_column(
        lay,
        rcol,
        start,
        c.authority,
        c.title,
        c.signer_name,
        sig_pt,
        gap_mm,
        rng,
        seal=doc.issuer.seal_text if c.seal else None,
    )
    lay.y = start + max(sig_h, rec_h)


def _sign_column(
    lay: Layout,
    col: tuple[float, float],
    start: float,
    authority: tuple[str, ...],
    title: str,
    name: str,
    pt: float,
    gap_mm: float,
    rng: random.Random,
    seal: str | None,
) -> None:
    st = lay.st
    y = start
    heads = [*authority, *([title] if title else [])]
    for h in heads:
        y += lay.pitch(pt)
        lay.centered(col[0], col[1], y, h, "b", _fit(lay, h, "b", pt, col[1] - col[0]))
    sig_top = y + st.px(pt) * 0.4
    y += st.mm(gap_mm)
    y += lay.pitch(pt)
    nx0, nx1 = lay.centered(col[0], col[1], y, name, "b", pt)
    cx = (col[0] + col[1]) / 2
    lay.page.ops.append(
        (
            "signature",
            round(cx - st.mm(22)),
            round(sig_top),
            round(st.mm(44)),
            round(y - st.px(pt) - sig_top),
            rng.randrange(1 << 30),
        )
    )
    if seal:
        r = st.mm(rng.uniform(17, 20))
        # The seal covers the left third of the signature and, often, the left of the name.
        scx = cx - st.mm(rng.uniform(10, 22))
        scy = y - st.px(pt) * rng.uniform(0.6, 2.6) - r * rng.uniform(0.2, 0.55)
        lay.page.ops.append(
            ("seal", round(scx), round(scy), round(r), seal, rng.randrange(1 << 30))
        )
    del nx0, nx1
