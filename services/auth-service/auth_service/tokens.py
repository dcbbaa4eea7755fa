"""Access tokens (EdDSA JWTs, RFC 9068 shape) and opaque refresh tokens / client secrets."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Iterable

import jwt

from auth_service.config import AuthSettings
from auth_service.keys import SigningKeys
from instapay_common.security.tokens import ACCESS_TOKEN_TYPE


def new_opaque_token(prefix: str = "") -> str:
    """256 bits from the OS CSPRNG; a prefix makes leaked tokens recognisable to secret scanners."""
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 is enough for 256-bit random values: there is nothing to brute-force."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_access_token(
    keys: SigningKeys,
    settings: AuthSettings,
    *,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    scopes: Iterable[str],
    roles: Iterable[str],
    client_id: str | None = None,
    not_after: int | None = None,
) -> str:
    """`not_after`: the token expires then at the latest (its session's end)."""
    now = int(time.time())
    exp = now + settings.access_token_ttl_seconds
    if not_after is not None:
        exp = max(min(exp, not_after), now + 1)
    claims: dict[str, object] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(user_id),
        "sid": str(session_id),
        "scope": " ".join(sorted(scopes)),
        "roles": sorted(roles),
        "iat": now,
        "exp": exp,
        "jti": uuid.uuid4().hex,
    }
    if client_id:
        claims["client_id"] = client_id
    return jwt.encode(claims, keys.private_key, algorithm="EdDSA", headers={"kid": keys.kid, "typ": ACCESS_TOKEN_TYPE})
