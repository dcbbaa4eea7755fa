"""Credentials: the login identity of an account (e-mail, phone, password hash, roles) and
its transaction PIN."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import Credential
from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import Sql
from instapay_common.identifiers import EmailTaken, PhoneTaken

PENDING, ACTIVE = "pending", "active"


@dataclass(frozen=True)
class CredentialRow:
    user_id: uuid.UUID
    email: str
    phone: str
    password_hash: str
    # "pending" while registration is still creating the profile and wallet; only "active" logs in.
    status: str
    roles: list[str]
    pin_hash: str | None
    pin_failed_attempts: int
    pin_locked_until: datetime | None
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class PinState:
    pin_hash: str | None
    pin_failed_attempts: int
    pin_locked_until: datetime | None


_COLUMNS = tuple(getattr(Credential, f.name) for f in fields(CredentialRow))


def _row(row: Row[Any] | None) -> CredentialRow | None:
    return CredentialRow(**row._asdict()) if row is not None else None


async def by_email(session: AsyncSession, email: str) -> CredentialRow | None:
    return _row((await session.execute(select(*_COLUMNS).where(Credential.email == email))).first())


async def by_phone(session: AsyncSession, phone: str) -> CredentialRow | None:
    return _row((await session.execute(select(*_COLUMNS).where(Credential.phone == phone))).first())


async def by_user_id(session: AsyncSession, user_id: uuid.UUID) -> CredentialRow | None:
    return _row((await session.execute(select(*_COLUMNS).where(Credential.user_id == user_id))).first())


async def active(session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False) -> CredentialRow | None:
    """The account's credentials if it is active; `lock` holds the row until the transaction ends."""
    query = select(*_COLUMNS).where(Credential.user_id == user_id, Credential.status == ACTIVE)
    return _row((await session.execute(query.with_for_update() if lock else query)).first())


async def with_email_or_phone(session: AsyncSession, *, email: str, phone: str) -> list[CredentialRow]:
    query = select(*_COLUMNS).where(or_(Credential.email == email, Credential.phone == phone))
    return [CredentialRow(**r._asdict()) for r in await session.execute(query)]


async def insert_pending(
    session: AsyncSession, *, user_id: uuid.UUID, email: str, phone: str, password_hash: str
) -> None:
    """Reserves the e-mail and phone (unique columns); a concurrent registration that took one of
    them first rolls the transaction back and raises EmailTaken or PhoneTaken."""
    try:
        await session.execute(
            insert(Credential).values(
                user_id=user_id, email=email, phone=phone, status=PENDING, roles=[], password_hash=password_hash
            )
        )
    except IntegrityError as exc:
        await session.rollback()
        raise EmailTaken() if "email" in str(exc.orig) else PhoneTaken() from exc


async def delete_pending(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(Credential).where(Credential.user_id == user_id, Credential.status == PENDING))


async def activate(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(update(Credential).where(Credential.user_id == user_id).values(status=ACTIVE))


async def set_password(session: AsyncSession, user_id: uuid.UUID, *, password_hash: str, changed_at: datetime) -> None:
    await session.execute(
        update(Credential)
        .where(Credential.user_id == user_id)
        .values(password_hash=password_hash, password_changed_at=changed_at)
    )


async def set_pin(session: AsyncSession, user_id: uuid.UUID, *, pin_hash: str) -> None:
    """A new PIN starts with no failures and no lock."""
    await session.execute(
        update(Credential)
        .where(Credential.user_id == user_id)
        .values(pin_hash=pin_hash, pin_failed_attempts=0, pin_locked_until=None)
    )


async def set_pin_failures(
    session: AsyncSession, user_id: uuid.UUID, *, failed_attempts: int, locked_until: datetime | None
) -> None:
    await session.execute(
        update(Credential)
        .where(Credential.user_id == user_id)
        .values(pin_failed_attempts=failed_attempts, pin_locked_until=locked_until)
    )


# One statement on the raw asyncpg connection (autocommit): this read settles nearly every
# transfer's PIN check, and through an ORM session it costs ~3x the CPU (docs/PERFORMANCE.md).
_PIN_STATE = Sql(
    "SELECT pin_hash, pin_failed_attempts, pin_locked_until FROM auth.credentials "
    "WHERE user_id = :u AND status = 'active'"
)


async def pin_state(db: Database, user_id: uuid.UUID) -> PinState | None:
    """The PIN columns of an active account, read without a transaction or a lock."""
    async with rawsql.connection(db) as conn:
        row = await conn.fetchrow(_PIN_STATE, u=user_id)
    if row is None:
        return None
    return PinState(row["pin_hash"], row["pin_failed_attempts"], row["pin_locked_until"])


async def change_role(
    session: AsyncSession, *, email: str, role: str, grant: bool
) -> tuple[uuid.UUID, list[str], list[str]] | None:
    """Adds (once) or removes `role` on the account with this e-mail, its row locked meanwhile;
    (user id, roles before, roles after), or None when there is no such account."""
    query = select(Credential.user_id, Credential.roles).where(Credential.email == email.strip().lower())
    row = (await session.execute(query.with_for_update())).first()
    if row is None:
        return None
    user_id, before = row[0], list(row[1] or [])
    after = [r for r in before if r != role] + ([role] if grant else [])
    await session.execute(update(Credential).where(Credential.user_id == user_id).values(roles=after))
    return user_id, before, after
