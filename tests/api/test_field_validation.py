"""What a reviewer types is validated against the field's type (core.fields → core.validation)
and stored normalised; the export contract holds whatever is typed."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.db import Document
from core.db_review import FieldCorrection
from core.validation import field_value
from tests.api.test_auth import add_document, login, make_user


@pytest.fixture
def reviewer(settings, ctx):
    make_user(ctx, "rs", "ra_soat", "mat")
    client = TestClient(create_app(settings, ctx))
    client.headers["X-CSRF-Token"] = login(client, "rs")
    return client


ACCEPTED = [
    ("date", "06/04/2016", "2016-04-06"),
    ("date", "6-4-2016", "2016-04-06"),
    ("date", "6.4.2016", "2016-04-06"),
    ("date", "ngày 6 tháng 4 năm 2016", "2016-04-06"),
    ("date", "Ngay 06 thang 04 nam 2016", "2016-04-06"),
    ("date", "2016-04-06", "2016-04-06"),
    ("symbol", "14-KH/BTCTU", "14-KH/BTCTU"),
    ("symbol", "123-CV/TU", "123-CV/TU"),
    ("symbol", "08-QĐi/TW", "08-QĐi/TW"),
    ("symbol", "45/QĐ-UBND", "45/QĐ-UBND"),
    ("symbol", "05/BNV-VP", "05/BNV-VP"),
    ("symbol", "12/2016/QĐ-UBND", "12/2016/QĐ-UBND"),
    ("symbol", " 45 / QÐ – UBND ", "45/QĐ-UBND"),  # Icelandic Ð, en dash, spaces
    ("number", "05", "05"),
    ("number", "12a", "12a"),
    ("urgency", "hoả tốc", "HỎA TỐC"),
    ("urgency", "Thượng khẩn", "THƯỢNG KHẨN"),
    ("recipients", "Như trên;  Lưu  VT;;", "Như trên; Lưu VT"),
    ("page_count", " 12 ", "12"),
    ("signer_name", "Nguyễn  Văn   A", "Nguyễn Văn A"),
    ("subject", "Kế hoa\u0323ch\ncông tác", "Kế hoạch công tác"),  # NFC, one line
    ("issuer", "", ""),  # empty means "no value"
]
REFUSED = [
    ("date", "hôm qua", "không phải ngày"),
    ("date", "31/02/2016", "không có trên lịch"),
    ("date", "29/02/2015", "không có trên lịch"),
    ("date", "1/1/1929", "từ năm 1930"),
    ("date", "1/1/2999", "đến hôm nay"),
    ("symbol", "abc", "không đúng dạng"),
    ("symbol", "14 KH BTCTU", "không đúng dạng"),
    ("number", "1-2", "chỉ gồm chữ số"),
    ("urgency", "gấp lắm", "chọn một trong"),
    ("page_count", "0", "số nguyên"),
    ("page_count", "-3", "số nguyên"),
    ("page_count", "ba", "số nguyên"),
    ("signer_name", "Nguyễn V4n A", "chữ cái"),
    ("subject", "x" * 501, "tối đa 500"),
    ("issuer", "Sở\x00Nội vụ", "ký tự điều khiển"),
    ("issuer", "Sở \u202eNội vụ", "ký tự điều khiển"),
    ("recipients", "Sở A; " + "x" * 201, "tối đa 200"),
]


@pytest.mark.parametrize(("field", "typed", "stored"), ACCEPTED)
def test_values_are_stored_normalised(ctx, reviewer, field, typed, stored):
    doc = add_document(ctx)
    r = reviewer.put(f"/api/documents/{doc}/fields/{field}", json={"value": typed})
    assert r.status_code == 200, r.text
    assert r.json()["value"] == stored
    rec = reviewer.get(f"/api/documents/{doc}").json()
    value = rec["flat_fields"].get(field)
    if field == "recipients":
        assert value == stored.split("; ")
    elif field == "page_count":
        assert value == int(stored)
    else:
        assert (value or "") == stored


@pytest.mark.parametrize(("field", "typed", "why"), REFUSED)
def test_invalid_values_are_refused_in_vietnamese_and_nothing_is_written(
    ctx, reviewer, field, typed, why
):
    doc = add_document(ctx)
    r = reviewer.put(f"/api/documents/{doc}/fields/{field}", json={"value": typed})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_field" and why in err["message"], err
    with ctx.session() as s:
        d = s.get(Document, doc)
        assert d.fields == {"doc_type": "KẾ HOẠCH", "symbol": "14-KH/UB", "date": "2015-03-20"}
        assert d.field_confidence.get(field) != 1.0
        assert s.query(FieldCorrection).count() == 0


def test_export_contract_holds_whatever_a_reviewer_types(settings, ctx, reviewer):
    make_user(ctx, "qt", "admin", "tuyet_mat")
    doc = add_document(ctx)
    assert (
        reviewer.put(f"/api/documents/{doc}/fields/date", json={"value": "hôm qua"}).status_code
        == 422
    )
    reviewer.put(f"/api/documents/{doc}/fields/date", json={"value": "06/04/2016"})
    reviewer.put(f"/api/documents/{doc}/fields/recipients", json={"value": "Sở A; Sở B"})
    reviewer.put(f"/api/documents/{doc}/fields/page_count", json={"value": "3"})
    admin = TestClient(create_app(settings, ctx))
    admin.headers["X-CSRF-Token"] = login(admin, "qt")
    lines = admin.get("/api/batches/lo-a/export").text.splitlines()
    rec = next(json.loads(x) for x in lines if json.loads(x)["id"] == doc)
    assert rec["fields"]["date"] == "2016-04-06"
    assert rec["fields"]["recipients"] == ["Sở A", "Sở B"]
    assert rec["fields"]["page_count"] == 3
    assert rec["field_confidence"]["date"] == 1.0


def test_every_field_of_the_table_has_a_validator():
    from core.fields import FIELDS

    for f in FIELDS:
        assert field_value(f.key, "") is None, f.key
