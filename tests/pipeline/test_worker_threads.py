"""What the runner's pool processes load: the page, extraction and PDF work, in one thread.

The processes are the parallelism: OpenCV's own thread pool only spins beside them (same
results, more CPU). They keep the memory a page's arrays are freed to for the next page. A
process imports what its work needs and no more: the database, the migrations, Celery and
the runner stay in the parent (each cost every process CPU at start).
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


def test_pool_workers_import_neither_the_database_nor_celery():
    pool = runner.open_pool(1)
    try:
        assert pool.pool.submit(pool_probe.heavy_loaded).result(timeout=300) == []
    finally:
        pool.close()


def test_pool_workers_reuse_freed_memory_for_the_next_page():
    pool = runner.open_pool(1)
    try:
        # glibc's defaults: 5,500 faults (the arrays go back to the kernel and come again).
        assert pool.pool.submit(pool_probe.page_faults_again).result(timeout=300) < 200
    finally:
        pool.close()


def test_keep_freed_memory_takes_on_glibc_unless_the_operator_set_it(monkeypatch):
    import platform

    from core.heap import keep_freed_memory

    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc")
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "1048576")
    assert keep_freed_memory() is False
