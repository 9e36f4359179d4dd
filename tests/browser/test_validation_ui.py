"""The review form in headless Chromium: a refused value is explained beside its field, in
Vietnamese, and a valid one is shown as stored (runs after test_ui.py, which needs an empty
queue of its own)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.db import Batch, Document, Page, SourceFile
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _document(ctx) -> int:
    with ctx.session() as s:
        b = Batch(name="lo-kiem-tra-nhap", collection="Văn bản 2014-2024")
        s.add(b)
        s.flush()
        sf = SourceFile(batch_id=b.id, original_name="a.pdf", status="ready", detected_type="pdf")
        s.add(sf)
        s.flush()
        doc = Document(
            batch_id=b.id,
            seq=1,
            kind="state_document",
            status="extracted",
            fields={"doc_type": "QUYẾT ĐỊNH", "date": "2016-04-06"},
            field_confidence={"doc_type": 0.9, "date": 0.5},
        )
        s.add(doc)
        s.flush()
        s.add(Page(batch_id=b.id, source_file_id=sf.id, page_index=0, document_id=doc.id))
        return doc.id


def test_invalid_date_is_explained_beside_the_field(app_server, page):
    base, ctx = app_server
    doc = _document(ctx)
    login(page, base, "rasoat", f"/review/{doc}")
    date = page.locator("#f-date")
    date.wait_for()
    # A retrying assertion, not wait_for_function: a string predicate that is not true at its
    # first check is polled with eval, which the app's CSP (script-src 'self') refuses.
    expect(date).to_have_value("2016-04-06")
    for typed, why in (("hôm qua", "không phải ngày"), ("31/02/2016", "không có trên lịch")):
        date.fill(typed)
        date.press("Enter")
        page.locator("#e-date", has_text=why).wait_for()
        assert date.get_attribute("aria-invalid") == "true"
        assert page.locator("#e-date").inner_text().startswith("Ngày ban hành:")
    with ctx.session() as s:
        assert s.get(Document, doc).fields["date"] == "2016-04-06"
    date.fill("6/4/2017")
    date.press("Enter")
    page.locator("#msg", has_text="Đã lưu").wait_for()
    assert date.input_value() == "2017-04-06"
    assert page.locator("#e-date").inner_text() == ""
    assert date.get_attribute("aria-invalid") is None
    # The marks are a list to choose from, not free text.
    assert page.locator("select#f-secrecy option").all_inner_texts() == [
        "(không có)",
        "MẬT",
        "TỐI MẬT",
        "TUYỆT MẬT",
    ]
    with ctx.session() as s:
        d = s.get(Document, doc)
        assert d.fields["date"] == "2017-04-06"
        d.status = "reviewed"  # out of the queue for whatever runs next
