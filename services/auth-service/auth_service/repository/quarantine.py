"""Released phones and e-mails (`auth.released_identifiers`): one given up by its account stays
that account's for a while, so payments sent to it reach nobody else. The owner of a change
(a new phone or e-mail, an account deleted) calls `quarantine` in its transaction; everything
that lets an account claim a phone or e-mail asks `is_quarantined` first."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import ReleasedIdentifier

Kind = Literal["email", "phone"]


async def quarantine(session: AsyncSession, *, kind: Kind, value: str, user_id: uuid.UUID, until: datetime) -> None:
    """Keeps `value` for `user_id` (its last holder) until `until`; a later release restarts it."""
    statement = insert(ReleasedIdentifier).values(kind=kind, value=value, user_id=user_id, quarantined_until=until)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ReleasedIdentifier.kind, ReleasedIdentifier.value],
            set_={"user_id": user_id, "released_at": func.now(), "quarantined_until": until},
        )
    )


async def is_quarantined(session: AsyncSession, *, kind: Kind, value: str, for_user: uuid.UUID | None = None) -> bool:
    """True while `value` is in quarantine for an account other than `for_user` (None: anyone,
    as for a registration, which has no previous owner)."""
    query = select(ReleasedIdentifier.user_id).where(
        ReleasedIdentifier.kind == kind,
        ReleasedIdentifier.value == value,
        ReleasedIdentifier.quarantined_until > func.now(),
    )
    holder = await session.scalar(query)
    return holder is not None and holder != for_user


async def end_quarantine(session: AsyncSession, *, kind: Kind, value: str) -> None:
    """`value` is held again (by its previous owner)."""
    await session.execute(
        delete(ReleasedIdentifier).where(ReleasedIdentifier.kind == kind, ReleasedIdentifier.value == value)
    )
