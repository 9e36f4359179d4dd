"""API tokens of one's own: create (with an expiry), list, revoke; all revoked with a password.

A token is a bearer secret for scripts. It has a name, an expiry (default 90 days, at most a
year), and a last-use time; only its SHA-256 is stored. Its owner lists, creates and revokes
their tokens on the account page and through ``/api/me/tokens``; a password change or an
administrator's reset revokes them all (``core.db_users.set_password``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit import trail as audit
from core.db_users import ApiToken, User, create_api_token
from core.errors import NotFoundError


@dataclass(frozen=True)
class TokenInfo:
    """What the owner sees of a token (never the secret)."""

    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    active: bool


def list_tokens(s: Session, user_id: int, now: dt.datetime) -> list[TokenInfo]:
    """Return the user's tokens, newest first."""
    return [
        TokenInfo(
            t.id,
            t.name,
            t.created_at,
            t.expires_at,
            t.last_used_at,
            not t.revoked and t.expires_at is not None and t.expires_at > now,
        )
        for t in s.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
        )
    ]


def issue_own(
    s: Session, user: User, name: str, days: int, address: str | None
) -> tuple[str, ApiToken]:
    """Create a token for ``user`` (audited ``token_created``); the secret is returned once."""
    secret = create_api_token(s, user, name, days)
    tok = s.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).first()
    assert tok is not None
    audit.record(
        s,
        user.username,
        audit.TOKEN_CREATED,
        object_type="user",
        object_id=user.id,
        address=address,
        details={"name": name, "token_id": tok.id, "days": days},
    )
    return secret, tok


def revoke_own(s: Session, user: User, token_id: int, address: str | None) -> bool:
    """Revoke one of the user's own tokens; returns whether it was active.

    Raises:
        NotFoundError: ``token_not_found`` (also for another user's token).
    """
    tok = s.get(ApiToken, token_id)
    if tok is None or tok.user_id != user.id:
        raise NotFoundError(
            f"no token {token_id}",
            code="token_not_found",
            message_vi=f"Không tìm thấy mã truy cập #{token_id} của bạn.",
        )
    was = not tok.revoked
    tok.revoked = True
    audit.record(
        s,
        user.username,
        audit.TOKEN_REVOKED,
        object_type="user",
        object_id=user.id,
        address=address,
        details={"token_id": token_id, "name": tok.name, "by": "owner"},
    )
    return was
