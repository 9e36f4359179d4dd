"""Validating what a person types before it reaches a record: names and field values.

Every refusal is an :class:`~core.errors.InputError` (HTTP 422, exit 65) with a Vietnamese
message saying what is expected; accepted values come back normalised (NFC, single spaces),
ready to store.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.errors import InputError
from core.fields import BY_KEY, FieldSpec, FieldType
from core.text import collapse_ws, fold, has_control, nfc

BATCH_NAME_MAX = 200
# Letters (Vietnamese included), digits, spaces and a few separators people put in names;
# never "/" or "\" (a batch name is a URL path segment and must stay reachable).
_BATCH_NAME = re.compile(r"^[\w .,()\-+&'’:;#]+$")


def batch_name(value: str) -> str:
    r"""Return a batch name fit to store (NFC), or refuse it.

    Refused: empty, longer than 200 characters, ``/`` or ``\``, control or bidi characters,
    a leading or trailing dot or space, and symbols other than ``. , ( ) - + & ' : ; #``.

    Raises:
        InputError: ``bad_batch_name``.
    """
    name = nfc(value)
    if (
        not name
        or len(name) > BATCH_NAME_MAX
        or has_control(name)
        or name != name.strip(" .")
        or collapse_ws(name) != name
        or not _BATCH_NAME.match(name)
    ):
        raise InputError(
            f"bad batch name {value!r}",
            code="bad_batch_name",
            message_vi=(
                f"Tên lô phải có 1–{BATCH_NAME_MAX} ký tự: chữ (có dấu), số, dấu cách và "
                "các dấu . , ( ) - + & ' : ; #; không có '/' hay '\\', không bắt đầu hay "
                "kết thúc bằng dấu chấm hoặc dấu cách."
            ),
        )
    return name


# --- record fields (core.fields: one validator per FieldType) ----------------------------

# Số và ký hiệu. Party (Hướng dẫn 36-HD/VPTW): number-type/issuer, 14-KH/BTCTU, 08-QĐi/TW.
# State (NĐ 30/2020): number/type-issuer, 45/QĐ-UBND; công văn number/issuer-unit, 05/BNV-VP;
# legal documents carry the year, 12/2016/QĐ-UBND. Extraction parses with the same patterns.
PARTY_SYMBOL = re.compile(
    r"^(?P<num>\d{1,6})-(?P<type>[A-ZĐ][A-Za-zĐđ]{0,4})/(?P<issuer>[A-ZĐ][A-ZĐa-z0-9]{0,11}"
    r"(?:-[A-ZĐ0-9][A-ZĐa-z0-9]{0,10})*)$"
)
STATE_LAW_SYMBOL = re.compile(
    r"^(?P<num>\d{1,6})/(?P<year>(?:19|20)\d{2})/(?P<type>[A-ZĐ][A-Za-zĐđ0-9]{0,5})"
    r"(?:-(?P<issuer>[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐ0-9][A-ZĐa-z0-9]*)*))?$"
)
STATE_SYMBOL = re.compile(
    r"^(?P<num>\d{1,6})/(?P<codes>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*)$"
)
SECRECY_MARKS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
URGENCY_MARKS = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
_DEFAULT_LEN = {
    FieldType.TEXT: 200,
    FieldType.NAME: 50,  # NĐ 30: FullName String(50)
    FieldType.NUMBER: 11,  # CodeNumber String(11)
    FieldType.SYMBOL: 30,  # CodeNotation String(30)
    FieldType.LIST: 200,  # To.OrganName String(200), each
}
MAX_LIST_ITEMS = 100
MAX_PAGES = 9999  # NĐ 30 PageTotal Number(4)
_NAME = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")
_NUMBER = re.compile(r"^\d{1,10}[a-zA-Z]?$")
_DMY = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\s*,?\s+nam\s+(\d{4})$")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_SLASHES = dict.fromkeys(map(ord, "／∕⁄"), "/")


def _refuse(spec: FieldSpec, why: str) -> InputError:
    return InputError(
        f"invalid {spec.key}: {why}",
        code="invalid_field",
        message_vi=f"{spec.label}: {why}",
        field=spec.key,
    )


def _line(spec: FieldSpec, raw: str, limit: int) -> str:
    if has_control(raw.replace("\n", " ").replace("\t", " ")):
        raise _refuse(spec, "không được chứa ký tự điều khiển.")
    text = collapse_ws(nfc(raw))
    if len(text) > limit:
        raise _refuse(spec, f"tối đa {limit} ký tự (đang có {len(text)}).")
    return text


def vn_today() -> dt.date:
    """Return today's date in Viet Nam (the upper bound of a document's date)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()


