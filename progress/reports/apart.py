"""Render a report's PDF or XLSX in a child process, so the web server never loads the writers.

reportlab, openpyxl (and the numpy it imports when present), lxml and the heap a layout
leaves behind added 45-60 MiB to the long-lived web process for good after the first report
(measured from /proc/<pid>/smaps at 1M pages): memory that every later request, an export of
50,000 records included, ran on top of. Now the server only computes the report's numbers
(scoped to the caller, as before) and sends them to a renderer process,
``python -m progress.reports.apart``, which answers with the file's bytes.

The renderer is started on the first report and serves the next ones (a clerk downloads the
PDF, then the spreadsheet): it exits after :data:`IDLE_S` seconds without a request, or after
:data:`MAX_RENDERS` reports, so its memory goes back to the system. One report is rendered at a
time; a caller waits for its turn within :data:`RENDER_TIMEOUT_S`, and a render that takes
longer is killed with its process. Every failure reaches the caller as a ``SohoaError`` with a
Vietnamese message.

Protocol, over the child's stdin and stdout: a request is an 8-byte big-endian length and a
pickle of ``(format, report)``; the answer is ``OK`` or ``ER``, an 8-byte length, then the
file's bytes or a pickled ``SohoaError`` (a missing font, for one). A crash or a kill is read
from the exit status and stderr.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from core.errors import SohoaError, StageError, TransientError

if TYPE_CHECKING:
    from progress.reports.model import Report

log = logging.getLogger(__name__)

MODULE = "progress.reports.apart"
# The folder holding the ``progress`` package the server runs: the renderer starts there, so
# ``-m`` finds this very code whatever the server's working directory holds.
ROOT = Path(__file__).resolve().parents[2]
RENDER_TIMEOUT_S = 120.0  # a monthly report at 1M pages renders in ~0.2 s on a quiet machine
IDLE_S = 60.0  # the renderer exits after this long without a request
MAX_RENDERS = 50  # ... or after this many reports: its heap does not grow without end
CHILD_FORMATS = ("pdf", "xlsx")
OK, ERROR = b"OK", b"ER"
_LEN = 8
_FORMAT_VI = {"pdf": "PDF", "xlsx": "Excel (XLSX)"}


class _Timeout(Exception):
    pass


class _Gone(Exception):
    """The renderer had exited (idle) before it read the request."""


class _Renderer:
    """The renderer process, started when needed; one report at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.child: subprocess.Popen[bytes] | None = None
        self.stderr: IO[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        # stderr to a file, not a pipe: nobody reads it while the child runs.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in _forget()
        args = [sys.executable, "-m", MODULE, str(IDLE_S), str(MAX_RENDERS)]
        return subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=ROOT
        )

    def render(self, fmt: str, payload: bytes, deadline: float, limit: float) -> bytes:
        if not self.lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise _timed_out(fmt, limit)
        try:
            for _attempt in range(2):
                child = self.child
                reused = child is not None and child.poll() is None
                if child is None or not reused:
                    self._forget()
                    child = self.child = self._start()
                try:
                    return self._exchange(child, fmt, payload, deadline)
                except _Gone:
                    self._forget()
                    if not reused:
                        raise _failed(fmt, "the renderer exited at start") from None
                    # It idled out between the check and the request: once more, a new one.
                except _Timeout:
                    self._forget()
                    log.warning("report %s: renderer killed after %g s", fmt, limit)
                    raise _timed_out(fmt, limit) from None
            raise _failed(fmt, "the renderer exited twice")  # pragma: no cover - loop above
        finally:
            self.lock.release()

    def _exchange(
        self, child: subprocess.Popen[bytes], fmt: str, payload: bytes, deadline: float
    ) -> bytes:
        assert child.stdin is not None and child.stdout is not None
        try:
            _write(child.stdin.fileno(), len(payload).to_bytes(_LEN, "big") + payload, deadline)
        except BrokenPipeError:
            self._died(child, fmt)
        head = _read(child.stdout.fileno(), len(OK) + _LEN, deadline)
        if head is None:
            self._died(child, fmt)
        assert head is not None
        tag, size = head[: len(OK)], int.from_bytes(head[len(OK) :], "big")
        body = _read(child.stdout.fileno(), size, deadline)
        if body is None or tag not in (OK, ERROR):
            self._died(child, fmt)
        assert body is not None
        if tag == OK:
            return body
        try:
            exc = pickle.loads(body)
        except Exception:  # noqa: BLE001 - an answer we cannot read is a failure like any other
            exc = None
        if isinstance(exc, SohoaError):
            raise exc
        raise _failed(fmt, "the renderer's error could not be read")

    def _died(self, child: subprocess.Popen[bytes], fmt: str) -> None:
        """Raise why the answer stopped short: an idle exit before reading (_Gone), or a crash."""
        try:
            code = child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        detail = ""
        if self.stderr is not None:
            self.stderr.seek(0)
            detail = self.stderr.read()[-2000:].decode("utf-8", "replace").strip()
        self._forget()
        if code == 0:
            raise _Gone
        log.error("report %s: renderer %s exited %s: %s", fmt, child.pid, code, detail)
        raise _failed(fmt, f"exit status {code}")

    def _forget(self) -> None:
        child, self.child = self.child, None
        if child is not None:
            if child.poll() is None:
                child.kill()
            with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
                child.communicate(timeout=5)
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    def close(self) -> None:
        """End the renderer (tests, shutdown)."""
        with self.lock:
            self._forget()


