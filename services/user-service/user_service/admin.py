"""Operators' reads of profiles (role `admin`): find a user by handle, e-mail, phone or name, and
read one. Reads are not audit-logged (the audit log records actions that change something)."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.errors import ValidationFailed
from instapay_common.identifiers import as_e164
from instapay_common.web.cursor import unpack, utc_timestamp
from user_service import repository
from user_service.schemas import AdminUserPage, ProfileOut
from user_service.service import get_profile, profile_out


def encode_cursor(created_at: datetime, user_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"a:{created_at.isoformat()}|{user_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        prefix, _, rest = unpack(cursor).partition(":")
        when, _, user_id = rest.partition("|")
        if prefix != "a":
            raise ValueError(prefix)
        return utc_timestamp(when), uuid.UUID(user_id)
    except ValueError as exc:
        raise ValidationFailed(
            "cursor is not one this API returned", errors=[{"field": "cursor", "message": "invalid cursor"}]
        ) from exc


def _query_text(q: str) -> str:
    # A handle is often typed with its @; everything stored is matched lower-case (handles and
    # e-mails are stored lower-case, names are compared lower-cased).
    text = q.strip().removeprefix("@").strip().lower()
    if not text:
        raise ValidationFailed("type something to search for", errors=[{"field": "q", "message": "must not be blank"}])
    return text


async def search(session: AsyncSession, *, q: str, limit: int, cursor: str | None) -> AdminUserPage:
    text = _query_text(q)
    rows = await repository.search(
        session,
        text=text,
        phone=as_e164(q),
        before=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return AdminUserPage(
        items=[profile_out(r) for r in rows],
        next_cursor=encode_cursor(rows[-1].created_at, rows[-1].user_id) if more else None,
    )


async def read(session: AsyncSession, *, user_id: uuid.UUID) -> ProfileOut:
    return profile_out(await get_profile(session, user_id=user_id))
