"""Favourites (`ledger.favourites`) and recent recipients (from the ledger's transfers).

A favourite keeps the recipient as the user service named them when saved (handle and masked
name), like the ledger's party snapshots: a list shows without a call per row.
"""

import uuid
from datetime import datetime
from typing import NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service.parties import PartyRef


class Favourite(NamedTuple):
    id: uuid.UUID
    user_id: uuid.UUID
    recipient_user_id: uuid.UUID
    handle: str | None
    display_name: str | None
    nickname: str | None
    created_at: datetime


class RecentRecipient(NamedTuple):
    recipient: PartyRef
    last_paid_at: datetime


_COLUMNS = ", ".join(Favourite._fields)
# A favourite already saved inserts nothing (`insert` answers None).
_INSERT = Sql(
    "INSERT INTO ledger.favourites (id, user_id, recipient_user_id, handle, display_name, nickname) "  # noqa: S608
    "VALUES (:id, :u, :r, :h, :d, :n) ON CONFLICT (user_id, recipient_user_id) DO NOTHING "
    f"RETURNING {_COLUMNS}"
)
_LIST = Sql(
    f"SELECT {_COLUMNS} FROM ledger.favourites WHERE user_id = :u ORDER BY created_at DESC, id DESC"  # noqa: S608
)
_DELETE = Sql("DELETE FROM ledger.favourites WHERE id = :id AND user_id = :u RETURNING id")
# One user's favourites change one at a time (until commit), so a parallel burst cannot pass the cap.
_LOCK_OWNER = Sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_COUNT = Sql("SELECT count(*) FROM ledger.favourites WHERE user_id = :u")
# The last distinct people paid, newest first: the user's outgoing transfers (index on the
# sender's id and time), the latest per recipient.
_RECENT = Sql(
    "SELECT recipient, last_paid_at FROM ("
    "  SELECT DISTINCT ON (recipient->>'user_id') recipient, created_at AS last_paid_at"
    "  FROM (SELECT recipient, created_at FROM ledger.journal_entries"
    "        WHERE type = 'transfer' AND sender->>'user_id' = :u ORDER BY created_at DESC LIMIT :scan) t"
    "  ORDER BY recipient->>'user_id', created_at DESC"
    ") d ORDER BY last_paid_at DESC LIMIT :lim"
)


async def insert(
    conn: RawConnection, *, user_id: uuid.UUID, recipient: PartyRef, nickname: str | None
) -> Favourite | None:
    row = await conn.fetchrow(
        _INSERT,
        id=uuid.uuid4(),
        u=user_id,
        r=uuid.UUID(recipient["user_id"]),
        h=recipient.get("handle"),
        d=recipient.get("display_name"),
        n=nickname,
    )
    return None if row is None else Favourite(*row)


async def count_locked(conn: RawConnection, user_id: uuid.UUID) -> int:
    """The user's favourites, counted under their lock (held until the transaction ends)."""
    await conn.execute(_LOCK_OWNER, key=f"favourites:{user_id}")
    return int(await conn.fetchval(_COUNT, u=user_id))


async def list_of(conn: RawConnection, user_id: uuid.UUID) -> list[Favourite]:
    return [Favourite(*r) for r in await conn.fetch(_LIST, u=user_id)]


async def delete(conn: RawConnection, favourite_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    return await conn.fetchrow(_DELETE, id=favourite_id, u=user_id) is not None


async def recent_recipients(conn: RawConnection, user_id: uuid.UUID, *, limit: int) -> list[RecentRecipient]:
    """Up to `limit` distinct recipients of the user's latest transfers (the last 500 looked at:
    a bounded read however long the history), newest first."""
    rows = await conn.fetch(_RECENT, u=str(user_id), lim=limit, scan=500)
    return [RecentRecipient(_party(r["recipient"]), r["last_paid_at"]) for r in rows]


def _party(value: object) -> PartyRef:
    data = orjson.loads(value) if isinstance(value, str | bytes) else value
    assert isinstance(data, dict)
    return {"user_id": str(data["user_id"]), "handle": data.get("handle"), "display_name": data.get("display_name")}
