"""Saved views of the documents list, per user: list, save (create or replace), delete."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import CurrentUser, SessionDep
from api.schemas import Open
from api.security import DbId
from records.views import delete_view, list_views, save_view

router = APIRouter(tags=["views"])


class ViewIn(BaseModel):
    """A view's name and the list's query string (paging is dropped)."""

    name: str = Field(min_length=1, max_length=100)
    query: str = Field("", max_length=2000)


class ViewOut(BaseModel):
    """A saved view and the list address it opens."""

    id: int
    name: str
    query: str
    url: str


@router.get("/views", response_model=list[ViewOut])
def views(s: SessionDep, who: CurrentUser) -> list[ViewOut]:
    """Return your saved views."""
    return [ViewOut(**v) for v in list_views(s, who.user_id)]


@router.post("/views", response_model=ViewOut, status_code=201)
def post_view(body: ViewIn, s: SessionDep, who: CurrentUser) -> ViewOut:
    """Save the list's filters and sort under a name (the same name replaces it)."""
    return ViewOut(**save_view(s, who.user_id, body.name, body.query))


@router.delete("/views/{view_id}", response_model=Open)
def remove_view(view_id: DbId, s: SessionDep, who: CurrentUser) -> Open:
    """Delete one of your saved views."""
    delete_view(s, who.user_id, view_id)
    return Open(deleted=view_id)
