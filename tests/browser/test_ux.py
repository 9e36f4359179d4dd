"""Every screen at 1366×768 and 390×844, light and dark: the lists, document, reports flows.

Runs after test_ui.py (file order) on the same server; its own documents come from
``_world.seed`` without OCR, so these tests are quick. Screenshots of each screen at both
sizes go to docs/screenshots/ when SOHOA_SCREENSHOTS=1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from audit import trail as audit
from core.db import Document
from core.db_audit import AuditEntry
from core.db_users import add_user
from tests.browser import _world
from tests.browser.conftest import PASSWORD, login, shot

pytestmark = [pytest.mark.browser]
WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
# Lazy thumbnails below the fold never load: wait for the others, at most 5 s.
IMAGES_LOADED = (
    "() => Promise.race([new Promise(r => setTimeout(r, 5000)), Promise.all([...document.images]"
    ".filter(i => i.loading !== 'lazy').map("
    "i => i.complete || new Promise(r => { i.onload = i.onerror = r; })))])"
)


@pytest.fixture(scope="module")
def world(app_server) -> _world.World:
    _base, ctx = app_server
    with ctx.session() as s:
        add_user(s, "quantri_ux", PASSWORD, "admin", "tuyet_mat", full_name="Quản Trị Giao Diện")
    return _world.seed(ctx)


@pytest.fixture
def errors(page) -> Iterator[list[str]]:
    """Console errors and uncaught exceptions of the page (each test asserts none)."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    yield found


def _settle(page: Any) -> None:
    page.wait_for_load_state("load")
    page.evaluate(IMAGES_LOADED)
    page.wait_for_timeout(150)  # layout after the last fetch


def hrefs(page: Any) -> list[str]:
    """Return the document links of the list, in order."""
    return page.locator("#rows a.hit-title").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )


def open_as(page: Any, base: str, user: str, path: str) -> None:
    """Log in as ``user`` and open ``path`` (query strings included)."""
    login(page, base, user, "/")
    page.goto(base + path)


