"""A read-only or full data directory, for real: a small tmpfs mounted for the test, then
remounted read-only or filled up. Each command fails once with its Vietnamese reason and
exit 74, leaves no page running, no page failed and no partial file, and simply running it
again after the disk is fixed finishes the work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from kombu.exceptions import ChannelError
from sqlalchemy import func, select

from core.context import open_context
from core.db import Document, PageStage, SourceFile
from core.settings import Settings
from tests.conftest import REPO, image_pdf, text_page
from tests.pipeline.conftest import make_scans

pytestmark = [pytest.mark.tesseract]


class SmallDisk:
    """A tmpfs of its own, which a test can turn read-only or fill."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.filler = root / "filler"

    def _mount(self, *opts: str) -> None:
        subprocess.run(["mount", *opts, str(self.root)], check=True, capture_output=True)

    def read_only(self) -> None:
        self._mount("-o", "remount,ro")

    def writable(self) -> None:
        self._mount("-o", "remount,rw")

    def fill(self, leave: int) -> None:
        """Write a filler file until only about ``leave`` bytes are free (0: not one block)."""
        self.free_up()
        st = os.statvfs(self.root)
        with self.filler.open("wb", buffering=0) as fh:
            fh.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
            while not leave:  # top up to the last byte: statvfs rounds
                try:
                    fh.write(b"\0" * 512)
                except OSError:
                    break

    def free_up(self) -> None:
        self.filler.unlink(missing_ok=True)

    def partial_files(self) -> list[str]:
        """Temporary files left behind: half-written derived files, uploads, messages."""
        return sorted(
            str(p.relative_to(self.data))
            for p in self.data.rglob("*")
            if p.is_file()
            and (p.name.startswith(".") or p.parent.name == "tmp")
            and "index" not in p.relative_to(self.data).parts  # the index's own dot files
        )


@pytest.fixture
def disk(tmp_path: Path):
    root = tmp_path / "disk"
    root.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(root)], capture_output=True
    )
    if made.returncode:  # not root, or no CAP_SYS_ADMIN in this container
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], capture_output=True)


def _late_scan(tmp_path: Path) -> Path:
    # Not make_scans: its first page would be the same bytes as the batch's, a duplicate.
    path = tmp_path / "muon" / "bo_sung.pdf"
    path.parent.mkdir()
    path.write_bytes(image_pdf([text_page(["Văn bản bổ sung gửi sau"], (900, 500), 30)]))
    return path


