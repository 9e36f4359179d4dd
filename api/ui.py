"""Server-rendered Vietnamese pages, static files, security headers and login redirects."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select

from api.auth import Principal, optional_principal
from api.pages import HERE, LoginRedirect, PageForbidden, PageUser, render
from api.ratelimit import client_address
from api.routes import admin_policy, admin_users, tokens, ui_auth
from api.routes.ui_data import plan_summary
from api.security import DbId, security_headers
from audit.trail import DOC_VIEW
from core.db import Batch, Document
from core.errors import NotFoundError
from progress.counts import collections, today_vn
from records.documents import audit_access, document_record, guarded_document
from review.actions import EDITABLE, review_fields

router = APIRouter(include_in_schema=False)


def _need(who: Principal, action: str) -> None:
    if not who.can(action):
        raise PageForbidden(action)


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, who: PageUser) -> HTMLResponse:
    """Show the plan, forecast and batches with live per-stage progress."""
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


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, who: PageUser) -> HTMLResponse:
    """List every document the user may open: filters, sort, pages, bulk actions, views."""
    with request.app.state.ctx.session() as s:
        names = sorted(c.name for c in collections(s).values()) if who.can("users") else []
    return render(request, "documents.html", who, title="Tài liệu", collections=names)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, who: PageUser) -> HTMLResponse:
    """Pick a period and a format, preview the report's tables, download it."""
    return render(request, "reports.html", who, title="Báo cáo", today=today_vn())


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, who: PageUser) -> HTMLResponse:
    """Show one search box with filters and facets."""
    return render(request, "search.html", who, title="Tra cứu")


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(doc_id: DbId, request: Request, who: PageUser, page: int = 1) -> HTMLResponse:
    """Show a document: page images, fields, corrections history, downloads."""
    ctx = request.app.state.ctx
    address = client_address(request)
    with ctx.session() as s:
        doc: Document = guarded_document(s, ctx, who, doc_id, address)
        audit_access(s, who, DOC_VIEW, doc, address, via="page")
        record = document_record(s, doc, ctx.storage)
        has_pdf = ctx.storage.document_pdf(doc_id).exists()
    return render(
        request,
        "document.html",
        who,
        title=f"Tài liệu #{doc_id}",
        doc=record,
        start_page=page,
        has_pdf=has_pdf,
    )


def install(app: FastAPI) -> None:
    """Add the pages, static files, security headers and the login/forbidden handlers."""
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.middleware("http")(security_headers)
    app.include_router(ui_auth.router)
    app.include_router(tokens.router)
    app.include_router(admin_users.router)
    app.include_router(admin_policy.router)
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
