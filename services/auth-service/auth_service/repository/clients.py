"""Third-party API clients: a user's standing grant of a few scopes, with its own session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import ApiClient


@dataclass(frozen=True)
class ClientRow:
    client_id: str
    user_id: uuid.UUID
    session_id: uuid.UUID
    name: str
    scopes: list[str]
    secret_hash: str
    created_at: datetime
    revoked_at: datetime | None


_COLUMNS = tuple(getattr(ApiClient, f.name) for f in fields(ClientRow))


async def insert_client(session: AsyncSession, row: ClientRow) -> None:
    await session.execute(insert(ApiClient).values({f.name: getattr(row, f.name) for f in fields(row)}))


async def by_id(session: AsyncSession, client_id: str) -> ClientRow | None:
    row = (await session.execute(select(*_COLUMNS).where(ApiClient.client_id == client_id))).first()
    return ClientRow(**row._asdict()) if row is not None else None


async def live_of_user_for_update(session: AsyncSession, *, client_id: str, user_id: uuid.UUID) -> ClientRow | None:
    """The user's unrevoked client with this id, locked until the transaction ends."""
    query = (
        select(*_COLUMNS)
        .where(ApiClient.client_id == client_id, ApiClient.user_id == user_id, ApiClient.revoked_at.is_(None))
        .with_for_update()
    )
    row = (await session.execute(query)).first()
    return ClientRow(**row._asdict()) if row is not None else None


async def live_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[ClientRow]:
    """The user's unrevoked clients, newest first."""
    rows = await session.execute(
        select(*_COLUMNS)
        .where(ApiClient.user_id == user_id, ApiClient.revoked_at.is_(None))
        .order_by(ApiClient.created_at.desc())
    )
    return [ClientRow(**r._asdict()) for r in rows]


async def mark_revoked(session: AsyncSession, client_id: str, *, at: datetime) -> None:
    await session.execute(update(ApiClient).where(ApiClient.client_id == client_id).values(revoked_at=at))


async def count_live_of_user(session: AsyncSession, user_id: uuid.UUID) -> int:
    query = select(func.count()).where(ApiClient.user_id == user_id, ApiClient.revoked_at.is_(None))
    return int(await session.scalar(query) or 0)


async def revoke_all_of_user(session: AsyncSession, *, user_id: uuid.UUID, at: datetime) -> list[str]:
    """The ids of the clients this call revoked (those live until now)."""
    result = await session.execute(
        update(ApiClient)
        .where(ApiClient.user_id == user_id, ApiClient.revoked_at.is_(None))
        .values(revoked_at=at)
        .returning(ApiClient.client_id)
    )
    return sorted(result.scalars().all())
