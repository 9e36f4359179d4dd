"""Fixtures for worker tests: real PostgreSQL and Redis (skipped with a reason when absent),
a private redis-server that a test may restart, a TCP proxy that can cut the database, and
helpers to run ``sohoa worker`` processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, _port_open, free_port, image_pdf, pg_url, text_page  # noqa: F401

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The shared Redis, on a database number of its own, flushed afterwards."""
    if shutil.which("redis-cli") is None or not _port_open(REDIS_HOST, REDIS_PORT):
        pytest.skip("Redis not reachable on 127.0.0.1:6379 (start it: scripts/services.sh)")
    import redis

    for db in range(15, 0, -1):  # an empty database nobody else is using
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db)
        if client.set(f"sohoa-test-lock-{db}", "1", nx=True, ex=600) and client.dbsize() == 1:
            break
        client.close()
    else:
        pytest.skip("no free Redis database number for an isolated test")
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}"
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def amqp_url() -> Iterator[str]:
    """A private virtual host on the local RabbitMQ, deleted afterwards."""
    ctl = shutil.which("rabbitmqctl")
    if ctl is None or not _port_open("127.0.0.1", 5672):
        pytest.skip("RabbitMQ not reachable on 127.0.0.1:5672 (or rabbitmqctl missing)")
    vhost = f"sohoa_t_{uuid.uuid4().hex[:8]}"
    made = subprocess.run([ctl, "add_vhost", vhost], capture_output=True, timeout=60)
    if made.returncode:
        pytest.skip(f"cannot create a RabbitMQ vhost: {made.stderr.decode()[:200]}")
    try:
        subprocess.run(
            [ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        subprocess.run([ctl, "delete_vhost", vhost], capture_output=True, timeout=60)


class PrivateRedis:
    """A redis-server of our own on a free port (no persistence), that a test may restart."""

    def __init__(self, tmp: Path) -> None:
        self.port, self.dir, self.proc = free_port(), tmp, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _port_open("127.0.0.1", self.port), 10, "private redis start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    (tmp_path / "redis").mkdir()
    r = PrivateRedis(tmp_path / "redis")
    r.start()
    try:
        yield r
    finally:
        r.stop()


class TcpProxy:
    """Forward a local port to an upstream one; ``cut`` drops every connection for a while."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream, self.port = upstream, free_port()
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._listen()

    def _listen(self) -> None:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", self.port))
        srv.listen(64)
        self._server = srv
        threading.Thread(target=self._accept, args=(srv,), daemon=True).start()

    def _accept(self, srv: socket.socket) -> None:
        while True:
            try:
                client, _ = srv.accept()
            except OSError:
                return
            try:
                up = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks += [client, up]
            for a, b in ((client, up), (up, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self, seconds: float) -> None:
        """Refuse and drop every connection for ``seconds``, then accept again."""
        assert self._server is not None
        self._server.close()
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        time.sleep(seconds)
        self._listen()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()


@pytest.fixture
def pg_proxy() -> Iterator[TcpProxy]:
    p = TcpProxy(("127.0.0.1", 5432))
    try:
        yield p
    finally:
        p.close()


def wait_for(pred: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``pred`` until it is truthy, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def make_scans(folder: Path, n: int) -> Path:
    """Write ``n`` one-page image PDFs with short Vietnamese text (fast to OCR)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, n + 1):
        lines = [f"Trang số {i} của hồ sơ lưu trữ", "Căn cứ Luật Lưu trữ năm 2011"]
        im = text_page(lines, size=(900, 500), font_px=30)
        (folder / f"p{i:02d}.pdf").write_bytes(image_pdf([im]))
    return folder


class Workers:
    """``sohoa worker`` subprocesses, each in its own process group, killed at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.procs = env, logs, []  # type: ignore[var-annotated]
        logs.mkdir(parents=True, exist_ok=True)

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        cmd = [
            sys.executable,
            "-m",
            "cli.main",
            "worker",
            "--loglevel",
            "INFO",
            "--sweep-interval",
            "0.5",
            "--grace",
            "3",
            *args,
        ]
        with (self.logs / f"worker{len(self.procs)}.log").open("wb") as log:
            proc = subprocess.Popen(
                cmd, env=self.env, cwd=REPO, stdout=log, stderr=log, start_new_session=True
            )
        self.procs.append(proc)
        return proc

    def log(self, i: int) -> str:
        return (self.logs / f"worker{i}.log").read_text(encoding="utf-8", errors="replace")

    @staticmethod
    def kill(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        # SIGTERM goes to the main process only (as systemd's KillMode=mixed does): it stops
        # its pool itself. SIGKILL takes the whole group, like a machine that dies.
        with contextlib.suppress(ProcessLookupError):
            if sig == signal.SIGKILL:
                os.killpg(proc.pid, sig)
            else:
                os.kill(proc.pid, sig)
        if sig == signal.SIGKILL:
            proc.wait(timeout=30)

    def close(self) -> None:
        for p in self.procs:  # the database is the truth: tearing down hard loses nothing
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=30)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], Workers]]:
    made: list[Workers] = []

    def factory(env: dict[str, str]) -> Workers:
        w = Workers({**os.environ, "OMP_THREAD_LIMIT": "1", **env}, tmp_path / "logs")
        made.append(w)
        return w

    try:
        yield factory
    finally:
        for w in made:
            w.close()
