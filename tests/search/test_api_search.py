"""GET /api/search through the real app: login clearance, filters, JSON shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from core.context import AppContext
from core.db_users import add_user, create_api_token, get_user
from pipeline import indexing
from tests.search.conftest import doc


def _token(ctx: AppContext, username: str, clearance: str) -> dict[str, str]:
    with ctx.session() as s:
        add_user(s, username, "matkhau-123", "tra_cuu", clearance, full_name=username)
    with ctx.session() as s:
        return {"Authorization": f"Bearer {create_api_token(s, get_user(s, username), 't')}"}


def test_api_search_uses_the_callers_clearance_and_filters(ctx: AppContext):
    indexing.get_backend(ctx).index(
        [
            doc(1, "Nghị quyết về công tác đảng viên", doc_type="NGHỊ QUYẾT", year=2015),
            doc(
                2,
                "Quyết định mật về đảng viên",
                doc_type="QUYẾT ĐỊNH",
                classification="mat",
                year=2016,
            ),
        ]
    )
    client = TestClient(create_app(ctx.settings, ctx))
    assert client.get("/api/search", params={"q": "dang vien"}).status_code == 401
    low = _token(ctx, "thuong_user", "thuong")
    # A clearance in the URL must not lift the logged-in user's own level.
    r = client.get("/api/search", params={"q": "dang vien", "clearance": "mat"}, headers=low)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [h["id"] for h in body["hits"]] == [1] and body["total"] == 1
    assert body["facets"]["classification"] == [{"value": "thuong", "count": 1}]
    assert "<mark>đảng</mark> <mark>viên</mark>" in body["hits"][0]["snippets"][0]
    high = _token(ctx, "mat_user", "mat")
    r = client.get(
        "/api/search",
        params={"q": "đảng viên", "type": ["quyết định"], "year_from": 2016},
        headers=high,
    )
    assert [h["id"] for h in r.json()["hits"]] == [2]
