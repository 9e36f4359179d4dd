"""Collections scope: a user cleared TUYỆT MẬT but limited to "Phông A" sees nothing of an
ordinary document of "Phông Bắc Hà" on any read path, and still sees Phông A's.

The world of test_authz_matrix (Phông A: batches lo-a and lo-b, with a MẬT document) plus a
batch of Phông Bắc Hà holding one ``thuong`` document, indexed; real SQLite and search index.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

import pipeline.indexing as indexing
from accounts.users import Actor, create_user
from api.main import create_app
from audit import trail as audit
from core.db import Batch, SourceFile
from core.db_audit import AuditEntry
from core.text import fold
from progress.plan import upsert_collection
from tests.api.test_authz_matrix import (
    PASSWORD,
    SECRET_SUBJECT,
    SECRET_SYMBOL,
    World,
    _doc,
    _file,
    _page_files,
    build_world,
    jpeg,
    login,
)
from tests.api.test_leaks import body, pieces_in

B_SUBJECT = "Biên bản kiểm kê kho Tam Đảo"
B_SYMBOL = "27-BB/KKTĐ"
B_BATCH = "lo-phong-b"
# What must never reach the scoped users (raw and folded forms are both checked).
B_PIECES = [B_SUBJECT, B_SYMBOL, "KKTĐ", "Tam Đảo", "kiểm kê", B_BATCH, "Phông Bắc Hà"]


@dataclass
class Other:
    """Phông Bắc Hà's document, page and file."""

    doc: int
    page: int
    file: int


def leaks(text: str) -> list[str]:
    """Return the Phông Bắc Hà pieces found in a body."""
    return pieces_in(text, B_PIECES)


def add_phong_b(ctx) -> Other:
    """Add Phông Bắc Hà to the plan with one batch and one ordinary document, and index it."""
    with ctx.session() as s:
        upsert_collection(
            s, "Phông Bắc Hà", pages=50, owner="Ban Tổ chức", deadline=dt.date(2026, 12, 31)
        )
        b = Batch(name=B_BATCH, collection="Phông Bắc Hà", department="Ban Tổ chức")
        s.add(b)
        s.flush()
        sf = _file(ctx, s, b, "kiem-ke.jpg", jpeg(170))
        d, pages = _doc(
            s,
            b,
            sf,
            1,
            [f"Kế hoạch kiểm kê\nSố {B_SYMBOL}\n{B_SUBJECT}"],
            {"doc_type": "BIÊN BẢN", "symbol": B_SYMBOL, "subject": B_SUBJECT},
        )
        other = Other(d.id, pages[0].id, sf.id)
    _page_files(ctx, other.page, B_SUBJECT.split())
    indexing.index_documents(ctx, [other.doc])
    return other


@pytest.fixture
def scoped(settings, ctx) -> tuple[World, Other, TestClient]:
    w = build_world(ctx)
    other = add_phong_b(ctx)
    with ctx.session() as s:
        # "ra_soat": review and download rights, so every read path is open to the role.
        create_user(
            s, Actor("test"), "rasoat_a", PASSWORD, "ra_soat", "tuyet_mat", collections=["Phông A"]
        )
        create_user(
            s, Actor("test"), "kho_a", PASSWORD, "luu_tru", "tuyet_mat", collections=["Phông A"]
        )
        create_user(
            s,
            Actor("test"),
            "to_chuc",
            PASSWORD,
            "ra_soat",
            "tuyet_mat",
            departments=["Ban Tổ chức"],
        )
    return w, other, TestClient(create_app(settings, ctx))


def client(app, user: str) -> TestClient:
    c = TestClient(app)
    c.headers["X-CSRF-Token"] = login(c, user)
    return c


