"""Progress counts equal the database truth over random stage histories (rows written directly)."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from core.db import Batch, Document, Page, PageStage, SourceFile
from progress.counts import (
    LOW_CONFIDENCE,
    UNASSIGNED,
    batch_progress,
    has_corrections_table,
    local_day,
)
from progress.reports.series import daily_series

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
COLLECTIONS = ["Hồ sơ đảng viên", "Văn bản 2014-2024", None]
FLAGS = [
    "cleaned_border",
    "orientation_unsure",
    "skew_methods_disagree",
    "blank_page",
    "low_quality",
    "invalid_syllables:0.61",
    "postcorrected:3",
]


def when(rng: random.Random) -> dt.datetime:
    return T0 + dt.timedelta(minutes=rng.randrange(60 * 24 * 40))


def populate(s, rng: random.Random) -> dict:
    """Write random batches/files/pages/stages/documents; return the truth computed on the side."""
    truth: dict = {"batches": {}, "series": defaultdict(lambda: defaultdict(Counter))}
    for bi in range(rng.randint(1, 4)):
        coll = rng.choice(COLLECTIONS)
        if coll and rng.random() < 0.3:  # same collection typed in decomposed form
            coll = unicodedata.normalize("NFD", coll) + " "
        key = unicodedata.normalize("NFC", coll).strip() if coll else UNASSIGNED
        b = Batch(name=f"lo-{bi}", collection=coll, created_by=rng.choice([None, "thu"]))
        s.add(b)
        s.flush()
        t = Counter()
        fails: Counter = Counter()
        ser = truth["series"][key]
        done_pages: list[Page] = []
        confs: list[float] = []
        low = 0
        for fi in range(rng.randint(0, 4)):
            created = when(rng)
            if rng.random() < 0.2:
                code = rng.choice(["pdf_corrupt", "empty_file"])
                s.add(
                    SourceFile(
                        batch_id=b.id,
                        original_name=f"f{fi}.pdf",
                        status="failed",
                        error_code=code,
                        created_at=created,
                    )
                )
                t["files"] += 1
                t["files_failed"] += 1
                fails[code] += 1
                ser["files_failed"][local_day(created)] += 1
                continue
            sf = SourceFile(
                batch_id=b.id, original_name=f"f{fi}.pdf", status="ready", created_at=created
            )
            s.add(sf)
            s.flush()
            t["files"] += 1
            for pi in range(rng.randint(0, 8)):
                conf = rng.choice([None, rng.uniform(40, 99)])
                flags = rng.sample(FLAGS, rng.randint(0, 2))
                p = Page(
                    batch_id=b.id,
                    source_file_id=sf.id,
                    page_index=pi,
                    mean_confidence=conf,
                    flags=flags,
                )
                s.add(p)
                s.flush()
                t["pages_received"] += 1
                ser["received"][local_day(created)] += 1
                status = rng.choice(["pending", "running", "done", "done", "done", "failed"])
                started = when(rng)
                finished = started + dt.timedelta(seconds=rng.randrange(1, 900))
                st = PageStage(
                    page_id=p.id,
                    stage="ocr",
                    status=status,
                    started_at=started,
                    finished_at=finished if status in ("done", "failed") else None,
                    error_code="ocr_timeout" if status == "failed" else None,
                )
                s.add(st)
                t["stage_" + status] += 1
                if status == "done":
                    done_pages.append(p)
                    ser["ocr_done"][local_day(finished)] += 1
                    if conf is not None:
                        confs.append(conf)
                    # Truth stated independently of core.states: the quality gate's
                    # low_quality (pages flagged only for invalid syllables included) and the
                    # unsure-straightening flags; low_confidence comes with a detail.
                    unsure = {"low_quality", "orientation_unsure", "skew_methods_disagree"}
                    if (conf is not None and conf < LOW_CONFIDENCE) or unsure & {
                        f.split(":")[0] for f in flags
                    }:
                        low += 1
                if status == "failed":
                    fails["ocr_timeout"] += 1
                    ser["failed"][local_day(finished)] += 1
        t.update(
            pages_pending=t["stage_pending"],
            pages_running=t["stage_running"],
            pages_failed=t["stage_failed"],
            pages_ocr_done=t["stage_done"],
        )
        rng.shuffle(done_pages)
        while done_pages and rng.random() < 0.9:
            take, done_pages = done_pages[: rng.randint(1, 3)], done_pages[3:]
            status = rng.choice(["extracted", "reviewed", "reviewed"])
            fields = rng.choice([{}, {"number": "12"}, {"number": "3", "date": "2015-01-02"}])
            created, updated = when(rng), when(rng)
            d = Document(
                batch_id=b.id, status=status, fields=fields, created_at=created, updated_at=updated
            )
            s.add(d)
            s.flush()
            for p in take:
                p.document_id = d.id
            n = len(take)
            t["documents"] += 1
            t["records"] += bool(fields)
            t["pages_extracted"] += n
            ser["documents"][local_day(created)] += 1
            ser["records"][local_day(created)] += bool(fields)
            ser["extracted"][local_day(created)] += n
            if status == "reviewed":
                t["pages_reviewed"] += n
                t["documents_reviewed"] += 1
                t["fields_in_reviewed"] += len(fields)
                ser["reviewed"][local_day(updated)] += n
            else:
                t["pages_needs_review"] += n
                t["documents_needs_review"] += 1
        if rng.random() < 0.5:  # a merged-away document: no pages, not counted
            s.add(Document(batch_id=b.id, status="merged", fields={"x": "1"}))
        s.flush()
        truth["batches"][b.name] = (
            key,
            t,
            fails,
            (sum(confs) / len(confs)) if confs else None,
            low,
        )
    return truth


@pytest.mark.parametrize("seed", range(6))
def test_counts_equal_the_database_truth(ctx, seed):
    rng = random.Random(seed)
    with ctx.session() as s:
        truth = populate(s, rng)
    with ctx.session() as s:
        got = {b.batch: b for b in batch_progress(s)}
        series = daily_series(s)
    assert set(got) == set(truth["batches"])
    for name, (key, t, fails, mean_conf, low) in truth["batches"].items():
        b = got[name]
        assert b.collection == key
        for attr in (
            "files",
            "files_failed",
            "pages_received",
            "pages_ocr_done",
            "pages_pending",
            "pages_running",
            "pages_failed",
            "pages_extracted",
            "pages_needs_review",
            "pages_reviewed",
            "documents",
            "documents_reviewed",
            "documents_needs_review",
            "records",
            "fields_in_reviewed",
        ):
            assert getattr(b, attr) == t[attr], (seed, name, attr)
        assert b.pages_preprocessed == b.pages_ocr_done
        assert b.failures == dict(fails)
        assert b.low_quality_pages == low
        if mean_conf is None:
            assert b.mean_confidence is None
        else:
            assert b.mean_confidence == pytest.approx(mean_conf)
        assert b.settled == (t["pages_pending"] + t["pages_running"] == 0)
    for key, metrics in truth["series"].items():
        for metric, days in metrics.items():
            want = {d: n for d, n in days.items() if n}
            assert {d: n for d, n in series[key][metric].items() if n} == want, (key, metric)


def test_page_finished_late_utc_evening_counts_for_the_next_vietnamese_day(ctx):
    with ctx.session() as s:
        b = Batch(name="lo-dem", collection="Hồ sơ đảng viên")
        s.add(b)
        s.flush()
        sf = SourceFile(batch_id=b.id, original_name="a.pdf", status="ready")
        s.add(sf)
        s.flush()
        for i, ts in enumerate(
            [
                dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC),
                dt.datetime(2026, 11, 26, 16, 59, 59, tzinfo=dt.UTC),
                dt.datetime(2026, 11, 26, 17, 0, tzinfo=dt.UTC),
            ]
        ):
            p = Page(batch_id=b.id, source_file_id=sf.id, page_index=i)
            s.add(p)
            s.flush()
            s.add(PageStage(page_id=p.id, stage="ocr", status="done", finished_at=ts))
    with ctx.session() as s:
        done = daily_series(s)["Hồ sơ đảng viên"]["ocr_done"]
    assert done == {dt.date(2026, 11, 27): 2, dt.date(2026, 11, 26): 1}
    assert local_day(dt.datetime(2026, 11, 26, 23, 30)) == dt.date(2026, 11, 27)  # naive = UTC


def test_corrections_count_distinct_fields_of_reviewed_documents(ctx):
    with ctx.session() as s:
        b = Batch(name="lo-sua")
        s.add(b)
        s.flush()
        d1 = Document(batch_id=b.id, status="reviewed", fields={"a": "1", "b": "2", "c": "3"})
        d2 = Document(batch_id=b.id, status="extracted", fields={"a": "1"})
        s.add_all([d1, d2])
        s.flush()
        assert has_corrections_table(s)
        fc_t = sa.table(
            "field_correction",
            sa.column("document_id"),
            sa.column("field"),
            sa.column("user"),
            sa.column("at"),
        )
        now = dt.datetime(2026, 11, 1)
        for doc, field in [
            (d1, "a"),
            (d1, "a"),
            (d1, "b"),
            (d1, "status"),
            (d1, "page_text"),
            (d2, "a"),
        ]:
            s.execute(fc_t.insert().values(document_id=doc.id, field=field, user="u", at=now))
    with ctx.session() as s:
        (bp,) = batch_progress(s)
    assert (bp.fields_corrected, bp.fields_in_reviewed) == (2, 3)
    assert bp.correction_rate == pytest.approx(2 / 3)
