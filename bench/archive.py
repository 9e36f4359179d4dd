"""Archive scale: a database and index of N synthetic pages, then every read path timed.

    .venv/bin/python bench/archive.py --pages 10000
    .venv/bin/python bench/archive.py --pages 100000 --database postgresql --record

Fills a fresh data directory (SQLite, or a fresh PostgreSQL database) with ``--pages`` pages
in documents of 3.57 pages on average, over 15 years (2010-2024), 200 batches and 10
collections, with the office's mix: 86 % thường, 10 % MẬT, 3 % TỐI MẬT, 1 % TUYỆT MẬT
(stored without text); old batches reviewed, recent ones half reviewed, the newest batch still
in OCR; 0.2 % of pages failed, 0.1 % of files unreadable, 10 % of reviewed documents corrected.
Batch 1 holds 18 % of the documents (50,000 at 1M pages) for the export measurement. Rows go
in by bulk inserts (not the pipeline), page text is recombined real Vietnamese text
(``../shared/corpora/text``), every document gets a (hard-linked) PDF so reconcile has nothing
to rebuild. Then ``sohoa reindex`` builds the search index, the web app is started in its own
process, and each call is timed over HTTP as the screens make it, as an administrator (TUYỆT
MẬT), a reviewer (MẬT) and a reader (thường): p50/p95 (and p99 for search) in milliseconds.
The export of batch 1 is timed with the server's peak RSS; ``sohoa reconcile`` last.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import psutil
from sqlalchemy import create_engine, insert, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.harness import machine_info, record, run_monitored, shared_corpora  # noqa: E402
from core.context import AppContext, open_context  # noqa: E402
from core.db import Batch, Document, Page, PageStage, SourceFile, list_columns  # noqa: E402
from core.db_plan import Collection  # noqa: E402
from core.db_review import FieldCorrection  # noqa: E402
from core.settings import Settings  # noqa: E402

PG_ADMIN = "postgresql+psycopg://root@127.0.0.1:5432/postgres"
PAGES_PER_DOC = 3.57
CHUNK = 10_000
COLLECTIONS = (
    "Phông Tỉnh ủy",
    "Hồ sơ đảng viên",
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Đảng ủy Khối Cơ quan",
    "Huyện ủy Đức Trọng",
    "Huyện ủy Lâm Hà",
    "Thành ủy Đà Lạt",
)
TYPES = ("NGHỊ QUYẾT", "QUYẾT ĐỊNH", "KẾ HOẠCH", "CÔNG VĂN", "BÁO CÁO", "THÔNG BÁO", "CHỈ THỊ")
ISSUERS = tuple(f"{u} {p}" for u in ("HUYỆN ỦY", "ĐẢNG ỦY XÃ") for p in COLLECTIONS[6:]) + (
    "TỈNH ỦY LÂM ĐỒNG",
    "BAN TỔ CHỨC TỈNH ỦY",
    "ỦY BAN KIỂM TRA TỈNH ỦY",
)
WORDS = ("đảng viên", "kiểm tra", "tổ chức", "cán bộ", "kết nạp", "nghị quyết", "chi bộ")
PASSWORD = "Bench-archive-2026!"  # noqa: S105 - throwaway accounts of a throwaway database
PROCESSING_START = dt.datetime(2025, 6, 1, 1, 0, tzinfo=dt.UTC)
PROCESSING_END = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@dataclass
class Filled:
    """What the fill wrote, and the names the measurements use."""

    pages: int = 0
    documents: int = 0
    batches: int = 0
    files: int = 0
    big_batch: str = ""
    newest_batch: str = ""
    big_batch_documents: int = 0
    sample_document: int = 0
    seconds: float = 0.0


@dataclass
class Timing:
    """Latencies of one call, in milliseconds."""

    name: str
    who: str
    ms: list[float] = field(default_factory=list)
    cold_ms: float = 0.0  # the first call (after the start-up warming, before any other call)
    status: int = 200
    note: str = ""

    def pct(self, q: float) -> float:
        """Return the ``q`` quantile (nearest rank) of the latencies."""
        xs = sorted(self.ms)
        return xs[min(len(xs) - 1, max(0, round(q * len(xs)) - 1))] if xs else 0.0


def _texts() -> list[str]:
    lines: list[str] = []
    for f in sorted((shared_corpora() / "text").glob("*.txt")):
        lines += [x.strip() for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines or [f"Văn bản về công tác {w} của tỉnh Lâm Đồng." for w in WORDS]


def _level(i: int) -> str:
    r = (i * 7919) % 100
    return "tuyet_mat" if r < 1 else "toi_mat" if r < 4 else "mat" if r < 14 else "thuong"


def _plan(pages: int, n_batches: int) -> list[int]:
    """Return the documents of each batch: batch 1 holds 18 %, the rest share the remainder."""
    docs = max(n_batches, min(pages, round(pages / PAGES_PER_DOC)))
    big = max(1, round(docs * 0.18))
    rest = docs - big
    per = [
        rest // (n_batches - 1) + (1 if k < rest % (n_batches - 1) else 0)
        for k in range(n_batches - 1)
    ]
    return [big, *per]


def fill(ctx: AppContext, pages: int, seed: int = 11, n_batches: int = 200) -> Filled:
    """Write ``pages`` pages of the archive's shape by bulk inserts; returns what was written."""
    t0 = time.perf_counter()
    rnd = random.Random(seed)
    lines = _texts()
    n_batches = max(2, min(n_batches, pages // 20))
    per_batch = _plan(pages, n_batches)
    out = Filled(
        batches=n_batches,
        big_batch="LO-0001",
        big_batch_documents=per_batch[0],
        newest_batch=f"LO-{n_batches:04d}",
    )
    span = (PROCESSING_END - PROCESSING_START) / n_batches
    with ctx.engine.begin() as conn:
        conn.execute(
            insert(Collection),
            [{"name": c, "estimated_pages": pages * 3 // 20} for c in COLLECTIONS],
        )
        conn.execute(
            insert(Batch),
            [
                {
                    "id": b + 1,
                    "name": f"LO-{b + 1:04d}",
                    "collection": COLLECTIONS[b % len(COLLECTIONS)],
                    "year_from": 2010 + b * 15 // n_batches,
                    "year_to": 2010 + b * 15 // n_batches,
                    "classification": "thuong",
                    "created_by": "luutru1",
                    "created_at": PROCESSING_START + span * b,
                }
                for b in range(n_batches)
            ],
        )
    doc_id = page_id = file_id = 0
    total_docs = sum(per_batch)
    for b, n_docs in enumerate(per_batch):
        bid, newest = b + 1, b == n_batches - 1
        year = 2010 + b * 15 // n_batches
        created = PROCESSING_START + span * b
        reviewed_share = (
            100 if b < n_batches // 2 else max(0, 100 - 200 * (b - n_batches // 2) // n_batches)
        )
        docs, pgs, stages, files, fixes = [], [], [], [], []
        in_file, seq = 40, 0
        for k in range(n_docs):
            # Spread exactly ``pages`` over the documents (3.57 each on average, at least 1).
            want = (doc_id + 1) * pages // total_docs - doc_id * pages // total_docs
            doc_id += 1
            level = _level(doc_id)
            dtype = TYPES[doc_id % len(TYPES)]
            fields = {
                "doc_type": dtype,
                "symbol": f"{doc_id % 997 + 1}-{dtype[:2]}/TU",
                "date": f"{year}-{1 + doc_id % 12:02d}-{1 + doc_id % 28:02d}",
                "issuer": ISSUERS[doc_id % len(ISSUERS)],
                "subject": f"Về {WORDS[doc_id % len(WORDS)]} năm {year}, văn bản {doc_id}",
                "signer_name": rnd.choice(("Nguyễn Văn An", "Trần Thị Bình", "K'Điệp", "Ka Sô")),
            }
            conf = {
                f: round(0.55 + (doc_id * 37 + j * 11) % 45 / 100, 2) for j, f in enumerate(fields)
            }
            reviewed = (k * 100 // max(1, n_docs)) < reviewed_share
            status = (
                "store_only" if level == "tuyet_mat" else "reviewed" if reviewed else "extracted"
            )
            done_at = created + span * (k / max(1, n_docs))
            if not newest:
                docs.append(
                    {
                        "id": doc_id,
                        "batch_id": bid,
                        "seq": seq,
                        "kind": "party_document",
                        "classification": level,
                        "fields": fields,
                        "field_confidence": conf,
                        "provenance": {},
                        "status": status,
                        "created_at": done_at,
                        "updated_at": done_at + dt.timedelta(days=3 if reviewed else 0),
                        **list_columns(fields, conf),
                    }
                )
                seq += 1
                if reviewed and doc_id % 10 == 0:
                    fixes.append(
                        {
                            "document_id": doc_id,
                            "field": "subject",
                            "old_value": "",
                            "new_value": fields["subject"],
                            "user": "rasoat1",
                            "at": done_at + dt.timedelta(days=3),
                        }
                    )
            for order in range(want):
                if in_file == 40:
                    file_id, in_file = file_id + 1, 0
                    files.append(
                        {
                            "id": file_id,
                            "batch_id": bid,
                            "original_name": f"{bid:04d}/quyen_{file_id:06d}.pdf",
                            "order_key": f"{file_id:08d}",
                            "sha256": uuid.UUID(int=rnd.getrandbits(128)).hex * 2,
                            "size": 40 * 350_000,
                            "detected_type": "pdf",
                            "status": "ready",
                            "page_count": 40,
                            "error_code": None,
                            "error": None,
                            "warnings": [],
                            "created_at": created,
                        }
                    )
                page_id += 1
                failed = page_id % 500 == 0
                text_ = "" if level == "tuyet_mat" else "\n".join(rnd.sample(lines, 6))
                pgs.append(
                    {
                        "id": page_id,
                        "batch_id": bid,
                        "source_file_id": file_id,
                        "page_index": in_file,
                        "document_id": None if newest or failed else doc_id,
                        "doc_order": order,
                        "text_source": "ocr",
                        "rotation": 0,
                        "skew_deg": 0.3,
                        "mean_confidence": 70.0 + page_id % 28,
                        "width": 1654,
                        "height": 2339,
                        "text": text_,
                        "flags": ["low_confidence"] if page_id % 50 == 0 else [],
                        "timings_ms": {},
                    }
                )
                in_file += 1
                state = "failed" if failed else "done"
                if newest:
                    state = "done" if order % 3 == 0 else "pending"
                stages.append(
                    {
                        "page_id": page_id,
                        "stage": "ocr",
                        "status": state,
                        "attempts": 1 if state != "pending" else 0,
                        "started_at": None if state == "pending" else done_at,
                        "finished_at": None if state == "pending" else done_at,
                        "duration_ms": None if state == "pending" else 4200.0,
                        "error_code": "ocr_failed" if failed else None,
                        "error": "Không đọc được trang (ảnh hỏng)" if failed else None,
                    }
                )
        if b % 50 == 7:  # an unreadable file now and then (one in ~50 batches' last files)
            file_id += 1
            files.append(
                {
                    "id": file_id,
                    "batch_id": bid,
                    "original_name": f"{bid:04d}/hong_{file_id:06d}.pdf",
                    "order_key": f"{file_id:08d}",
                    "sha256": uuid.UUID(int=rnd.getrandbits(128)).hex * 2,
                    "size": 1234,
                    "detected_type": "pdf",
                    "status": "failed",
                    "error_code": "unreadable_pdf",
                    "error": "Tệp PDF bị hỏng, không mở được.",
                    "page_count": 0,
                    "warnings": [],
                    "created_at": created,
                }
            )
            in_file = 40
        with ctx.engine.begin() as conn:
            for table, rows in (
                (SourceFile, files),
                (Document, docs),
                (Page, pgs),
                (PageStage, stages),
                (FieldCorrection, fixes),
            ):
                for start in range(0, len(rows), CHUNK):
                    conn.execute(insert(table), rows[start : start + CHUNK])
        out.pages += len(pgs)
        out.documents += len(docs)
    out.files = file_id
    out.sample_document = max(1, doc_id // 2)
    if ctx.engine.dialect.name == "postgresql":
        with ctx.engine.connect() as conn:
            for table in ("batch", "source_file", "document", "page", "page_stage"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            conn.commit()
        with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with ctx.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    _link_pdfs(ctx, doc_id)
    out.seconds = time.perf_counter() - t0
    return out


LINKS_PER_FILE = 60_000  # ext4 allows 65,000 hard links to one inode


def _link_pdfs(ctx: AppContext, documents: int) -> None:
    """Give every document a PDF (hard links to a few files): reconcile then repairs nothing."""
    body = b"%PDF-1.4\n%bench placeholder\n%%EOF\n"
    template = ctx.storage.root / "bench-template.pdf"
    for doc in range(1, documents + 1):
        if doc % LINKS_PER_FILE == 1:
            template = ctx.storage.root / f"bench-template-{doc // LINKS_PER_FILE}.pdf"
            template.write_bytes(body)
        path = ctx.storage.document_pdf(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.link(template, path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sohoa(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"sohoa {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def _accounts(env: dict[str, str]) -> dict[str, str]:
    """Create an administrator, a reviewer and a reader; return their API tokens."""
    who = {
        "admin": ("qt1", "admin", "tuyet_mat"),
        "reviewer": ("rasoat1", "ra_soat", "mat"),
        "reader": ("tracuu1", "tra_cuu", "thuong"),
    }
    env = {**env, "BENCH_PW": PASSWORD}
    tokens = {}
    for key, (name, role, level) in who.items():
        _sohoa(
            env,
            "users",
            "add",
            name,
            "--role",
            role,
            "--clearance",
            level,
            "--password-env",
            "BENCH_PW",
        )
        tokens[key] = (
            _sohoa(env, "users", "token", name, "--name", "bench").splitlines()[-1].strip()
        )
    return tokens


def _serve(env: dict[str, str], port: int, log: Path) -> tuple[subprocess.Popen[bytes], float]:
    """Start the app as ``sohoa serve`` does (progress warmed in the background).

    Returns the process and the seconds from start until /health says ``progress_ready``.
    """
    code = (
        "import uvicorn; from core.settings import Settings; from core.context import "
        "open_context; from api.main import create_app; from progress.warm import "
        "start_warming; s = Settings(); c = open_context(s); app = create_app(s, c); "
        "app.state.warmer = start_warming(c); "
        f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning')"
    )
    t0 = time.perf_counter()
    with log.open("ab") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], env=env, cwd=REPO, stdout=fh, stderr=fh
        )
    for _ in range(6000):
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            if r.status_code == 200 and r.json().get("progress_ready"):
                return proc, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"server did not start; see {log}")
        time.sleep(0.2)
    raise SystemExit("server did not warm up in 20 min")


def _time(
    client: httpx.Client,
    token: str,
    url: str,
    runs: int,
    t: Timing,
    before: Callable[[], None] | None = None,
) -> Timing:
    headers = {"Authorization": f"Bearer {token}"}
    for k in range(runs + 1):
        if before is not None:
            before()
        t0 = time.perf_counter()
        r = client.get(url, headers=headers)
        ms = (time.perf_counter() - t0) * 1000
        t.status = r.status_code
        if r.status_code != 200:
            t.note = r.text[:120]
            break
        if k:  # the first call warms caches (SQLite pages, tantivy searcher, kept progress)
            t.ms.append(ms)
        elif not t.cold_ms:
            t.cold_ms = ms
    return t


@dataclass
class Rss:
    """A process's memory while something ran: before, at its peak, and what was mapped."""

    before: int = 0
    peak: int = 0
    peak_file: int = 0  # file-backed part at the peak: shared libraries, the mapped index
    children: int = 0  # most RSS of the process's children at once (a report's render child)


def _children_rss(proc: psutil.Process) -> int:
    total = 0
    for child in proc.children(recursive=True):
        with contextlib.suppress(psutil.Error):  # it exited between the listing and now
            total += child.memory_info().rss
    return total


def _peak_rss(pid: int, during: Callable[[], Any]) -> tuple[Any, Rss]:
    proc = psutil.Process(pid)
    rss, stop = Rss(before=proc.memory_info().rss), threading.Event()

    def sample() -> None:
        while not stop.is_set():
            mi = proc.memory_info()
            if mi.rss > rss.peak:
                rss.peak, rss.peak_file = mi.rss, mi.shared
            rss.children = max(rss.children, _children_rss(proc))
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    try:
        result = during()
    finally:
        stop.set()
        th.join()
    return result, rss


def measure(
    base: str,
    tokens: dict[str, str],
    filled: Filled,
    runs: int,
    server_pid: int,
    touch: Callable[[], None],
) -> tuple[list[Timing], dict[str, Any]]:
    """Time every screen's call; return timings and the export figures.

    ``touch`` finishes one page of the newest batch (as a worker would) when called.
    """
    big, doc = filled.big_batch, filled.sample_document
    # Page 1000 of 50 where the archive has it (1M pages); 90 % of the way down below that.
    deep = max(1, min(1000, filled.documents * 9 // 10 // 50))
    calls = [
        ("dashboard", "admin", "/api/dashboard"),
        ("dashboard", "reader", "/api/dashboard"),
        ("batches with status", "admin", "/api/batches"),
        ("batch status (batch 1)", "reader", f"/api/batches/{big}"),
        ("progress per collection", "admin", "/api/progress/collections"),
        ("progress per collection", "reader", "/api/progress/collections"),
        ("plan summary", "admin", "/api/progress/summary"),
        ("review queue, first page", "reviewer", "/api/review/queue?limit=50"),
        ("documents list page 1", "reader", "/api/documents?size=50"),
        (f"documents list page {deep}", "reader", f"/api/documents?size=50&page={deep}"),
        (
            f"documents list p.{deep // 4}, type+years filter",
            "admin",
            f"/api/documents?size=50&page={deep // 4}&type=BÁO CÁO&year_from=2010&year_to=2024"
            "&sort=date",
        ),
        ("documents facets + total", "reader", "/api/documents/facets"),
        ("one document", "admin", f"/api/documents/{doc}"),
        (
            "monthly report PDF",
            "admin",
            "/api/progress/report?period=month&format=pdf&date=2026-11-30",
        ),
        (
            "monthly report XLSX",
            "admin",
            "/api/progress/report?period=month&format=xlsx&date=2026-11-30",
        ),
    ]
    out: list[Timing] = []
    server = psutil.Process(server_pid)
    with httpx.Client(base_url=base, timeout=600) as client:
        for name, who, url in calls:
            out.append(_time(client, tokens[who], url, runs, Timing(name, who)))
            print(f"  {name:42s} {who:8s} p50 {out[-1].pct(0.5):8.1f} ms", flush=True)
        # The report renderings come last above: what they left in the server shows here.
        after_reports = server.memory_info().rss
        # A batch in OCR: one of its pages finishes before every call, so its progress (and
        # only its) is recomputed each time, as on the dashboard of a working day.
        busy = Timing(f"dashboard while {filled.newest_batch} is in OCR", "admin")
        out.append(_time(client, tokens["admin"], "/api/dashboard", runs, busy, touch))
        busy = Timing(f"progress per collection while {filled.newest_batch} is in OCR", "admin")
        out.append(_time(client, tokens["admin"], "/api/progress/collections", runs, busy, touch))
        searches = Timing("search, 10 hits + facets + snippets", "reader")
        terms = [
            "đảng viên",
            "kiểm tra",
            "kết nạp",
            "chi bộ",
            "tổ chức cán bộ",
            "nghị quyết",
            "dang vien",
            "kiem tra",
            "Lâm Đồng",
            "báo cáo",
        ]
        for k in range(max(runs * 5, 40)):
            q = terms[k % len(terms)]
            _time(client, tokens["reader"], f"/api/search?q={q}&limit=10", 1, searches)
        out.append(searches)
        print(f"  {searches.name:42s} reader   p50 {searches.pct(0.5):8.1f} ms", flush=True)
        headers = {"Authorization": f"Bearer {tokens['admin']}"}

        def export() -> tuple[float, int, int]:
            t0 = time.perf_counter()
            n = size = 0
            # Read as a downloading browser does, in raw chunks: splitting 20 MB into lines
            # in Python here cost 4x the server's own time and was what we measured before.
            with client.stream(
                "GET", f"/api/batches/{big}/export?format=jsonl", headers=headers
            ) as r:
                for chunk in r.iter_raw(1 << 20):
                    size += len(chunk)
                    n += chunk.count(b"\n")
            return time.perf_counter() - t0, n, size

        (secs, n, size), peak = _peak_rss(server_pid, export)
    return out, {
        "seconds": secs,
        "records": n,
        "mib": size / 2**20,
        "server_rss": peak,
        "after_reports": after_reports,
    }


def _toucher(url: str, filled: Filled) -> tuple[Callable[[], None], Callable[[], None]]:
    """Return a function that marks one pending page of the newest batch done, and a closer."""
    engine = create_engine(url)
    batch_id = int(filled.newest_batch.split("-")[1])

    def touch() -> None:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE page_stage SET status = 'done', finished_at = CURRENT_TIMESTAMP "
                    "WHERE id = (SELECT min(ps.id) FROM page_stage ps JOIN page p "
                    "ON p.id = ps.page_id WHERE p.batch_id = :b AND ps.status = 'pending')"
                ),
                {"b": batch_id},
            )

    return touch, engine.dispose


def _fresh_database(kind: str) -> tuple[str | None, Callable[[], None]]:
    if kind == "sqlite":
        return None, lambda: None
    name = f"sohoa_archive_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"postgresql+psycopg://root@127.0.0.1:5432/{name}", drop


def run(pages: int, database: str, runs: int, keep: bool = False) -> dict[str, Any]:
    """Fill, index, serve and measure one archive of ``pages`` pages; return every figure."""
    tmp = Path(tempfile.mkdtemp(prefix=f"sohoa-archive-{pages}-"))
    url, drop = _fresh_database(database)
    env = {**os.environ, "SOHOA_DATA_DIR": str(tmp / "data"), "OMP_THREAD_LIMIT": "1"}
    if url:
        env["SOHOA_DATABASE_URL"] = url
    env.pop("SOHOA_BROKER_URL", None)
    server = None
    try:
        ctx = open_context(Settings(data_dir=tmp / "data", database_url=url))
        print(f"filling {pages} pages ({database}) in {tmp}", flush=True)
        filled = fill(ctx, pages)
        if database == "postgresql":
            # A bulk load leaves PostgreSQL without statistics or a visibility map (so no
            # index-only scans) until autovacuum passes; an archive filled over months has both.
            with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM ANALYZE")
        ctx.engine.dispose()
        print(
            f"  filled {filled.pages} pages, {filled.documents} documents "
            f"in {filled.seconds:.0f} s",
            flush=True,
        )
        reindex = run_monitored(
            [sys.executable, "-m", "cli.main", "reindex"], env, tmp / "reindex.log", REPO
        )
        if reindex.returncode:
            raise SystemExit(f"reindex failed; see {tmp / 'reindex.log'}")
        print(f"  reindex {reindex.wall_s:.1f} s", flush=True)
        tokens = _accounts(env)
        port = _free_port()
        server, warm_s = _serve(env, port, tmp / "server.log")
        print(f"  server up and progress warmed in {warm_s:.1f} s", flush=True)
        touch, close = _toucher(url or f"sqlite:///{tmp / 'data' / 'sohoa.db'}", filled)
        try:
            timings, export = measure(
                f"http://127.0.0.1:{port}", tokens, filled, runs, server.pid, touch
            )
        finally:
            close()
        server.terminate()
        server.wait(30)
        server = None
        reconcile = run_monitored(
            [sys.executable, "-m", "cli.main", "reconcile"], env, tmp / "reconcile.log", REPO
        )
        return {
            "pages": pages,
            "database": database,
            "filled": filled,
            "timings": timings,
            "export": export,
            "reindex": reindex,
            "warm_s": warm_s,
            "reconcile": reconcile,
        }
    finally:
        if server is not None:
            server.kill()
        if keep and url:
            print(f"  kept database {url}", flush=True)
        else:
            drop()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def render(res: dict[str, Any]) -> str:
    """Return one run's figures as a Markdown block."""
    f: Filled = res["filled"]
    lines = [
        f"#### {res['pages']:,} pages on {res['database']} — {f.documents:,} documents, "
        f"{f.batches} batches, {f.files:,} files (fill {f.seconds:.0f} s)",
        "",
        "| call | as | first call ms | p50 ms | p95 ms | p99 ms | runs |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for t in res["timings"]:
        if t.status != 200:
            lines.append(f"| {t.name} | {t.who} | HTTP {t.status} | | | | {t.note[:60]} |")
            continue
        lines.append(
            f"| {t.name} | {t.who} | {t.cold_ms:.0f} | {t.pct(0.5):.1f} | {t.pct(0.95):.1f} | "
            f"{t.pct(0.99):.1f} | {len(t.ms)} |"
        )
    ex, ri, rc = res["export"], res["reindex"], res["reconcile"]
    mem: Rss = ex["server_rss"]
    rate = ex["records"] / ex["seconds"] if ex["seconds"] else 0.0
    lines += [
        "",
        f"- export of {f.big_batch} ({ex['records']:,} records, {ex['mib']:.0f} MiB JSONL): "
        f"{ex['seconds']:.1f} s = {rate:,.0f} records/s; server RSS {mem.before / 2**20:.0f} MiB "
        f"before, peak {mem.peak / 2**20:.0f} MiB (of which {mem.peak_file / 2**20:.0f} MiB "
        f"file-backed: libraries, mapped search index); server RSS after the report renderings "
        f"{ex.get('after_reports', 0) / 2**20:.0f} MiB; its child processes at most "
        f"{mem.children / 2**20:.0f} MiB during the export (the report renderer, idle between "
        "reports)",
        f"- server start until the progress cache is warm (`/health` progress_ready): "
        f"{res.get('warm_s', 0.0):.1f} s; *first call* above is the first after that",
        f"- `sohoa reindex`: {ri.wall_s:.1f} s = {f.pages / ri.wall_s:,.0f} pages/s, peak RSS "
        f"{ri.peak_tree_rss / 2**20:.0f} MiB",
        f"- `sohoa reconcile`: {rc.wall_s:.1f} s (exit {rc.returncode}), peak RSS "
        f"{rc.peak_tree_rss / 2**20:.0f} MiB",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark at each size and database asked for."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--pages", type=int, nargs="+", default=[10_000], help="sizes, e.g. 10000 100000"
    )
    ap.add_argument("--database", choices=("sqlite", "postgresql"), nargs="+", default=["sqlite"])
    ap.add_argument("--runs", type=int, default=15, help="timed calls per URL (after one warm-up)")
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    ap.add_argument("--record", action="store_true", help="append the figures to bench/RESULTS.md")
    args = ap.parse_args(argv)
    load0 = os.getloadavg()
    blocks = []
    for database in args.database:
        for pages in args.pages:
            res = run(pages, database, args.runs, args.keep)
            block = render(res)
            print(block, flush=True)
            blocks.append(block)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cmd = "python bench/archive.py " + " ".join(argv if argv is not None else sys.argv[1:])
    head = (
        f"### Archive scale — {when}\n\n`{cmd}`\n\n{machine_info()}; load average before "
        f"{load0[0]:.2f}, after {os.getloadavg()[0]:.2f}\n"
    )
    if args.record:
        record(head + "\n" + "\n\n".join(blocks) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