def test_search_results_counts_facets_and_snippets_stay_in_scope(scoped):
    w, other, base = scoped
    admin, mine = client(base.app, "quantri"), client(base.app, "rasoat_a")
    for q in (B_SUBJECT, f'"{B_SUBJECT}"', B_SYMBOL, fold(B_SUBJECT), "Tam Đảo", "kiem ke"):
        seen = admin.get("/api/search", params={"q": q})
        assert other.doc in [h["id"] for h in seen.json()["hits"]], q  # positive control
        assert leaks(body(seen))
        for params in (
            {"q": q},
            {"q": q, "collection": "Phông Bắc Hà"},
            {"q": q, "batch": B_BATCH},
            {"q": q, "collection": ["Phông A", "Phông Bắc Hà"]},
            {"q": q, "clearance": "tuyet_mat", "limit": 100},
        ):
            r = mine.get("/api/search", params=params)
            assert r.status_code == 200
            data = r.json()
            assert other.doc not in [h["id"] for h in data["hits"]], params
            assert not leaks(body(r)), (params, leaks(body(r)))
        r = mine.get("/api/documents")  # the documents list
        assert other.doc not in [d["id"] for d in r.json()["items"]] and not leaks(body(r))
        r = mine.get("/api/documents/facets", params={"collection": "Phông Bắc Hà"})
        assert r.json()["total"] == 0 and not leaks(body(r))
    # Its own collection: the ordinary document and the MẬT one (cleared), by subject and symbol.
    for q, want in (
        ("Kế hoạch công tác năm 2015", w.doc),
        ("14-KH/UB", w.doc),
        (SECRET_SUBJECT, w.secret),
        (SECRET_SYMBOL, w.secret),
    ):
        assert want in [h["id"] for h in mine.get("/api/search", params={"q": q}).json()["hits"]]
    assert {w.doc, w.secret} <= {d["id"] for d in mine.get("/api/documents").json()["items"]}
    # Counts and facets: "kế hoạch" is in Phông A's plan and in Phông Bắc Hà's inventory.
    everyone = admin.get("/api/search", params={"q": "kế hoạch"}).json()
    r = mine.get("/api/search", params={"q": "kế hoạch"}).json()
    assert r["total"] == everyone["total"] - 1 >= 1
    assert {f["value"] for f in r["facets"]["collection"]} == {"Phông A"}
    assert B_BATCH not in {f["value"] for f in r["facets"]["batch"]}
    assert sum(f["count"] for f in r["facets"]["collection"]) == r["total"]
    asked_b = mine.get("/api/search", params={"q": "kế hoạch", "collection": "Phông Bắc Hà"}).json()
    assert asked_b["total"] == 0 and asked_b["hits"] == []


