"""Proving a phone or an e-mail, and replacing one.

An unverified phone or e-mail is a claim that blocks nobody: several accounts may claim the same
one, and whoever verifies it first holds it (the partial unique index decides a race). The other
claims are dropped then: each claimant is told (`security.contact_claim_dropped`), can no longer
verify it (409), and sets another one (`change_contact`, password required). Until its phone is
verified an account moves no money and is no recipient (the user and transaction services learn
the state from `contact_sync`).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import events
from auth_service.exceptions import AlreadyVerified, InvalidPassword, UserNotFound
from auth_service.repository import credentials, quarantine
from auth_service.repository.credentials import Channel, CredentialRow
from auth_service.service import contact_sync
from auth_service.service.codes import Destination, check_code, send_code
from auth_service.service.context import AuthContext
from auth_service.service.sessions import now
from instapay_common.errors import Conflict
from instapay_common.identifiers import EmailTaken, PhoneTaken


def _taken(channel: Channel, detail: str | None = None) -> Conflict:
    return PhoneTaken(detail) if channel == "phone" else EmailTaken(detail)


async def _credential(session: AsyncSession, user_id: uuid.UUID) -> CredentialRow:
    credential = await credentials.active(session, user_id)
    if credential is None:
        raise UserNotFound()
    return credential


async def _ensure_not_held_by_another(
    session: AsyncSession, user_id: uuid.UUID, channel: Channel, address: str
) -> None:
    holder = await credentials.verified_holder(session, channel, address)
    if holder is not None and holder != user_id:
        raise _taken(
            channel,
            f"another account has verified this {'phone number' if channel == 'phone' else 'e-mail'}; "
            f"set a new one with PUT /api/v1/auth/{channel}",
        )
    # Given up by another account lately: payers who saved it must not reach a newcomer.
    if await quarantine.is_quarantined(session, kind=channel, value=address, for_user=user_id):
        raise _taken(channel, f"this {'phone number' if channel == 'phone' else 'e-mail'} is not available")


async def send_contact_code(ctx: AuthContext, session: AsyncSession, *, user_id: uuid.UUID, channel: Channel) -> None:
    """Sends a code to the account's phone (SMS) or e-mail."""
    credential = await _credential(session, user_id)
    if credential.verified(channel):
        raise AlreadyVerified(f"your {channel} is already verified")
    address = credential.address(channel)
    await _ensure_not_held_by_another(session, user_id, channel, address)
    await send_code(ctx, session, user_id=user_id, purpose=channel, to=Destination(channel, address))


async def verify_contact(
    ctx: AuthContext, session: AsyncSession, *, user_id: uuid.UUID, channel: Channel, code: str
) -> None:
    """Marks the phone or e-mail verified when `code` is the one sent to it; drops the other
    unverified claims of it; then tells the user and transaction services."""
    credential = await _credential(session, user_id)
    if credential.verified(channel):
        raise AlreadyVerified(f"your {channel} is already verified")
    address = credential.address(channel)
    # A code sent to a phone or e-mail changed since does not verify the new one.
    await check_code(ctx, session, user_id=user_id, purpose=channel, code=code, destination=address)
    await credentials.mark_verified(session, user_id, channel, at=now())  # 409 if another verified first
    for dropped in await credentials.other_unverified_claimants(session, channel, address, holder=user_id):
        await events.emit(session, events.CONTACT_CLAIM_DROPPED, user_id=dropped, channel=channel)
    await events.emit(session, events.CONTACT_VERIFIED, user_id=user_id, channel=channel)
    await session.commit()
    await contact_sync.push_latest(ctx, session, [user_id])


async def change_contact(
    ctx: AuthContext, session: AsyncSession, *, user_id: uuid.UUID, channel: Channel, value: str, password: str
) -> None:
    """Replaces the account's phone or e-mail with `value`, unverified until its code comes back
    (so a new phone stops the account's money operations until it is verified)."""
    credential = await _credential(session, user_id)
    if not await ctx.passwords.verify(password, credential.password_hash):
        raise InvalidPassword()
    if value == credential.address(channel):
        if credential.verified(channel):
            raise AlreadyVerified(f"this is already your verified {channel}")
        return
    await _ensure_not_held_by_another(session, user_id, channel, value)
    if credential.verified(channel):
        # The verified value it gives up stays this account's for a while (docs/ARCHITECTURE.md,
        # "Quarantine"): it may take it back; nobody else may claim it yet.
        until = now() + timedelta(days=ctx.settings.identifier_quarantine_days)
        await quarantine.quarantine(
            session, kind=channel, value=credential.address(channel), user_id=user_id, until=until
        )
    await credentials.set_contact(session, user_id, channel, value)
    await events.emit(session, events.CONTACT_CHANGED, user_id=user_id, channel=channel)
    await session.commit()
    await contact_sync.push_latest(ctx, session, [user_id])