_renderer = _Renderer()
# At exit, without the lock (a request thread may hold it): end the renderer and reap it.
atexit.register(_renderer._forget)


def _write(fd: int, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    os.set_blocking(fd, False)
    while view:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([], [fd], [], left)[1]:
            raise _Timeout
        try:
            view = view[os.write(fd, view[: 1 << 16]) :]
        except BlockingIOError:
            continue


def _read(fd: int, size: int, deadline: float) -> bytes | None:
    """Return exactly ``size`` bytes; None at end of file first."""
    parts, got = [], 0
    while got < size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise _Timeout
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _failed(fmt: str, why: str) -> StageError:
    return StageError(
        f"report {fmt} rendering failed: {why}",
        code="report_render_failed",
        message_vi=(
            f"Không tạo được tệp báo cáo {_FORMAT_VI.get(fmt, fmt)}. Vui lòng thử lại; nếu "
            "vẫn lỗi, báo quản trị viên (chi tiết trong nhật ký máy chủ)."
        ),
    )


def _timed_out(fmt: str, seconds: float) -> TransientError:
    return TransientError(
        f"report {fmt} rendering took longer than {seconds:g} s",
        code="report_timeout",
        message_vi=(
            f"Tạo tệp báo cáo {_FORMAT_VI.get(fmt, fmt)} quá {seconds:g} giây nên đã dừng. "
            "Máy chủ có thể đang bận; vui lòng thử lại sau ít phút."
        ),
    )


def render_for_server(rep: Report, fmt: str) -> bytes:
    """Return the report as ``fmt`` bytes: CSV here (csv module only), PDF and XLSX apart."""
    if fmt in CHILD_FORMATS:
        return render_apart(rep, fmt)
    from progress.reports.output import render

    return render(rep, fmt)


def render_apart(rep: Report, fmt: str, timeout: float | None = None) -> bytes:
    """Return the report rendered as ``pdf`` or ``xlsx`` by the renderer process.

    Raises ``TransientError`` (503, ``report_timeout``) when the render, or the wait for the
    one before it, takes longer than ``timeout`` seconds; ``StageError`` (500,
    ``report_render_failed``) when the renderer fails; and the renderer's own ``SohoaError``
    (a missing font) as it was raised there.
    """
    if fmt not in CHILD_FORMATS:
        raise ValueError(f"report format {fmt!r} is not rendered apart")
    limit = RENDER_TIMEOUT_S if timeout is None else timeout
    payload = pickle.dumps((fmt, rep), protocol=pickle.HIGHEST_PROTOCOL)
    return _renderer.render(fmt, payload, time.monotonic() + limit, limit)


def close() -> None:
    """End the renderer process if one runs."""
    _renderer.close()


# --- the child ---


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    parts, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            return None
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def serve(stdin: IO[bytes], answer: IO[bytes], idle_s: float, max_renders: int) -> int:
    """Child side: render each request until idle for ``idle_s``, EOF, or ``max_renders``."""
    from progress.reports.output import render

    for _ in range(max_renders):
        if not select.select([stdin], [], [], idle_s)[0]:
            return 0  # idle: exit, and give the memory back
        head = _read_exactly(stdin, _LEN)
        if head is None:
            return 0  # the server went away or closed us
        raw = _read_exactly(stdin, int.from_bytes(head, "big"))
        if raw is None:
            return 0
        fmt, rep = pickle.loads(raw)  # from our own parent, through a pipe only it holds
        try:
            tag, data = OK, render(rep, fmt)
        except SohoaError as exc:
            tag, data = ERROR, pickle.dumps(exc)
        answer.write(tag + len(data).to_bytes(_LEN, "big") + data)
        answer.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry of ``python -m progress.reports.apart [IDLE_SECONDS [MAX_RENDERS]]``."""
    args = sys.argv[1:] if argv is None else argv
    idle_s = float(args[0]) if args else IDLE_S
    max_renders = int(args[1]) if len(args) > 1 else MAX_RENDERS
    # openpyxl imports numpy only to accept numpy numbers in cells; a report has none, and
    # numpy would be 0.1 s and 20 MiB of this process's start.
    sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
    # Answers go to the real stdout; anything a library prints goes to stderr instead.
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Unbuffered: select() must see every request byte that has not been read yet.
    requests = os.fdopen(sys.stdin.fileno(), "rb", buffering=0, closefd=False)
    import progress.reports.pdf
    import progress.reports.xlsx  # noqa: F401 - loaded before the first request arrives

    return serve(requests, answer, idle_s, max_renders)


if __name__ == "__main__":
    sys.exit(main())
