"""Server-rendered Vietnamese pages, static files, security headers and login redirects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from api.auth import Principal, optional_principal
from api.security import DbId, security_headers
from core.db import Batch, Document
from core.db_users import ROLE_LABELS
from core.fields import FIELDS
from core.fields import LABELS as FIELD_LABELS
from core.levels import LABELS as LEVEL_LABELS
from core.levels import LEVELS
from core.validation import SECRECY_MARKS, URGENCY_MARKS
from review.actions import EDITABLE, review_fields

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

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


templates.env.filters["date_vn"] = date_vn
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


def _need(who: Principal, action: str) -> None:
    if not who.can(action):
        raise PageForbidden(action)


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, who: PageUser) -> HTMLResponse:
    """Show the plan, forecast and batches with live per-stage progress."""
    from api.routes.ui_data import plan_summary

    with request.app.state.ctx.session() as s:
        plan = plan_summary(s, who.scope)
    return render(request, "dashboard.html", who, title="Tổng quan", plan=plan)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, who: PageUser) -> HTMLResponse:
    """Create a batch and upload files (archive staff)."""
    _need(who, "upload")
    ctx = request.app.state.ctx
    with ctx.session() as s:
        batches = [
            b.name
            for b in s.scalars(select(Batch).order_by(Batch.id.desc()))
            if who.scope.allows_batch(b)
        ][:50]
    return render(
        request,
        "upload.html",
        who,
        title="Tải lên",
        batches=batches,
        max_mb=ctx.settings.ingest.max_file_mb,
    )


@router.get("/review", response_class=HTMLResponse)
def review_queue_page(request: Request, who: PageUser) -> HTMLResponse:
    """Show the review queue, lowest confidence first."""
    _need(who, "review")
    return render(request, "review_queue.html", who, title="Rà soát", fields=EDITABLE)


@router.get("/review/{doc_id}", response_class=HTMLResponse)
def review_page(doc_id: DbId, request: Request, who: PageUser) -> HTMLResponse:
    """Review one document: page image beside the form."""
    from api.ratelimit import client_address
    from api.routes.documents import guarded_document

    _need(who, "review")
    ctx = request.app.state.ctx
    with ctx.session() as s:
        kind = guarded_document(s, ctx, who, doc_id, client_address(request)).kind
    return render(
        request,
        "review.html",
        who,
        title=f"Rà soát tài liệu #{doc_id}",
        doc_id=doc_id,
        fields=review_fields(kind),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, who: PageUser) -> HTMLResponse:
    """Show one search box with filters and facets."""
    return render(request, "search.html", who, title="Tra cứu")


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: DbId, request: Request, who: PageUser, page: int = 1) -> HTMLResponse:
    """Show a document: page images, fields, corrections history, downloads."""
    from api.ratelimit import client_address
    from api.routes.documents import audit_access, document_record, guarded_document
    from audit.trail import DOC_VIEW

    ctx = request.app.state.ctx
    address = client_address(request)
    with ctx.session() as s:
        doc: Document = guarded_document(s, ctx, who, doc_id, address)
        audit_access(s, who, DOC_VIEW, doc, address, via="page")
        record = document_record(s, doc)
    return render(
        request, "document.html", who, title=f"Tài liệu #{doc_id}", doc=record, start_page=page
    )


def install(app: FastAPI) -> None:
    """Add the pages, static files, security headers and the login/forbidden handlers."""
    from api.routes import admin_users, tokens, ui_auth
    from core.errors import NotFoundError

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.middleware("http")(security_headers)
    app.include_router(ui_auth.router)
    app.include_router(tokens.router)
    app.include_router(admin_users.router)
    app.include_router(router)

    @app.exception_handler(LoginRedirect)
    async def _login(_request: Request, exc: LoginRedirect) -> Response:
        return RedirectResponse(f"/login?next={quote(str(exc), safe='/')}", status_code=303)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, _exc: PageForbidden) -> Response:
        who = optional_principal(request)
        return render(
            request,
            "error.html",
            who,
            status=403,
            title="Không có quyền",
            message="Tài khoản của bạn không có quyền mở trang này.",
        )

    # Pages (not /api) get a readable page for "not found"; the API keeps the JSON body.
    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(status_code=404, content={"error": exc.to_dict()})
        return render(
            request,
            "error.html",
            optional_principal(request),
            status=404,
            title="Không tìm thấy",
            message=exc.message_vi,
        )
