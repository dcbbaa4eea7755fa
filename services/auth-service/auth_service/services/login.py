"""Password login: username is an e-mail, an E.164 phone or a handle."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.events import emit
from auth_service.exceptions import InvalidCredentials
from auth_service.metrics import LOGINS
from auth_service.models import Credential
from auth_service.schemas import E164_RE, HANDLE_RE, TokenResponse
from auth_service.services.context import AuthContext
from auth_service.services.sessions import ClientInfo, issue_user_tokens, open_session
from instapay_common.http_client import UpstreamError


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


async def authenticate(ctx: AuthContext, db: AsyncSession, *, username: str, password: str) -> Credential:
    """Same answer and the same argon2 work whether the user exists or not."""
    credential = await find_credential(ctx, db, username)
    ok = await ctx.passwords.verify(password, credential.password_hash if credential else None)
    if not ok or credential is None:
        LOGINS.labels("invalid_credentials").inc()
        raise InvalidCredentials()
    return credential


async def password_login(ctx: AuthContext, db: AsyncSession, *, username: str, password: str,
                         info: ClientInfo) -> TokenResponse:
    credential = await authenticate(ctx, db, username=username, password=password)
    session = await open_session(db, user_id=credential.user_id, info=info)
    pair = await issue_user_tokens(ctx, db, credential=credential, session_id=session.id)
    await emit(db, "security.login", user_id=credential.user_id, session_id=session.id, ip=info.ip,
               user_agent=info.user_agent, client="password")
    await db.commit()
    LOGINS.labels("success").inc()
    return pair
