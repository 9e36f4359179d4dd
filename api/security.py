"""Browser security: session cookie, CSRF tokens, security headers (CSP without inline code)."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Path as PathParam
from fastapi import Request, Response
from pydantic import AfterValidator

SESSION_COOKIE = "sohoa_session"
LOGIN_CSRF_COOKIE = "sohoa_login_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Everything comes from our own origin: no inline script or style, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def is_https(request: Request) -> bool:
    """Return whether the browser reached us over TLS (directly or through a proxy)."""
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip().lower() == "https"


def set_session_cookie(response: Response, request: Request, secret: str, max_age: int) -> None:
    """Set the HttpOnly, SameSite session cookie (Secure when behind TLS)."""
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def login_csrf(request: Request) -> str:
    """Return the login form's CSRF token (double-submit cookie: there is no session yet)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf(request: Request, response: Response, token: str) -> None:
    """Send the login form's CSRF token as a cookie valid only for /login."""
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
        path="/login",
    )


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Compare two CSRF tokens in constant time; a missing one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


async def submitted_csrf(request: Request) -> str | None:
    """Return the CSRF token sent in the header, or in the form body of a form post."""
    token = request.headers.get(CSRF_HEADER)
    if token:
        return token
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Add CSP and related headers to every response (HTTP middleware)."""
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if is_https(request):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not request.url.path.startswith("/static/"):
        # Records, page images, word boxes, originals, exports, search results and pages all
        # carry document content or personal data: no browser or proxy may keep a copy.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


# --- input hygiene shared by the routes ---------------------------------------------------

# Primary keys are INTEGER: 32-bit on PostgreSQL, where a larger id is a DataError, not a
# miss. No such row can exist, so the request is refused before it reaches the database.
MAX_ID = 2**31 - 1
DbId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def no_control_chars(value: str | None) -> str | None:
    """Refuse control and bidi-override characters in names (logs, CSV, reports, screens).

    Raises:
        ValueError: the value holds such a character (FastAPI answers 422).
    """
    if value is not None and _CONTROL.search(value):
        raise ValueError("không được chứa ký tự điều khiển")
    return value


PlainName = Annotated[str, AfterValidator(no_control_chars)]
