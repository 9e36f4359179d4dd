"""A batch declared above the caller's clearance hides all of it, in the list and its counts."""

from __future__ import annotations

from sqlalchemy import text

from bench.archive import fill
from core.access import Scope
from core.context import AppContext
from progress import cache
from records.facets import list_facets
from records.listing import ListQuery, list_documents


def _listed_batches(ctx: AppContext, scope: Scope) -> set[str]:
    names: set[str] = set()
    with ctx.session() as s:
        page = list_documents(s, scope, ListQuery(size=200))
        while True:
            names |= {item["batch"] for item in page.items}
            if not page.has_next:
                return names
            page = list_documents(s, scope, ListQuery(size=200, after=page.next_cursor))


def test_documents_of_a_batch_declared_above_are_never_listed_or_counted(
    ctx: AppContext,
) -> None:
    fill(ctx, 500, n_batches=3)
    with ctx.session() as s:
        # The batch is MẬT; its documents claim to be open (as a repair by hand could leave
        # them): the batch's declared level still hides every one of them.
        s.execute(text("UPDATE batch SET classification = 'mat' WHERE id = 2"))
        s.execute(text("UPDATE document SET classification = 'thuong' WHERE batch_id = 2"))
    with ctx.session() as s:
        name = s.execute(text("SELECT name FROM batch WHERE id = 2")).scalar_one()
    cache.clear()
    reader, cleared = Scope("thuong"), Scope("mat")
    assert name not in _listed_batches(ctx, reader)
    assert name in _listed_batches(ctx, cleared)
    with ctx.session() as s:
        facets = list_facets(s, reader, ListQuery())
        everything = list_facets(s, cleared, ListQuery())
    assert name not in {b["value"] for b in facets["facets"]["batch"]}
    assert name in {b["value"] for b in everything["facets"]["batch"]}
