"""Reports open and carry the Vietnamese headings and the numbers of a known history."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from cli.main import main
from core.context import open_context
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.db_users import add_user, create_api_token
from core.settings import Settings
from progress.plan import upsert_collection
from progress.reports import text as tx
from progress.reports.model import build_report
from progress.reports.output import render

DV, VB = "Hồ sơ đảng viên", "Văn bản 2014-2024"
DAY = dt.date(2026, 11, 20)


def at(y: int, m: int, d: int, h: int = 3) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=dt.UTC)


def add_pages(
    s,
    batch: Batch,
    n: int,
    finished: dt.datetime | None,
    status: str = "done",
    doc: Document | None = None,
    code: str | None = None,
) -> None:
    sf = SourceFile(
        batch_id=batch.id,
        original_name=f"{batch.name}-{status}-{finished}.pdf",
        status="ready",
        created_at=finished or at(2026, 11, 1),
    )
    s.add(sf)
    s.flush()
    for i in range(n):
        p = Page(
            batch_id=batch.id,
            source_file_id=sf.id,
            page_index=i,
            mean_confidence=90.0,
            flags=[],
            document_id=doc.id if doc else None,
        )
        s.add(p)
        s.flush()
        s.add(
            PageStage(
                page_id=p.id,
                stage="ocr",
                status=status,
                error_code=code,
                started_at=finished - dt.timedelta(hours=1) if finished else None,
                finished_at=finished,
            )
        )


@pytest.fixture
def history(ctx):
    """Two planned collections: one late (12/1000 reviewed), one finished; a stalled batch."""
    return make_history(ctx)


def make_history(ctx):
    with ctx.session() as s:
        upsert_collection(s, DV, pages=1000, owner="Ban Tổ chức")
        upsert_collection(s, VB, pages=100, owner="Văn phòng", deadline=dt.date(2026, 12, 15))
        dv = Batch(name="lo-dv", collection=DV, created_by="thu.nt")
        vb = Batch(name="lo-vb", collection=VB)
        stuck = Batch(name="lo-treo", collection=DV)
        s.add_all([dv, vb, stuck])
        s.flush()
        reviewed = Document(
            batch_id=dv.id,
            status="reviewed",
            fields={"number": "1"},
            created_at=at(2026, 11, 18),
            updated_at=at(2026, 11, 19),
        )
        pending = Document(
            batch_id=dv.id,
            status="extracted",
            fields={},
            created_at=at(2026, 11, 18),
            updated_at=at(2026, 11, 18),
        )
        old = Document(
            batch_id=vb.id,
            status="reviewed",
            fields={"number": "2"},
            created_at=at(2026, 10, 5),
            updated_at=at(2026, 10, 6),
        )
        s.add_all([reviewed, pending, old])
        s.flush()
        add_pages(s, dv, 10, at(2026, 11, 3), doc=pending)
        add_pages(s, dv, 12, at(2026, 11, 18), doc=reviewed)
        add_pages(s, dv, 8, at(2026, 11, 18))
        add_pages(s, dv, 2, at(2026, 11, 18), status="failed", code="pdf_page_damaged")
        add_pages(s, vb, 100, at(2026, 10, 5), doc=old)
        add_pages(s, stuck, 5, None, status="pending")
    return ctx


def test_report_model_numbers(history):
    check_model_numbers(history)


@pytest.mark.services
def test_report_model_numbers_on_postgresql(pg_url, tmp_path):
    ctx = open_context(Settings(data_dir=tmp_path / "data", database_url=pg_url))
    try:
        check_model_numbers(make_history(ctx))
    finally:
        ctx.engine.dispose()


def check_model_numbers(ctx):
    with ctx.session() as s:
        rep = build_report(s, "month", DAY)
        week = build_report(s, "week", DAY)
    assert (rep.period.start, rep.period.end) == (dt.date(2026, 11, 1), DAY)
    products = {label: (a, b) for label, a, b in rep.products}
    assert products["Trang đã nhận dạng (OCR)"] == (30, 130)
    assert products["Trang đã rà soát (hoàn thành số hóa)"] == (12, 112)
    assert products["Trang lỗi"] == (2, 2)
    rows = {r.name: r for r in rep.rows}
    assert rows[DV].digitized.status == "late" and rows[DV].digitized.done == 12
    assert rows[VB].digitized.status == "done"
    assert rep.overall.planned == 1100 and rep.overall.ocr.done == 130
    assert any(r.startswith(f"{DV}: chậm tiến độ") for r in rep.risks)
    assert any("Lô lo-treo bị đình trệ" in r for r in rep.risks)
    assert any("Tỷ lệ trang lỗi trong kỳ cao" in r for r in rep.risks)
    assert week.period.start == dt.date(2026, 11, 16) and week.period.label_vi == "Tuần 47/2026"


def test_xlsx_reads_back_with_values_and_headings(history, tmp_path):
    with history.session() as s:
        data = render(build_report(s, "month", DAY), "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Báo cáo", "Bộ sưu tập", "Theo lô", "Theo ngày", "Biểu đồ"]
    main_ws = wb["Báo cáo"]
    cells = [c.value for row in main_ws.iter_rows() for c in row if c.value is not None]
    for heading in (
        tx.TITLE,
        "I. Sản phẩm",
        "II. Tiến độ theo bộ sưu tập so với kế hoạch",
        "III. Chỉ số",
        "IV. Rủi ro",
        tx.RECOMMENDATIONS,
        tx.RULE_TITLE,
    ):
        assert heading in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    rows = {r[0]: r for r in main_ws.iter_rows(values_only=True) if r[0]}
    assert rows["Trang đã nhận dạng (OCR)"][1:3] == (30, 130)
    assert rows["Độ tin cậy OCR trung bình"][1] == pytest.approx(90.0)
    assert rows["Tỷ lệ trang lỗi trong kỳ"][1] == pytest.approx(2 / 32)
    coll = {r[0]: r for r in wb["Bộ sưu tập"].iter_rows(values_only=True)}
    assert coll[DV][2] == 1000 and coll[DV][5] == 12 and coll[DV][15] == "Chậm tiến độ"
    assert coll[DV][6] == pytest.approx(0.012)
    assert coll[VB][15] == "Hoàn thành"
    assert wb["Bộ sưu tập"]["G2"].number_format == "0.0%"
    lots = {r[0]: r for r in wb["Theo lô"].iter_rows(values_only=True)}
    assert lots["lo-dv"][2] == "thu.nt" and lots["lo-dv"][7] == 30 and lots["lo-dv"][12] == 2
    days = {r[0]: r for r in wb["Theo ngày"].iter_rows(values_only=True)}
    assert days[dt.datetime(2026, 11, 18)][2] == 20
    assert len(wb["Biểu đồ"]._images) == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text_and_embedded_vietnamese_font(history, tmp_path):
    with history.session() as s:
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(render(build_report(s, "month", DAY), "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for needle in (
        tx.TITLE,
        "Tháng 11/2026 (từ ngày 01/11/2026 đến ngày 20/11/2026)",
        "I. Sản phẩm",
        "IV. Rủi ro",
        "V. Đề xuất, kiến nghị",
        DV,
        "Chậm tiến độ",
        "Hoàn thành",
        "1.000",
        "Quy tắc đánh giá",
        "Lô lo-treo bị đình trệ",
        "90,0",
        "NGƯỜI LẬP BÁO CÁO",
    ):
        assert needle in text, needle
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "LiberationSerif" in fonts or "DejaVuSerif" in fonts or "FreeSerif" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if "TrueType" in line)


def test_csv_and_missing_corrections_table(history):
    with history.session() as s:
        s.execute(sa.text("DROP TABLE field_correction"))
        rep = build_report(s, "month", DAY)
    rows = list(csv.reader(io.StringIO(render(rep, "csv").decode("utf-8-sig"))))
    assert rows[0] == [tx.TITLE]
    by_label = {r[0]: r for r in rows if r}
    assert by_label["Trang đã nhận dạng (OCR)"][1:] == ["30", "130"]
    assert by_label[DV][15] == "Chậm tiến độ"
    corr = by_label["Tỷ lệ trường phải sửa khi rà soát"]
    assert float(corr[1]) == 0.0 and "field_correction" in corr[2]


def test_cli_plan_and_report(history, settings, monkeypatch, tmp_path):
    monkeypatch.setenv("SOHOA_DATA_DIR", str(settings.data_dir))
    from core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert (
            main(
                [
                    "plan",
                    "add",
                    "Hồ sơ cán bộ diện BTV quản lý",
                    "--pages",
                    "400",
                    "--owner",
                    "Ban Tổ chức",
                ]
            )
            == 0
        )
        assert (
            main(["plan", "set", "Hồ sơ cán bộ diện BTV quản lý", "--deadline", "30/06/2026"]) == 0
        )
        assert main(["plan", "set", "Không có", "--pages", "1"]) == 66
        assert main(["plan", "add", "X", "--deadline", "31-12"]) == 65
        assert (
            main(
                [
                    "plan",
                    "assign",
                    "--batch",
                    "lo-treo",
                    "--collection",
                    "Hồ sơ cán bộ diện BTV quản lý",
                ]
            )
            == 0
        )
        assert main(["plan", "list"]) == 0
        out = tmp_path / "bc.csv"
        assert (
            main(
                [
                    "report",
                    "--period",
                    "month",
                    "--date",
                    "2026-11-20",
                    "--format",
                    "csv",
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
    finally:
        get_settings.cache_clear()
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) if r}
    btv = rows["Hồ sơ cán bộ diện BTV quản lý"]
    assert btv[2] == "400" and btv[13] == "2026-06-30" and btv[15] == "Chậm tiến độ"
    assert rows["lo-treo"][1] == "Hồ sơ cán bộ diện BTV quản lý"


def test_api_progress_and_admin_only_edits(history, settings):
    with history.session() as s:
        add_user(s, "quantri", "matkhau-123", "admin")
        add_user(s, "xem", "matkhau-123", "tra_cuu")
        from core.db_users import get_user

        admin = {"Authorization": f"Bearer {create_api_token(s, get_user(s, 'quantri'))}"}
        viewer = {"Authorization": f"Bearer {create_api_token(s, get_user(s, 'xem'))}"}
    from api.main import create_app

    client = TestClient(create_app(settings, history))
    assert client.get("/api/progress/summary").status_code == 401
    summ = client.get("/api/progress/summary", params={"date": "2026-11-20"}, headers=viewer).json()
    assert summ["overall"]["ocr"]["done"] == 130 and "7 ngày" in summ["rule"]
    colls = client.get(
        "/api/progress/collections", params={"date": "2026-11-20"}, headers=viewer
    ).json()
    assert {c["name"]: c["digitized"]["status"] for c in colls} == {DV: "late", VB: "done"}
    one = client.get(
        f"/api/progress/collections/{DV}", params={"date": "2026-11-20"}, headers=viewer
    ).json()
    assert {b["batch"] for b in one["batches"]} == {"lo-dv", "lo-treo"}
    lot = client.get("/api/progress/batches/lo-dv", headers=viewer).json()
    assert lot["pages_failed"] == 2 and lot["failures"] == {"pdf_page_damaged": 2}
    days = client.get(
        "/api/progress/daily", params={"date": "2026-11-20", "collection": DV}, headers=viewer
    ).json()["days"]
    assert {d["date"]: d["ocr_done"] for d in days}["2026-11-18"] == 20
    body = {"name": "Hồ sơ đảng viên 2", "estimated_pages": 50}
    assert client.post("/api/progress/collections", json=body, headers=viewer).status_code == 403
    assert client.post("/api/progress/collections", json=body, headers=admin).status_code == 200
    r = client.put(f"/api/progress/collections/{DV}", json={"estimated_pages": 20}, headers=admin)
    assert r.status_code == 200 and r.json()["estimated_pages"] == 20
    rep = client.get(
        "/api/progress/report",
        params={"format": "csv", "date": "2026-11-20", "period": "week"},
        headers=viewer,
    )
    assert rep.status_code == 200 and rep.headers["content-type"].startswith("text/csv")
    assert "bao-cao-tuan-2026-W47.csv" in rep.headers["content-disposition"]
    assert "Tuần 47/2026" in rep.content.decode("utf-8-sig")


def test_reports_survive_control_characters_from_the_cli(history, settings, monkeypatch, tmp_path):
    # The CLI has stored names with BEL, ESC (a terminal colour sequence), a bidi override and
    # a formula; such rows exist from before input was checked and must not break reports.
    monkeypatch.setenv("SOHOA_DATA_DIR", str(settings.data_dir))
    from core.settings import get_settings

    name, owner = "Phông\x07 A\x1b[31m", "Văn phòng\u202e\x00"
    scans = tmp_path / "quet"
    scans.mkdir()
    get_settings.cache_clear()
    try:
        assert main(["plan", "add", name, "--pages", "50", "--owner", owner]) == 0
        # The CLI now refuses such a batch name (core.validation.batch_name); the row is
        # written as an older version stored it.
        assert main(["ingest", str(scans), "--batch", "lo\x07\x1b[2J"]) == 65
        from core.context import open_context
        from core.db import Batch

        with open_context(get_settings()).session() as s:
            s.add(Batch(name="lo\x07\x1b[2J", collection=name, created_by='=HYPERLINK("http://x")'))
        outs = {}
        for fmt in ("xlsx", "pdf", "csv"):
            outs[fmt] = tmp_path / f"bc.{fmt}"
            assert (
                main(
                    [
                        "report",
                        "--date",
                        "2026-11-20",
                        "--format",
                        fmt,
                        "--out",
                        str(outs[fmt]),
                        "--org",
                        "Tỉnh ủy\x1b",
                    ]
                )
                == 0
            )
    finally:
        get_settings.cache_clear()
    shown = "Phông\ufffd A\ufffd[31m"
    wb = openpyxl.load_workbook(outs["xlsx"])
    cells = [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]
    values = {c.value for c in cells}
    assert shown in values and "lo\ufffd\ufffd[2J" in values
    assert "Văn phòng\ufffd\ufffd" in values
    uploader = next(c for c in cells if "HYPERLINK" in c.value)
    assert uploader.data_type == "s"  # a name stays text, never becomes a formula
    assert not any(ch in v for v in values for ch in "\x00\x07\x1b\u202e")
    rows = list(csv.reader(io.StringIO(outs["csv"].read_text(encoding="utf-8-sig"))))
    flat = [v for r in rows for v in r]
    assert shown in flat and '\'=HYPERLINK("http://x")' in flat
    assert not any(ch in v for v in flat for ch in "\x00\x07\x1b\u202e")
    text = subprocess.run(
        ["pdftotext", "-layout", str(outs["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TỈNH ỦY" in text and "\x1b" not in text and "\x07" not in text


def test_xlsx_cells_of_one_kind_share_a_complete_style(history):
    with history.session() as s:
        data = render(build_report(s, "month", DAY), "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data))["Theo lô"]
    # Every data cell, not only the first of its kind, keeps border, font and number format.
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.font.name == "Times New Roman", cell.coordinate
    ints = [c for c in ws["H"][1:] if isinstance(c.value, int)]
    assert ints and all(c.number_format == "#,##0" for c in ints)
    assert all(c.font.bold for c in ws[1])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_cells_keep_markup_literal_and_wrap_long_names(history, tmp_path):
    long = "Lô số hóa hồ sơ đảng viên các chi bộ khối cơ quan huyện Lâm Hà năm 2015"
    with history.session() as s:
        s.add(Batch(name="<b>lô&1</b>", collection=DV, created_by="thu.nt"))
        s.add(Batch(name=long, collection=DV, created_by="thu.nt"))
    with history.session() as s:
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(render(build_report(s, "month", DAY), "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<b>lô&1</b>" in text  # a plain cell is not parsed as markup
    # The long name does not fit its column: it wraps onto several lines instead of overflowing.
    assert "Lô số hóa" in text and long not in text
    assert "huyện Lâm" in text or "Lâm Hà" in text


def test_chart_is_drawn_once_per_set_of_numbers(history, monkeypatch):
    from progress.reports import chart

    with history.session() as s:
        rep = build_report(s, "month", DAY)
    drawn: list[int] = []
    real = chart._draw_burnup

    def counting(*a, **k):
        drawn.append(1)
        return real(*a, **k)

    monkeypatch.setattr(chart, "_draw_burnup", counting)
    chart._PNGS.clear()
    first = chart.burnup_png(rep.overall, rep.period.end)
    again = chart.burnup_png(rep.overall, rep.period.end)
    later = chart.burnup_png(rep.overall, rep.period.end + dt.timedelta(days=1))
    assert first == again and first[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(drawn) == 2 and later != first


def test_chart_shows_every_line_in_its_colour_without_matplotlib(history, tmp_path):
    from PIL import Image

    from progress.reports import chart

    with history.session() as s:
        rep = build_report(s, "month", DAY)
    png = chart._draw_burnup(rep.overall, rep.period.end, 9.0, 4.2, 150)
    (tmp_path / "burnup.png").write_bytes(png)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (1350, 630) and round(img.info["dpi"][0]) == 150
    seen = {px for _, px in img.getcolors(1 << 20)}
    for colour in ("#1f77b4", "#2ca02c", "#d62728"):
        rgb = tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))
        assert rgb in seen, colour
    _, _, lines = chart.burnup_series(rep.overall, rep.period.end)
    assert [ln.label.split(":")[0] for ln in lines][:3] == [
        "Trang đã nhận dạng (OCR), lũy kế",
        "Trang đã rà soát (hoàn thành), lũy kế",
        "Kế hoạch",
    ]
    code = "import sys, api.main, progress.reports.pdf; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_chart_axis_ticks_stay_readable():
    from progress.reports.chart import date_ticks, nice_step

    assert nice_step(1050) == 200 and nice_step(7) == 1 and nice_step(260_000) == 50_000
    week = date_ticks(dt.date(2026, 11, 1), dt.date(2026, 11, 30), 8)
    assert len(week) <= 8 and (week[1] - week[0]).days == 7
    months = date_ticks(dt.date(2025, 6, 12), dt.date(2026, 12, 31), 10)
    assert len(months) <= 10 and all(d.day == 1 for d in months)
    assert months[0] >= dt.date(2025, 6, 12) and months[-1] <= dt.date(2026, 12, 31)
