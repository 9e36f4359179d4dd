"""Password rules beyond length: common list, user name and its parts, repeats, sequences."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.errors import InputError
from core.passwords import check_password, common_passwords


@pytest.mark.parametrize(
    ("password", "username", "why"),
    [
        ("password123", None, "phổ biến"),
        ("Password1!", None, "phổ biến"),
        ("iloveyou2026", None, "phổ biến"),
        ("aaaaaaaaa1", None, ("lặp lại", "phổ biến")),
        ("ab1ab1ab1ab1", None, "lặp lại"),
        ("abcdefgh12", None, "phổ biến"),
        ("xyz-1234567890", None, "dãy đơn giản"),
        ("Mnbvcxz-9876", None, ("dãy đơn giản", "phổ biến")),
        ("Kx-1234567-zz", None, "dãy đơn giản"),
        ("Tq-qwertyui-7", None, "dãy đơn giản"),
        ("Zk7-zzzzzzzz", None, "lặp lại"),
        ("nv.rasoat2026!", "nv.rasoat", "tên đăng nhập"),
        ("Rasoat-2026-x", "nv.rasoat", "tên đăng nhập"),
        ("nv.rasoat", "nv.rasoat", "ít nhất 10"),
        ("nv.rasoat1", "nv.rasoat", "tên đăng nhập"),
        ("Nv.Rasoat", "nv.rasoat", "ít nhất 10"),
    ],
)
def test_weak_passwords_are_refused(password, username, why):
    with pytest.raises(InputError) as e:
        check_password(password, username)
    reasons = why if isinstance(why, tuple) else (why,)
    assert e.value.code == "weak_password", e.value
    assert any(r in e.value.message_vi for r in reasons), e.value.message_vi


@pytest.mark.parametrize(
    "password", ["Kho-luu-tru-2026", "Hoa sen trên hồ 9", "Mat-khau-moi-2", "Đà Lạt mùa sương 7"]
)
def test_reasonable_passwords_pass(password):
    check_password(password, "nv.luutru")


def test_the_list_is_shipped_with_its_source():
    assert len(common_passwords()) >= 10_000 and "password" in common_passwords()


def test_admin_page_and_api_refuse_a_common_password(settings, ctx):
    from tests.api.test_leaks import PASSWORD, _client, add_user

    with ctx.session() as s:
        add_user(s, "tracuu", PASSWORD, "tra_cuu")
    c = _client(TestClient(create_app(settings, ctx)).app, "tracuu")
    r = c.post("/api/me/password", json={"current": PASSWORD, "new": "password123"})
    assert r.status_code == 422 and "phổ biến" in r.json()["error"]["message"]
