"""Facet counts kept per batch: never stale, never shared across clearances or filters."""

from __future__ import annotations

from sqlalchemy import event, func, select, text

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from core.db import Document
from progress import cache
from records.facets import list_facets
from records.listing import ListQuery


def _facets(ctx: AppContext, scope: Scope, q: ListQuery | None = None) -> dict:
    with ctx.session() as s:
        return list_facets(s, scope, q or ListQuery())


def _truth(ctx: AppContext, levels: tuple[str, ...], doc_type: str | None = None) -> int:
    with ctx.session() as s:
        q = select(func.count()).select_from(Document).where(Document.classification.in_(levels))
        if doc_type:
            q = q.where(Document.doc_type == doc_type)
        return int(s.scalar(q) or 0)


def test_counts_follow_every_change_and_each_clearance(ctx: AppContext) -> None:
    fill(ctx, 600, n_batches=4)
    cache.clear()
    reader, admin = Scope("thuong"), Scope("tuyet_mat")
    assert _facets(ctx, reader)["total"] == _truth(ctx, ("thuong",))
    everything = _truth(ctx, ("thuong", "mat", "toi_mat", "tuyet_mat"))
    assert _facets(ctx, admin)["total"] == everything
    assert _facets(ctx, reader)["total"] < everything  # the admin's entry is not the reader's

    seen: list[str] = []
    listen = event.listens_for(ctx.engine, "before_cursor_execute")
    listen(lambda *a: seen.append(str(a[2])))
    again = _facets(ctx, reader)
    assert again["total"] == _truth(ctx, ("thuong",))
    assert not [q for q in seen if "GROUP BY" in q and "document" in q], seen

    # Raw SQL raises every open document of batch 2 to MẬT: the reader's counts drop at once.
    with ctx.session() as s:
        s.execute(
            text(
                "UPDATE document SET classification = 'mat' WHERE batch_id = 2 AND "
                "classification = 'thuong'"
            )
        )
        s.commit()
    after = _facets(ctx, reader)
    assert after["total"] == _truth(ctx, ("thuong",)) < again["total"]
    assert not [b for b in after["facets"]["batch"] if b["value"] == "LO-0002"]


def test_filters_are_kept_apart(ctx: AppContext) -> None:
    fill(ctx, 600, n_batches=4)
    cache.clear()
    reader = Scope("thuong")
    whole = _facets(ctx, reader)
    kind = whole["facets"]["doc_type"][0]["value"]
    only = _facets(ctx, reader, ListQuery(types=(kind,)))
    assert only["total"] == _truth(ctx, ("thuong",), kind) < whole["total"]
    assert _facets(ctx, reader)["total"] == whole["total"]
    per_batch = {b["value"]: b["count"] for b in whole["facets"]["batch"]}
    first = next(iter(per_batch))
    assert _facets(ctx, reader, ListQuery(batches=(first,)))["total"] == per_batch[first]
