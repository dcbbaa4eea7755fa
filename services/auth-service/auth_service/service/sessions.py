"""Sessions: token pairs, refresh rotation with reuse detection, revocation."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.exceptions import InvalidRefreshToken, SessionNotFound
from auth_service.refresh_successor import open_sealed, seal
from auth_service.repository import credentials, sessions
from auth_service.repository.credentials import CredentialRow
from auth_service.repository.sessions import RefreshTokenRow, Revocation, SessionRow
from auth_service.schemas import TokenResponse
from auth_service.service.context import AuthContext
from auth_service.tokens import issue_access_token, new_opaque_token, token_digest
from instapay_common.errors import RateLimited
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


def session_end(ctx: AuthContext, started_at: datetime) -> datetime:
    """A login session ends this long after sign-in, however it is used (absolute lifetime)."""
    return started_at + timedelta(seconds=ctx.settings.session_max_age_seconds)


async def issue_user_tokens(
    ctx: AuthContext,
    session: AsyncSession,
    *,
    credential: CredentialRow,
    session_id: uuid.UUID,
    session_ends_at: datetime,
) -> TokenResponse:
    """A new access token and a new refresh token for a user's own (password) session; neither
    outlives the session."""
    refresh = new_opaque_token("iprt_")
    await sessions.insert_refresh_token(
        session,
        token_hash=token_digest(refresh),
        session_id=session_id,
        expires_at=min(now() + timedelta(seconds=ctx.settings.refresh_token_ttl_seconds), session_ends_at),
    )
    access = issue_access_token(
        ctx.keys,
        ctx.settings,
        user_id=credential.user_id,
        session_id=session_id,
        scopes=USER_SCOPES,
        roles=credential.roles or [],
        not_after=int(session_ends_at.timestamp()),
    )
    return TokenResponse(
        access_token=access,
        refresh_token=refresh,
        expires_in=ctx.settings.access_token_ttl_seconds,
        scope=" ".join(sorted(USER_SCOPES)),
    )


def _count_refresh(ctx: AuthContext, login: SessionRow, at: datetime) -> tuple[datetime, int]:
    """The session's refresh window after this refresh, or 429 past the per-session limit (a
    refused refresh is not counted). Refresh has its own limit, per session, so people sharing
    one address (carrier-grade NAT) never restore each other out of a quota."""
    s = ctx.settings
    started = login.refresh_window_started_at
    if started is None or at - started >= timedelta(seconds=s.refresh_per_session_window_seconds):
        return at, 1
    if login.refresh_count >= s.refresh_per_session_limit:
        retry = s.refresh_per_session_window_seconds - (at - started).total_seconds()
        raise RateLimited(
            "too many refreshes of this session; retry later", headers={"Retry-After": str(max(math.ceil(retry), 1))}
        )
    return started, login.refresh_count + 1


async def _grace_pair(
    ctx: AuthContext, session: AsyncSession, *, token: RefreshTokenRow, presented: str, at: datetime
) -> TokenResponse | None:
    """The pair this token's rotation issued, when it is presented again within the grace period
    (two tabs refreshing at once) and that pair has not been used in turn; else None."""
    if token.used_at is None or token.successor_hash is None or token.successor_sealed is None:
        return None
    if (at - token.used_at).total_seconds() > ctx.settings.refresh_reuse_grace_seconds:
        return None
    successor = await sessions.refresh_token(session, token.successor_hash)
    if successor is None or successor.used_at is not None:
        return None
    pair = open_sealed(presented, token.successor_sealed)
    return TokenResponse.model_validate(pair) if pair is not None else None


async def rotate_refresh(ctx: AuthContext, session: AsyncSession, *, refresh_token: str) -> TokenResponse:
    """Spends a refresh token for a new pair. Presented again within the grace period, it gets the
    same pair again; later, a token already spent means it leaked (or was stolen and used first):
    the whole session is revoked, so both copies stop working."""
    token = await sessions.refresh_token_for_update(session, token_digest(refresh_token))
    if token is None:
        raise InvalidRefreshToken()
    login = await sessions.get(session, token.session_id, lock=True)
    if login is None or login.revoked_at is not None or login.client_id is not None:
        raise InvalidRefreshToken()
    at = now()
    ends_at = session_end(ctx, login.created_at)
    if ends_at <= at:
        raise InvalidRefreshToken("This session has reached its maximum age; sign in again")
    window_started_at, count = _count_refresh(ctx, login, at)
    await sessions.count_refresh(session, login.id, window_started_at=window_started_at, count=count)
    if token.used_at is not None:
        again = await _grace_pair(ctx, session, token=token, presented=refresh_token, at=at)
        if again is not None:
            await session.commit()
            return again
        await sessions.revoke(session, login.id, at=at, reason="refresh_reuse")
        await session.commit()  # before raising, so the revocation sticks
        raise InvalidRefreshToken("This refresh token was already used; the session has been revoked")
    if token.expires_at <= at:
        raise InvalidRefreshToken()
    credential = await credentials.by_user_id(session, login.user_id)
    if credential is None or not credential.active:
        raise InvalidRefreshToken()
    await sessions.touch(session, login.id, at=at)
    pair = await issue_user_tokens(ctx, session, credential=credential, session_id=login.id, session_ends_at=ends_at)
    assert pair.refresh_token is not None  # a user's own session always gets one
    await sessions.mark_refresh_token_used(
        session,
        token.token_hash,
        at=at,
        successor_hash=token_digest(pair.refresh_token),
        successor_sealed=seal(refresh_token, pair.model_dump()),
    )
    await session.commit()
    return pair


async def revoke_session(session: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID, reason: str) -> None:
    """Revokes one of the user's live login sessions; another user's is reported as not found.
    The caller commits."""
    if not await sessions.revoke_login(session, session_id=session_id, user_id=user_id, at=now(), reason=reason):
        raise SessionNotFound()


async def session_of_refresh(session: AsyncSession, refresh_token: str) -> uuid.UUID | None:
    return await sessions.session_of_refresh_token(session, token_digest(refresh_token))


async def list_sessions(
    session: AsyncSession, *, user_id: uuid.UUID, idle_limit: timedelta, max_age: timedelta
) -> list[SessionRow]:
    """Live login sessions: not revoked, younger than the absolute lifetime, and used within the
    refresh-token lifetime (others can no longer be refreshed, so they are over even if nobody
    ended them)."""
    at = now()
    return await sessions.live_logins(session, user_id=user_id, used_after=at - idle_limit, created_after=at - max_age)


async def revoked_since(session: AsyncSession, *, since: datetime) -> list[Revocation]:
    return await sessions.revoked_since(session, since=since)


async def revocation_watermark(session: AsyncSession, *, at: datetime) -> datetime:
    """The time up to which the revocation feed is complete: `at`, or the start of the oldest
    transaction still open, if earlier. A revocation is stamped inside its transaction and becomes
    visible only at commit, which under load can come seconds later; a poller that moved past its
    stamp meanwhile would never see it, and the revoked session's tokens would keep working."""
    oldest = await sessions.oldest_open_transaction_start(session)
    return at if oldest is None else min(at, oldest)


async def is_session_live(session: AsyncSession, session_id: uuid.UUID) -> bool:
    return await sessions.is_live(session, session_id)
