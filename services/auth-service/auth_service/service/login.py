"""Password login: username is an e-mail, an E.164 phone or a handle."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import events
from auth_service.exceptions import InvalidCredentials
from auth_service.metrics import LOGINS
from auth_service.repository import credentials
from auth_service.repository.credentials import CredentialRow
from auth_service.schemas import TokenResponse
from auth_service.service.context import AuthContext
from auth_service.service.sessions import ClientInfo, issue_user_tokens, now, open_session
from instapay_common.errors import RateLimited
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


async def find_credentials(ctx: AuthContext, session: AsyncSession, username: str) -> list[CredentialRow]:
    """The active accounts `username` may name (e-mail, phone in E.164 or local form, or handle
    with or without "@"). A phone or e-mail names its verified holder alone when there is one;
    otherwise every unverified claimant (at most credentials.MAX_CLAIMANTS, oldest first), since
    an unverified claim blocks nobody (docs/ARCHITECTURE.md, "Verified phone and e-mail")."""
    name = username.strip()
    phone = as_e164(name)
    if "@" in name[1:]:  # a leading "@" marks a handle
        return await credentials.claimants(session, "email", name.lower())
    if phone is not None:
        return await credentials.claimants(session, "phone", phone)
    handle = name.removeprefix("@").lower()
    user_id = await _user_id_for_handle(ctx, handle) if HANDLE_RE.match(handle) else None
    credential = await credentials.by_user_id(session, user_id) if user_id is not None else None
    return [credential] if credential is not None and credential.active else []


async def find_credential(
    ctx: AuthContext, session: AsyncSession, username: str, *, password: str
) -> CredentialRow | None:
    """The account `username` names; among several unverified claimants of a phone or e-mail,
    the one whose password this is (else the oldest, which then fails the password check)."""
    candidates = await find_credentials(ctx, session, username)
    if len(candidates) > 1:
        for candidate in candidates:
            if await ctx.passwords.verify(password, candidate.password_hash):
                return candidate
    return candidates[0] if candidates else None


def _too_many_failures(ctx: AuthContext, credential: CredentialRow) -> int | None:
    """Seconds until this account may try again, or None."""
    s = ctx.settings
    if credential.login_failures < s.login_max_failures or credential.login_failures_since is None:
        return None
    left = credential.login_failures_since + timedelta(seconds=s.login_failure_window_seconds) - now()
    return int(left.total_seconds()) + 1 if left.total_seconds() > 0 else None


async def authenticate(ctx: AuthContext, session: AsyncSession, *, username: str, password: str) -> CredentialRow:
    """Same answer and the same argon2 work whether the user exists or not.

    Failed attempts are counted per account, whichever username form they used; past
    `login_max_failures` in the window the account answers 429 `rate_limited` (the same answer
    as the gateway's per-username limit, which an attacker sees first for any username) until the
    window has passed, even with the right password. A success resets the count (committed with
    the caller's transaction)."""
    credential = await find_credential(ctx, session, username, password=password)
    if credential is not None and (retry := _too_many_failures(ctx, credential)) is not None:
        LOGINS.labels("rate_limited").inc()
        raise RateLimited(
            "too many failed logins for this account; try again later", headers={"Retry-After": str(retry)}
        )
    ok = await ctx.passwords.verify(password, credential.password_hash if credential else None)
    if not ok or credential is None:
        if credential is not None:
            await credentials.count_login_failure(
                session, credential.user_id, window_seconds=ctx.settings.login_failure_window_seconds
            )
            await session.commit()
        LOGINS.labels("invalid_credentials").inc()
        raise InvalidCredentials()
    if credential.login_failures:
        await credentials.reset_login_failures(session, credential.user_id)
    return credential


async def password_login(
    ctx: AuthContext, session: AsyncSession, *, username: str, password: str, info: ClientInfo
) -> TokenResponse:
    credential = await authenticate(ctx, session, username=username, password=password)
    session_id = await open_session(session, user_id=credential.user_id, info=info)
    pair = await issue_user_tokens(ctx, session, credential=credential, session_id=session_id)
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
