"""Profiles: creation during registration, self-service edits, recipient resolution."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import Sql
from instapay_common.identifiers import HANDLE_RE, EmailTaken, HandleTaken, PhoneTaken
from user_service.exceptions import ProfileNotFound, RecipientNotFound
from user_service.models import Profile
from user_service.schemas import (
    InternalProfileOut,
    LookupResult,
    PartiesOut,
    Preferences,
    ProfileCreate,
    ProfileOut,
    ProfilePatch,
)

_CONFLICTS = {"uq_profiles_email": EmailTaken, "uq_profiles_phone": PhoneTaken, "uq_profiles_handle": HandleTaken}


def masked_display_name(full_name: str) -> str:
    """ "Ahmed Mohamed Ali" -> "Ahmed A.": enough to confirm a recipient, not to identify a stranger."""
    parts = full_name.split()
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0].upper()}."


def profile_out(p: Profile) -> ProfileOut:
    return ProfileOut(
        user_id=p.user_id,
        full_name=p.full_name,
        email=p.email,
        phone=p.phone,
        handle=p.handle,
        created_at=p.created_at,
        preferences=Preferences(
            language=p.language, notify_email=p.notify_email, notify_sms=p.notify_sms, notify_push=p.notify_push
        ),
    )


def internal_out(p: Profile) -> InternalProfileOut:
    return InternalProfileOut(**profile_out(p).model_dump(), display_name=masked_display_name(p.full_name))


def _conflict_from(exc: IntegrityError) -> Exception:
    text = str(exc.orig)
    for name, error in _CONFLICTS.items():
        if name in text:
            return error()
    return exc


async def create_profile(db: AsyncSession, *, data: ProfileCreate) -> tuple[Profile, bool]:
    """Returns (profile, created). A retry for the same user (same id, e-mail and phone) gets the
    existing profile back, so registration can be resent after a failure half-way."""
    existing = await db.get(Profile, data.user_id)
    if existing is not None:
        if existing.email == data.email and existing.phone == data.phone:
            return existing, False
        raise EmailTaken("this user id already has a different profile")
    clash = await db.scalar(
        select(Profile).where(
            or_(Profile.email == data.email, Profile.phone == data.phone, Profile.handle == data.handle)
        )
    )
    if clash is not None:
        raise (
            EmailTaken() if clash.email == data.email else PhoneTaken() if clash.phone == data.phone else HandleTaken()
        )
    profile = Profile(
        user_id=data.user_id,
        email=data.email,
        phone=data.phone,
        handle=data.handle,
        full_name=data.full_name,
        language="en",
        notify_email=True,
        notify_sms=False,
        notify_push=True,
    )
    db.add(profile)
    try:
        await db.commit()
    except IntegrityError as exc:  # a concurrent insert won
        await db.rollback()
        raise _conflict_from(exc) from exc
    await db.refresh(profile)
    return profile, True


async def delete_profile(db: AsyncSession, *, user_id: uuid.UUID) -> None:
    await db.execute(delete(Profile).where(Profile.user_id == user_id))
    await db.commit()


async def get_profile(db: AsyncSession, *, user_id: uuid.UUID) -> Profile:
    profile = await db.get(Profile, user_id)
    if profile is None:
        raise ProfileNotFound()
    return profile


async def update_profile(db: AsyncSession, *, user_id: uuid.UUID, patch: ProfilePatch) -> Profile:
    profile = await get_profile(db, user_id=user_id)
    if patch.full_name is not None:
        profile.full_name = patch.full_name
    if patch.handle is not None and patch.handle != profile.handle:
        if await db.scalar(select(Profile.user_id).where(Profile.handle == patch.handle)):
            raise HandleTaken()
        profile.handle = patch.handle
    if patch.preferences is not None:
        for field, value in patch.preferences.model_dump(exclude_none=True).items():
            setattr(profile, field, value)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise _conflict_from(exc) from exc
    await db.refresh(profile)
    return profile


def _lookup_key(q: str) -> tuple[str, str]:
    """`q` is a handle (optionally @-prefixed), an E.164 phone or an e-mail -> (column, value)."""
    q = q.strip()
    if q.startswith("+"):
        return "phone", q
    if "@" in q.lstrip("@"):
        return "email", q.lower()
    if HANDLE_RE.match(q.removeprefix("@").lower()):
        return "handle", q.removeprefix("@").lower()
    raise RecipientNotFound()


def _lookup_predicate(q: str) -> ColumnElement[bool]:
    column, value = _lookup_key(q)
    return getattr(Profile, column) == value


def _lookup_result(profile: Profile) -> LookupResult:
    return LookupResult(
        user_id=profile.user_id, handle=profile.handle, display_name=masked_display_name(profile.full_name)
    )


async def resolve(db: AsyncSession, *, q: str) -> LookupResult:
    profile = await db.scalar(select(Profile).where(_lookup_predicate(q)))
    if profile is None:
        raise RecipientNotFound()
    return _lookup_result(profile)


# A transfer's two lookups in one statement on the raw asyncpg connection (every transfer calls
# it; ORM entities cost several times the query). One statement per lookup column, chosen by `q`.
_PARTIES = {
    column: Sql(
        f"SELECT user_id, handle, full_name, {column} = :v AS is_recipient "  # noqa: S608
        f"FROM users.profiles WHERE {column} = :v OR user_id = :sender"
    )
    for column in ("phone", "email", "handle")
}


async def parties(database: Database, *, q: str, sender_id: uuid.UUID) -> PartiesOut:
    """Recipient by `q` and the sender by id in one statement: a transfer's two lookups."""
    column, value = _lookup_key(q)
    async with rawsql.connection(database) as conn:
        rows = await conn.fetch(_PARTIES[column], v=value, sender=sender_id)
    recipient = next((r for r in rows if r["is_recipient"]), None)
    if recipient is None:
        raise RecipientNotFound()
    sender = next((r for r in rows if r["user_id"] == sender_id), None)
    return PartiesOut(recipient=_lookup_row(recipient), sender=_lookup_row(sender) if sender else None)


def _lookup_row(row: Any) -> LookupResult:
    return LookupResult(
        user_id=row["user_id"], handle=row["handle"], display_name=masked_display_name(row["full_name"])
    )
