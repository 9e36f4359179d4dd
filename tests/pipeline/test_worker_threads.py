"""The runner's pool processes run native libraries in one thread.

The processes are the parallelism: OpenCV's own thread pool only spins beside them (same
results, more CPU).
"""

from __future__ import annotations

from pipeline import runner
from tests.pipeline import pool_probe


def test_pool_workers_run_opencv_and_tesseract_in_one_thread(monkeypatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    pool = runner.open_pool(1)
    try:
        assert pool.pool.submit(pool_probe.threads).result(timeout=300) == (1, "1")
    finally:
        pool.close()
