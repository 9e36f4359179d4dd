"""Per-batch results kept until the batch changes, so a screen costs what changed, not the archive.

Every write that can change a batch's counts appends the batch's id to ``batch_change``
(database triggers, migration 0018, so no code path can forget); the newest row per batch is
its revision. Progress, failure lists and daily series are computed per batch and kept here
with the revision they were computed at; a later call recomputes only the batches whose
revision moved. At a million pages in 200 batches, a dashboard whose batches are settled
reads 200 index probes instead of every page row.

Entries are keyed by what decides their content: the engine (one database), the kind of
result, the caller's visibility key (clearance, or the whole scope where names depend on it)
and the batch, so nothing computed for one clearance is ever served to another.

PostgreSQL commits sequence ids out of order: a transaction in progress when a revision is
read can still commit changes below it, and a result kept at that revision would miss them
until the batch's next change (a finished batch: never). So each entry also keeps the
transactions in progress at its read (migration 0024 notes the writer of every change); once
one of them has committed a change of the batch, the entry is recomputed. SQLite commits one
writer at a time, in id order.
"""

from __future__ import annotations

import logging
import pickle
import threading
import weakref
from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased

from core.db import Batch, SourceFile

T = TypeVar("T")
# Per database and kind; past it that kind starts again (a bounded memory). Per kind, so the
# facets of many filter combinations never push out the dashboard's progress.
MAX_ENTRIES = 50_000
_CHANGE = sa.table("batch_change", sa.column("id", sa.Integer), sa.column("batch_id", sa.Integer))
# key -> (revision, transactions in progress at its read, result)
_Store = dict[tuple[Any, ...], tuple[Any, frozenset[int], Any]]
_stores: weakref.WeakKeyDictionary[Engine, dict[str, _Store]] = weakref.WeakKeyDictionary()
_checked: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
log = logging.getLogger(__name__)
# The tables whose writes migration 0018's triggers note in batch_change.
WATCHED = ("page_stage", "page", "document", "source_file", "field_correction", "batch")


class Reading(NamedTuple):
    """A batch's revision as read, and what could still commit changes below it."""

    revision: tuple[int | None, int | None]
    busy: frozenset[int]  # PostgreSQL transactions in progress at the read
    watch: frozenset[int]  # the batches whose changes are this batch's


_NONE: frozenset[int] = frozenset()


def revisions(s: Session, ids: Sequence[int]) -> dict[int, Reading]:
    """Return each batch's revision: its newest change and that of batches it depends on.

    A duplicate file is shown or hidden by the documents of the file it duplicates, which
    may lie in another batch: that batch's changes count as this one's.
    """
    ids = list(ids)
    if not ids:
        return {}
    own, busy = _newest(s, ids)
    dup, orig = aliased(SourceFile), aliased(SourceFile)
    related: dict[int, set[int]] = {}
    for bid, other in s.execute(
        sa.select(dup.batch_id, orig.batch_id)
        .join(orig, orig.id == dup.duplicate_of_id)
        # Spelled out for the partial index of duplicates (migration 0023).
        .where(dup.duplicate_of_id.is_not(None), dup.batch_id.in_(ids))
        .where(orig.batch_id != dup.batch_id)
        .distinct()
    ):
        related.setdefault(bid, set()).add(other)
    others = {o for v in related.values() for o in v} - set(own)
    if others:
        more, busy_then = _newest(s, others)
        own.update(more)
        busy |= busy_then
    return {
        b: Reading(
            (own.get(b), max((own.get(o) or 0 for o in related.get(b, ())), default=None)),
            busy,
            frozenset({b, *related.get(b, ())}),
        )
        for b in ids
    }


_MEMO = "progress.cache.revisions"  # Session.info key of a revision memo (one_reading)


@contextmanager
def one_reading(s: Session) -> Iterator[None]:
    """Within the block, :func:`per_batch` reads each batch's revision once.

    A report asks for the daily series and then the progress of the same batches; each
    read 200 revisions (23 ms at a million pages on PostgreSQL). Reused revisions are only
    older than a fresh read, so a result computed later is stored under a revision it is
    newer than (recomputed once more, never kept stale), and what the block returns is as
    of one moment. Nested blocks share the outer one's memo.
    """
    if _MEMO in s.info:
        yield
        return
    s.info[_MEMO] = {}
    try:
        yield
    finally:
        s.info.pop(_MEMO, None)