def _date(spec: FieldSpec, text: str, today: dt.date | None) -> str:
    folded = fold(text).lower()
    m = _DMY.match(text)
    parts = (m.group(1), m.group(3), m.group(4)) if m else None
    if parts is None and (m := _YMD.match(text)):
        parts = (m.group(3), m.group(2), m.group(1))
    if parts is None and (m := _WORDS.match(collapse_ws(folded))):
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is None:
        raise _refuse(
            spec,
            f"'{text[:40]}' không phải ngày. Nhập ví dụ 06/04/2016, 6-4-2016, 6.4.2016, "
            "'ngày 6 tháng 4 năm 2016' hoặc 2016-04-06.",
        )
    d, mo, y = (int(p) for p in parts)
    try:
        value = dt.date(y, mo, d)
    except ValueError:
        raise _refuse(spec, f"ngày {d:02d}/{mo:02d}/{y} không có trên lịch.") from None
    last = today or vn_today()
    if not dt.date(spec.min_year, 1, 1) <= value <= last:
        raise _refuse(spec, f"ngày phải từ năm {spec.min_year} đến hôm nay ({last:%d/%m/%Y}).")
    return value.isoformat()


def normalize_symbol_text(raw: str) -> str:
    """Return a symbol as stored: NFC, ``Đ`` (not ``Ð``), ASCII ``-`` and ``/``, no spaces."""
    s = nfc(raw).replace("Ð", "Đ").translate(_DASHES).translate(_SLASHES)
    return "".join(s.split())


def _symbol(spec: FieldSpec, text: str) -> str:
    sym = normalize_symbol_text(text)
    if not any(p.match(sym) for p in (PARTY_SYMBOL, STATE_LAW_SYMBOL, STATE_SYMBOL)):
        raise _refuse(
            spec,
            f"'{text[:40]}' không đúng dạng số và ký hiệu. Ví dụ văn bản Đảng 14-KH/BTCTU, "
            "123-CV/TU, 08-QĐi/TW; văn bản Nhà nước 45/QĐ-UBND, 05/BNV-VP, 12/2016/QĐ-UBND.",
        )
    return sym


def _mark(spec: FieldSpec, text: str, marks: tuple[str, ...], codes: dict[str, str]) -> str:
    key = collapse_ws(fold(text).upper().replace("_", " "))
    for mark in marks:
        if key == fold(mark).upper():
            return mark
    if key in codes:
        return codes[key]
    raise _refuse(spec, "chọn một trong: (để trống), " + ", ".join(marks) + ".")


def field_value(key: str, raw: str, today: dt.date | None = None) -> Any:
    """Return the value to store for what a person typed into field ``key``.

    ``""`` (after trimming) means "no value" and returns None. Dates come back ISO
    (``06/04/2016`` → ``2016-04-06``), symbols normalised, marks in their printed form,
    recipients as a list, a page count as an int, text NFC with single spaces.

    Raises:
        InputError: ``unknown_field``, or ``invalid_field`` with a Vietnamese reason.
    """
    spec = BY_KEY.get(key)
    if spec is None:
        raise InputError(
            f"unknown field {key!r}", code="unknown_field", message_vi=f"Không có trường '{key}'."
        )
    limit = spec.max_len or _DEFAULT_LEN.get(spec.type, 200)
    if spec.type is FieldType.LIST:
        items = [_line(spec, part, limit) for part in re.split(r"[;\n]", raw)]
        items = [i for i in items if i]
        if len(items) > MAX_LIST_ITEMS:
            raise _refuse(spec, f"tối đa {MAX_LIST_ITEMS} mục.")
        return items or None
    text = _line(spec, raw, max(limit, 60))
    if not text:
        return None
    if spec.type is FieldType.DATE:
        return _date(spec, text, today)
    if spec.type is FieldType.SYMBOL:
        return _symbol(spec, text)
    if spec.type is FieldType.SECRECY:
        levels = {"THUONG": "", "MAT": "MẬT", "TOI MAT": "TỐI MẬT", "TUYET MAT": "TUYỆT MẬT"}
        return _mark(spec, text, SECRECY_MARKS, levels) or None
    if spec.type is FieldType.URGENCY:
        return _mark(spec, text, URGENCY_MARKS, {"HOA TOC": "HỎA TỐC"})
    if spec.type is FieldType.COUNT:
        if not text.isdigit() or not 1 <= int(text) <= MAX_PAGES:
            raise _refuse(spec, f"phải là số nguyên từ 1 đến {MAX_PAGES}.")
        return int(text)
    if spec.type is FieldType.NUMBER:
        number = text.replace(" ", "")
        if not _NUMBER.match(number):
            raise _refuse(spec, "chỉ gồm chữ số (có thể thêm một chữ cái, ví dụ 12a).")
        return number
    if len(text) > limit:
        raise _refuse(spec, f"tối đa {limit} ký tự (đang có {len(text)}).")
    if spec.type is FieldType.NAME and not _NAME.match(text):
        raise _refuse(spec, "chỉ gồm chữ cái, dấu cách, dấu chấm hoặc gạch nối.")
    return text


def field_text(value: Any) -> str:
    """Return a stored field value as one line of text (lists joined by ``; ``)."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)
