"""Events the user service emits (docs/EVENTS.md), written through its outbox in the transaction
of the change they describe.

`user.profile_changed` carries the whole identity of a profile after the change, so a consumer
keeps a copy by upserting it when `version` is above the one it holds (events may arrive more
than once and, across retries, out of order). `status` is "deleted" once the profile is gone
(registration undone); a later re-creation of the same id has a higher version. Its consumer is
the transaction service's recipient directory, which keeps `directory_entry` of it: the same
view the internal resolutions and the directory export answer.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.display_names import masked_display_name
from instapay_common.events.outbox import emit_event
from user_service.models import outbox
from user_service.repository import PartyRow, ProfileRow
from user_service.schemas import DirectoryEntry

PROFILE_CHANGED = "user.profile_changed"
ProfileStatus = Literal["active", "deleted"]


class ProfileChanged(BaseModel):
    """The data of `user.profile_changed`."""

    user_id: uuid.UUID
    handle: str
    email: str
    phone: str
    full_name: str
    display_name: str  # masked, as lookups and transfer parties show it
    status: ProfileStatus
    version: int
    # Whether the phone and the e-mail are verified: a profile is a recipient only with a verified
    # phone, by e-mail only when that is verified too (the directory applies the same rule).
    phone_verified: bool
    email_verified: bool


def profile_changed(row: ProfileRow, *, status: ProfileStatus) -> ProfileChanged:
    return ProfileChanged(
        user_id=row.user_id,
        handle=row.handle,
        email=row.email,
        phone=row.phone,
        full_name=row.full_name,
        display_name=masked_display_name(row.full_name, handle=row.handle),
        status=status,
        version=row.version,
        phone_verified=row.phone_verified,
        email_verified=row.email_verified,
    )


def directory_entry(row: ProfileRow | PartyRow, *, status: ProfileStatus = "active") -> DirectoryEntry:
    """The directory's copy of a profile: a phone or e-mail only once verified (an unverified
    claim may be someone else's), a deleted profile with no identifier at all."""
    live = status == "active"
    return DirectoryEntry(
        user_id=row.user_id,
        handle=row.handle if live else None,
        phone=row.phone if live and row.phone_verified else None,
        email=row.email if live and row.email_verified else None,
        display_name=masked_display_name(row.full_name, handle=row.handle),
        status=status,
        version=row.version,
    )


async def emit_profile_changed(session: AsyncSession, row: ProfileRow, *, status: ProfileStatus) -> None:
    """Adds the event to the session's transaction: it exists only if the change commits."""
    data = profile_changed(row, status=status).model_dump(mode="json")
    await emit_event(session, outbox, PROFILE_CHANGED, data)
