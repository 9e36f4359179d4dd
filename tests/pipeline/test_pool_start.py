"""How the runner's pool processes start: forked from a fork server that imported their work.

A forked process starts from the server's state, not the runner's: it must still see the
runner's environment as it was when the pool was made (as a spawned one did), and its CPU
must still reach the runner's accounts once the runner exits (bench/pipeline.py measures
``RUSAGE_CHILDREN``).
"""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from pipeline import forking, runner
from tests.conftest import REPO
from tests.pipeline import pool_probe


def test_pool_processes_see_the_environment_of_when_the_pool_was_made(monkeypatch):
    for value in ("first", "second"):  # the fork server was started with the first
        monkeypatch.setenv("SOHOA_POOL_PROBE", value)
        pool = runner.Pool(1)
        try:
            seen = pool.pool.submit(pool_probe.environment, "SOHOA_POOL_PROBE").result(timeout=300)
        finally:
            pool.close()
        assert seen == value


def test_pool_processes_start_with_their_work_imported():
    pool = runner.Pool(1)
    try:
        loaded = pool.pool.submit(pool_probe.loaded, list(forking.WORKER_MODULES))
        assert loaded.result(timeout=300) == list(forking.WORKER_MODULES)
    finally:
        pool.close()


@pytest.mark.tesseract
def test_pool_processes_start_with_the_models_loaded():
    # The fork server loaded them (pipeline.preload): no process loads them on its first page.
    pool = runner.Pool(1)
    try:
        assert pool.pool.submit(pool_probe.preloaded).result(timeout=300) == (True, True)
    finally:
        pool.close()


_BURN = """
import resource, sys
from pipeline import runner
from tests.pipeline import pool_probe
pool = runner.Pool(1)
pool.pool.submit(pool_probe.burn, 1.0).result(timeout=300)
pool.close()
own = resource.getrusage(resource.RUSAGE_SELF)
print(own.ru_utime + own.ru_stime)
"""


def test_the_cpu_of_pool_processes_reaches_the_runner_s_parent():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", _BURN], cwd=REPO, capture_output=True, text=True, check=True
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    runner_own = float(done.stdout.split()[-1])
    reaped = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # The second the pool process spent, through the fork server the runner waited for.
    assert reaped - runner_own >= 1.0


_EARLY = """
import sys
from multiprocessing import forkserver

import core.context
from core.errors import StorageError

seen = []


def opened_after_the_fork_server(*args, **kwargs):
    seen.append(forkserver._forkserver._forkserver_pid is not None)
    raise StorageError("stopped by the test", code="test_stop", message_vi="dừng")


core.context.open_context = opened_after_the_fork_server
from cli.main import main

main(sys.argv[1:])
print(seen)
"""


@pytest.mark.parametrize(("wait", "started"), [(True, True), (False, False)])
def test_ingest_wait_starts_the_fork_server_before_it_opens_the_database(tmp_path, wait, started):
    # Its imports and model loading run beside the database's, not after them.
    argv = ["ingest", str(tmp_path), "--batch", "early", *(["--wait"] if wait else [])]
    r = subprocess.run(
        [sys.executable, "-c", _EARLY, *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert r.stdout.strip().splitlines()[-1] == str([started])
