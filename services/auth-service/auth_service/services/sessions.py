"""Sessions: token pairs, refresh rotation with reuse detection, revocation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.exceptions import InvalidRefreshToken, SessionNotFound
from auth_service.models import Credential, RefreshToken, Session
from auth_service.schemas import TokenResponse
from auth_service.services.context import AuthContext
from auth_service.tokens import issue_access_token, new_opaque_token, token_digest
from instapay_common.security.scopes import USER_SCOPES


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None
    user_agent: str | None


def now() -> datetime:
    return datetime.now(UTC)


async def open_session(
    db: AsyncSession, *, user_id: uuid.UUID, info: ClientInfo, client_id: str | None = None
) -> Session:
    session = Session(
        id=uuid.uuid4(),
        user_id=user_id,
        client_id=client_id,
        ip=info.ip,
        user_agent=(info.user_agent or "")[:300] or None,
    )
    db.add(session)
    await db.flush()
    return session


async def issue_user_tokens(
    ctx: AuthContext, db: AsyncSession, *, credential: Credential, session_id: uuid.UUID
) -> TokenResponse:
    """A new access token and a new refresh token for a user's own (password) session."""
    refresh = new_opaque_token("iprt_")
    db.add(
        RefreshToken(
            token_hash=token_digest(refresh),
            session_id=session_id,
            expires_at=now() + timedelta(seconds=ctx.settings.refresh_token_ttl_seconds),
        )
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


async def rotate_refresh(ctx: AuthContext, db: AsyncSession, *, refresh_token: str) -> TokenResponse:
    """Spends a refresh token for a new pair. A token already spent means it leaked (or was
    stolen and used first): the whole session is revoked, so both copies stop working."""
    row = await db.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_digest(refresh_token)).with_for_update()
    )
    if row is None:
        raise InvalidRefreshToken()
    session = await db.scalar(select(Session).where(Session.id == row.session_id).with_for_update())
    if session is None or session.revoked_at is not None or session.client_id is not None:
        raise InvalidRefreshToken()
    if row.used_at is not None:
        session.revoked_at, session.revoked_reason = now(), "refresh_reuse"
        await db.commit()  # before raising, so the revocation sticks
        raise InvalidRefreshToken("This refresh token was already used; the session has been revoked")
    if row.expires_at <= now():
        raise InvalidRefreshToken()
    credential = await db.get(Credential, session.user_id)
    if credential is None or credential.status != "active":
        raise InvalidRefreshToken()
    row.used_at = session.last_used_at = now()
    pair = await issue_user_tokens(ctx, db, credential=credential, session_id=session.id)
    await db.commit()
    return pair


async def revoke_session(db: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID, reason: str) -> None:
    """Revokes one of the user's live sessions; another user's session is reported as not found."""
    result = await db.execute(
        update(Session)
        .where(
            Session.id == session_id,
            Session.user_id == user_id,
            Session.client_id.is_(None),
            Session.revoked_at.is_(None),
        )
        .values(revoked_at=now(), revoked_reason=reason)
    )
    if result.rowcount == 0:
        raise SessionNotFound()


async def session_of_refresh(db: AsyncSession, refresh_token: str) -> uuid.UUID | None:
    return await db.scalar(
        select(RefreshToken.session_id).where(RefreshToken.token_hash == token_digest(refresh_token))
    )


async def list_sessions(db: AsyncSession, *, user_id: uuid.UUID, idle_limit: timedelta) -> list[Session]:
    """Live login sessions: not revoked, and used within the refresh-token lifetime (older ones
    can no longer be refreshed, so they are over even if nobody ended them)."""
    rows = await db.scalars(
        select(Session)
        .where(
            Session.user_id == user_id,
            Session.client_id.is_(None),
            Session.revoked_at.is_(None),
            Session.last_used_at > now() - idle_limit,
        )
        .order_by(Session.last_used_at.desc())
    )
    return list(rows)


async def revoked_since(db: AsyncSession, *, since: datetime) -> list[tuple[uuid.UUID, datetime]]:
    rows = await db.execute(
        select(Session.id, Session.revoked_at).where(Session.revoked_at > since).order_by(Session.revoked_at)
    )
    return [(r[0], r[1]) for r in rows]


async def is_session_live(db: AsyncSession, session_id: uuid.UUID) -> bool:
    revoked = await db.execute(select(Session.revoked_at).where(Session.id == session_id))
    row = revoked.first()
    return row is not None and row[0] is None
