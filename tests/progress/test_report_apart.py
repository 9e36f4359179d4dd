"""The web server draws report PDFs and spreadsheets in a child process (issue 18, memory).

The writers (reportlab, openpyxl and what they import) stay out of the long-lived server; the
files are the same as drawn in-process, and a child that fails or hangs is reported clearly.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from fastapi.testclient import TestClient

from core.db_users import add_user, create_api_token, get_user
from core.errors import DependencyError, TransientError
from progress.reports import apart
from progress.reports.model import build_report
from progress.reports.output import render
from tests.progress.test_reports import DAY, make_history

WRITERS = ("reportlab", "openpyxl", "numpy", "lxml")

SERVER = """
import sys
from fastapi.testclient import TestClient
from api.main import create_app
from core.context import open_context
from core.settings import Settings

settings = Settings(data_dir=sys.argv[1], database_url=sys.argv[2] or None)
client = TestClient(create_app(settings, open_context(settings)))
auth = {"Authorization": "Bearer " + sys.argv[3]}
for fmt, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK")):
    params = {"format": fmt, "date": "2026-11-20"}
    r = client.get("/api/progress/report", params=params, headers=auth)
    assert r.status_code == 200 and r.content.startswith(magic), (r.status_code, r.content[:300])
print(" ".join(m for m in sys.argv[4:] if m in sys.modules) or "-")
"""


@pytest.fixture
def history(ctx):
    """The known history of test_reports: two collections, three batches."""
    return make_history(ctx)


@pytest.fixture(autouse=True)
def _no_spare_left():
    yield
    apart.close()


def _token(ctx) -> str:
    with ctx.session() as s:
        add_user(s, "quantri", "matkhau-123", "admin")
        return create_api_token(s, get_user(s, "quantri"))


def test_server_renders_reports_without_loading_the_writers(history, settings):
    token = _token(history)
    args = [str(settings.data_dir), settings.database_url or "", token, *WRITERS]
    out = subprocess.run(
        [sys.executable, "-c", SERVER, *args], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "-"  # none of reportlab, openpyxl, numpy, lxml imported


def _xlsx_parts(data: bytes) -> dict[str, bytes]:
    # docProps/core.xml holds the time the workbook was saved; every other part is compared.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_files_drawn_apart_are_the_files_drawn_in_process(history, monkeypatch):
    from reportlab import rl_config

    # Without a fixed date and document id two renders of one PDF always differ.
    monkeypatch.setenv("RL_invariant", "1")
    monkeypatch.setattr(rl_config, "invariant", 1)
    with history.session() as s:
        rep = build_report(s, "month", DAY)
    pdf_here, pdf_apart = render(rep, "pdf"), apart.render_apart(rep, "pdf")
    assert pdf_apart.startswith(b"%PDF-") and pdf_apart == pdf_here
    xlsx_here, xlsx_apart = render(rep, "xlsx"), apart.render_apart(rep, "xlsx")
    assert _xlsx_parts(xlsx_apart) == _xlsx_parts(xlsx_here)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_apart))
    assert book.sheetnames == ["Báo cáo", "Bộ sưu tập", "Theo lô", "Theo ngày", "Biểu đồ"]
    assert {r[0] for r in book["Theo lô"].iter_rows(min_row=2, values_only=True)} == {
        "lo-dv",
        "lo-vb",
        "lo-treo",
    }
    # The renderer stays for the next report (a clerk takes the PDF, then the spreadsheet).
    child = apart._renderer.child
    assert child is not None and child.poll() is None
    assert apart.render_apart(rep, "pdf") == pdf_here and apart._renderer.child is child
    assert apart.render_for_server(rep, "csv") == render(rep, "csv")  # CSV stays in-process


def test_child_failure_and_timeout_reach_the_caller_in_vietnamese(history, settings, monkeypatch):
    token = _token(history)
    from api.main import create_app

    client = TestClient(create_app(settings, history))
    auth = {"Authorization": f"Bearer {token}"}
    url = "/api/progress/report?format=pdf&date=2026-11-20"
    monkeypatch.setattr(apart, "MODULE", "progress.reports.no_such_module")
    r = client.get(url, headers=auth)
    assert r.status_code == 500, r.text
    err = r.json()["error"]
    assert err["code"] == "report_render_failed"
    assert err["message"].startswith("Không tạo được tệp báo cáo PDF. Vui lòng thử lại")
    monkeypatch.setattr(apart, "MODULE", "progress.reports.apart")
    apart.close()
    with history.session() as s:
        rep = build_report(s, "month", DAY)
    with pytest.raises(TransientError) as hung:
        apart.render_apart(rep, "xlsx", timeout=0.01)  # the child's start alone takes longer
    assert hung.value.code == "report_timeout" and "quá 0.01 giây" in hung.value.message_vi
    assert apart.render_apart(rep, "xlsx").startswith(b"PK")  # the next one works


def test_child_sends_back_a_missing_font_as_raised(history, monkeypatch):
    from progress.reports import pdf

    monkeypatch.setattr(pdf, "FONT_FAMILIES", [])
    monkeypatch.setattr(pdf, "FACE", "NoSuchFace")
    with history.session() as s:
        rep = build_report(s, "month", DAY)
    req_r, req_w = os.pipe()
    ans_r, ans_w = os.pipe()
    request = pickle.dumps(("pdf", rep))
    with os.fdopen(req_w, "wb") as w:
        w.write(len(request).to_bytes(8, "big") + request)
    with os.fdopen(req_r, "rb", buffering=0) as stdin, os.fdopen(ans_w, "wb") as answer:
        assert apart.serve(stdin, answer, 5.0, 2) == 0  # answers, then sees the end of input
    with os.fdopen(ans_r, "rb") as r:
        raw = r.read()
    assert raw[:2] == apart.ERROR and int.from_bytes(raw[2:10], "big") == len(raw) - 10
    err = pickle.loads(raw[10:])
    assert isinstance(err, DependencyError) and err.code == "font_missing"
    assert "Thiếu phông chữ tiếng Việt" in err.message_vi


def test_renderer_leaves_when_idle_or_after_its_renders_and_comes_back(history, monkeypatch):
    with history.session() as s:
        rep = build_report(s, "month", DAY)
    monkeypatch.setattr(apart, "MAX_RENDERS", 1)
    first = apart.render_apart(rep, "xlsx")
    pid = apart._renderer.child.pid
    # That renderer exits after its one report; the next report gets a new one.
    assert apart.render_apart(rep, "xlsx")[:2] == first[:2] == b"PK"
    assert apart._renderer.child.pid != pid
    monkeypatch.setattr(apart, "MAX_RENDERS", 50)
    monkeypatch.setattr(apart, "IDLE_S", 0.2)
    apart.close()
    apart.render_apart(rep, "pdf")
    idle = apart._renderer.child
    assert idle.wait(timeout=60) == 0  # nobody asked for a report: it gave its memory back
    assert apart.render_apart(rep, "pdf").startswith(b"%PDF-")
    assert apart._renderer.child is not idle


def test_renderer_runs_the_servers_code_whatever_the_working_folder_holds(
    history, monkeypatch, tmp_path
):
    # A folder named like one of sohoa's packages where the server was started from.
    decoy = tmp_path / "progress"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("raise SystemExit('not sohoa')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with history.session() as s:
        rep = build_report(s, "month", DAY)
    apart.close()
    assert apart.render_apart(rep, "pdf").startswith(b"%PDF-")
