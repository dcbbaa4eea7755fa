"""Favourites (saved recipients with a nickname) and recent recipients (the last people paid).

Decisions: saving someone already saved answers 409 `favourite_exists` (the client learns it
has one and can show it; a silent 200 would hide a nickname it meant to change); at most
`FAVOURITES_MAX` (50) per user, 409 `favourites_full` beyond, counted under a per-user lock so a
parallel burst cannot pass it. The recipient is resolved like a transfer's, on the caller's
lookup budget: saving favourites is no faster way to turn phone numbers into names.
"""

import uuid

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.errors import ValidationFailed
from instapay_common.security.tokens import Principal
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import FavouriteExists, FavouriteNotFound, FavouritesFull, SelfTransfer
from transaction_service.peers import Peers
from transaction_service.repository import favourites
from transaction_service.repository.favourites import Favourite
from transaction_service.schemas import FavouriteIn, JsonObject, party_body, rfc3339

RECENT_LIMIT = 10


def favourite_body(row: Favourite) -> JsonObject:
    return {
        "id": str(row.id),
        "recipient": {
            "user_id": str(row.recipient_user_id),
            "handle": row.handle,
            "display_name": row.display_name,
        },
        "nickname": row.nickname,
        "created_at": rfc3339(row.created_at),
    }


def _nickname(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if any(ord(c) < 32 for c in value):
        raise ValidationFailed(
            "nickname holds control characters",
            errors=[{"field": "nickname", "message": "at most 40 printable characters"}],
        )
    return value or None


async def add(
    db: Database, *, peers: Peers, settings: TransactionSettings, principal: Principal, body: FavouriteIn
) -> JsonObject:
    nickname = _nickname(body.nickname)
    user_id = uuid.UUID(principal.user_id)
    recipient = await peers.resolve(body.recipient.strip(), acting_user_id=principal.user_id)
    if recipient["user_id"] == principal.user_id:
        raise SelfTransfer("you cannot save yourself as a favourite")
    async with rawsql.transaction(db) as conn:
        if await favourites.count_locked(conn, user_id) >= settings.favourites_max:
            raise FavouritesFull(f"at most {settings.favourites_max} favourites; remove one first")
        row = await favourites.insert(conn, user_id=user_id, recipient=recipient, nickname=nickname)
    if row is None:
        raise FavouriteExists("this recipient is already one of your favourites")
    return favourite_body(row)


async def list_favourites(db: Database, *, principal: Principal) -> JsonObject:
    async with rawsql.connection(db) as conn:
        rows = await favourites.list_of(conn, uuid.UUID(principal.user_id))
    return {"items": [favourite_body(r) for r in rows], "next_cursor": None}  # capped: one page


async def remove(db: Database, *, principal: Principal, favourite_id: uuid.UUID) -> None:
    async with rawsql.connection(db) as conn:
        if not await favourites.delete(conn, favourite_id, uuid.UUID(principal.user_id)):
            raise FavouriteNotFound("no such favourite")


async def recent(db: Database, *, principal: Principal) -> JsonObject:
    async with rawsql.connection(db) as conn:
        rows = await favourites.recent_recipients(conn, uuid.UUID(principal.user_id), limit=RECENT_LIMIT)
    return {
        "items": [{"recipient": party_body(r.recipient), "last_paid_at": rfc3339(r.last_paid_at)} for r in rows],
        "next_cursor": None,
    }
