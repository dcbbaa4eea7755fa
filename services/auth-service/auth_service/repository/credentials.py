"""Credentials: the login identity of an account (e-mail, phone, password hash, roles) and
its transaction PIN."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import Credential
from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import Sql
from instapay_common.identifiers import EmailTaken, PhoneTaken

PENDING, ACTIVE = "pending", "active"
# A contact channel of an account: its phone or its e-mail.
Channel = Literal["phone", "email"]
# At most this many unverified claimants of one phone or e-mail are considered at sign-in.
MAX_CLAIMANTS = 5


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
    phone_verified_at: datetime | None
    email_verified_at: datetime | None
    contacts_version: int

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @property
    def phone_verified(self) -> bool:
        return self.phone_verified_at is not None

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def verified(self, channel: Channel) -> bool:
        return self.phone_verified if channel == "phone" else self.email_verified

    def address(self, channel: Channel) -> str:
        return self.phone if channel == "phone" else self.email


@dataclass(frozen=True)
class PinState:
    pin_hash: str | None
    pin_failed_attempts: int
    pin_locked_until: datetime | None


_COLUMNS = tuple(getattr(Credential, f.name) for f in fields(CredentialRow))


def _row(row: Row[Any] | None) -> CredentialRow | None:
    return CredentialRow(**row._asdict()) if row is not None else None


def _column(channel: Channel) -> Any:
    return Credential.phone if channel == "phone" else Credential.email


def _verified_at(channel: Channel) -> Any:
    return Credential.phone_verified_at if channel == "phone" else Credential.email_verified_at


async def claimants(session: AsyncSession, channel: Channel, value: str) -> list[CredentialRow]:
    """The active accounts naming this phone or e-mail: its verified holder alone when there is
    one, else up to MAX_CLAIMANTS unverified claimants, oldest first."""
    verified = _verified_at(channel)
    query = (
        select(*_COLUMNS)
        .where(_column(channel) == value, Credential.status == ACTIVE)
        .order_by(verified.is_(None), Credential.created_at)
        .limit(MAX_CLAIMANTS)
    )
    rows = [CredentialRow(**r._asdict()) for r in await session.execute(query)]
    return rows[:1] if rows and rows[0].verified(channel) else rows


async def other_unverified_claimants(
    session: AsyncSession, channel: Channel, value: str, *, holder: uuid.UUID
) -> list[uuid.UUID]:
    """Every other account (active or still registering) that claims this phone or e-mail unverified."""
    query = select(Credential.user_id).where(
        _column(channel) == value, _verified_at(channel).is_(None), Credential.user_id != holder
    )
    return list((await session.scalars(query)).all())


async def verified_holder(session: AsyncSession, channel: Channel, value: str) -> uuid.UUID | None:
    query = select(Credential.user_id).where(_column(channel) == value, _verified_at(channel).is_not(None))
    return await session.scalar(query)


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
    """A new account, unverified: its e-mail and phone are claims until verified, so nothing
    here is unique but the id."""
    await session.execute(
        insert(Credential).values(
            user_id=user_id, email=email, phone=phone, status=PENDING, roles=[], password_hash=password_hash
        )
    )


async def delete_pending(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(Credential).where(Credential.user_id == user_id, Credential.status == PENDING))


async def activate(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(update(Credential).where(Credential.user_id == user_id).values(status=ACTIVE))


_BUMP = Credential.contacts_version + 1


async def mark_verified(session: AsyncSession, user_id: uuid.UUID, channel: Channel, *, at: datetime) -> None:
    """Marks the account's phone or e-mail verified. Another account that verified the same one
    first (the partial unique index) rolls the transaction back and raises PhoneTaken/EmailTaken."""
    try:
        await session.execute(
            update(Credential)
            .where(Credential.user_id == user_id)
            .values({_verified_at(channel).key: at, "contacts_version": _BUMP})
        )
    except IntegrityError as exc:
        await session.rollback()
        raise PhoneTaken() if channel == "phone" else EmailTaken() from exc


async def set_contact(session: AsyncSession, user_id: uuid.UUID, channel: Channel, value: str) -> None:
    """A new phone or e-mail, unverified until its code comes back."""
    await session.execute(
        update(Credential)
        .where(Credential.user_id == user_id)
        .values({_column(channel).key: value, _verified_at(channel).key: None, "contacts_version": _BUMP})
    )


async def bump_contacts(session: AsyncSession, user_id: uuid.UUID) -> None:
    """The contact state must be pushed again (a claim of this account was dropped)."""
    await session.execute(update(Credential).where(Credential.user_id == user_id).values(contacts_version=_BUMP))


async def unsynced(session: AsyncSession, *, limit: int) -> list[CredentialRow]:
    """Active accounts whose contact state the user and transaction services have not been told."""
    query = (
        select(*_COLUMNS)
        .where(Credential.contacts_synced_version < Credential.contacts_version, Credential.status == ACTIVE)
        .limit(limit)
    )
    return [CredentialRow(**r._asdict()) for r in await session.execute(query)]


async def mark_synced(session: AsyncSession, user_id: uuid.UUID, *, version: int) -> None:
    """Records that the state of `version` was pushed (never moves backwards)."""
    await session.execute(
        update(Credential)
        .where(Credential.user_id == user_id, Credential.contacts_synced_version < version)
        .values(contacts_synced_version=version)
    )


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
