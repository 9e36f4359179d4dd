"""Saved views of the documents list: a name and a query string, per user."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db_notes import SavedView
from core.errors import InputError, NotFoundError
from core.text import nfc

MAX_VIEWS = 50
# Paging cursors point into one moment's order: a saved view starts from its first page.
DROPPED = {"after", "before", "page"}


def view_dict(v: SavedView) -> dict[str, Any]:
    """Return a saved view as the API shows it."""
    return {"id": v.id, "name": v.name, "query": v.query, "url": f"/documents?{v.query}"}


def clean_query(query: str) -> str:
    """Return the query string without paging, re-encoded (nothing but key=value pairs)."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=False)]
    return urlencode([(k, v) for k, v in pairs if k not in DROPPED])


def list_views(s: Session, user_id: int) -> list[dict[str, Any]]:
    """Return the user's saved views by name."""
    rows = s.scalars(select(SavedView).where(SavedView.user_id == user_id).order_by(SavedView.name))
    return [view_dict(v) for v in rows]


def save_view(s: Session, user_id: int, name: str, query: str) -> dict[str, Any]:
    """Create a view, or replace the query of the user's view of that name.

    Raises:
        InputError: ``bad_view_name`` (empty) or ``too_many_views``.
    """
    name = " ".join(nfc(name or "").split())
    if not name:
        raise InputError(
            "empty view name", code="bad_view_name", message_vi="Hãy đặt tên cho chế độ xem."
        )
    view = s.scalar(select(SavedView).where(SavedView.user_id == user_id, SavedView.name == name))
    if view is None:
        count = len(list(s.scalars(select(SavedView.id).where(SavedView.user_id == user_id))))
        if count >= MAX_VIEWS:
            raise InputError(
                "too many views",
                code="too_many_views",
                message_vi=f"Mỗi người lưu tối đa {MAX_VIEWS} chế độ xem; hãy xóa bớt.",
            )
        view = SavedView(user_id=user_id, name=name)
        s.add(view)
    view.query = clean_query(query)
    s.flush()
    return view_dict(view)


def delete_view(s: Session, user_id: int, view_id: int) -> None:
    """Delete one of the user's views (another user's looks absent).

    Raises:
        NotFoundError: ``view_not_found``.
    """
    view = s.get(SavedView, view_id)
    if view is None or view.user_id != user_id:
        raise NotFoundError(
            f"no view {view_id}", code="view_not_found", message_vi="Không tìm thấy chế độ xem."
        )
    s.delete(view)
