"""The runner's pool keeps working past any number of tasks a child has run.

CPython up to 3.13 never replaces a ProcessPoolExecutor child that leaves at
``max_tasks_per_child`` while tasks are queued (gh-115634): a batch of 226 pages hung after
its 55th PDF, both children gone. The pool must not retire its children that way.
"""

from __future__ import annotations

import os
from concurrent.futures import wait

from pipeline import runner


def test_a_child_runs_more_tasks_than_any_retirement_limit_without_hanging():
    pool = runner.Pool(1)
    futures = [pool.pool.submit(os.getpid) for _ in range(260)]
    try:
        done, pending = wait(futures, timeout=120)
        assert not pending, f"{len(pending)} of 260 tasks never ran: the pool lost its child"
        assert len({f.result() for f in done}) >= 1
    finally:
        if any(not f.done() for f in futures):  # a hung pool: do not wait on it
            for proc in list((getattr(pool.pool, "_processes", None) or {}).values()):
                proc.kill()
            pool.pool.shutdown(wait=False, cancel_futures=True)
        else:
            pool.close()
