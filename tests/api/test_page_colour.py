"""The colour copy of a page image (seals, pen) is served under the grey image's rules.

Same checks in the same order (clearance and scope before the disk is looked at), same
answer for a hidden page, same audit and the same no-store headers; 404 of its own only for a
page the caller may see that was kept in grey alone. The world of test_authz_matrix: every
page with files has a colour copy there; the MẬT page is hidden from the ``thuong`` users.
"""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from api.main import create_app
from audit import trail as audit
from core.db_audit import AuditEntry
from tests.api.test_authz_matrix import World, build_world
from tests.api.test_leaks import _client

BELOW = ("tracuu", "kho", "rasoat")  # cleared for "thuong" only
# Headers that say how a response may be kept or shown; both copies must send the same.
POLICY = (
    "cache-control",
    "pragma",
    "content-type",
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
)


@pytest.fixture
def world(settings, ctx) -> tuple[World, TestClient]:
    w = build_world(ctx)
    return w, TestClient(create_app(settings, ctx))


def _audit(ctx, action: str, object_id: int) -> list[AuditEntry]:
    with ctx.session() as s:
        rows = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.object_id == str(object_id))
            .order_by(AuditEntry.id)
        )
        return list(rows)


def test_a_cleared_user_gets_the_colour_copy_under_the_grey_images_policy(world, ctx):
    w, base = world
    admin = _client(base.app, "quantri")  # cleared TUYỆT MẬT
    colour = admin.get(f"/api/pages/{w.secret_page}/image/colour")
    grey = admin.get(f"/api/pages/{w.secret_page}/image")
    assert colour.status_code == grey.status_code == 200
    assert colour.content == ctx.storage.page_colour_image(w.secret_page).read_bytes()
    assert colour.content != grey.content
    with Image.open(io.BytesIO(colour.content)) as img:
        r, g, b = img.convert("RGB").getpixel((20, 28))
    assert r > 150 and g < 90 and b < 90, (r, g, b)  # the red of the seal, as on paper
    for name in POLICY:
        assert colour.headers.get(name) == grey.headers.get(name), name
    assert colour.headers["cache-control"] == "no-store"
    assert colour.headers["content-type"] == "image/jpeg"
    # The record names the copy where there is one, and only there.
    pages = admin.get(f"/api/documents/{w.doc}").json()["pages"]
    assert [p["colour_image"] for p in pages] == [f"/api/pages/{w.page}/image/colour", None]
    # Viewing the MẬT page is audited whichever copy is shown; the colour view says so.
    views = [e.details for e in _audit(ctx, audit.DOC_VIEW, w.secret) if e.actor == "quantri"]
    assert {"page": w.secret_page, "copy": "colour"}.items() <= views[0].items()
    assert views[1]["page"] == w.secret_page and "copy" not in views[1]


def test_below_clearance_the_colour_copy_is_refused_exactly_as_the_grey_image(world, ctx):
    w, base = world
    missing = 987654
    for user in BELOW:
        c = _client(base.app, user)
        denied = len(_audit(ctx, audit.ACCESS_DENIED, w.secret))
        grey = c.get(f"/api/pages/{w.secret_page}/image")
        colour = c.get(f"/api/pages/{w.secret_page}/image/colour")
        assert colour.status_code == grey.status_code == 404, user
        assert colour.json() == grey.json(), user
        assert colour.json()["error"]["code"] == "page_not_found"
        for name in POLICY:
            assert colour.headers.get(name) == grey.headers.get(name), (user, name)
        # Each refusal is audited, as for the grey image.
        assert len(_audit(ctx, audit.ACCESS_DENIED, w.secret)) == denied + 2, user
        # The same answer as for a page that does not exist, the number aside.
        absent = c.get(f"/api/pages/{missing}/image/colour").json()
        assert str(colour.json()).replace(str(w.secret_page), "N") == str(absent).replace(
            str(missing), "N"
        )
        # Nor does the record of a visible document name anything of the hidden one.
        pages = c.get(f"/api/documents/{w.doc}").json()["pages"]
        assert all(str(w.secret_page) not in str(p) for p in pages)
    # Whether a hidden page has a colour copy is not told either: without one, the same 404.
    ctx.storage.page_colour_image(w.secret_page).unlink()
    c = _client(base.app, "rasoat")
    assert c.get(f"/api/pages/{w.secret_page}/image/colour").json()["error"]["code"] == (
        "page_not_found"
    )
    with ctx.session() as s:
        seen = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == audit.DOC_VIEW,
                AuditEntry.object_id == str(w.secret),
                AuditEntry.actor.in_(BELOW),
            )
        )
    assert seen == 0  # nothing was shown to them, so no view is recorded


def test_a_page_kept_in_grey_only_has_no_colour_copy_and_keeps_its_grey_image(world, ctx):
    w, base = world
    ctx.storage.page_colour_image(w.page).unlink()
    reader = _client(base.app, "tracuu")
    r = reader.get(f"/api/pages/{w.page}/image/colour")
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "page_colour_missing"
    assert error["message"] == "Trang này không có bản màu."
    assert r.headers["cache-control"] == "no-store"
    assert reader.get(f"/api/pages/{w.page}/image").status_code == 200
    pages = reader.get(f"/api/documents/{w.doc}").json()["pages"]
    assert [p["colour_image"] for p in pages] == [None, None]
    assert all(p["image"] == f"/api/pages/{p['id']}/image" for p in pages)
