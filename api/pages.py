"""Rendering Vietnamese pages: templates, their filters and labels, the page user, page errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.auth import Principal, optional_principal
from core.fields import BY_KEY as FIELD_SPECS
from core.fields import FIELDS, FieldType
from core.fields import LABELS as FIELD_LABELS
from core.levels import LABELS as LEVEL_LABELS
from core.levels import LEVELS
from core.passwords import MIN_LENGTH as MIN_PASSWORD
from core.roles import ROLE_LABELS
from core.validation import SECRECY_MARKS, URGENCY_MARKS

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

KIND_LABELS = {
    "party_document": "Văn bản Đảng",
    "state_document": "Văn bản Nhà nước",
    "profile": "Hồ sơ",
    "other": "Khác",
}


def date_vn(value: Any) -> str:
    """Format an ISO date/datetime (or object) as dd/mm/yyyy; other text passes through."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value or "")
    if len(text) > 10 and text[10] == "T":
        try:
            return date_vn(dt.datetime.fromisoformat(text))
        except ValueError:
            pass
    try:
        return dt.date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return text


def num_vn(value: Any) -> str:
    """Format a number with dots between thousands (1.234)."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


STATUS_LABELS = {
    "extracted": "đã trích xuất",
    "reviewed": "đã rà soát",
    "merged": "đã gộp",
    "pending": "đang chờ",
    "needs_review": "cần rà soát",
    "failed": "lỗi",
    "store_only": "chỉ lưu bản gốc (TUYỆT MẬT)",
}
HISTORY_LABELS = {
    **FIELD_LABELS,
    "status": "Trạng thái",
    "page_text": "Chữ của trang",
    "split": "Tách tài liệu",
    "merge": "Gộp tài liệu",
}


def dec_vn(value: Any) -> str:
    """Format a rate with one decimal, Vietnamese style (1.234,5)."""
    try:
        whole, frac = f"{float(value):.1f}".split(".")
    except (TypeError, ValueError):
        return str(value)
    return f"{num_vn(int(whole))},{frac}"


def field_vn(value: Any, key: str) -> Any:
    """Return a field's value as people read it: dates dd/mm/yyyy, lists as lists."""
    spec = FIELD_SPECS.get(key)
    if isinstance(value, list | tuple):
        # Items keep the punctuation they were printed with ("Như trên,"); a list needs none.
        return [str(v).strip().rstrip(",;").strip() for v in value if str(v).strip(" ,;")]
    if spec is not None and spec.type == FieldType.DATE:
        return date_vn(value)
    if spec is not None and spec.type == FieldType.LIST:
        return [part.strip() for part in str(value or "").split(";") if part.strip()]
    return value


templates.env.filters["date_vn"] = date_vn
templates.env.filters["field_vn"] = field_vn
templates.env.filters["field_text"] = lambda value, key: (
    "; ".join(shown) if isinstance(shown := field_vn(value, key), list) else str(shown or "")
)
templates.env.filters["num_vn"] = num_vn
templates.env.filters["dec_vn"] = dec_vn
templates.env.globals.update(
    FIELD_LABELS=FIELD_LABELS,
    # The review form offers the marks as a list, not free text (core.validation).
    FIELD_TYPES={f.key: f.type.value for f in FIELDS},
    FIELD_CHOICES={"secrecy": SECRECY_MARKS, "urgency": URGENCY_MARKS},
    KIND_LABELS=KIND_LABELS,
    STATUS_LABELS=STATUS_LABELS,
    HISTORY_LABELS=HISTORY_LABELS,
    LEVEL_LABELS=LEVEL_LABELS,
    LEVELS=LEVELS,
    ROLE_LABELS=ROLE_LABELS,
    MIN_PASSWORD=MIN_PASSWORD,
)


class LoginRedirect(Exception):
    """A page was asked for without a session: send the browser to the login form."""


class PageForbidden(Exception):
    """A page the caller's role may not open."""


def page_user(
    request: Request, who: Annotated[Principal | None, Depends(optional_principal)]
) -> Principal:
    """Return the logged-in user of a page request, or redirect to the login form."""
    if who is None:
        raise LoginRedirect(request.url.path)
    return who


PageUser = Annotated[Principal, Depends(page_user)]


def render(
    request: Request, name: str, who: Principal | None, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render a template with the user and the CSRF token."""
    return templates.TemplateResponse(
        request, name, {"user": who, "csrf": who.csrf if who else "", **context}, status_code=status
    )
