"""Sessions: token pairs, refresh rotation with reuse detection, revocation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.exceptions import InvalidRefreshToken, SessionNotFound
from auth_service.repository import credentials, sessions
from auth_service.repository.credentials import CredentialRow
from auth_service.repository.sessions import Revocation, SessionRow
from auth_service.schemas import TokenResponse
from auth_service.service.context import AuthContext
from auth_service.tokens import issue_access_token, new_opaque_token, token_digest
from instapay_common.security.scopes import USER_SCOPES


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None
    user_agent: str | None


def now() -> datetime:
    return datetime.now(UTC)


async def open_session(
    session: AsyncSession, *, user_id: uuid.UUID, info: ClientInfo, client_id: str | None = None
) -> uuid.UUID:
    """A new live session (a login, or an API client's when `client_id` is given); its id."""
    return await sessions.insert_session(
        session,
        user_id=user_id,
        client_id=client_id,
        ip=info.ip,
        user_agent=(info.user_agent or "")[:300] or None,
    )


async def issue_user_tokens(
    ctx: AuthContext, session: AsyncSession, *, credential: CredentialRow, session_id: uuid.UUID
) -> TokenResponse:
    """A new access token and a new refresh token for a user's own (password) session."""
    refresh = new_opaque_token("iprt_")
    await sessions.insert_refresh_token(
        session,
        token_hash=token_digest(refresh),
        session_id=session_id,
        expires_at=now() + timedelta(seconds=ctx.settings.refresh_token_ttl_seconds),
    )
    access = issue_access_token(
        ctx.keys,
        ctx.settings,
        user_id=credential.user_id,
        session_id=session_id,
        scopes=USER_SCOPES,
        roles=credential.roles or [],
    )
    return TokenResponse(
        access_token=access,
        refresh_token=refresh,
        expires_in=ctx.settings.access_token_ttl_seconds,
        scope=" ".join(sorted(USER_SCOPES)),
    )


async def rotate_refresh(ctx: AuthContext, session: AsyncSession, *, refresh_token: str) -> TokenResponse:
    """Spends a refresh token for a new pair. A token already spent means it leaked (or was
    stolen and used first): the whole session is revoked, so both copies stop working."""
    token = await sessions.refresh_token_for_update(session, token_digest(refresh_token))
    if token is None:
        raise InvalidRefreshToken()
    login = await sessions.get(session, token.session_id, lock=True)
    if login is None or login.revoked_at is not None or login.client_id is not None:
        raise InvalidRefreshToken()
    if token.used_at is not None:
        await sessions.revoke(session, login.id, at=now(), reason="refresh_reuse")
        await session.commit()  # before raising, so the revocation sticks
        raise InvalidRefreshToken("This refresh token was already used; the session has been revoked")
    if token.expires_at <= now():
        raise InvalidRefreshToken()
    credential = await credentials.by_user_id(session, login.user_id)
    if credential is None or not credential.active:
        raise InvalidRefreshToken()
    used_at = now()
    await sessions.mark_refresh_token_used(session, token.token_hash, at=used_at)
    await sessions.touch(session, login.id, at=used_at)
    pair = await issue_user_tokens(ctx, session, credential=credential, session_id=login.id)
    await session.commit()
    return pair


async def revoke_session(session: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID, reason: str) -> None:
    """Revokes one of the user's live login sessions; another user's is reported as not found.
    The caller commits."""
    if not await sessions.revoke_login(session, session_id=session_id, user_id=user_id, at=now(), reason=reason):
        raise SessionNotFound()


async def session_of_refresh(session: AsyncSession, refresh_token: str) -> uuid.UUID | None:
    return await sessions.session_of_refresh_token(session, token_digest(refresh_token))


async def list_sessions(session: AsyncSession, *, user_id: uuid.UUID, idle_limit: timedelta) -> list[SessionRow]:
    """Live login sessions: not revoked, and used within the refresh-token lifetime (older ones
    can no longer be refreshed, so they are over even if nobody ended them)."""
    return await sessions.live_logins(session, user_id=user_id, used_after=now() - idle_limit)


async def revoked_since(session: AsyncSession, *, since: datetime) -> list[Revocation]:
    return await sessions.revoked_since(session, since=since)


async def is_session_live(session: AsyncSession, session_id: uuid.UUID) -> bool:
    return await sessions.is_live(session, session_id)
