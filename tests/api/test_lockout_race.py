"""Login lockout under parallel attempts: 40 simultaneous wrong passwords for one account,
against the real app (uvicorn, real threads), on SQLite and PostgreSQL: at most 5 passwords
are checked (api.ratelimit reserves each attempt with one conditional UPDATE)."""

from __future__ import annotations

import re
import threading
import time

import httpx2 as httpx
import pytest
import uvicorn

from api.main import create_app
from core.context import open_context
from core.db_users import add_user
from core.settings import Settings
from tests.conftest import free_port

ATTEMPTS = 40


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path, monkeypatch):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    settings = Settings(data_dir=tmp_path / "data", database_url=url)
    ctx = open_context(settings)
    with ctx.session() as s:
        add_user(s, "nv.tracuu", "Dung-mat-khau-7", "tra_cuu")
    checked: list[int] = []
    lock = threading.Lock()
    import api.routes.ui_auth as ui_auth

    real = ui_auth.verify_password

    def counting(stored: str, password: str) -> bool:
        with lock:
            checked.append(1)
        return real(stored, password)

    monkeypatch.setattr(ui_auth, "verify_password", counting)
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(settings, ctx), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", checked
    srv.should_exit = True
    thread.join(15)
    ctx.engine.dispose()


def test_parallel_attempts_check_at_most_five_passwords(server):
    base, checked = server
    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(ATTEMPTS)]
    tokens = []
    for c in clients:
        page = c.get("/login")
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1))
    barrier = threading.Barrier(ATTEMPTS)
    codes: list[int] = []

    def attempt(i: int) -> None:
        barrier.wait()
        r = clients[i].post(
            "/login",
            data={
                "username": "nv.tracuu",
                "password": f"Sai-mat-khau-{i}",
                "csrf_token": tokens[i],
            },
        )
        codes.append(r.status_code)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == ATTEMPTS and not [c for c in codes if c >= 500], codes
    assert len(checked) <= 5, len(checked)
    assert codes.count(401) == len(checked) and codes.count(429) == ATTEMPTS - len(checked)
    # Even the right password is refused now, without being checked.
    before = len(checked)
    page = clients[0].get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = clients[0].post(
        "/login", data={"username": "nv.tracuu", "password": "Dung-mat-khau-7", "csrf_token": token}
    )
    assert r.status_code == 429 and len(checked) == before
    for c in clients:
        c.close()
