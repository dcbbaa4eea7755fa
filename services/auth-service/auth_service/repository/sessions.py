"""Sessions (a login, or an API client's standing grant; access tokens carry the id as `sid`) and
the refresh tokens of login sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, insert, select, text, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import RefreshToken, Session


@dataclass(frozen=True)
class SessionRow:
    id: uuid.UUID
    user_id: uuid.UUID
    client_id: str | None  # set for an API client's session
    user_agent: str | None
    ip: str | None
    created_at: datetime
    last_used_at: datetime
    revoked_at: datetime | None
    refresh_window_started_at: datetime | None
    refresh_count: int


@dataclass(frozen=True)
class RefreshTokenRow:
    token_hash: str
    session_id: uuid.UUID
    expires_at: datetime
    used_at: datetime | None
    successor_hash: str | None
    successor_sealed: bytes | None


class Revocation(NamedTuple):
    session_id: uuid.UUID
    revoked_at: datetime


_SESSION_COLUMNS = tuple(getattr(Session, f.name) for f in fields(SessionRow))
_REFRESH_COLUMNS = tuple(getattr(RefreshToken, f.name) for f in fields(RefreshTokenRow))


def _session(row: Row[Any] | None) -> SessionRow | None:
    return SessionRow(**row._asdict()) if row is not None else None


async def insert_session(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    client_id: str | None,
    ip: str | None,
    user_agent: str | None,
) -> uuid.UUID:
    session_id = uuid.uuid4()
    await session.execute(
        insert(Session).values(id=session_id, user_id=user_id, client_id=client_id, ip=ip, user_agent=user_agent)
    )
    return session_id


async def get(session: AsyncSession, session_id: uuid.UUID, *, lock: bool = False) -> SessionRow | None:
    query = select(*_SESSION_COLUMNS).where(Session.id == session_id)
    return _session((await session.execute(query.with_for_update() if lock else query)).first())


async def is_live(session: AsyncSession, session_id: uuid.UUID) -> bool:
    """True when the session exists and has not been revoked."""
    row = (await session.execute(select(Session.revoked_at).where(Session.id == session_id))).first()
    return row is not None and row[0] is None


async def touch(session: AsyncSession, session_id: uuid.UUID, *, at: datetime) -> None:
    await session.execute(update(Session).where(Session.id == session_id).values(last_used_at=at))


async def count_refresh(
    session: AsyncSession, session_id: uuid.UUID, *, window_started_at: datetime, count: int
) -> None:
    await session.execute(
        update(Session)
        .where(Session.id == session_id)
        .values(refresh_window_started_at=window_started_at, refresh_count=count)
    )


async def revoke(session: AsyncSession, session_id: uuid.UUID, *, at: datetime, reason: str) -> None:
    await session.execute(update(Session).where(Session.id == session_id).values(revoked_at=at, revoked_reason=reason))


async def revoke_login(
    session: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID, at: datetime, reason: str
) -> bool:
    """Revokes a live login session of this user; False when there is none with that id."""
    result = await session.execute(
        update(Session)
        .where(
            Session.id == session_id,
            Session.user_id == user_id,
            Session.client_id.is_(None),
            Session.revoked_at.is_(None),
        )
        .values(revoked_at=at, revoked_reason=reason)
    )
    assert isinstance(result, CursorResult)  # an UPDATE without RETURNING
    return bool(result.rowcount)


async def revoke_all_of_user(
    session: AsyncSession, *, user_id: uuid.UUID, keep: uuid.UUID | None, at: datetime, reason: str
) -> None:
    """Revokes every live session of the user, logins and API clients' alike, except `keep`."""
    query = update(Session).where(Session.user_id == user_id, Session.revoked_at.is_(None))
    if keep is not None:
        query = query.where(Session.id != keep)
    await session.execute(query.values(revoked_at=at, revoked_reason=reason))


async def revoke_logins_of_user(session: AsyncSession, *, user_id: uuid.UUID, at: datetime, reason: str) -> None:
    """Revokes every live login session of the user; API clients' sessions stay."""
    await session.execute(
        update(Session)
        .where(Session.user_id == user_id, Session.client_id.is_(None), Session.revoked_at.is_(None))
        .values(revoked_at=at, revoked_reason=reason)
    )


async def live_logins(
    session: AsyncSession, *, user_id: uuid.UUID, used_after: datetime, created_after: datetime
) -> list[SessionRow]:
    """The user's unrevoked login sessions begun after `created_after` and used after
    `used_after`, most recently used first."""
    rows = await session.execute(
        select(*_SESSION_COLUMNS)
        .where(
            Session.user_id == user_id,
            Session.client_id.is_(None),
            Session.revoked_at.is_(None),
            Session.last_used_at > used_after,
            Session.created_at > created_after,
        )
        .order_by(Session.last_used_at.desc())
    )
    return [SessionRow(**r._asdict()) for r in rows]


async def revoked_since(session: AsyncSession, *, since: datetime) -> list[Revocation]:
    rows = await session.execute(
        select(Session.id, Session.revoked_at).where(Session.revoked_at > since).order_by(Session.revoked_at)
    )
    return [Revocation(sid, at) for sid, at in rows if at is not None]


async def oldest_open_transaction_start(session: AsyncSession) -> datetime | None:
    """When the oldest transaction now open on this database by our role (other than this one)
    began. A revocation such a transaction will commit is stamped no earlier than about that time
    (pg_stat_activity shows other backends' `xact_start` to members of the same role)."""
    query = text(
        "SELECT min(xact_start) FROM pg_stat_activity"
        " WHERE datname = current_database() AND usename = current_user"
        " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
    )
    started: datetime | None = (await session.execute(query)).scalar()
    return started


async def insert_refresh_token(
    session: AsyncSession, *, token_hash: str, session_id: uuid.UUID, expires_at: datetime
) -> None:
    await session.execute(
        insert(RefreshToken).values(token_hash=token_hash, session_id=session_id, expires_at=expires_at)
    )


async def refresh_token_for_update(session: AsyncSession, token_hash: str) -> RefreshTokenRow | None:
    """The refresh token row, locked until the transaction ends (one rotation at a time)."""
    query = select(*_REFRESH_COLUMNS).where(RefreshToken.token_hash == token_hash).with_for_update()
    row = (await session.execute(query)).first()
    return RefreshTokenRow(**row._asdict()) if row is not None else None


async def refresh_token(session: AsyncSession, token_hash: str) -> RefreshTokenRow | None:
    query = select(*_REFRESH_COLUMNS).where(RefreshToken.token_hash == token_hash)
    row = (await session.execute(query)).first()
    return RefreshTokenRow(**row._asdict()) if row is not None else None


async def mark_refresh_token_used(
    session: AsyncSession, token_hash: str, *, at: datetime, successor_hash: str, successor_sealed: bytes
) -> None:
    """Spent, with the pair its rotation issued (sealed: refresh_successor.py) for the reuse grace."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.token_hash == token_hash)
        .values(used_at=at, successor_hash=successor_hash, successor_sealed=successor_sealed)
    )


async def session_of_refresh_token(session: AsyncSession, token_hash: str) -> uuid.UUID | None:
    return await session.scalar(select(RefreshToken.session_id).where(RefreshToken.token_hash == token_hash))
