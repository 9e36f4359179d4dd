"""How the runner starts its pool processes: forked from a fork server that imported their work.

Light on purpose (no database, no extraction, no OpenCV): a command that will read pages starts
the server with it before it opens the database, and the server's imports and model loading
(about a second) run beside the command's own start instead of after it.
"""

from __future__ import annotations

import atexit
import functools
import multiprocessing
import multiprocessing.context
import sys

import ocr

# What a pool process imports for its work (pages, extraction, PDFs): the fork server imports
# it once and every process forked from it starts with it loaded. Spawned, each process
# imported it again: 0.5-0.6 s of CPU a process on dev, most of a 39-page batch's imports.
# The OCR stage's modules are named: ``import ocr`` loads them only when they are used, and
# this process (which never reads a page) does without them and OpenCV. Last, pipeline.preload
# loads the syllable list and Tesseract's model in the server (which never reads a page).
WORKER_MODULES = (
    "pipeline.steps",
    "pipeline.extracting",
    "pipeline.pdfs",
    *ocr.MODULES,
    "pipeline.preload",
)


def pool_context() -> multiprocessing.context.BaseContext:
    """Return how the runner starts its processes: forked from a fork server, or spawned.

    The fork server is a single-threaded process started once per parent, before any page
    is read: unlike forking the parent itself, no lock of another thread (the pool's own,
    the database's, logging's) is copied mid-use. Where there is none (not Linux), spawn.
    """
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # cli.main too: each process runs the command's script (`sohoa`) again as __mp_main__,
    # which imports it (Python 3.11's "__main__" preload never gets the script's path).
    context.set_forkserver_preload(["cli.main", *WORKER_MODULES])
    _stop_fork_server_at_exit()
    return context


def start_fork_server() -> bool:
    """Start the fork server now, if the pool will use one; return whether it is running.

    It takes the environment of this moment, as it would at the pool's first process (each
    process then takes the runner's own when the pool is made: ``steps.init_worker``).
    """
    if pool_context().get_start_method() != "forkserver":
        return False
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return True


@functools.cache
def _stop_fork_server_at_exit() -> None:
    """Wait for the fork server at exit, as a spawned pool's processes are waited for.

    Left to itself it outlives this process by a moment and is reaped by init: its CPU, and
    that of the processes it forked and reaped, never reaches this process's accounts
    (``RUSAGE_CHILDREN``, what bench/pipeline.py measures). Its processes have left by then
    (pools are shut down before exit handlers run), so it stops at once.
    """
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)  # CPython's own, used by its tests
    if stop is not None:
        atexit.register(stop)
