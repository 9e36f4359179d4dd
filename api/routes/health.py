"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import CtxDep
from pipeline.celery_app import broker_reachable

router = APIRouter(tags=["health"])


@router.get("/health")
def health(ctx: CtxDep, request: Request, response: Response) -> dict[str, Any]:
    """Report whether the database and the broker answer (503 if not).

    Public: it names no path, host or account (the data directory stays on the server).
    """
    try:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        db_ok = True
    except SQLAlchemyError:
        db_ok = False
    broker_ok, broker = broker_reachable(ctx.settings)
    if not (db_ok and broker_ok):
        response.status_code = 503
    return {
        "status": "ok" if db_ok and broker_ok else "degraded",
        "database": ctx.engine.dialect.name,
        "database_ok": db_ok,
        "broker": broker,
        "broker_ok": broker_ok,
        # False while the server still fills its progress cache after a start (screens
        # answer meanwhile, only slower); absent where no warming was started.
        **({"progress_ready": warmer.done.is_set()} if (warmer := _warmer(request)) else {}),
    }


def _warmer(request: Request) -> Any:
    return getattr(request.app.state, "warmer", None)
