"""The web app in real headless Chromium: upload, watch, review by keyboard, search, roles."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from core.db import Document
from core.db_review import FieldCorrection
from core.db_users import User
from tests.browser.conftest import login, shot
from tests.conftest import SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.tesseract, pytest.mark.slow]
BATCH = "VB-2020-TN"
TIMINGS: dict[str, float] = {}
# An <img> whose src the page's script has not set yet is also "complete": wait for pixels.
IMG_LOADED = (
    "img => (img.complete && img.naturalWidth > 0) || "
    "new Promise(r => img.addEventListener('load', r, { once: true }))"
)


def test_login_upload_and_watch_batch_finish(app_server, page):
    base, ctx = app_server
    page.goto(f"{base}/")
    assert page.url.startswith(f"{base}/login")
    assert page.locator("html").get_attribute("lang") == "vi"
    shot(page, "01_dang_nhap")
    login(page, base, "kho", "/upload")
    page.get_by_label("Tên lô (bắt buộc)").fill(BATCH)
    page.get_by_label("Phông / bộ sưu tập").fill("Văn bản 2014-2024")
    page.get_by_label("Từ năm").fill("2020")
    page.get_by_label("Đến năm").fill("2020")
    page.get_by_label("Đơn vị / phòng ban").fill("Văn phòng")
    page.locator("#files").set_input_files(
        [str(SAMPLES / "state_qd_p1.jpg"), str(SAMPLES / "cong_van.jpg")]
    )
    assert page.locator("#file-list li").count() == 2
    page.get_by_role("button", name="Tải lên và xử lý").click()
    page.get_by_text("Đã gửi xong, đang xử lý").wait_for(timeout=60_000)
    states = page.locator("#file-list .state").all_inner_texts()
    assert all(s.startswith("đã nhận") for s in states), states
    assert page.locator("#file-list progress").evaluate_all("els => els.map(e => e.value)") == [
        100,
        100,
    ]
    shot(page, "02_tai_len")
    page.get_by_role("link", name="Theo dõi tiến độ trên trang Tổng quan").click()
    card = page.locator(f'article[data-batch="{BATCH}"]')
    card.wait_for()
    card.locator(".badge.done").wait_for(timeout=240_000)  # polling updates the page live
    assert "100%" in card.locator(".bars").inner_text()
    shot(page, "03_tong_quan")
    # Re-sending the same file is recognised as a duplicate, not processed again.
    page.goto(f"{base}/upload")
    page.get_by_label("Tên lô (bắt buộc)").fill(BATCH)
    page.locator("#files").set_input_files([str(SAMPLES / "cong_van.jpg")])
    page.get_by_role("button", name="Tải lên và xử lý").click()
    page.get_by_text("có cùng nội dung với tệp").wait_for(timeout=30_000)


def test_review_with_keyboard(app_server, page):
    base, ctx = app_server
    with ctx.session() as s:
        docs = list(s.scalars(select(Document).order_by(Document.id)))
        for d in docs:  # what extraction noticed is shown beside the field
            prov = dict(d.provenance or {})
            prov["_flags"] = {
                "flags": [
                    *(prov.get("_flags") or {}).get("flags", []),
                    {"field": "doc_type", "code": "repaired", "detail": "KÊ HOẠCH → KẾ HOẠCH"},
                ]
            }
            d.provenance = prov
    assert docs, "the upload test must have produced documents"
    login(page, base, "rasoat", "/review")
    page.locator("#queue-body a").first.wait_for()
    shot(page, "04_hang_doi_ra_soat")
    page.locator("#queue-body a").first.focus()
    per_doc = []
    first_id = None
    for n in range(len(docs)):
        t0 = time.monotonic()
        if n == 0:
            page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/review/\d+$"))
        doc_id = int(page.url.rsplit("/", 1)[1])
        first_id = first_id or doc_id
        page.locator("#f-doc_type:focus").wait_for()
        page.locator("#page-img").evaluate(IMG_LOADED)
        if n == 0:
            assert (
                page.locator("#w-doc_type").inner_text()
                == "Máy đã sửa lỗi nhận dạng: KÊ HOẠCH → KẾ HOẠCH"
            )
            # Accept four fields with Enter, correct the fifth (issuer), accept the rest.
            for _ in range(4):
                page.keyboard.press("Enter")
            page.keyboard.press("Control+a")
            page.keyboard.type("Sở Nội vụ tỉnh Lâm Đồng")
            page.keyboard.press("Enter")
            page.locator("#msg", has_text="Đã lưu").wait_for()
            shot(page, "05_ra_soat")
        page.keyboard.press("Control+Enter")
        page.wait_for_url(lambda url, d=doc_id: not url.endswith(f"/review/{d}"))
        per_doc.append(time.monotonic() - t0)
    TIMINGS["review_s_per_doc"] = sum(per_doc) / len(per_doc)
    print(
        f"\nreviewer time per document (keyboard, {len(per_doc)} docs): "
        f"{TIMINGS['review_s_per_doc']:.2f} s; each: {[round(x, 2) for x in per_doc]}"
    )
    with ctx.session() as s:
        statuses = {d.status for d in s.scalars(select(Document))}
        corr = s.scalar(select(FieldCorrection).where(FieldCorrection.field == "issuer"))
    assert statuses == {"reviewed"}
    assert (
        corr is not None and corr.user == "rasoat" and corr.new_value == ("Sở Nội vụ tỉnh Lâm Đồng")
    )
    page.goto(f"{base}/documents/{first_id}")
    history = page.locator("table.history").inner_text()
    assert "Sở Nội vụ tỉnh Lâm Đồng" in history and "rasoat" in history


def test_search_without_diacritics_and_open_hit(app_server, page):
    base, _ctx = app_server
    login(page, base, "tracuu", "/search")
    page.get_by_label("Từ khóa").fill("quyet dinh")
    page.keyboard.press("Enter")
    first = page.locator("#results li a.hit-title").first
    first.wait_for(timeout=30_000)
    assert "Tìm thấy" in page.locator("#summary").inner_text()
    shot(page, "06_tra_cuu")
    first.click()
    page.wait_for_url(re.compile(r".*/documents/\d+\?page=\d+$"))
    page.locator("#page-img").evaluate(IMG_LOADED)
    assert page.locator("#page-img").evaluate("img => img.naturalWidth") > 100
    assert "tải bản gốc" not in page.content()  # tra_cuu may read, not download originals
    shot(page, "07_tai_lieu")
    # The reviewer's correction reached the index: the hit shows the corrected issuer
    # (the machine read "SỞ NỘI VỤ"), found by a query typed without diacritics.
    page.goto(f"{base}/search?q=so+noi+vu")
    page.locator("#summary", has_text="Tìm thấy").wait_for()
    assert "Sở Nội vụ tỉnh Lâm Đồng" in page.locator("#results").inner_text()


def test_search_role_cannot_reach_upload_or_review(app_server, page):
    base, _ctx = app_server
    login(page, base, "tracuu")
    nav = page.get_by_role("navigation").inner_text()
    assert "Tải lên" not in nav and "Rà soát" not in nav
    for path in ("/upload", "/review"):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 403
        assert "không có quyền" in page.locator("main").inner_text()
    shot(page, "08_khong_co_quyen")


def test_classification_raised_on_the_document_page_and_lowering_refused(app_server, page):
    base, ctx = app_server
    with ctx.session() as s:
        doc = s.scalars(
            select(Document).where(Document.classification == "thuong").order_by(Document.id)
        ).first()
        # Cleared for what they raise it to, or the raised document would vanish for them.
        s.scalars(select(User).where(User.username == "rasoat")).one().clearance = "toi_mat"
    assert doc is not None
    login(page, base, "rasoat", f"/documents/{doc.id}")
    page.select_option("#cls-level", "mat")
    page.click("#cls-form button")
    page.locator("p.hint", has_text="Độ mật: MẬT").wait_for()
    page.select_option("#cls-level", "thuong")
    page.fill("#cls-reason", "nhầm")
    page.click("#cls-form button")
    page.locator("#cls-msg", has_text="Chỉ quản trị viên").wait_for()
    with ctx.session() as s:
        assert s.get(Document, doc.id).classification == "mat"
