"""All SQL of the user service: profiles, released (quarantined) handles and recipient
resolutions. Functions take the caller's `session` (AsyncSession) or `db` (the raw `Database`)
and return frozen rows; they never commit (the use case does, so a change and its event share a
transaction), and roll back only to turn a unique-key violation into its conflict error."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, NamedTuple, NoReturn

from sqlalchemy import Row, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.errors import DomainError
from instapay_common.identifiers import EmailTaken, HandleTaken, LookupColumn, PhoneTaken
from user_service.models import PROFILE_VERSIONS, Profile, ReleasedHandle
from user_service.schemas import Language


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
    phone: str
    email: str
    phone_verified: bool
    email_verified: bool
    version: int
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


async def get_many(session: AsyncSession, user_ids: list[uuid.UUID]) -> list[ProfileRow]:
    """The profiles of these users that exist (any order)."""
    rows = (await session.execute(select(*_COLUMNS).where(Profile.user_id.in_(user_ids)))).all()
    return [r for r in (_row(row) for row in rows) if r is not None]


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


async def quarantine_handle(session: AsyncSession, handle: str, *, user_id: uuid.UUID, until: datetime) -> None:
    """Keeps `handle` for `user_id` (its last owner) until `until`; a later release restarts it."""
    statement = pg_insert(ReleasedHandle).values(handle=handle, user_id=user_id, quarantined_until=until)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ReleasedHandle.handle],
            set_={"user_id": user_id, "released_at": func.now(), "quarantined_until": until},
        )
    )


async def handle_quarantined_for_others(session: AsyncSession, handle: str, *, user_id: uuid.UUID | None) -> bool:
    """True while `handle` is in quarantine for someone other than `user_id`."""
    query = select(ReleasedHandle.user_id).where(
        ReleasedHandle.handle == handle, ReleasedHandle.quarantined_until > func.now()
    )
    holder = await session.scalar(query)
    return holder is not None and holder != user_id


async def end_quarantine(session: AsyncSession, handle: str) -> None:
    """The handle is held again (by its previous owner, or after the quarantine ended)."""
    await session.execute(delete(ReleasedHandle).where(ReleasedHandle.handle == handle))


_PARTY_COLUMNS = ", ".join(PartyRow._fields[:-1])
# A transfer's two lookups in one statement on the raw asyncpg connection (every transfer calls
# it; ORM entities cost several times the query). One statement per lookup column.
_PARTIES = {
    column: Sql(
        f"SELECT {_PARTY_COLUMNS}, ({column} = :v AND {rule}) AS is_recipient "  # noqa: S608
        f"FROM users.profiles WHERE ({column} = :v AND {rule}) OR user_id = :sender"
    )
    for column, rule in _RECIPIENT_RULE.items()
}


async def parties(db: Database, *, column: LookupColumn, value: str, sender_id: uuid.UUID) -> list[PartyRow]:
    """The profile whose `column` is `value` (is_recipient) and the sender's, in one read."""
    async with rawsql.connection(db) as conn:
        rows = await conn.fetch(_PARTIES[column], v=value, sender=sender_id)
    return [PartyRow(*r) for r in rows]


# --- recipient resolutions (recipient_budget.py) ---

_SEEN_SINCE = Sql(
    "SELECT looked_up_at FROM users.recipient_lookups WHERE user_id = :u AND target = :t AND looked_up_at > :since"
)
# Serialises one user's new resolutions (the count and the insert below), across replicas.
_LOCK_USER = Sql("SELECT pg_advisory_xact_lock(hashtextextended('users.recipient_lookups:' || :u::text, 0))")
_FORGET = Sql("DELETE FROM users.recipient_lookups WHERE user_id = :u AND looked_up_at <= :day_start")
_USAGE = Sql(
    "SELECT count(*) FILTER (WHERE looked_up_at > :minute_start) AS minute, "
    "min(looked_up_at) FILTER (WHERE looked_up_at > :minute_start) AS minute_oldest, "
    "count(*) AS day, min(looked_up_at) AS day_oldest "
    "FROM users.recipient_lookups WHERE user_id = :u AND target <> :t"
)
_RECORD = Sql(
    "INSERT INTO users.recipient_lookups (user_id, target, looked_up_at) VALUES (:u, :t, :at) "
    "ON CONFLICT (user_id, target) DO UPDATE SET looked_up_at = EXCLUDED.looked_up_at"
)


class LookupUsage(NamedTuple):
    minute: int
    minute_oldest: datetime | None
    day: int
    day_oldest: datetime | None


async def resolved_since(db: Database, *, user_id: uuid.UUID, target: str, since: datetime) -> datetime | None:
    """When this user's resolution of this identifier was counted, if after `since` (one read)."""
    async with rawsql.connection(db) as conn:
        counted: datetime | None = await conn.fetchval(_SEEN_SINCE, u=user_id, t=target, since=since)
        return counted


@asynccontextmanager
async def lookups_of(db: Database, user_id: uuid.UUID) -> AsyncIterator[RawConnection]:
    """A transaction holding this user's resolution lock until it ends."""
    async with rawsql.transaction(db) as conn:
        await conn.execute(_LOCK_USER, u=str(user_id))
        yield conn


async def lookup_usage(
    conn: RawConnection, *, user_id: uuid.UUID, target: str, day_start: datetime, minute_start: datetime
) -> LookupUsage:
    """Other identifiers resolved since `minute_start` and since `day_start` (older ones dropped)."""
    await conn.execute(_FORGET, u=user_id, day_start=day_start)
    row = await conn.fetchrow(_USAGE, u=user_id, t=target, minute_start=minute_start)
    assert row is not None  # an aggregate always answers one row
    return LookupUsage(row["minute"], row["minute_oldest"], row["day"], row["day_oldest"])


async def record_lookup(conn: RawConnection, *, user_id: uuid.UUID, target: str, at: datetime) -> None:
    await conn.execute(_RECORD, u=user_id, t=target, at=at)


async def directory_page(session: AsyncSession, *, after: uuid.UUID | None, limit: int) -> list[ProfileRow]:
    """Profiles in user id order after `after` (a rebuild of the transaction service's directory)."""
    query = select(*_COLUMNS)
    if after is not None:
        query = query.where(Profile.user_id > after)
    rows = (await session.execute(query.order_by(Profile.user_id).limit(limit))).all()
    return [ProfileRow(**row._asdict()) for row in rows]


def _like_escaped(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (its own % and _ match only themselves)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search(
    session: AsyncSession,
    *,
    text: str,
    phone: str | None,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ProfileRow]:
    """Profiles an operator may mean by `text` (lower-cased): a handle or e-mail starting with
    it, the phone it names (`phone`, E.164), or a full name containing it; newest first, keyset
    on (created_at, user_id) below `before`."""
    pattern = _like_escaped(text)
    matches: list[ColumnElement[bool]] = [
        Profile.handle.like(pattern + "%", escape="\\"),
        Profile.email.like(pattern + "%", escape="\\"),
        func.lower(Profile.full_name).like("%" + pattern + "%", escape="\\"),
    ]
    if phone is not None:
        matches.append(Profile.phone == phone)
    query = select(*_COLUMNS).where(or_(*matches))
    if before is not None:
        query = query.where(tuple_(Profile.created_at, Profile.user_id) < tuple_(*before))
    query = query.order_by(Profile.created_at.desc(), Profile.user_id.desc()).limit(limit)
    return [ProfileRow(**row._asdict()) for row in (await session.execute(query)).all()]