def _revisions(s: Session, ids: list[int]) -> dict[int, Reading]:
    memo: dict[int, Reading] | None = s.info.get(_MEMO)
    if memo is None:
        return revisions(s, ids)
    missing = [b for b in ids if b not in memo]
    if missing:
        memo.update(revisions(s, missing))
    return {b: memo[b] for b in ids}


def _newest(s: Session, ids: Collection[int]) -> tuple[dict[int, int | None], frozenset[int]]:
    """Return each batch's newest change, and the transactions in progress (PostgreSQL)."""
    # A scalar max() per batch is one probe of the (batch_id, id) index on both databases;
    # a GROUP BY would read every change row of every batch.
    newest = (
        sa.select(sa.func.max(_CHANGE.c.id)).where(_CHANGE.c.batch_id == Batch.id).scalar_subquery()
    )
    q = sa.select(Batch.id, newest).where(Batch.id.in_(list(ids)))
    postgres = s.get_bind().dialect.name == "postgresql"
    if postgres:
        # What may still commit a change below the max read here: the transactions the
        # snapshot lists as in progress, and the running ones newer than its xmax (the newest
        # finished one + 1), which it does not list; pg_locks names every transaction with an
        # id. Read in the probes' statement, so after their snapshot (one finishing before the
        # read is seen by what is computed next) and never before it (one beginning in
        # between could write below the max). One that gets its id later takes change ids
        # above the max, so it moves it.
        q = q.add_columns(  # subqueries: evaluated once, not for every batch
            sa.literal_column("(SELECT pg_current_snapshot()::text)"),
            sa.literal_column(
                "(SELECT string_agg(transactionid::text, ',') FROM pg_locks "
                "WHERE locktype = 'transactionid')"
            ),
        )
    rows = s.execute(q).all()
    newest_ids = {r[0]: r[1] for r in rows}
    if not postgres or not rows:
        return newest_ids, _NONE
    return newest_ids, _running(str(rows[0][2]), rows[0][3])


def _running(snapshot: str, locked: str | None) -> frozenset[int]:
    """Return the 64-bit ids of the transactions in progress (snapshot 'xmin:xmax:xip')."""
    _xmin, xmax, xip = snapshot.split(":")
    top = int(xmax)
    out = {int(x) for x in xip.split(",") if x}
    for x in (locked or "").split(","):
        if x:  # 32 bits in pg_locks; a running id is within 2^31 of xmax (wraparound guard)
            out.add(top + (int(x) - top + 2**31) % 2**32 - 2**31)
    return frozenset(out)


# Per transaction: still in progress, or the batches of the changes it committed. Both from
# one snapshot: a transaction committing after it counts as running, never as finished with
# its changes unseen. Aborted ones are finished without visible changes. The batches are
# walked with one probe each of the (txid, batch_id) index: a DISTINCT read every change of
# the transaction, or all of batch_change where one bulk load wrote most rows (the planner
# then expects any txid to match them all).
_SETTLED = sa.text(
    """
    SELECT t.x, pg_visible_in_snapshot(t.x::text::xid8, pg_current_snapshot()), c.b
    FROM unnest(CAST(:ids AS bigint[])) AS t(x)
    LEFT JOIN LATERAL (
        WITH RECURSIVE w(b) AS (
            SELECT min(batch_id) FROM batch_change
            WHERE txid = t.x AND pg_visible_in_snapshot(t.x::text::xid8, pg_current_snapshot())
            UNION ALL
            SELECT (SELECT min(batch_id) FROM batch_change WHERE txid = t.x AND batch_id > w.b)
            FROM w WHERE w.b IS NOT NULL
        )
        SELECT b FROM w WHERE b IS NOT NULL
    ) AS c ON true
    """
)


def _settle(s: Session, busy: frozenset[int]) -> tuple[frozenset[int], dict[int, set[int]]]:
    """Return which of ``busy`` still run, and per batch the finished ones that changed it."""
    running: set[int] = set()
    wrote: dict[int, set[int]] = {}
    for x, done, batch in s.execute(_SETTLED, {"ids": sorted(busy)}):
        if not done:
            running.add(x)
        elif batch is not None:
            wrote.setdefault(batch, set()).add(x)
    return frozenset(running), wrote


