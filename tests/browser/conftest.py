"""A real server (uvicorn in a thread) and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.context import AppContext, open_context
from core.db_plan import Collection
from core.db_users import add_user
from core.settings import Settings
from tests._db import fresh_database

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "matkhau-123"
# The suite must not rewrite tracked files: screenshots go to a temporary folder unless
# SOHOA_SCREENSHOTS=1 asks to refresh docs/screenshots/.
SHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("SOHOA_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "sohoa-screenshots"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="package")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AppContext]]:
    if not CHROMIUM.exists():
        pytest.skip(
            "headless Chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    data = tmp_path_factory.mktemp("browser") / "data"
    with fresh_database() as url:
        yield from _serve(Settings(data_dir=data, database_url=url))


def _serve(settings: Settings) -> Iterator[tuple[str, AppContext]]:
    import uvicorn

    from api.main import create_app

    ctx = open_context(settings)
    with ctx.session() as s:
        add_user(s, "kho", PASSWORD, "luu_tru", full_name="Trần Văn Kho")
        add_user(s, "rasoat", PASSWORD, "ra_soat", full_name="Lê Thị Rà Soát")
        add_user(s, "tracuu", PASSWORD, "tra_cuu", full_name="Phạm Tra Cứu")
        s.add(
            Collection(name="Văn bản 2014-2024", estimated_pages=40, owner_department="Văn phòng")
        )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, ctx), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ctx
    server.should_exit = True
    thread.join(15)
    ctx.engine.dispose()


@pytest.fixture(scope="package")
def browser(app_server, tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1366, "height": 768},
            locale="vi-VN",
        )
        yield context
        context.close()


@pytest.fixture
def page(browser):
    browser.clear_cookies()
    p = browser.new_page()
    yield p
    p.close()


def login(page, base: str, username: str, path: str = "/") -> None:
    """Log in through the form and land on ``path``."""
    page.goto(f"{base}/login?next={path}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}{path}")


def shot(page, name: str) -> None:
    """Save a screenshot of the main screens for docs/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
