"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import CtxDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(ctx: CtxDep) -> dict[str, Any]:
    """Report whether the database answers and where data lives."""
    with ctx.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok", "database": ctx.engine.dialect.name,
            "data_dir": str(ctx.settings.data_dir)}
