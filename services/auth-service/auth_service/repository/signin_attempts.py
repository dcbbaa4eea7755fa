"""Failed sign-in counters, one row per key (`account:<id>`, `name:<digest>`, `address:<ip>`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import SigninAttempt


@dataclass(frozen=True)
class AttemptRow:
    key: str
    failures: int
    last_failure_at: datetime


async def lock(session: AsyncSession, keys: Sequence[str], *, at: datetime) -> dict[str, AttemptRow]:
    """Every key's row, created when missing and locked until the transaction ends. Keys are
    locked in sorted order, so two attempts that share keys never deadlock. A row deleted while
    this one waited for it (the sweep) is created again."""
    ordered = sorted(set(keys))
    while True:
        await session.execute(
            insert(SigninAttempt)
            .values([{"key": k, "failures": 0, "last_failure_at": at} for k in ordered])
            .on_conflict_do_nothing(index_elements=[SigninAttempt.key])
        )
        rows = await session.execute(
            select(SigninAttempt.key, SigninAttempt.failures, SigninAttempt.last_failure_at)
            .where(SigninAttempt.key.in_(ordered))
            .order_by(SigninAttempt.key)
            .with_for_update()
        )
        found = {r.key: AttemptRow(r.key, r.failures, r.last_failure_at) for r in rows}
        if len(found) == len(ordered):
            return found


async def save(session: AsyncSession, key: str, *, failures: int, last_failure_at: datetime) -> None:
    await session.execute(
        update(SigninAttempt).where(SigninAttempt.key == key).values(failures=failures, last_failure_at=last_failure_at)
    )


async def touch(session: AsyncSession, keys: Sequence[str], *, at: datetime) -> None:
    """Moves the last failure forward to `at` (never back)."""
    await session.execute(
        update(SigninAttempt)
        .where(SigninAttempt.key.in_(sorted(set(keys))), SigninAttempt.last_failure_at < at)
        .values(last_failure_at=at)
    )


async def take_back(session: AsyncSession, key: str) -> None:
    """Returns one reserved failure (the attempt succeeded)."""
    await session.execute(
        update(SigninAttempt)
        .where(SigninAttempt.key == key, SigninAttempt.failures > 0)
        .values(failures=SigninAttempt.failures - 1)
    )


async def clear(session: AsyncSession, key: str) -> None:
    """No failures held against the key. The row stays (the sweep drops it later): deleting it
    here would leave an attempt waiting for its lock with no row at all."""
    await session.execute(update(SigninAttempt).where(SigninAttempt.key == key).values(failures=0))


async def sweep(session: AsyncSession, *, quiet_since: datetime) -> None:
    """Drops counters with no failure since `quiet_since` (all forgiven by then)."""
    await session.execute(delete(SigninAttempt).where(SigninAttempt.last_failure_at < quiet_since))