def both_sizes(page: Any, name: str, *, dark: bool = False) -> None:
    """Assert the page fits 1366 and 390 px wide (no horizontal scroll); save both shots."""
    for size, suffix in ((WIDE, ""), (PHONE, "_390")):
        page.set_viewport_size(size)
        _settle(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert page.evaluate(FITS), (name, size["width"], width)
        shot(page, f"{name}{suffix}{'_toi' if dark else ''}")
    page.set_viewport_size(WIDE)


def test_documents_list_sorts_filters_pages_and_bookmarks(app_server, world, page, errors):
    base, _ctx = app_server
    open_as(page, base, "tracuu", "/documents?size=20&sort=symbol&order=asc")
    page.locator("#rows tr td a.hit-title").first.wait_for()
    assert page.locator("#rows tr").count() == 20
    page.locator("#total", has_text="tài liệu").wait_for()
    assert _world.SECRET_SUBJECT not in page.content()  # above tracuu's clearance
    page.locator("#rows img.thumb").first.evaluate(
        "i => i.complete || new Promise(r => i.onload = r)"
    )
    assert page.locator("#rows img.thumb").first.evaluate("i => i.naturalWidth") == 160
    first_page = hrefs(page)
    page.locator("#next").click()
    page.wait_for_url(re.compile(r".*page=2.*after=.*"))
    page.locator("#page-no", has_text="Trang 2").wait_for()
    second = hrefs(page)
    assert second and not set(second) & set(first_page)
    # The address is a bookmark: opening it again shows the same rows.
    page.goto(page.url)
    page.locator("#page-no", has_text="Trang 2").wait_for()
    assert hrefs(page) == second
    page.locator("#prev").click()
    page.locator("#page-no", has_text="Trang 1").wait_for()
    assert hrefs(page) == first_page
    # A facet narrows the list and the total; a year outside 4 digits is refused in Vietnamese.
    page.locator("#facets label", has_text="QUYẾT ĐỊNH").click()
    page.wait_for_url(re.compile(r".*type=QUY.*"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('#rows td.doc-cell .hint')]"
        ".every(e => e.textContent.includes('QUYẾT ĐỊNH'))"
    )
    page.fill("#year_from", "15")
    page.get_by_role("button", name="Áp dụng").click()
    assert "4 chữ số" in page.locator("#form-msg").inner_text()
    page.fill("#year_from", "2015")
    page.get_by_role("button", name="Áp dụng").click()
    page.wait_for_url(re.compile(r".*year_from=2015.*"))
    # A saved view, opened from the list of views.
    page.fill("#view-name", "Quyết định từ 2015")
    page.get_by_role("button", name="Lưu chế độ xem").click()
    page.locator("#views a", has_text="Quyết định từ 2015").wait_for()
    page.goto(f"{base}/documents")
    page.locator("#views a", has_text="Quyết định từ 2015").click()
    page.wait_for_url(re.compile(r".*type=QUY.*year_from=2015.*"))
    page.locator("#rows a.hit-title").first.wait_for()
    both_sizes(page, "10_danh_sach_tai_lieu")
    assert not errors, errors


def test_bulk_actions_report_each_item_and_stay(app_server, world, page, errors):
    base, ctx = app_server
    open_as(page, base, "rasoat", "/documents?sort=date&order=asc&size=20")
    page.locator("#rows a.hit-title").first.wait_for()
    boxes = page.locator("#rows input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#bulk-count", has_text="Đã chọn 2").wait_for()
    page.select_option("#bulk-action", "accept")
    page.get_by_role("button", name="Thực hiện").click()
    result = page.locator("#bulk-result")
    result.locator("li.ok").first.wait_for()
    assert "Xong: 2 tài liệu" in result.inner_text()
    page.wait_for_timeout(300)  # the list reloads; the result must stay
    assert result.is_visible() and "Đã duyệt" in result.inner_text()
    shot(page, "10b_thao_tac_hang_loat")
    result.get_by_role("button", name="Đóng thông báo").click()
    assert result.is_hidden()
    # Export: a CSV of the selection, offered as a download.
    boxes.nth(2).check()
    page.select_option("#bulk-action", "export-csv")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Thực hiện").click()
    assert dl.value.suggested_filename == "tai-lieu-da-chon.csv"
    with ctx.session() as s:
        reviewed = s.scalars(select(Document).where(Document.status == "reviewed")).all()
        exports = s.scalars(select(AuditEntry).where(AuditEntry.action == audit.EXPORT)).all()
    assert len([d for d in reviewed if d.id in world.docs]) >= 2
    assert any((e.details or {}).get("via") == "list" for e in exports)
    assert not errors, errors


def test_document_page_pdf_notes_similar(app_server, world, page, errors):
    base, ctx = app_server
    open_as(page, base, "tracuu", f"/documents/{world.with_pdf}")
    page.locator("#page-img").evaluate("i => i.complete || new Promise(r => i.onload = r)")
    dl = page.locator("dl.fields").inner_text()
    assert re.search(r"\d{2}/\d{2}/\d{4}", dl) and "Như trên\n" in dl  # dd/mm/yyyy; a list
    assert page.locator("dl.fields ul.plain li").count() == 2  # recipients as a list
    page.get_by_role("button", name="Bản PDF").click()
    frame = page.locator("#pdf-frame")
    assert frame.get_attribute("src") == f"/api/documents/{world.with_pdf}/pdf"
    r = page.request.get(f"{base}/api/documents/{world.with_pdf}/pdf")
    assert r.status == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    cd = r.headers["content-disposition"]
    assert cd.startswith('inline; filename="') and "filename*=UTF-8''Quy" not in cd
    assert "filename*=UTF-8''K%E1%BA%BF%20Ho%E1%BA%A1ch" in cd  # "Kế Hoạch …"
    page.get_by_role("button", name="Ảnh trang").click()
    page.fill("#note-text", "Cần đối chiếu với bản lưu ở Văn phòng.")
    page.get_by_role("button", name="Lưu ghi chú").click()
    page.locator("#notes .note-text", has_text="Cần đối chiếu").wait_for()
    page.locator("#similar li a").first.wait_for()
    similar = page.locator("#similar").inner_text()
    assert _world.SECRET_SUBJECT not in similar
    both_sizes(page, "07_tai_lieu")
    with ctx.session() as s:
        actions = {e.action for e in s.scalars(select(AuditEntry))}
    assert audit.NOTE_ADDED in actions
    assert not errors, errors


def test_a_saved_note_stays_when_the_first_notes_answer_comes_late(app_server, world, page, errors):
    """The page's first GET of the notes answers after the save's: its older list is dropped."""
    base, _ctx = app_server
    held: list[Any] = []

    def hold_first(route: Any) -> None:
        if route.request.method == "GET" and not held:
            held.append(route)  # answered below, after the note is saved
        else:
            route.continue_()

    page.route("**/api/documents/*/notes", hold_first)
    open_as(page, base, "tracuu", f"/documents/{world.with_pdf}")
    page.fill("#note-text", "Ghi chú lưu trước khi danh sách đầu tiên về.")
    page.get_by_role("button", name="Lưu ghi chú").click()
    note = page.locator("#notes .note-text", has_text="lưu trước khi danh sách")
    note.wait_for()
    with page.expect_response("**/api/documents/*/notes"):
        held[0].fulfill(status=200, content_type="application/json", body="[]")
    page.evaluate("() => new Promise((r) => setTimeout(r, 50))")  # the late answer is handled
    assert note.count() == 1
    assert not errors, errors


def test_reports_screen_previews_and_downloads(app_server, world, page, errors):
    base, _ctx = app_server
    open_as(page, base, "kho", "/reports")
    page.locator("#report-tables table").first.wait_for()
    assert "tháng" in page.locator("#report-title").inner_text()
    page.fill("#date", "31/02/2026")
    page.get_by_role("button", name="Xem trước").click()
    assert "ngày/tháng/năm" in page.locator("#report-msg").inner_text()
    page.fill("#date", "24/11/2026")
    page.select_option("#period", "week")
    page.select_option("#format", "pdf")
    page.get_by_role("button", name="Xem trước").click()
    page.locator("#report-title", has_text="tuần").wait_for()
    href = page.locator("#download").get_attribute("href")
    assert href and "period=week" in href and "format=pdf" in href and "date=2026-11-24" in href
    assert "tuần 48/2026" in page.locator("#report-title").inner_text()
    r = page.request.get(base + href)
    assert r.status == 200 and r.body()[:4] == b"%PDF"
    text = page.locator("#report-tables").inner_text()
    assert "Văn bản 2014-2024" in text and "/3464" not in text
    both_sizes(page, "11_bao_cao")
    assert not errors, errors


def test_dashboard_chart_and_one_forecast_rule(app_server, world, page, errors):
    base, _ctx = app_server
    open_as(page, base, "kho", "/")
    page.locator("#batches article").first.wait_for()
    ticks = page.locator("#plan svg text.tick").all_text_contents()
    assert any(re.fullmatch(r"\d{2}/\d{2}/\d{4}", t) for t in ticks), ticks  # date ticks
    assert any(re.fullmatch(r"[\d.]+", t) for t in ticks), ticks  # value ticks
    assert "31/12/2026" in ticks
    plan = page.locator("#plan table").inner_text()
    assert "Dự kiến xong" in plan and "chưa có kế hoạch" in plan  # unplanned collections
    assert not re.search(r"/2[1-9]\d\d|/[3-9]\d{3}", plan), plan  # no centuries-away dates
    # Batch times in Vietnam's time, whatever the browser's zone.
    meta = page.locator(f'article[data-batch="{_world.BATCH}"] h3 .hint').inner_text()
    assert re.search(r"tạo lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}", meta), meta
    both_sizes(page, "03_tong_quan")
    assert not errors, errors


def test_password_page_checks_in_vietnamese(app_server, world, page, errors):
    base, _ctx = app_server
    open_as(page, base, "tracuu", "/account/password")
    assert "ít nhất 10 ký tự" in page.locator("main").inner_text()
    page.fill("#current", PASSWORD)
    page.fill("#new", "ngan1")
    page.fill("#confirm", "khac")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    assert page.url.endswith("/account/password")
    assert "Cần ít nhất 10 ký tự" in page.locator("#new-msg").inner_text()
    assert "không giống nhau" in page.locator("#confirm-msg").inner_text()
    both_sizes(page, "12_doi_mat_khau")
    assert not errors, errors


SCREENS = [
    ("01_dang_nhap", None, "/login"),
    ("02_tai_len", "kho", "/upload"),
    ("04_hang_doi_ra_soat", "rasoat", "/review"),
    ("06_tra_cuu", "tracuu", "/search?q=dang+vien"),
    ("08_khong_co_quyen", "tracuu", "/upload"),
    ("09_nguoi_dung", "quantri_ux", "/admin/users"),
]


def test_every_other_screen_fits_both_sizes(app_server, world, page, errors):
    base, _ctx = app_server
    for name, user, path in SCREENS:
        if user:
            page.context.clear_cookies()
            login(page, base, user, "/")
        page.goto(base + path)
        both_sizes(page, name)
    # The review screen of a seeded document, and the queue rows say what each document is.
    page.context.clear_cookies()
    open_as(page, base, "rasoat", "/review")
    row = page.locator("#queue-body tr").first
    row.locator("a").wait_for()
    assert (
        re.search(r"#\d+ · \w", row.inner_text())
        and "Về " in page.locator("#queue-body").inner_text()
    )
    page.goto(f"{base}/review/{world.docs[5]}")
    page.locator("#f-doc_type:focus").wait_for()
    assert page.locator("#f-recipients").input_value() == "Như trên; Lưu VP."
    both_sizes(page, "05_ra_soat")
    assert not [e for e in errors if "403" not in e], errors  # /upload as tracuu is a 403 page


def test_dark_mode(app_server, world, page, errors):
    base, _ctx = app_server
    page.emulate_media(color_scheme="dark")
    open_as(page, base, "rasoat", "/documents")
    page.locator("#rows a.hit-title").first.wait_for()
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(21, 24, 28)", bg
    both_sizes(page, "10_danh_sach_tai_lieu", dark=True)
    page.goto(f"{base}/")
    page.locator("#batches article").first.wait_for()
    both_sizes(page, "03_tong_quan", dark=True)
    page.goto(f"{base}/documents/{world.with_pdf}")
    both_sizes(page, "07_tai_lieu", dark=True)
    assert not errors, errors


def test_admin_sets_and_turns_off_auto_accept(app_server, world, page, errors):
    base, _ctx = app_server
    open_as(page, base, "quantri_ux", "/admin/policies")
    row = page.locator("ul.policies li", has_text="Văn bản 2014-2024")
    row.locator("input[name=threshold]").fill("0,5")
    row.locator("button[value=save]").click()
    page.locator("p.error").wait_for()
    assert "0,80 đến 1,00" in page.locator("p.error").inner_text()
    row = page.locator("ul.policies li", has_text="Văn bản 2014-2024")
    row.locator("input[name=threshold]").fill("0,95")
    row.locator("button[value=save]").click()
    page.locator("p.ok").wait_for()
    row = page.locator("ul.policies li", has_text="Văn bản 2014-2024")
    assert "Ngưỡng 0,95" in row.inner_text() and "quantri_ux" in row.inner_text()
    assert page.locator("#pages-saved").inner_text().isdigit()
    both_sizes(page, "13_tu_dong_chap_nhan")
    row.locator("button[value=off]").click()
    page.locator("p.ok").wait_for()
    assert (
        "Tắt: rà soát tất cả"
        in page.locator("ul.policies li", has_text="Văn bản 2014-2024").inner_text()
    )
    assert not [e for e in errors if "422" not in e], errors  # the refused 0,5 is a 422 page


def test_a_policy_accepted_document_is_marked_counted_and_reopened(app_server, world, page, errors):
    base, ctx = app_server
    from core.db import Page

    with ctx.session() as s:
        doc = s.scalars(
            select(Document)
            .where(Document.classification == "thuong", Document.status == "extracted")
            .join(Page, Page.document_id == Document.id)
            .order_by(Document.id)
        ).first()
        doc.status, doc.accepted_by_policy = "reviewed", True
        doc_id = doc.id
    open_as(page, base, "quantri_ux", "/")
    assert page.locator("#auto-accepted strong").inner_text() != "0"
    page.goto(f"{base}/documents/{doc_id}")
    assert page.locator("#by-policy").inner_text() == "Chấp nhận theo chính sách"
    both_sizes(page, "14_chap_nhan_theo_chinh_sach")
    page.locator("#reopen").click()
    page.wait_for_load_state("load")
    page.locator("#reopen").wait_for(state="detached")
    assert page.locator("#by-policy").count() == 0
    assert not errors, errors
