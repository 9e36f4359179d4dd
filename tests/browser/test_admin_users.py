"""The administrator's user page in real headless Chromium: create a user, raise clearance."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit import trail as audit
from core.db_audit import AuditEntry
from core.db_users import add_user, get_user
from tests.browser.conftest import PASSWORD, login, shot

pytestmark = [pytest.mark.browser]
NEW_PW = "Mat-khau-2026!"


def test_admin_creates_a_user_and_changes_clearance(app_server, page):
    base, ctx = app_server
    with ctx.session() as s:
        add_user(s, "quantri_web", PASSWORD, "admin", "tuyet_mat", full_name="Quản Trị Web")
    blocked: list[str] = []  # CSP violations (a missing favicon is no concern here)
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    login(page, base, "quantri_web", "/admin/users")
    page.get_by_label("Tên đăng nhập").fill("nguyen_lan")
    page.get_by_label("Họ tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Vai trò", exact=True).select_option(label="Rà soát")
    page.get_by_label("Bộ sưu tập phụ trách (mỗi dòng một tên)").fill("Văn bản 2014-2024")
    page.get_by_label("Mật khẩu", exact=True).fill(NEW_PW)
    page.get_by_label("Nhập lại mật khẩu").fill(NEW_PW)
    page.get_by_role("button", name="Tạo người dùng").click()
    page.get_by_text("Đã tạo người dùng.").wait_for()
    assert page.get_by_role("heading", name="Người dùng nguyen_lan").is_visible()
    page.get_by_label("Mức được xem", exact=True).select_option(label="TỐI MẬT")
    page.get_by_role("button", name="Lưu vai trò và mức được xem").click()
    page.get_by_text("Đã lưu vai trò và mức được xem.").wait_for()
    assert "được xem: TỐI MẬT" in page.locator("main").inner_text()
    shot(page, "09_nguoi_dung")
    page.get_by_role("link", name="← Danh sách người dùng").click()
    row = page.locator("tr", has=page.get_by_role("link", name="nguyen_lan"))
    assert "TỐI MẬT" in row.inner_text() and "Rà soát" in row.inner_text()
    assert not blocked, blocked
    with ctx.session() as s:
        u = get_user(s, "nguyen_lan")
        assert (u.role, u.clearance, u.collections) == ("ra_soat", "toi_mat", ["Văn bản 2014-2024"])
        actions = [
            e.action
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_id == "nguyen_lan")
                .order_by(AuditEntry.id)
            )
        ]
    assert actions == [audit.USER_CREATED, audit.CLEARANCE_CHANGED]
