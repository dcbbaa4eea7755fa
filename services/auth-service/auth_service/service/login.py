"""Password login: username is an e-mail, an E.164 phone or a handle."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import audit, events
from auth_service.exceptions import InvalidCredentials
from auth_service.metrics import LOGINS
from auth_service.repository import credentials
from auth_service.repository.credentials import CredentialRow
from auth_service.schemas import TokenResponse
from auth_service.service import signin_throttle
from auth_service.service.context import AuthContext
from auth_service.service.sessions import ClientInfo, issue_user_tokens, now, open_session, session_end
from instapay_common.identifiers import HANDLE_RE, as_e164
from instapay_common.web.http_client import UpstreamError


async def _user_id_for_handle(ctx: AuthContext, handle: str) -> uuid.UUID | None:
    # Handles can change (PATCH /users/me), so the user service is their source of truth.
    try:
        _, body = await ctx.users.request("GET", "/internal/users/resolve", params={"q": handle, "sign_in": "true"})
    except UpstreamError as exc:
        if exc.status == 404:
            return None
        raise
    return uuid.UUID(body["user_id"])


def normalised_username(username: str) -> tuple[str, str]:
    """(kind, value): an e-mail lower-cased, a phone in E.164 (typed in E.164 or the local
    form), or a handle without "@", lower-cased. Every form that names one account maps to one
    value of its kind."""
    name = username.strip()
    if "@" in name[1:]:  # a leading "@" marks a handle
        return "email", name.lower()
    phone = as_e164(name)
    if phone is not None:
        return "phone", phone
    return "handle", name.removeprefix("@").lower()


async def find_credentials(ctx: AuthContext, session: AsyncSession, username: str) -> list[CredentialRow]:
    """The active accounts `username` may name. A phone or e-mail names its verified holder alone
    when there is one; otherwise every unverified claimant (at most credentials.MAX_CLAIMANTS,
    oldest first), since an unverified claim blocks nobody (docs/ARCHITECTURE.md, "Verified
    phone and e-mail")."""
    kind, value = normalised_username(username)
    if kind == "email":
        return await credentials.claimants(session, "email", value)
    if kind == "phone":
        return await credentials.claimants(session, "phone", value)
    user_id = await _user_id_for_handle(ctx, value) if HANDLE_RE.match(value) else None
    credential = await credentials.by_user_id(session, user_id) if user_id is not None else None
    return [credential] if credential is not None and credential.active else []


async def authenticate(
    ctx: AuthContext, session: AsyncSession, *, username: str, password: str, ip: str | None
) -> CredentialRow:
    """Same answer and the same argon2 work whether the user exists or not.

    The attempt is first reserved on the account's counter (an unknown name's normalised form
    stands in for it, and so does a phone or e-mail that several unverified accounts claim) and
    on the client address's (service/signin_throttle.py): inside a delay it answers 429
    `rate_limited` with `Retry-After`, exactly as for an unknown name. The reservation is
    committed before any password is hashed, so parallel attempts all count; a success takes it
    back (committed with the caller's transaction). Among several claimants the password picks
    the account (at most MAX_CLAIMANTS argon2 checks)."""
    candidates = await find_credentials(ctx, session, username)
    account = (
        signin_throttle.account_key(candidates[0].user_id)
        if len(candidates) == 1
        else signin_throttle.name_key(":".join(normalised_username(username)))
    )
    reservation = await signin_throttle.reserve(
        ctx.settings, session, account=account, address=signin_throttle.address_key(ip)
    )
    credential = candidates[0] if candidates else None
    if len(candidates) > 1:
        for candidate in candidates:
            if await ctx.passwords.verify(password, candidate.password_hash):
                await signin_throttle.succeeded(session, reservation)
                return candidate
    ok = await ctx.passwords.verify(password, credential.password_hash if credential else None)
    if not ok or credential is None:
        await audit.record(
            session,
            audit.SIGN_IN_FAILED,
            actor=audit.ANONYMOUS,
            subject=credential.user_id if credential else None,
            ip=ip,
        )
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
    await audit.own(session, audit.SIGN_IN, credential.user_id, ip=info.ip, session_id=session_id)
    await session.commit()
    LOGINS.labels("success").inc()
    return pair
