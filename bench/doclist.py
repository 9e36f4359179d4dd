"""Documents list at archive scale: page, deep page, filter and facet times.

    .venv/bin/python bench/doclist.py --documents 280000 --pages-per-doc 3.6
    .venv/bin/python bench/doclist.py --documents 280000 --database-url postgresql+psycopg://…

Fills a fresh database through the ORM's table (bulk inserts, list columns computed by
``core.db.list_columns`` as the mapper hook would), then times ``records.listing`` as the API
calls it: the first page, a page 200,000 rows deep by cursor (keyset) and by page number
(OFFSET), a filtered and re-sorted page, and the facets with the total. Median of 5 runs each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from core.access import Scope
from core.context import open_context
from core.db import Batch, Document, Page, SourceFile, list_columns
from core.settings import Settings
from records.facets import list_facets
from records.listing import ListQuery, list_documents

TYPES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO", "CÔNG VĂN", "THÔNG BÁO", "NGHỊ QUYẾT", "CHỈ THỊ")
ISSUERS = tuple(f"ĐẢNG ỦY XÃ SỐ {i}" for i in range(300))
CHUNK = 20_000


def fill(ctx, documents: int, pages_per_doc: float) -> None:  # type: ignore[no-untyped-def]
    with ctx.engine.begin() as conn:
        batches = [{"name": f"LO-{i:04d}", "collection": f"Phông {i % 12}"} for i in range(400)]
        conn.execute(insert(Batch), batches)
        conn.execute(
            insert(SourceFile),
            [{"batch_id": 1, "original_name": "x.pdf", "order_key": "x", "status": "ready"}],
        )
    page_no = 0
    for start in range(0, documents, CHUNK):
        rows = []
        for i in range(start, min(documents, start + CHUNK)):
            fields = {
                "doc_type": TYPES[i % len(TYPES)],
                "symbol": f"{i % 997}-{TYPES[i % len(TYPES)][:2]}/TU",
                "date": f"{1990 + i % 35}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "issuer": ISSUERS[i % len(ISSUERS)],
                "subject": f"Văn bản số {i} về công tác đảng",
            }
            conf = {"symbol": (i * 37 % 100) / 100, "date": 0.95}
            rows.append(
                {
                    "batch_id": 1 + i % 400,
                    "seq": i,
                    "kind": "party_document",
                    "classification": ("thuong", "thuong", "thuong", "mat")[i % 4],
                    "status": ("extracted", "reviewed")[i % 2],
                    "fields": fields,
                    "field_confidence": conf,
                    "provenance": {},
                    **list_columns(fields, conf),
                }
            )
        with ctx.engine.begin() as conn:
            conn.execute(insert(Document), rows)
            pages = []
            for n, i in enumerate(range(start, start + len(rows))):
                want = int((n + 1) * pages_per_doc) - int(n * pages_per_doc)
                for k in range(want):
                    page_no += 1
                    pages.append(
                        {
                            "batch_id": 1 + i % 400,
                            "source_file_id": 1,
                            "page_index": page_no,
                            "document_id": i + 1,
                            "doc_order": k,
                        }
                    )
            conn.execute(insert(Page), pages)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--documents", type=int, default=280_000)
    ap.add_argument("--pages-per-doc", type=float, default=3.6)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="sohoa-doclist-"))
    ctx = open_context(Settings(data_dir=data, database_url=args.database_url))
    t0 = time.perf_counter()
    fill(ctx, args.documents, args.pages_per_doc)
    print(f"filled {args.documents} documents in {time.perf_counter() - t0:.0f} s ({data})")
    if ctx.engine.dialect.name == "postgresql":
        with ctx.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    reader = Scope("mat")
    with ctx.session() as s:
        deep = ListQuery(sort="date", size=50, page=4001)
        cursor_row = list_documents(s, reader, ListQuery(sort="date", size=50, page=4000))
        keyset = ListQuery(sort="date", size=50, page=4001, after=cursor_row.next_cursor)
        cases = {
            "first page (date desc, 50)": ListQuery(),
            "page 4001 by cursor (keyset)": keyset,
            "page 4001 by number (OFFSET)": deep,
            "filter type + years, sort symbol": ListQuery(
                sort="symbol", desc=False, types=("BÁO CÁO",), year_from=2000, year_to=2005
            ),
            "sort by confidence asc": ListQuery(sort="confidence", desc=False),
        }
        for name, q in cases.items():
            ms = timed(lambda q=q: list_documents(s, reader, q))
            print(f"{name:40s} {ms:8.1f} ms")
        ms = timed(lambda: list_facets(s, reader, ListQuery()))
        print(f"{'facets + total (no filter)':40s} {ms:8.1f} ms")
        ms = timed(lambda: list_facets(s, reader, ListQuery(types=("BÁO CÁO",))))
        print(f"{'facets + total (type filter)':40s} {ms:8.1f} ms")
    ctx.engine.dispose()


if __name__ == "__main__":
    main()
