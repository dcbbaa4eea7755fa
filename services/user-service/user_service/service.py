"""Profiles: creation during registration, self-service edits, recipient resolution.

No SQL here (`repository`); every change that alters what `user.profile_changed` carries emits
it in the same transaction (`events`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.database import Database
from instapay_common.display_names import masked_display_name
from instapay_common.identifiers import (
    EmailTaken,
    HandleReserved,
    HandleTaken,
    LookupColumn,
    PhoneTaken,
    is_reserved_handle,
    recipient_key,
)
from user_service import events, repository
from user_service.exceptions import ProfileNotFound, RecipientNotFound
from user_service.recipient_budget import Budget
from user_service.repository import PartyRow, ProfileRow
from user_service.schemas import (
    DirectoryPage,
    InternalProfileOut,
    LookupResult,
    PartiesOut,
    Preferences,
    ProfileCreate,
    ProfileLookupOut,
    ProfileOut,
    ProfilePatch,
    Resolution,
    VerificationState,
)


def profile_out(p: ProfileRow) -> ProfileOut:
    return ProfileOut(
        user_id=p.user_id,
        full_name=p.full_name,
        email=p.email,
        phone=p.phone,
        handle=p.handle,
        created_at=p.created_at,
        preferences=Preferences(
            language=p.language,
            notify_email=p.notify_email,
            notify_sms=p.notify_sms,
            notify_push=p.notify_push,
        ),
        phone_verified=p.phone_verified,
        email_verified=p.email_verified,
    )


def internal_out(p: ProfileRow) -> InternalProfileOut:
    return InternalProfileOut(
        **profile_out(p).model_dump(), display_name=masked_display_name(p.full_name, handle=p.handle)
    )


async def _check_claim(session: AsyncSession, handle: str, *, user_id: uuid.UUID) -> None:
    """A handle may be taken unless it is reserved (reads as the platform or its staff) or still
    in quarantine for its previous owner (who alone may take it back)."""
    if is_reserved_handle(handle):
        raise HandleReserved("this handle is reserved; choose another")
    if await repository.handle_quarantined_for_others(session, handle, user_id=user_id):
        raise HandleTaken()


async def create_profile(session: AsyncSession, *, data: ProfileCreate) -> tuple[ProfileRow, bool]:
    """Returns (profile, created). A retry for the same user (same id, e-mail and phone) gets the
    existing profile back and emits nothing, so registration can be resent after a failure
    half-way. A new profile emits `user.profile_changed` in its transaction."""
    existing = await repository.get(session, data.user_id)
    if existing is not None:
        if existing.email == data.email and existing.phone == data.phone:
            return existing, False
        raise EmailTaken("this user id already has a different profile")
    await _check_claim(session, data.handle, user_id=data.user_id)
    clash = await repository.holding_any(session, email=data.email, phone=data.phone, handle=data.handle)
    if clash is not None:
        raise (
            EmailTaken()
            if clash.email == data.email and clash.email_verified
            else PhoneTaken()
            if clash.phone == data.phone and clash.phone_verified
            else HandleTaken()
        )
    profile = await repository.insert_profile(
        session,
        user_id=data.user_id,
        email=data.email,
        phone=data.phone,
        handle=data.handle,
        full_name=data.full_name,
    )
    await events.emit_profile_changed(session, profile, status="active")
    await session.commit()
    return profile, True


async def delete_profile(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    """Idempotent; deleting an existing profile emits `user.profile_changed` with status "deleted".
    The only deletion today undoes a registration that never completed (the account never
    existed, nobody could pay it), so its handle is not quarantined; deleting a live account must
    call `release_handle` in its transaction."""
    deleted = await repository.delete_profile(session, user_id)
    if deleted is not None:
        await events.emit_profile_changed(session, deleted, status="deleted")
    await session.commit()


async def get_profile(session: AsyncSession, *, user_id: uuid.UUID) -> ProfileRow:
    profile = await repository.get(session, user_id)
    if profile is None:
        raise ProfileNotFound()
    return profile


async def lookup_profiles(session: AsyncSession, *, user_ids: list[uuid.UUID]) -> ProfileLookupOut:
    """The profiles of `user_ids` that exist, in the order asked (duplicates once)."""
    wanted = list(dict.fromkeys(user_ids))
    found = {p.user_id: p for p in await repository.get_many(session, wanted)}
    return ProfileLookupOut(items=[internal_out(found[u]) for u in wanted if u in found])


async def release_handle(session: AsyncSession, handle: str, *, user_id: uuid.UUID, quarantine: timedelta) -> None:
    """`user_id` gives up `handle`: nobody else may claim it for `quarantine`. The caller commits."""
    await repository.quarantine_handle(session, handle, user_id=user_id, until=datetime.now(UTC) + quarantine)


async def update_profile(
    session: AsyncSession, *, user_id: uuid.UUID, patch: ProfilePatch, quarantine: timedelta
) -> ProfileRow:
    """Applies the patch; a changed full name or handle gets a new version and emits
    `user.profile_changed` in the same transaction (preferences alone emit nothing). The handle
    given up is quarantined for `quarantine`."""
    profile = await get_profile(session, user_id=user_id)
    values: dict[str, Any] = {}
    if patch.full_name is not None and patch.full_name != profile.full_name:
        values["full_name"] = patch.full_name
    if patch.handle is not None and patch.handle != profile.handle:
        await _check_claim(session, patch.handle, user_id=user_id)
        if await repository.handle_holder(session, patch.handle):
            raise HandleTaken()
        values["handle"] = patch.handle
    identity_changed = bool(values)
    if patch.preferences is not None:
        values.update(patch.preferences.model_dump(exclude_none=True))
    if not values:
        return profile
    updated = await repository.update_profile(session, user_id, values=values, new_version=identity_changed)
    if updated is None:  # deleted since it was read
        raise ProfileNotFound()
    if "handle" in values:
        await release_handle(session, profile.handle, user_id=user_id, quarantine=quarantine)
        await repository.end_quarantine(session, updated.handle)  # held again: by its owner
    if identity_changed:
        await events.emit_profile_changed(session, updated, status="active")
    await session.commit()
    return updated


async def set_verification(session: AsyncSession, *, user_id: uuid.UUID, state: VerificationState) -> None:
    """Applies the auth service's contact state (idempotent; an older state than the one held
    changes nothing). A changed phone or e-mail, or a change of whether either is verified, is an
    identity change (it decides by what the profile can be found as a recipient): new version,
    event."""
    profile = await get_profile(session, user_id=user_id)
    identity_changed = (profile.phone, profile.email, profile.phone_verified, profile.email_verified) != (
        state.phone,
        state.email,
        state.phone_verified,
        state.email_verified,
    )
    updated = await repository.set_verification(
        session,
        user_id,
        phone=state.phone,
        email=state.email,
        phone_verified=state.phone_verified,
        email_verified=state.email_verified,
        contacts_version=state.version,
        new_version=identity_changed,
    )
    if updated is not None and identity_changed:
        await events.emit_profile_changed(session, updated, status="active")
    await session.commit()


def _lookup_key(q: str) -> tuple[LookupColumn, str]:
    """`q` is a handle (optionally @-prefixed), a phone (E.164 or local `01...`) or an e-mail ->
    (column, value) (instapay_common.identifiers.recipient_key); anything else names nobody."""
    key = recipient_key(q)
    if key is None:
        raise RecipientNotFound()
    return key


def _lookup_result(user_id: uuid.UUID, handle: str, full_name: str) -> LookupResult:
    return LookupResult(user_id=user_id, handle=handle, display_name=masked_display_name(full_name, handle=handle))


async def resolve(session: AsyncSession, *, q: str, budget: Budget | None) -> Resolution:
    """The recipient `q` names. `budget`: the acting user's, spent before the lookup (a hit and a
    miss cost the same); None only for sign-in by handle, which resolves no recipient. The public
    lookup answers the `LookupResult` part; the internal one all of it (the directory learns)."""
    column, value = _lookup_key(q)
    counted_at = await budget.spend(column, value) if budget is not None else None
    profile = await repository.recipient(session, column, value)
    if profile is None:
        raise RecipientNotFound()
    found = _lookup_result(profile.user_id, profile.handle, profile.full_name)
    return Resolution(**found.model_dump(), counted_at=counted_at, entry=events.directory_entry(profile))


async def resolve_handle(session: AsyncSession, *, q: str) -> Resolution:
    """The account holding this handle, verified or not (sign-in by handle; no budget spent)."""
    column, value = _lookup_key(q)
    profile = await repository.by_handle(session, value) if column == "handle" else None
    if profile is None:
        raise RecipientNotFound()
    found = _lookup_result(profile.user_id, profile.handle, profile.full_name)
    return Resolution(**found.model_dump(), counted_at=None, entry=events.directory_entry(profile))


def _party(row: PartyRow) -> LookupResult:
    return _lookup_result(row.user_id, row.handle, row.full_name)


async def parties(db: Database, *, q: str, sender_id: uuid.UUID, budget: Budget) -> PartiesOut:
    """Recipient by `q` and the sender by id in one statement: a transfer's two lookups. The
    sender is the acting user: the resolution is spent from their budget first."""
    column, value = _lookup_key(q)
    counted_at = await budget.spend(column, value)
    rows = await repository.parties(db, column=column, value=value, sender_id=sender_id)
    recipient = next((r for r in rows if r.is_recipient), None)
    if recipient is None:
        raise RecipientNotFound()
    sender = next((r for r in rows if r.user_id == sender_id), None)
    return PartiesOut(
        recipient=_party(recipient),
        sender=_party(sender) if sender else None,
        counted_at=counted_at,
        entries=[events.directory_entry(r) for r in rows],
    )


async def directory_page(session: AsyncSession, *, after: uuid.UUID | None, limit: int) -> DirectoryPage:
    """A page of every profile as the transaction service's directory keeps it (its rebuild)."""
    rows = await repository.directory_page(session, after=after, limit=limit)
    return DirectoryPage(
        items=[events.directory_entry(r) for r in rows],
        next_after=rows[-1].user_id if len(rows) == limit else None,
    )
