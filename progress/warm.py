"""Fill the progress cache when the server starts, so the first caller waits for nothing.

At 100k pages the first dashboard after a start otherwise computes every batch (1.6-8.7 s
measured, bench/RESULTS.md "Archive scale").

Runs in one daemon thread with its own sessions, for every clearance with an unrestricted
scope (administrators and unrestricted staff); restricted users' counts share those entries
(counts are kept per clearance), their named lists are computed on their first call.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import select

from core.access import Scope
from core.context import AppContext
from core.db import Batch
from core.heap import release_free_memory
from core.levels import LEVELS
from progress.counts import today_vn
from progress.reports.model import build_report
from progress.status import batch_statuses
from records.facets import list_facets
from records.listing import ListQuery

log = logging.getLogger(__name__)


@dataclass
class Warmer:
    """The warming thread's state, shown by /health as ``progress_ready``."""

    done: threading.Event = field(default_factory=threading.Event)
    seconds: float | None = None
    error: str | None = None


def warm(ctx: AppContext) -> float:
    """Compute what the dashboard, batch list, plan and documents list read, per clearance.

    Returns the seconds it took.
    """
    t0 = time.perf_counter()
    for level in reversed(LEVELS):  # administrators (highest clearance) come in first
        scope = Scope(level)
        with ctx.session() as s:
            batches = list(s.scalars(select(Batch).order_by(Batch.id.desc())))
            batch_statuses(s, batches, scope)
            build_report(s, "month", today_vn(), scope=scope)
            list_facets(s, scope, ListQuery())  # the documents list as it first opens
    release_free_memory()  # the rows read to compute are gone; their heap pages need not be
    return time.perf_counter() - t0


def start_warming(ctx: AppContext) -> Warmer:
    """Start :func:`warm` in a daemon thread; a failure is logged, never raised."""
    state = Warmer()

    def run() -> None:
        try:
            state.seconds = warm(ctx)
            log.info("progress cache warmed in %.1f s", state.seconds)
        except Exception as exc:  # a cold cache is slower, not wrong
            state.error = type(exc).__name__
            log.exception("warming the progress cache failed; screens compute on demand")
        finally:
            state.done.set()

    threading.Thread(target=run, name="progress-warm", daemon=True).start()
    return state
