"""The documents list on SQLite and PostgreSQL: keyset pages, bookmarks, filters, clearance.

Queries matter here (row values, OFFSET, GROUP BY, the list columns), so each case runs on
both databases; PostgreSQL cases skip with the reason when no server is reachable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from core.access import Scope
from core.context import AppContext, open_context
from core.db import Batch, Document
from core.migrate import alembic_config
from core.settings import Settings
from records.facets import list_facets
from records.listing import SORTS, ListQuery, list_documents

TYPES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO", "CÔNG VĂN")
ATTR = {
    "date": "doc_date",
    "symbol": "symbol",
    "type": "doc_type",
    "issuer": "issuer",
    "batch": "batch_id",
    "status": "status",
    "confidence": "min_confidence",
    "id": "id",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AppContext]:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    ctx = open_context(Settings(data_dir=tmp_path / "data", database_url=url))
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


def fill(ctx: AppContext, n: int = 57) -> dict[str, Any]:
    """Write ``n`` documents over two collections; every seventh is MẬT; some have no date."""
    with ctx.session() as s:
        a = Batch(name="lo-a", collection="Phông A")
        b = Batch(name="lo-b", collection="Phông B")
        s.add_all([a, b])
        s.flush()
        for i in range(n):
            fields = {
                "doc_type": TYPES[i % 4],
                "symbol": f"{i % 13}-KH/TU",
                "issuer": ("TỈNH ỦY", "UBND TỈNH", "")[i % 3],
                "subject": f"Văn bản số {i}",
            }
            if i % 5:
                fields["date"] = f"{2014 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            s.add(
                Document(
                    batch_id=(a if i % 2 else b).id,
                    seq=i,
                    kind="party_document",
                    classification="mat" if i % 7 == 0 else "thuong",
                    status=("extracted", "reviewed")[i % 2],
                    fields=fields,
                    # Equal confidences on purpose: ties must be broken by id.
                    field_confidence={"symbol": 0.5 + (i % 4) / 10, "date": 0.9},
                )
            )
    return {"a": "lo-a", "b": "lo-b"}


def walk(s: Any, scope: Scope, q: ListQuery) -> list[Document]:
    """Follow next cursors from the first page to the last."""
    out: list[Document] = []
    page = list_documents(s, scope, q)
    pages = 1
    while True:
        out += [s.get(Document, i["id"]) for i in page.items]
        if not page.next_cursor:
            return out
        pages += 1
        nxt = ListQuery(**{**vars_of(q), "after": page.next_cursor, "page": pages})
        page = list_documents(s, scope, nxt)


def vars_of(q: ListQuery) -> dict[str, Any]:
    return {k: getattr(q, k) for k in q.__dataclass_fields__}


def test_keyset_pages_cover_every_visible_document_once_in_order(db):
    fill(db)
    scope = Scope("thuong")
    with db.session() as s:
        visible = [d for d in s.query(Document).all() if d.classification == "thuong"]
        for sort in SORTS:
            for desc in (False, True):
                got = walk(s, scope, ListQuery(sort=sort, desc=desc, size=7))
                key = [(getattr(d, ATTR[sort]), d.id) for d in got]
                assert [d.id for d in got] == [
                    d.id
                    for d in sorted(
                        visible, key=lambda d: (getattr(d, ATTR[sort]), d.id), reverse=desc
                    )
                ], (sort, desc)
                assert key == sorted(key, reverse=desc)


def test_bookmarked_page_and_going_back_give_the_same_rows(db):
    fill(db)
    scope = Scope("toi_mat")
    with db.session() as s:
        base = ListQuery(sort="symbol", desc=False, size=6)
        p1 = list_documents(s, scope, base)
        p2 = list_documents(s, scope, ListQuery(**{**vars_of(base), "after": p1.next_cursor}))
        p3 = list_documents(
            s, scope, ListQuery(**{**vars_of(base), "after": p2.next_cursor, "page": 3})
        )
        bookmark = list_documents(s, scope, ListQuery(**{**vars_of(base), "page": 3}))
        assert [i["id"] for i in bookmark.items] == [i["id"] for i in p3.items]
        back = list_documents(
            s, scope, ListQuery(**{**vars_of(base), "before": p3.prev_cursor, "page": 2})
        )
        assert [i["id"] for i in back.items] == [i["id"] for i in p2.items]
        assert back.has_next and back.prev_cursor
        assert p1.prev_cursor is None and p1.has_next


def test_filters_facets_and_clearance(db):
    fill(db)
    with db.session() as s:
        everything = list_facets(s, Scope("tuyet_mat"), ListQuery())
        reader = list_facets(s, Scope("thuong"), ListQuery())
        assert everything["total"] == 57
        assert reader["total"] == 57 - 9  # i % 7 == 0 for 9 of 0..56
        assert {f["value"] for f in reader["facets"]["classification"]} == {"thuong"}
        q = ListQuery(types=("BÁO CÁO",), year_from=2016, year_to=2017, size=100)
        rows = list_documents(s, Scope("thuong"), q).items
        assert rows and all(r["doc_type"] == "BÁO CÁO" for r in rows)
        assert all("2016" <= r["date"][:4] <= "2017" for r in rows)
        assert list_facets(s, Scope("thuong"), q)["total"] == len(rows)
        only_b = list_documents(s, Scope("mat"), ListQuery(collections=("Phông B",), size=100))
        assert {r["batch"] for r in only_b.items} == {"lo-b"}
        # A user limited to Phông A sees, counts and is offered nothing of Phông B.
        scoped = Scope.of("mat", ["Phông A"])
        seen = walk(s, scoped, ListQuery(size=5))
        assert seen and {s.get(Batch, d.batch_id).collection for d in seen} == {"Phông A"}
        facets = list_facets(s, scoped, ListQuery())
        assert [f["value"] for f in facets["facets"]["collection"]] == ["Phông A"]
        assert list_facets(s, scoped, ListQuery(collections=("Phông B",)))["total"] == 0


def test_list_columns_follow_every_change_of_the_record(db):
    fill(db, 3)
    with db.session() as s:
        doc = s.query(Document).order_by(Document.id).first()
        doc.fields = {**doc.fields, "symbol": "  99-QĐ/TU ", "date": "2020-02-30"}
        doc.field_confidence = {"symbol": 0.2}
    with db.session() as s:
        doc = s.get(Document, doc.id)
        assert (doc.symbol, doc.doc_date, doc.min_confidence) == ("99-QĐ/TU", "", 0.2)


def test_migration_backfills_documents_written_before_it(db):
    cfg = alembic_config(db.engine.url.render_as_string(hide_password=False))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    with db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO batch (name, classification, created_at) VALUES ('x', 'thuong', :t)"),
            {"t": dt.datetime(2026, 1, 1)},
        )
        bid = conn.execute(text("SELECT id FROM batch")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO document (batch_id, seq, kind, classification, fields, "
                "field_confidence, provenance, status, created_at, updated_at) VALUES "
                "(:b, 1, 'other', 'thuong', :f, :c, '{}', 'extracted', :t, :t)"
            ),
            {
                "b": bid,
                "f": '{"doc_type": "KẾ HOẠCH", "symbol": "14-KH/TU", "date": "2015-03-20"}',
                "c": '{"symbol": 0.7, "date": 0.9}',
                "t": dt.datetime(2026, 1, 1),
            },
        )
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    with db.session() as s:
        doc = s.query(Document).one()
        assert (doc.doc_type, doc.symbol, doc.doc_date, doc.min_confidence) == (
            "KẾ HOẠCH",
            "14-KH/TU",
            "2015-03-20",
            0.7,
        )
