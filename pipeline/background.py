"""Processing batches in a background thread of the web process (embedded mode).

With no broker configured, ``sohoa serve`` processes what is uploaded itself: one batch at a
time (the page pool already uses every core). Work lives in the database, so a restart of the
web process loses nothing; ``sohoa worker`` or the next start resumes it.
"""

from __future__ import annotations

import logging
import threading

from core.context import AppContext
from pipeline.claims import unsettled_batches

log = logging.getLogger(__name__)


class BatchProcessor:
    """A queue of batch ids and the one thread that runs them in turn."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.lock = threading.Lock()
        self.queue: list[int] = []
        self.thread: threading.Thread | None = None

    def submit(self, batch_id: int) -> None:
        """Queue a batch for processing and start the thread when idle."""
        with self.lock:
            if batch_id not in self.queue:
                self.queue.append(batch_id)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._loop, name="sohoa-processor", daemon=True
                )
                self.thread.start()

    def resume(self) -> list[int]:
        """Queue every batch a previous web process left unfinished (killed, restarted)."""
        with self.ctx.session() as s:
            batches = unsettled_batches(s)
        for batch_id in batches:
            self.submit(batch_id)
        return batches

    def _loop(self) -> None:
        # The OCR stack (OpenCV, numpy: ~55 MiB) loads with the first batch, not with the web
        # app, so a server whose workers do the OCR never carries it.
        from pipeline.runner import run_batch

        while True:
            with self.lock:
                if not self.queue:
                    self.thread = None
                    return
                batch_id = self.queue[0]
            try:
                run_batch(self.ctx, batch_id)  # indexes the documents it assembles
            except Exception:  # the failure is in the log; pages stay pending for a retry
                log.exception("processing batch %d failed", batch_id)
            with self.lock:
                self.queue.remove(batch_id)
