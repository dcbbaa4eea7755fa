"""All SQL of the user service: the profiles table. Functions take the caller's `session`
(AsyncSession) or `db` (the raw `Database`) and return frozen rows; they never commit (the use
case does, so a change and its event share a transaction), and roll back only to turn a
unique-key violation into its conflict error."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal, NamedTuple, NoReturn

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import Sql
from instapay_common.errors import DomainError
from instapay_common.identifiers import EmailTaken, HandleTaken, PhoneTaken
from user_service.models import PROFILE_VERSIONS, Profile
from user_service.schemas import Language

LookupColumn = Literal["phone", "email", "handle"]


@dataclass(frozen=True)
class ProfileRow:
    user_id: uuid.UUID
    email: str
    phone: str
    handle: str
    full_name: str
    language: Language
    notify_email: bool
    notify_sms: bool
    notify_push: bool
    created_at: datetime
    version: int
    phone_verified: bool
    email_verified: bool
    contacts_version: int


class PartyRow(NamedTuple):
    user_id: uuid.UUID
    handle: str
    full_name: str
    is_recipient: bool


_COLUMNS = tuple(getattr(Profile, f.name) for f in fields(ProfileRow))
_CONFLICTS: dict[str, type[DomainError]] = {
    "uq_profiles_verified_email": EmailTaken,
    "uq_profiles_verified_phone": PhoneTaken,
    "uq_profiles_handle": HandleTaken,
}
# Who may be found as a recipient, per lookup column: an account whose phone is verified, and by
# e-mail only when that e-mail is verified too. Verified ones are unique, so at most one matches.
_RECIPIENT_RULE: dict[LookupColumn, str] = {
    "phone": "phone_verified",
    "email": "phone_verified AND email_verified",
    "handle": "phone_verified",
}


def _row(row: Row[Any] | None) -> ProfileRow | None:
    return ProfileRow(**row._asdict()) if row is not None else None


async def _conflict(session: AsyncSession, exc: IntegrityError) -> NoReturn:
    """Rolls back and raises the conflict a unique identifier caused (or `exc` itself)."""
    await session.rollback()
    text = str(exc.orig)
    for name, error in _CONFLICTS.items():
        if name in text:
            raise error() from exc
    raise exc


async def get(session: AsyncSession, user_id: uuid.UUID) -> ProfileRow | None:
    return _row((await session.execute(select(*_COLUMNS).where(Profile.user_id == user_id))).first())


def _recipient_condition(column: LookupColumn) -> Any:
    verified = Profile.phone_verified
    return verified & Profile.email_verified if column == "email" else verified


async def recipient(session: AsyncSession, column: LookupColumn, value: str) -> ProfileRow | None:
    """The profile found as a recipient by this handle, phone or e-mail (`_RECIPIENT_RULE`)."""
    query = select(*_COLUMNS).where(getattr(Profile, column) == value, _recipient_condition(column))
    return _row((await session.execute(query)).first())


async def by_handle(session: AsyncSession, handle: str) -> ProfileRow | None:
    return _row((await session.execute(select(*_COLUMNS).where(Profile.handle == handle))).first())


async def holding_any(session: AsyncSession, *, email: str, phone: str, handle: str) -> ProfileRow | None:
    """A profile that holds this handle, or has verified this e-mail or phone (an unverified
    claim blocks nobody)."""
    query = select(*_COLUMNS).where(
        or_(
            Profile.handle == handle,
            (Profile.email == email) & Profile.email_verified,
            (Profile.phone == phone) & Profile.phone_verified,
        )
    )
    return _row((await session.execute(query.limit(1))).first())


async def handle_holder(session: AsyncSession, handle: str) -> uuid.UUID | None:
    return await session.scalar(select(Profile.user_id).where(Profile.handle == handle))


async def insert_profile(
    session: AsyncSession, *, user_id: uuid.UUID, email: str, phone: str, handle: str, full_name: str
) -> ProfileRow:
    """A new profile with the default preferences; a concurrent insert of one of its unique
    identifiers rolls the transaction back and raises EmailTaken, PhoneTaken or HandleTaken."""
    statement = (
        insert(Profile)
        .values(
            user_id=user_id,
            email=email,
            phone=phone,
            handle=handle,
            full_name=full_name,
            language="en",
            notify_email=True,
            notify_sms=False,
            notify_push=True,
        )
        .returning(*_COLUMNS)
    )
    try:
        row = (await session.execute(statement)).one()
    except IntegrityError as exc:
        await _conflict(session, exc)
    return ProfileRow(**row._asdict())


async def update_profile(
    session: AsyncSession, user_id: uuid.UUID, *, values: dict[str, Any], new_version: bool
) -> ProfileRow | None:
    """Sets `values` (column -> value) and, with `new_version`, a new version; the row after, or
    None when there is no such profile. A unique identifier taken concurrently rolls back and
    raises its conflict."""
    changes = {**values, "version": PROFILE_VERSIONS.next_value()} if new_version else values
    statement = update(Profile).where(Profile.user_id == user_id).values(changes).returning(*_COLUMNS)
    try:
        return _row((await session.execute(statement)).first())
    except IntegrityError as exc:
        await _conflict(session, exc)


async def set_verification(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    phone: str,
    email: str,
    phone_verified: bool,
    email_verified: bool,
    contacts_version: int,
    new_version: bool,
) -> ProfileRow | None:
    """Applies the auth service's contact state if it is newer than the one held; the row after,
    or None when there is no such profile or the state held is as new. A verified phone or
    e-mail another profile holds verified (a late push of a change) rolls back and raises."""
    values: dict[str, Any] = {
        "phone": phone,
        "email": email,
        "phone_verified": phone_verified,
        "email_verified": email_verified,
        "contacts_version": contacts_version,
    }
    if new_version:
        values["version"] = PROFILE_VERSIONS.next_value()
    statement = (
        update(Profile)
        .where(Profile.user_id == user_id, Profile.contacts_version < contacts_version)
        .values(values)
        .returning(*_COLUMNS)
    )
    try:
        return _row((await session.execute(statement)).first())
    except IntegrityError as exc:
        await _conflict(session, exc)


async def delete_profile(session: AsyncSession, user_id: uuid.UUID) -> ProfileRow | None:
    """Deletes the profile; the row as it was with a new version (the deletion's), or None."""
    columns = [c for c in _COLUMNS if c.key != "version"]
    statement = (
        delete(Profile)
        .where(Profile.user_id == user_id)
        .returning(*columns, PROFILE_VERSIONS.next_value().label("version"))
    )
    row = (await session.execute(statement)).first()
    return ProfileRow(**row._asdict()) if row is not None else None


# A transfer's two lookups in one statement on the raw asyncpg connection (every transfer calls
# it; ORM entities cost several times the query). One statement per lookup column.
_PARTIES = {
    column: Sql(
        f"SELECT user_id, handle, full_name, ({column} = :v AND {rule}) AS is_recipient "  # noqa: S608
        f"FROM users.profiles WHERE ({column} = :v AND {rule}) OR user_id = :sender"
    )
    for column, rule in _RECIPIENT_RULE.items()
}


async def parties(db: Database, *, column: LookupColumn, value: str, sender_id: uuid.UUID) -> list[PartyRow]:
    """The profile whose `column` is `value` (is_recipient) and the sender's, in one read."""
    async with rawsql.connection(db) as conn:
        rows = await conn.fetch(_PARTIES[column], v=value, sender=sender_id)
    return [PartyRow(r["user_id"], r["handle"], r["full_name"], r["is_recipient"]) for r in rows]
