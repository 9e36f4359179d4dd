"""Shared fixtures: an isolated data directory and database, small real files made on the fly.

The suite runs on the database named by ``SOHOA_TEST_DATABASE`` (``scripts/test.sh`` runs it
twice, once with each):

- ``sqlite``: every test on SQLite in its data directory; tests that need PostgreSQL itself
  (the ``pg_url`` fixture) are left to the PostgreSQL pass;
- ``postgresql``: every test gets a database of its own on the local PostgreSQL, created from
  a template migrated once per run (``CREATE DATABASE … TEMPLATE``, a fraction of a second)
  and dropped afterwards; ``SOHOA_DATABASE_URL`` points at it, so CLI calls and subprocesses
  use it too. Tests marked ``sqlite_only`` are skipped with their reason. PostgreSQL not
  reachable is an error, never a skip;
- unset (a bare ``pytest``): SQLite, and ``pg_url`` tests run when PostgreSQL is reachable.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from core.context import AppContext, open_context
from core.settings import Settings
from tests._db import (
    ON_POSTGRESQL,
    PG_HOST,
    PG_PORT,
    TEST_DATABASE,
    drop_leftovers,
    drop_template,
    empty_database,
    fresh_database,
)

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
DEV_CORPUS = REPO.parent / "shared" / "corpora" / "dev"
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


def pytest_sessionstart(session: pytest.Session) -> None:
    if TEST_DATABASE not in ("", "sqlite", "postgresql"):
        pytest.exit(f"SOHOA_TEST_DATABASE={TEST_DATABASE!r}: use sqlite or postgresql", 4)
    if ON_POSTGRESQL and not _port_open(PG_HOST, PG_PORT):
        # CI must not pass by skipping the PostgreSQL pass.
        pytest.exit(
            f"SOHOA_TEST_DATABASE=postgresql but nothing listens on {PG_HOST}:{PG_PORT} "
            "(start it: scripts/services.sh)",
            3,
        )
    if ON_POSTGRESQL:
        drop_leftovers()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if ON_POSTGRESQL and marker is not None:
            why = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))
        if TEST_DATABASE == "sqlite" and "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: runs in the SOHOA_TEST_DATABASE="
                    "postgresql pass of scripts/test.sh"
                )
            )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_template()


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """This test's database URL (None on SQLite), also exported as ``SOHOA_DATABASE_URL``."""
    with fresh_database() as url:
        if url is not None:
            monkeypatch.setenv("SOHOA_DATABASE_URL", url)
        yield url


@pytest.fixture
def empty_db_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """Like ``db_url``, but an empty, unmigrated database (None: SQLite, made on first open)."""
    if not ON_POSTGRESQL:
        yield None
        return
    with empty_database() as url:
        monkeypatch.setenv("SOHOA_DATABASE_URL", url)
        yield url


@pytest.fixture
def settings(tmp_path: Path, db_url: str | None) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url)


@pytest.fixture
def ctx(settings: Settings) -> AppContext:
    return open_context(settings)


def text_page(
    lines: list[str], size: tuple[int, int] = (1240, 1754), font_px: int = 34
) -> Image.Image:
    """Render Vietnamese lines on a white A4 page at 150 dpi."""
    im = Image.new("L", size, 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), font_px)
    y = 120
    for line in lines:
        draw.text((110, y), line, fill=0, font=font)
        y += int(font_px * 1.6)
    return im


def image_pdf(pages: list[Image.Image], dpi: int = 150) -> bytes:
    """Return an image-only PDF as a scanner writes it: one JPEG per page."""
    pdf = pikepdf.new()
    for im in pages:
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=85)
        w, h = im.size
        pw, ph = w * 72 / dpi, h * 72 / dpi
        img = pikepdf.Stream(
            pdf,
            buf.getvalue(),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=w,
            Height=h,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )
        page = pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, pw, ph],
                Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=img)),
            )
        )
        page.obj.Contents = pikepdf.Stream(
            pdf, f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
        )
        pdf.pages.append(page)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def text_pdf(text: str) -> bytes:
    """Return a born-digital PDF whose page carries a real (ASCII) text layer."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page = pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        )
    )
    ops = ["BT /F1 12 Tf 14 TL 72 770 Td"]
    for line in text.splitlines():
        ops.append(f"({line}) Tj T*")
    ops.append("ET")
    page.obj.Contents = pikepdf.Stream(pdf, "\n".join(ops).encode("latin-1"))
    pdf.pages.append(page)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (not migrated), dropped afterwards.

    Unreachable or refused: a skip on a bare ``pytest``, a failure on the PostgreSQL pass.
    """
    give_up = pytest.fail if ON_POSTGRESQL else pytest.skip
    if not _port_open(PG_HOST, PG_PORT):
        give_up(f"PostgreSQL not reachable on {PG_HOST}:{PG_PORT} (start it: scripts/services.sh)")
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(empty_database())
        except Exception as e:  # wrong credentials or no permission: say so
            give_up(f"cannot create a PostgreSQL test database: {e}")
        yield url
