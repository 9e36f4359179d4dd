"""Hidden and missing ids get the same answer on every path: enumerating ids maps nothing.

For each kind of id (document, page, page image and its colour copy, word boxes, original,
review page, review edits, history inside the record), the body for a hidden id equals the body
for an id that does not exist, once the number itself is replaced.
"""

from __future__ import annotations

import re

import pytest

from api.main import create_app
from tests.api.test_authz_matrix import build_world
from tests.api.test_leaks import _client, leaks

MISSING = 987654


def _paths(w) -> list[tuple[str, str, str, int, dict | None]]:
    # (method, url template, kind, hidden id, json body)
    return [
        ("GET", "/api/documents/{}", "doc", w.secret, None),
        ("GET", "/documents/{}", "doc", w.secret, None),
        ("GET", "/review/{}", "doc", w.secret, None),
        ("PUT", "/api/documents/{}/fields/subject", "doc", w.secret, {"value": "x"}),
        ("PUT", "/api/documents/{}/classification", "doc", w.secret, {"level": "toi_mat"}),
        ("POST", "/api/documents/{}/accept", "doc", w.secret, None),
        ("POST", "/api/documents/{}/merge-next", "doc", w.secret, None),
        ("POST", "/api/documents/{}/split", "doc", w.secret, {"page_id": w.secret_page}),
        ("GET", "/api/pages/{}/image", "page", w.secret_page, None),
        ("GET", "/api/pages/{}/image/colour", "page", w.secret_page, None),
        ("GET", "/api/pages/{}/words", "page", w.secret_page, None),
        ("PUT", "/api/pages/{}/text", "page", w.secret_page, {"text": "x"}),
        ("GET", "/api/files/{}/original", "file", w.secret_file, None),
    ]


def _without(text: str, number: int) -> str:
    # The id as a whole number only: random CSRF tokens in the page hold digits too.
    return re.sub(rf"(?<![\w-]){number}(?![\w-])", "#", text)


@pytest.mark.parametrize("user", ["rasoat", "kho"])
def test_hidden_and_missing_ids_answer_the_same(settings, ctx, user):
    w = build_world(ctx)
    app = create_app(settings, ctx)
    c = _client(app, user)
    admin = _client(app, "quantri")
    for method, url, _kind, hidden, payload in _paths(w):
        seen = admin.request(method if method == "GET" else "GET", url.format(hidden))
        if method == "GET" and not url.startswith("/review"):
            assert seen.status_code == 200, url  # the id is real, only hidden from `user`
        a = c.request(method, url.format(hidden), json=payload)
        b = c.request(method, url.format(MISSING), json=payload)
        assert a.status_code == b.status_code, (user, url, a.status_code, b.status_code)
        assert _without(a.text, hidden) == _without(b.text, MISSING), (
            user,
            url,
            a.text[:300],
            b.text[:300],
        )
        assert not leaks(a.text), url
