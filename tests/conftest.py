"""Shared fixtures: an isolated data directory and small real files made on the fly."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import create_engine, text

from core.context import AppContext, open_context
from core.settings import Settings

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
DEV_CORPUS = REPO.parent / "shared" / "corpora" / "dev"
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=None)


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


PG_ADMIN = "postgresql+psycopg://root@127.0.0.1:5432/postgres"


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
    """A fresh PostgreSQL database, dropped afterwards."""
    if not _port_open("127.0.0.1", 5432):
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432 (start it: scripts/services.sh)")
    name = f"sohoa_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # wrong credentials or no permission: say so and skip
        admin.dispose()
        pytest.skip(f"cannot create a PostgreSQL test database: {e}")
    try:
        yield f"postgresql+psycopg://root@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
