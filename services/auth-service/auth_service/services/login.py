"""Password login: username is an e-mail, an E.164 phone or a handle."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.events import emit
from auth_service.exceptions import InvalidCredentials
from auth_service.metrics import LOGINS
from auth_service.models import Credential
from auth_service.schemas import TokenResponse
from auth_service.services.context import AuthContext
from auth_service.services.sessions import ClientInfo, issue_user_tokens, now, open_session
from instapay_common.errors import RateLimited
from instapay_common.identifiers import E164_RE, HANDLE_RE
from instapay_common.web.http_client import UpstreamError


async def _user_id_for_handle(ctx: AuthContext, handle: str) -> uuid.UUID | None:
    # Handles can change (PATCH /users/me), so the user service is their source of truth.
    try:
        _, body = await ctx.users.request("GET", "/internal/users/resolve", params={"q": handle})
    except UpstreamError as exc:
        if exc.status == 404:
            return None
        raise
    return uuid.UUID(body["user_id"])


async def find_credential(ctx: AuthContext, db: AsyncSession, username: str) -> Credential | None:
    name = username.strip()
    if "@" in name[1:]:  # a leading "@" marks a handle
        query = select(Credential).where(Credential.email == name.lower())
    elif E164_RE.match(name):
        query = select(Credential).where(Credential.phone == name)
    else:
        handle = name.removeprefix("@").lower()
        user_id = await _user_id_for_handle(ctx, handle) if HANDLE_RE.match(handle) else None
        if user_id is None:
            return None
        query = select(Credential).where(Credential.user_id == user_id)
    credential = await db.scalar(query)
    return credential if credential is not None and credential.status == "active" else None


# One statement, so concurrent failures all count: a window older than its length starts over.
_COUNT_FAILURE = text(
    "UPDATE auth.credentials SET "
    "login_failures = CASE WHEN login_failures_since IS NULL OR login_failures_since < now() - "
    "make_interval(secs => :window) THEN 1 ELSE login_failures + 1 END, "
    "login_failures_since = CASE WHEN login_failures_since IS NULL OR login_failures_since < now() - "
    "make_interval(secs => :window) THEN now() ELSE login_failures_since END "
    "WHERE user_id = :u"
)


def _too_many_failures(ctx: AuthContext, credential: Credential) -> int | None:
    """Seconds until this account may try again, or None."""
    s = ctx.settings
    if credential.login_failures < s.login_max_failures or credential.login_failures_since is None:
        return None
    left = credential.login_failures_since + timedelta(seconds=s.login_failure_window_seconds) - now()
    return int(left.total_seconds()) + 1 if left.total_seconds() > 0 else None


async def authenticate(ctx: AuthContext, db: AsyncSession, *, username: str, password: str) -> Credential:
    """Same answer and the same argon2 work whether the user exists or not.

    Failed attempts are counted per account, whichever username form they used; past
    `login_max_failures` in the window the account answers 429 `rate_limited` (the same answer
    as the gateway's per-username limit, which an attacker sees first for any username) until the
    window has passed, even with the right password. A success resets the count."""
    credential = await find_credential(ctx, db, username)
    if credential is not None and (retry := _too_many_failures(ctx, credential)) is not None:
        LOGINS.labels("rate_limited").inc()
        raise RateLimited(
            "too many failed logins for this account; try again later", headers={"Retry-After": str(retry)}
        )
    ok = await ctx.passwords.verify(password, credential.password_hash if credential else None)
    if not ok or credential is None:
        if credential is not None:
            await db.execute(
                _COUNT_FAILURE, {"u": credential.user_id, "window": ctx.settings.login_failure_window_seconds}
            )
            await db.commit()
        LOGINS.labels("invalid_credentials").inc()
        raise InvalidCredentials()
    if credential.login_failures:
        credential.login_failures, credential.login_failures_since = 0, None
    return credential


async def password_login(
    ctx: AuthContext, db: AsyncSession, *, username: str, password: str, info: ClientInfo
) -> TokenResponse:
    credential = await authenticate(ctx, db, username=username, password=password)
    session = await open_session(db, user_id=credential.user_id, info=info)
    pair = await issue_user_tokens(ctx, db, credential=credential, session_id=session.id)
    await emit(
        db,
        "security.login",
        user_id=credential.user_id,
        session_id=session.id,
        ip=info.ip,
        user_agent=info.user_agent,
        client="password",
    )
    await db.commit()
    LOGINS.labels("success").inc()
    return pair
