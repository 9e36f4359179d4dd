"""Per-batch progress: counts per stage and every failure named with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.scope import earlier_file
from core.access import Scope
from core.db import Batch, Page, PageStage, SourceFile, stage_failed
from core.states import FileStatus
from progress import cache
from progress.counts import BatchProgress, batch_progress
from progress.visibility import batches_hint, counting_scope, file_visible, page_visible


def batch_status(s: Session, batch: Batch, scope: Scope | None = None) -> dict[str, Any]:
    """Return a JSON-friendly summary of one batch, with every failure and its reason.

    With a ``scope``, counts and the named files and pages are only those the caller may see
    (``progress.visibility``); None (the operator's CLI) names everything.
    """
    return batch_statuses(s, [batch], scope)[0][0]


def batch_statuses(
    s: Session, batches: Sequence[Batch], scope: Scope | None = None
) -> list[tuple[dict[str, Any], BatchProgress]]:
    """Return :func:`batch_status` and the progress of several batches, one set of queries.

    The counts are :func:`batch_progress`'s: one set of aggregate queries for every screen.
    With the caller's ``scope`` (web app), a duplicate's ``duplicate_of`` names the earlier
    file only when the caller may see it (else None); the CLI's operator sees every one.
    """
    if not batches:
        return []
    ids = [b.id for b in batches]
    progress = {p.batch_id: p for p in batch_progress(s, ids, scope)}
    # The names in the lists depend on the whole scope (a duplicate names its earlier file
    # only inside the caller's collections), so they are kept per scope, not per clearance.
    named = cache.per_batch(s, "named", scope, ids, lambda miss: _named(s, miss, scope))
    out = []
    for b in batches:
        bp = progress[b.id]
        out.append(
            (
                {
                    "batch": b.name,
                    "collection": b.collection,
                    "files": bp.files_by_status,
                    "pages": bp.pages_received,
                    "stages": bp.stages,
                    "documents": bp.documents,
                    **named[b.id],
                },
                bp,
            )
        )
    return out


def _named(s: Session, ids: list[int], scope: Scope | None) -> dict[int, dict[str, list[Any]]]:
    """Return the failed files and pages, duplicates and skipped files the caller may see."""
    within = batches_hint(s, ids)
    # Which rows count depends on the clearance alone; the names (``_earlier``) on the scope.
    seen = counting_scope(s, scope)
    fv, pv = file_visible(seen, within), page_visible(seen, within)
    named: dict[int, dict[str, list[dict[str, Any]]]] = {
        bid: {"failed_files": [], "duplicates": [], "skipped": [], "failed_pages": []}
        for bid in ids
    }
    for f in s.scalars(
        select(SourceFile)
        .where(SourceFile.batch_id.in_(ids), SourceFile.status.in_(_LISTED), fv)
        .order_by(SourceFile.id)
    ):
        lists = named[f.batch_id]
        if f.status == FileStatus.FAILED:
            lists["failed_files"].append(
                {"file": f.original_name, "code": f.error_code, "error": f.error}
            )
        elif f.status == FileStatus.SKIPPED:
            lists["skipped"].append(
                {"file": f.original_name, "code": f.error_code, "reason": f.error}
            )
        else:
            lists["duplicates"].append(
                {"file": f.original_name, "duplicate_of": _earlier(s, scope, f)}
            )
    # The failed rows first (a partial index holds only them), then the clearance checks on
    # those pages alone: checked in one query, SQLite walked every page of the batches in id
    # order and ran the file checks on each (10 s per clearance at a million pages).
    failed = sorted(
        set(
            s.scalars(
                select(PageStage.page_id)
                .join(Page, Page.id == PageStage.page_id)
                .where(stage_failed(), Page.batch_id.in_(ids))
            )
        )
    )
    rows: list[Any] = []
    for start in range(0, len(failed), _CHUNK):
        rows += s.execute(
            select(Page.batch_id, PageStage, Page.page_index, SourceFile.original_name, Page.id)
            .join(Page, Page.id == PageStage.page_id)
            .join(SourceFile, SourceFile.id == Page.source_file_id)
            .where(Page.id.in_(failed[start : start + _CHUNK]), stage_failed(), pv, fv)
        ).all()
    for bid, st, idx, sf_name, _pid in sorted(rows, key=lambda r: (r[4], r[1].id)):
        named[bid]["failed_pages"].append(
            {
                "file": sf_name,
                "page": idx + 1,
                "stage": st.stage,
                "code": st.error_code,
                "error": st.error,
            }
        )
    return named


_LISTED = (FileStatus.FAILED, FileStatus.DUPLICATE, FileStatus.SKIPPED)
_CHUNK = 2000  # page ids per IN list (SQLite allows 32,766 parameters)


def _earlier(s: Session, scope: Scope | None, f: SourceFile) -> int | None:
    if scope is None or f.duplicate_of_id is None:
        return f.duplicate_of_id
    return (earlier_file(s, scope, f.duplicate_of_id) or {}).get("id")