def _watched(s: Session) -> bool:
    """Return whether every watched table has its change trigger (checked once per database).

    Without them a kept result could outlive a change; then nothing is kept (and it is said).
    So too on PostgreSQL without the changes' writers (migration 0024): a change committed
    below a revision already read would go unseen.
    """
    engine = s.get_bind()
    assert isinstance(engine, Engine)
    with _lock:
        known = _checked.get(engine)
    if known is not None:
        return known
    if engine.dialect.name == "postgresql":
        q = (
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'tr%batch%change' UNION ALL "
            "SELECT 'column txid' FROM pg_attribute WHERE attname = 'txid' "
            "AND attrelid = to_regclass('batch_change') AND NOT attisdropped"
        )
        need = [f"tr_{table}_" for table in WATCHED] + ["column txid"]
    else:
        q = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr%batch%change'"
        need = [f"tr_{table}_" for table in WATCHED]
    names = {str(n) for n in s.execute(sa.text(q)).scalars()}
    ok = all(any(n.startswith(prefix) for n in names) for prefix in need)
    if not ok:
        log.error(
            "batch_change triggers or writer column missing (%s): progress is computed on "
            "every call",
            names,
        )
    with _lock:
        _checked[engine] = ok
    return ok


def per_batch(
    s: Session,
    kind: str,
    key: Hashable,
    ids: Sequence[int],
    compute: Callable[[list[int]], dict[int, T]],
    *,
    copy: bool = True,
) -> dict[int, T]:
    """Return ``compute``'s result for every batch, computing only the changed ones.

    ``compute(ids)`` returns a result per batch id (a batch it leaves out gets none). The
    revisions are read before computing, so a result is never older than the revision it is
    stored under. Results are copied on the way out: callers may change what they get
    (``copy=False``: the kept objects themselves, for a caller that only reads them).
    """
    ids = list(ids)
    if not _watched(s):
        return compute(ids)
    reads = _revisions(s, ids)
    store = _store(s, kind)
    out: dict[int, T] = {}
    missing = []
    unsure: dict[int, tuple[Any, frozenset[int], Any]] = {}
    for b in ids:
        hit = store.get((kind, key, b))
        if hit is None or hit[0] != reads[b].revision:
            missing.append(b)
        elif hit[1] - reads[b].busy:  # one busy at its read is no longer running at this one
            unsure[b] = hit
        elif hit[2] is not None:
            out[b] = hit[2]
    if unsure:
        missing += _recheck(s, store, (kind, key), unsure, reads, out)
    if missing:
        fresh = compute(missing)
        with _lock:
            if len(store) > MAX_ENTRIES:
                store.clear()
            for b in missing:
                store[(kind, key, b)] = (reads[b].revision, reads[b].busy, fresh.get(b))
        out.update({b: fresh[b] for b in missing if b in fresh})
    if not copy:
        return out
    # One pickle round trip of everything returned: callers may change what they get, and
    # copy.deepcopy of 200 batches' series took 59 ms of an 85 ms monthly report.
    return pickle.loads(pickle.dumps(out, pickle.HIGHEST_PROTOCOL))


def _recheck(
    s: Session,
    store: _Store,
    prefix: tuple[Any, ...],
    unsure: dict[int, tuple[Any, frozenset[int], Any]],
    reads: dict[int, Reading],
    out: dict[int, Any],
) -> list[int]:
    """Return the kept batches that a transaction busy at their read has since changed.

    The others are answered into ``out`` and forget the transactions found finished, so a
    settled batch is looked at once per transaction that ends, not on every call.
    """
    ended = frozenset().union(*(hit[1] - reads[b].busy for b, hit in unsure.items()))
    running, wrote = _settle(s, ended)
    finished = ended - running
    stale = []
    with _lock:
        for b, (rev, busy, value) in unsure.items():
            if any(busy & wrote.get(w, _NONE) for w in reads[b].watch):
                stale.append(b)
                continue
            store[(*prefix, b)] = (rev, busy - finished or _NONE, value)
            if value is not None:
                out[b] = value
    return stale


def _store(s: Session, kind: str) -> _Store:
    engine = s.get_bind()
    assert isinstance(engine, Engine)
    with _lock:
        return _stores.setdefault(engine, {}).setdefault(kind, {})


def clear() -> None:
    """Forget every kept result (tests that rewrite a database behind the triggers' back)."""
    with _lock:
        _stores.clear()
        _checked.clear()
