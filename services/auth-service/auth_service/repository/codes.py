"""One-time codes: the live code of each (account, purpose) and its send counters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import VerificationCode

Purpose = Literal["phone", "email", "password_reset"]


@dataclass(frozen=True)
class CodeRow:
    user_id: uuid.UUID
    purpose: str
    code_hash: str | None
    destination: str | None
    expires_at: datetime | None
    attempts: int
    last_sent_at: datetime | None
    window_started_at: datetime | None
    sends_in_window: int


_COLUMNS = tuple(getattr(VerificationCode, f.name) for f in fields(CodeRow))


async def lock(session: AsyncSession, user_id: uuid.UUID, purpose: Purpose) -> CodeRow | None:
    """The row of (account, purpose), locked until the transaction ends (sends and tries of one
    code are serialised, so limits hold under concurrency and across replicas)."""
    query = (
        select(*_COLUMNS)
        .where(VerificationCode.user_id == user_id, VerificationCode.purpose == purpose)
        .with_for_update()
    )
    row = (await session.execute(query)).first()
    return CodeRow(**row._asdict()) if row is not None else None


async def ensure(session: AsyncSession, user_id: uuid.UUID, purpose: Purpose) -> None:
    """Creates the (empty) row of (account, purpose) if missing, so it can be locked."""
    await session.execute(
        insert(VerificationCode)
        .values(user_id=user_id, purpose=purpose, attempts=0, sends_in_window=0)
        .on_conflict_do_nothing()
    )


async def store_sent(
    session: AsyncSession,
    user_id: uuid.UUID,
    purpose: Purpose,
    *,
    code_hash: str,
    destination: str,
    expires_at: datetime,
    sent_at: datetime,
    window_started_at: datetime,
    sends_in_window: int,
) -> None:
    """A new code replaces the previous one (which stops working) with a fresh count of tries."""
    await session.execute(
        update(VerificationCode)
        .where(VerificationCode.user_id == user_id, VerificationCode.purpose == purpose)
        .values(
            code_hash=code_hash,
            destination=destination,
            expires_at=expires_at,
            attempts=0,
            last_sent_at=sent_at,
            window_started_at=window_started_at,
            sends_in_window=sends_in_window,
        )
    )


async def count_attempt(session: AsyncSession, user_id: uuid.UUID, purpose: Purpose, *, attempts: int) -> None:
    await session.execute(
        update(VerificationCode)
        .where(VerificationCode.user_id == user_id, VerificationCode.purpose == purpose)
        .values(attempts=attempts)
    )


async def consume(session: AsyncSession, user_id: uuid.UUID, purpose: Purpose) -> None:
    """The code is used: it can never be used again (the send counters stay)."""
    await session.execute(
        update(VerificationCode)
        .where(VerificationCode.user_id == user_id, VerificationCode.purpose == purpose)
        .values(code_hash=None, expires_at=None, attempts=0)
    )
