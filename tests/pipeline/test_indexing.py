"""Index maintenance from real database rows: batch indexing, corrections, reconcile, CLI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from cli.main import main
from core.context import AppContext, open_context
from core.db import Batch, Document, Page, SourceFile
from core.errors import TransientError
from core.fields import FIELDS
from core.search_types import SearchQuery
from core.settings import Settings
from pipeline import indexing
from pipeline.changes import documents_changed
from search import writer_lock


@pytest.fixture(params=["tantivy", "whoosh"])
def ictx(request: pytest.FixtureRequest, settings: Settings) -> AppContext:
    settings.search.backend = request.param
    return open_context(settings)


def add_doc(
    ctx: AppContext, batch: str, texts: list[str], classification: str = "thuong", **fields: str
) -> int:
    with ctx.session() as s:
        b = s.scalar(select(Batch).where(Batch.name == batch))
        if b is None:
            b = Batch(name=batch, collection="Văn bản 2014-2024")
            s.add(b)
            s.flush()
        sf = SourceFile(batch_id=b.id, original_name=f"{batch}-{len(texts)}.pdf")
        s.add(sf)
        s.flush()
        d = Document(
            batch_id=b.id,
            kind="party_document",
            classification=classification,
            fields=fields,
            status="extracted",
        )
        s.add(d)
        s.flush()
        for i, t in enumerate(texts):
            s.add(
                Page(
                    batch_id=b.id,
                    source_file_id=sf.id,
                    page_index=i,
                    document_id=d.id,
                    doc_order=i,
                    text=t,
                )
            )
        return d.id


def hits(ctx: AppContext, text: str, clearance: str = "tuyet_mat") -> list[int]:
    res = indexing.get_backend(ctx).search(SearchQuery(text, clearance=clearance))
    return [h.id for h in res.hits]


def test_index_documents_builds_records_and_skips_tuyet_mat(ictx):
    d1 = add_doc(
        ictx,
        "VB-2015",
        ["ĐẢNG BỘ TỈNH\nKế hoạch công tác", "trang hai đảng viên"],
        doc_type="KẾ HOẠCH",
        symbol="14-KH/BTCTU",
        date="2015-03-20",
        subject="Công tác đảng viên",
        issuer="TỈNH ỦY LÂM ĐỒNG",
    )
    d2 = add_doc(ictx, "VB-2015", ["tài liệu tuyệt mật về đảng viên"], "tuyet_mat")
    assert indexing.index_documents(ictx, [d1, d2]) == 1
    assert hits(ictx, "dang vien") == [d1]
    res = indexing.get_backend(ictx).search(SearchQuery("14-KH/BTCTU"))
    hit = res.hits[0]
    assert (hit.id, hit.title, hit.date, hit.pages) == (
        d1,
        "KẾ HOẠCH 14-KH/BTCTU: Công tác đảng viên",
        "2015-03-20",
        (),
    )
    assert [v.value for v in res.facets["year"]] == ["2015"]
    assert [v.value for v in res.facets["collection"]] == ["Văn bản 2014-2024"]
    assert d2 not in indexing.get_backend(ictx).fingerprints()


def test_corrections_and_reocr_update_the_index(ictx):
    d1 = add_doc(ictx, "B", ["Quyết đinh khen thưởng"], issuer="HUYỆN ỦY")
    indexing.index_documents(ictx, [d1])
    with ictx.session() as s:
        doc = s.get(Document, d1)
        doc.fields = {**doc.fields, "issuer": "TỈNH ỦY"}  # reviewer correction
        page = s.scalars(select(Page).where(Page.document_id == d1)).one()
        page.text = "Quyết định khen thưởng tập thể"  # re-OCR
        owner = page.document_id
    documents_changed(ictx, [owner])
    assert hits(ictx, "tập thể") == [d1]
    res = indexing.get_backend(ictx).search(SearchQuery("khen thưởng", issuers=("tỉnh ủy",)))
    assert [h.id for h in res.hits] == [d1]
    with ictx.session() as s:  # deleted in the database: index_documents removes it
        for p in s.scalars(select(Page).where(Page.document_id == d1)):
            p.document_id = None
        s.delete(s.get(Document, d1))
    indexing.index_documents(ictx, [d1])
    assert hits(ictx, "khen thưởng") == []


def test_reconcile_and_reindex_repair_drift(ictx):
    d1 = add_doc(ictx, "B", ["một văn bản"])
    d2 = add_doc(ictx, "B", ["hai văn bản"])
    indexing.index_documents(ictx, [d1, d2])
    d3 = add_doc(ictx, "B", ["ba văn bản chưa vào chỉ mục"])
    with ictx.session() as s:
        s.scalars(select(Page).where(Page.document_id == d2)).one().text = "hai đã sửa"
        s.get(Document, d1).classification = "tuyet_mat"  # policy: leaves the index
    report = indexing.reconcile(ictx)
    assert (report.added, report.updated, report.removed) == ((d3,), (d2,), (d1,))
    assert indexing.reconcile(ictx).clean
    assert hits(ictx, "đã sửa") == [d2]
    assert indexing.reindex(ictx) == 2
    assert sorted(indexing.get_backend(ictx).fingerprints()) == [d2, d3]


def test_busy_writer_surfaces_as_transient_error(ictx):
    d1 = add_doc(ictx, "B", ["văn bản"])
    backend = indexing.get_backend(ictx)
    backend.lock_timeout_s = 0.2  # type: ignore[attr-defined]
    with writer_lock(indexing.index_dir(ictx.settings)), pytest.raises(TransientError):
        indexing.index_documents(ictx, [d1])


def test_cli_search_reindex_reconcile(ictx, monkeypatch, capsys):
    monkeypatch.setattr("cli.main.get_settings", lambda: ictx.settings)
    d1 = add_doc(
        ictx,
        "B",
        ["Nghị quyết về công tác cán bộ"],
        doc_type="NGHỊ QUYẾT",
        date="2016-01-02",
        symbol="15-NQ/TU",
    )
    assert main(["reconcile"]) == 0
    assert (
        main(
            [
                "search",
                "can bo",
                "--json",
                "--type",
                "nghị quyết",
                "--year-from",
                "2016",
                "--year-to",
                "2016",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in out["hits"]] == [d1]
    assert "<mark>cán</mark>" in out["hits"][0]["snippets"][0]
    assert main(["reindex"]) == 0
    assert main(["search", "15-NQ/TU"]) == 0
    assert "15-NQ/TU" in capsys.readouterr().out
    assert main(["search", "không có gì", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0


def test_every_field_the_table_calls_indexed_is_found_by_its_value(ictx):
    # The page text says nothing: a hit can only come from the field itself.
    values = {
        "doc_type": "CHỈ THỊ",
        "symbol": "77-CT/HUDL",
        "date": "2013-07-09",
        "issuer": "HUYỆN ỦY ĐAM RÔNG",
        "subject": "Tăng cường quản lý rừng phòng hộ",
        "signer_name": "Liêng Hót Ha Thuấn",
        "signer_title": "PHÓ BÍ THƯ THƯỜNG TRỰC",
    }
    indexed = {f.key for f in FIELDS if f.indexed}
    assert indexed == set(values), "give the new indexed field a value here"
    d = add_doc(ictx, "IDX", ["trang trống"], **values)
    indexing.index_documents(ictx, [d])
    for key, value in values.items():
        if key == "date":  # dates are filtered by year, not searched as words
            res = indexing.get_backend(ictx).search(SearchQuery(year_from=2013, year_to=2013))
            assert [h.id for h in res.hits] == [d] and res.hits[0].date == value
        else:
            assert hits(ictx, value) == [d], key