def test_documents_pages_files_and_review_of_another_collection_look_absent(scoped, ctx):
    w, other, base = scoped
    admin, mine = client(base.app, "quantri"), client(base.app, "rasoat_a")
    assert admin.get(f"/api/documents/{other.doc}").status_code == 200
    assert admin.get(f"/api/files/{other.file}/original").status_code == 200
    for url in (
        f"/api/documents/{other.doc}",
        f"/documents/{other.doc}",
        f"/api/pages/{other.page}/image",
        f"/api/pages/{other.page}/image/colour",
        f"/api/pages/{other.page}/words",
        f"/api/files/{other.file}/original",
        f"/review/{other.doc}",
    ):
        r = mine.get(url)
        assert r.status_code == 404, (url, r.status_code)
        assert not leaks(body(r)), url
    # Exactly the answer for a document, file or page that does not exist.
    reader = client(base.app, "tracuu")
    for real, same in (
        (f"/api/documents/{other.doc}", "/api/documents/999999"),
        (f"/api/files/{other.file}/original", "/api/files/999999/original"),
        (f"/api/pages/{other.page}/image", "/api/pages/999999/image"),
        (f"/api/pages/{other.page}/image/colour", "/api/pages/999999/image/colour"),
    ):
        a = mine.get(real).json()["error"]
        b = (reader if same.startswith("/api/pages") else mine).get(same).json()["error"]
        assert a["code"] == b["code"], real
        assert {
            k: str(v)
            .replace(str(other.doc), "N")
            .replace(str(other.file), "N")
            .replace(str(other.page), "N")
            for k, v in a.items()
        } == {k: str(v).replace("999999", "N") for k, v in b.items()}
    # Its own collection stays open: document, page image, words, original, review page.
    for url in (
        f"/api/documents/{w.doc}",
        f"/api/pages/{w.page}/image",
        f"/api/pages/{w.page}/image/colour",
        f"/api/pages/{w.page}/words",
        f"/api/files/{w.file}/original",
        f"/review/{w.doc}",
        f"/api/documents/{w.secret}",
    ):
        assert mine.get(url).status_code == 200, url
    queue = mine.get("/api/review/queue", params={"limit": 500})
    ids = [i["id"] for i in queue.json()["items"]]
    assert other.doc not in ids and w.doc in ids and not leaks(body(queue))
    assert other.doc in [i["id"] for i in admin.get("/api/review/queue").json()["items"]]
    r = mine.get("/api/review/queue", params={"batch": B_BATCH})
    assert r.status_code == 404 and r.json()["error"]["code"] == "batch_not_found"
    # Writes aimed at it look absent too, and change nothing.
    for method, url, payload in (
        ("PUT", f"/api/documents/{other.doc}/fields/subject", {"value": "x"}),
        ("PUT", f"/api/pages/{other.page}/text", {"text": "x"}),
        ("POST", f"/api/documents/{other.doc}/accept", None),
        ("POST", f"/api/documents/{other.doc}/split", {"page_id": other.page}),
        ("POST", f"/api/documents/{other.doc}/merge-next", None),
    ):
        r = mine.request(method, url, json=payload)
        want = "page_not_found" if url.startswith("/api/pages") else "document_not_found"
        assert r.status_code == 404 and r.json()["error"]["code"] == want, url
    assert admin.get(f"/api/documents/{other.doc}").json()["fields"]["subject"] == B_SUBJECT
    with ctx.session() as s:
        denied = list(
            s.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == audit.ACCESS_DENIED, AuditEntry.actor == "rasoat_a"
                )
            )
        )
    assert denied and {e.details["reason"] for e in denied} == {"scope"}


def test_batches_exports_progress_and_reports_count_only_the_scope(scoped):
    w, other, base = scoped
    admin, mine = client(base.app, "quantri"), client(base.app, "rasoat_a")
    assert admin.get(f"/api/batches/{B_BATCH}/export").status_code == 200
    for url in (
        f"/api/batches/{B_BATCH}",
        f"/api/batches/{B_BATCH}/export",
        f"/api/progress/batches/{B_BATCH}",
        "/api/progress/collections/Phông Bắc Hà",
        "/api/progress/daily?collection=Phông Bắc Hà",
    ):
        r, missing = (
            mine.get(url),
            mine.get(url.replace(B_BATCH, "khong-co").replace("Phông Bắc Hà", "Phông Z")),
        )
        # The same answer as for a name that does not exist (the asked name is echoed).
        assert r.status_code == missing.status_code == 404, url
        assert body(r).replace(B_BATCH, "X").replace("Phông Bắc Hà", "X") == body(missing).replace(
            "khong-co", "X"
        ).replace("Phông Z", "X"), url
    assert mine.get(f"/api/batches/{w.mixed_batch}/export").status_code == 200
    names = [b["batch"] for b in mine.get("/api/batches").json()]
    assert names == [w.batch, w.mixed_batch]
    assert [b["batch"] for b in mine.get("/api/progress/batches").json()] == names
    assert [b["name"] for b in mine.get("/api/dashboard").json()["batches"]] == names[::-1]
    assert [c["name"] for c in mine.get("/api/progress/collections").json()] == ["Phông A"]

    # Report numbers: every page received, minus Phông Bắc Hà's one page.
    def received(c: TestClient) -> int:
        products = c.get("/api/progress/summary").json()["products"]
        return next(p["cumulative"] for p in products if "tiếp nhận" in p["label"])

    assert received(mine) == received(admin) - 1 >= 1
    planned = [
        c.get("/api/progress/summary").json()["overall"]["planned_pages"] for c in (admin, mine)
    ]
    assert planned == [150, 100]
    for c in (mine, client(base.app, "kho_a")):
        for url in (
            "/",
            "/upload",
            "/api/dashboard",
            "/api/batches",
            "/api/progress/summary",
            "/api/progress/collections",
            "/api/progress/batches",
            "/api/progress/daily",
            "/api/progress/report?format=csv",
            "/review",
            "/search",
        ):
            r = c.get(url)
            assert r.status_code in (200, 403), (url, r.status_code)
            assert not leaks(body(r)), (url, leaks(body(r)))
    assert (
        B_BATCH in admin.get("/upload").text
        and B_BATCH not in client(base.app, "kho_a").get("/upload").text
    )
    csv_all = admin.get("/api/progress/report?format=csv").text
    assert "Phông Bắc Hà" in csv_all  # positive control of the report check above
    # The spreadsheet is zipped: read its cells.
    sheets = [xlsx_text(c.get("/api/progress/report?format=xlsx").content) for c in (admin, mine)]
    assert leaks(sheets[0]) and not leaks(sheets[1]), leaks(sheets[1])


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def test_departments_limit_to_the_batches_of_those_departments(scoped):
    w, other, base = scoped
    dept = client(base.app, "to_chuc")  # no collections, one department: Phông Bắc Hà's batch
    assert [h["id"] for h in dept.get("/api/search", params={"q": "kế hoạch"}).json()["hits"]] == [
        other.doc
    ]
    assert dept.get(f"/api/documents/{other.doc}").status_code == 200
    assert dept.get(f"/api/documents/{w.doc}").status_code == 404  # a batch without one
    assert [b["batch"] for b in dept.get("/api/batches").json()] == [B_BATCH]
    assert [i["id"] for i in dept.get("/api/review/queue").json()["items"]] == [other.doc]