def _a4_scans(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(1, n + 1):
        lines = [f"Trang số {i} của hồ sơ", "Căn cứ Luật Lưu trữ năm 2011"] * 4
        (folder / f"a{i}.pdf").write_bytes(image_pdf([text_page(lines)]))
    return folder


def _sohoa(disk: SmallDisk, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOHOA_DATA_DIR": str(disk.data), "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _refused(run: subprocess.CompletedProcess[str], code: str) -> None:
    assert run.returncode == 74, (run.returncode, run.stderr[-2000:])
    assert f"[{code}]" in run.stderr and "chạy lại" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr, run.stderr


def _stages(disk: SmallDisk, db_url: str | None, attempts: bool = False) -> dict[str, int]:
    """Return page counts per status (with ``attempts``: the number of claims, in all)."""
    ctx = open_context(Settings(data_dir=disk.data, database_url=db_url))
    try:
        with ctx.session() as s:
            rows = s.execute(
                select(PageStage.status, func.count(), func.sum(PageStage.attempts)).group_by(
                    PageStage.status
                )
            ).all()
        return {str(status): int(tried if attempts else n) for status, n, tried in rows}
    finally:
        ctx.engine.dispose()


def test_read_only_data_dir(disk, db_url, tmp_path):
    scans = make_scans(tmp_path / "scans", 3)
    late = _late_scan(tmp_path)
    assert _sohoa(disk, "ingest", str(scans), "--batch", "lo").returncode == 0
    disk.read_only()

    status = _sohoa(disk, "status", "--json")  # reading still works
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)[0]["stages"]["ocr"] == {"pending": 3}
    _refused(_sohoa(disk, "ingest", str(late), "--batch", "muon"), "storage_read_only")
    _refused(_sohoa(disk, "worker", "--once", "--workers", "1"), "storage_read_only")

    disk.writable()
    assert _stages(disk, db_url) == {"pending": 3}  # nothing claimed, nothing failed
    assert _sohoa(disk, "worker", "--once", "--workers", "1").returncode == 0
    assert _sohoa(disk, "ingest", str(late), "--batch", "muon", "--wait").returncode == 0
    assert _stages(disk, db_url) == {"done": 4}
    assert not disk.partial_files()


def test_full_data_dir(disk, db_url, tmp_path):
    scans = _a4_scans(tmp_path / "a4", 3)  # review images far larger than the room left
    late = _late_scan(tmp_path)
    assert _sohoa(disk, "ingest", str(scans), "--batch", "lo").returncode == 0
    # Room for the database's small writes (claims), none for a page's review image.
    disk.fill(leave=64 << 10)

    _refused(_sohoa(disk, "worker", "--once", "--workers", "1"), "disk_full")
    assert _stages(disk, db_url) == {"pending": 3}  # given back, not failed, not running
    if db_url is None:
        # On SQLite the claim itself is a write to the full disk that fits in the room left;
        # on PostgreSQL the run may stop at its first file write, before any claim.
        assert _stages(disk, db_url, attempts=True)["pending"] >= 1  # claimed, then given back
    assert not disk.partial_files()

    disk.fill(leave=0)
    _refused(_sohoa(disk, "ingest", str(late), "--batch", "muon"), "disk_full")
    assert not disk.partial_files()

    disk.free_up()
    assert _sohoa(disk, "worker", "--once", "--workers", "1").returncode == 0
    again = _sohoa(disk, "ingest", str(late), "--batch", "muon", "--wait")
    assert again.returncode == 0 and "Trùng lặp" not in again.stderr, again.stderr
    assert _stages(disk, db_url) == {"done": 4}
    ctx = open_context(Settings(data_dir=disk.data, database_url=db_url))
    with ctx.session() as s:
        assert s.scalar(select(func.count(Document.id))) == 2
    ctx.engine.dispose()


def test_upload_to_a_full_disk_is_refused_with_its_reason(disk, db_url):
    from api.main import create_app
    from tests.api.test_auth import make_user, token_for

    ctx = open_context(Settings(data_dir=disk.data, database_url=db_url))
    make_user(ctx, "kho", "luu_tru")
    client = TestClient(create_app(ctx.settings, ctx), headers=token_for(ctx, "kho"))
    assert client.post("/api/batches", json={"name": "lo"}).status_code == 201
    disk.fill(leave=0)
    r = client.put("/api/batches/lo/files?filename=a.pdf", content=b"%PDF-1.4 " + b"x" * 200_000)
    assert r.status_code == 507, r.text
    err = r.json()["error"]
    assert err["code"] == "disk_full" and "giải phóng dung lượng" in err["message"]
    disk.free_up()
    with ctx.session() as s:
        assert s.scalar(select(func.count(SourceFile.id))) == 0  # nothing half-recorded
    assert not disk.partial_files()
    ctx.engine.dispose()


def test_embedded_broker_writes_whole_messages_and_skips_a_bad_one(disk):
    from kombu import Connection
    from kombu.exceptions import OperationalError

    from pipeline.celery_app import broker_connection

    settings = Settings(data_dir=disk.data, database_url=None)
    queue = disk.data / "broker" / "queue"
    with broker_connection(settings) as conn:
        assert isinstance(conn, Connection)
        # A queue name of its own: Kombu keeps exchange bindings per process, and the
        # Celery tests' "ocr" bindings would route this test's messages elsewhere.
        name = f"t{uuid.uuid4().hex[:8]}"
        q = conn.SimpleQueue(name)
        disk.fill(leave=0)
        with pytest.raises((ChannelError, OperationalError)):
            q.put({"page": 1})
        assert not list(queue.iterdir())  # no empty message left for a worker to choke on
        disk.free_up()
        (queue / f"1_cut.{name}.msg").write_bytes(b"")  # what kombu's own writer left behind
        q.put({"page": 2})
        assert q.get(timeout=2).payload == {"page": 2}  # the cut one is skipped, not fatal
        q.close()
