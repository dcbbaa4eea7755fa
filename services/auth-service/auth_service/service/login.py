"""Password login: username is an e-mail, an E.164 phone or a handle."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import events
from auth_service.exceptions import InvalidCredentials
from auth_service.metrics import LOGINS
from auth_service.repository import credentials
from auth_service.repository.credentials import CredentialRow
from auth_service.schemas import TokenResponse
from auth_service.service import signin_throttle
from auth_service.service.context import AuthContext
from auth_service.service.sessions import ClientInfo, issue_user_tokens, now, open_session, session_end
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


def normalised_username(username: str) -> tuple[str, str]:
    """(kind, value): an e-mail lower-cased, an E.164 phone, or a handle without "@", lower-cased.
    Every form that names one account maps to one value of its kind."""
    name = username.strip()
    if "@" in name[1:]:  # a leading "@" marks a handle
        return "email", name.lower()
    if E164_RE.match(name):
        return "phone", name
    return "handle", name.removeprefix("@").lower()


async def find_credential(ctx: AuthContext, session: AsyncSession, username: str) -> CredentialRow | None:
    """The active account named by `username` (e-mail, phone, or handle with or without "@")."""
    kind, value = normalised_username(username)
    if kind == "email":
        credential = await credentials.by_email(session, value)
    elif kind == "phone":
        credential = await credentials.by_phone(session, value)
    else:
        user_id = await _user_id_for_handle(ctx, value) if HANDLE_RE.match(value) else None
        if user_id is None:
            return None
        credential = await credentials.by_user_id(session, user_id)
    return credential if credential is not None and credential.active else None


async def authenticate(
    ctx: AuthContext, session: AsyncSession, *, username: str, password: str, ip: str | None
) -> CredentialRow:
    """Same answer and the same argon2 work whether the user exists or not.

    The attempt is first reserved on the account's counter (an unknown name's normalised form
    stands in for it) and on the client address's (service/signin_throttle.py): inside a delay it
    answers 429 `rate_limited` with `Retry-After`, exactly as for an unknown name. The
    reservation is committed before the password is hashed, so parallel attempts all count; a
    success takes it back (committed with the caller's transaction)."""
    credential = await find_credential(ctx, session, username)
    account = (
        signin_throttle.account_key(credential.user_id)
        if credential is not None
        else signin_throttle.name_key(":".join(normalised_username(username)))
    )
    reservation = await signin_throttle.reserve(
        ctx.settings, session, account=account, address=signin_throttle.address_key(ip)
    )
    ok = await ctx.passwords.verify(password, credential.password_hash if credential else None)
    if not ok or credential is None:
        await signin_throttle.failed(session, reservation)
        LOGINS.labels("invalid_credentials").inc()
        raise InvalidCredentials()
    await signin_throttle.succeeded(session, reservation)
    return credential


async def password_login(
    ctx: AuthContext, session: AsyncSession, *, username: str, password: str, info: ClientInfo
) -> TokenResponse:
    credential = await authenticate(ctx, session, username=username, password=password, ip=info.ip)
    session_id = await open_session(session, user_id=credential.user_id, info=info)
    pair = await issue_user_tokens(
        ctx, session, credential=credential, session_id=session_id, session_ends_at=session_end(ctx, now())
    )
    await events.emit(
        session,
        events.LOGIN,
        user_id=credential.user_id,
        session_id=session_id,
        ip=info.ip,
        user_agent=info.user_agent,
        client="password",
    )
    await session.commit()
    LOGINS.labels("success").inc()
    return pair