def test_cli_search_as_a_user_sees_what_the_user_sees(scoped, settings, monkeypatch, capsys):
    from cli.main import main as cli_main
    from core.settings import get_settings

    w, other, _base = scoped
    monkeypatch.setenv("SOHOA_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:

        def ids(*argv: str) -> list[int]:
            assert cli_main(["search", *argv, "--json"]) == 0
            return [h["id"] for h in json.loads(capsys.readouterr().out)["hits"]]

        assert other.doc in ids(B_SUBJECT)  # --clearance alone: the operator's own search
        assert ids(B_SUBJECT, "--user", "rasoat_a") == []
        assert ids(B_SYMBOL, "--user", "rasoat_a", "--collection", "Phông Bắc Hà") == []
        assert ids(SECRET_SYMBOL, "--user", "rasoat_a") == [w.secret]
        assert ids(SECRET_SYMBOL, "--user", "tracuu") == []  # clearance as before
        assert cli_main(["search", "x", "--user", "khong-co"]) == 66
        capsys.readouterr()
    finally:
        get_settings.cache_clear()


def test_archive_staff_write_only_into_their_collections(scoped, ctx):
    _w, _other, base = scoped
    staff = client(base.app, "kho_a")
    with ctx.session() as s:
        before = s.query(Batch).count()
    for url, call in (
        (f"/api/batches/{B_BATCH}/files?filename=x.jpg", "put"),
        (f"/api/batches/{B_BATCH}/process", "post"),
    ):
        r = getattr(staff, call)(url, content=jpeg(10)) if call == "put" else staff.post(url)
        missing = (
            getattr(staff, call)(url.replace(B_BATCH, "khong-co"), content=jpeg(10))
            if call == "put"
            else staff.post(url.replace(B_BATCH, "khong-co"))
        )
        assert r.status_code == missing.status_code == 404, url
        assert r.json()["error"]["code"] == "batch_not_found"
    r = staff.post("/api/batches", json={"name": "lo-moi-b", "collection": "Phông Bắc Hà"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "outside_scope"
    ok = staff.post("/api/batches", json={"name": "lo-moi-a", "collection": "Phông A"})
    assert ok.status_code == 201
    with ctx.session() as s:
        assert s.query(Batch).count() == before + 1
        b = s.query(Batch).filter_by(name=B_BATCH).one()
        assert s.query(SourceFile).filter_by(batch_id=b.id).count() == 1  # nothing added
