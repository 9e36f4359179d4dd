"""FastAPI application factory: health, batch status and export (the web UI grows here)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api import ui
from api.routes import (
    batches,
    document_extras,
    documents,
    health,
    listing,
    policy,
    progress,
    report_preview,
    review,
    search,
    upload,
    views,
)
from core.context import AppContext, open_context
from core.errors import SohoaError
from core.heap import limit_arenas
from core.settings import Settings


def create_app(settings: Settings, ctx: AppContext | None = None) -> FastAPI:
    """Build the app around one context (database, storage) made from ``settings``."""
    limit_arenas()  # before the request and warming threads start (issue 18: server RSS)
    # No Swagger UI / ReDoc pages: they load their scripts from a public CDN (unreachable on
    # the office network) and need inline script, which the CSP forbids. /openapi.json stays.
    app = FastAPI(
        title="sohoa",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        description="Số hóa tài liệu lưu trữ: OCR tiếng Việt, trích xuất, tra cứu.",
    )
    app.state.ctx = ctx or open_context(settings)

    @app.exception_handler(SohoaError)
    async def _sohoa_error(_request: Request, exc: SohoaError) -> JSONResponse:
        # The one translator from the error tree to HTTP.
        return JSONResponse(
            status_code=exc.http_status,
            content={"error": exc.to_dict()},
            headers={"Retry-After": "5"} if exc.retryable else None,
        )

    app.include_router(health.router)
    app.include_router(batches.router, prefix="/api")
    app.include_router(upload.router, prefix="/api")
    # Before documents: /api/documents/facets must not be read as a document id.
    app.include_router(listing.router, prefix="/api")
    app.include_router(document_extras.router, prefix="/api")
    app.include_router(views.router, prefix="/api")
    app.include_router(documents.router, prefix="/api")
    app.include_router(review.router, prefix="/api")
    app.include_router(policy.router, prefix="/api")
    app.include_router(report_preview.router, prefix="/api")
    app.include_router(progress.router, prefix="/api")
    app.include_router(search.router, prefix="/api")
    ui.install(app)  # pages, /static, security headers, login redirects
    return app
