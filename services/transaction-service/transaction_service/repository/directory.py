"""The recipient directory's SQL (`ledger.directory_entries`, `directory_lookups`, the inbox).

Writes are rare (a profile change, a fallback that read a newer version, a rebuild) and run
under one advisory lock, so two writers never interleave their "who holds this identifier"
decisions and cannot deadlock on each other's rows. Reads take no lock: one statement answers a
transfer's two parties and whether the acting user's budget already counted the identifier.
"""

import uuid
from datetime import datetime
from typing import Literal, NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.events.inbox import claim_many_sql

Column = Literal["phone", "email", "handle"]


class Entry(NamedTuple):
    """A profile as the directory keeps it: phone and e-mail only once verified, no identifier at
    all once deleted; `version` is the user service's (one sequence for every profile)."""

    user_id: uuid.UUID
    handle: str | None
    phone: str | None
    email: str | None
    display_name: str
    status: str
    version: int


class Found(NamedTuple):
    """A read of the directory: the recipient an identifier names (if any), the sender by id (if
    known), and whether the sender's budget counted the identifier since the time asked."""

    recipient: Entry | None
    sender: Entry | None
    counted: bool


_COLUMNS = ", ".join(Entry._fields)
_LOCK = Sql("SELECT pg_advisory_xact_lock(hashtextextended('ledger.directory_entries', 0))")
_HELD = Sql("SELECT version FROM ledger.directory_entries WHERE user_id = :u")
_HOLDS = "(handle = :h OR phone = :p OR email = :e)"
# Identifiers are unique at any moment in the user service, and a later claim of one has a later
# version (the claim can only commit after the release did). So a newer entry claiming an
# identifier takes it from an older holder, whose own next event will say what it holds now...
_CLEAR_OLDER = Sql(
    "UPDATE ledger.directory_entries SET "  # noqa: S608 - fixed text
    "handle = CASE WHEN handle = :h THEN NULL ELSE handle END, "
    "phone = CASE WHEN phone = :p THEN NULL ELSE phone END, "
    "email = CASE WHEN email = :e THEN NULL ELSE email END, updated_at = now() "
    f"WHERE user_id <> :u AND version < :v AND {_HOLDS}"
)
# ... and an older entry never takes one from a newer holder: it is stored without it (a lookup
# by it misses and asks the user service).
_HELD_BY_NEWER = Sql(
    "SELECT coalesce(bool_or(handle = :h), false), coalesce(bool_or(phone = :p), false), "  # noqa: S608
    "coalesce(bool_or(email = :e), false) FROM ledger.directory_entries "
    f"WHERE user_id <> :u AND version >= :v AND {_HOLDS}"
)
_UPSERT = Sql(
    f"INSERT INTO ledger.directory_entries ({_COLUMNS}) VALUES (:u, :h, :p, :e, :d, :s, :v) "  # noqa: S608
    "ON CONFLICT (user_id) DO UPDATE SET handle = EXCLUDED.handle, phone = EXCLUDED.phone, "
    "email = EXCLUDED.email, display_name = EXCLUDED.display_name, status = EXCLUDED.status, "
    "version = EXCLUDED.version, updated_at = now() WHERE directory_entries.version < EXCLUDED.version"
)
# Who may be found by each identifier (the user service's rule): a verified phone, and by e-mail
# a verified e-mail too. Only verified ones are stored, so "the phone is known" is the rule.
_RULES: dict[Column, str] = {"handle": "r.phone IS NOT NULL", "phone": "true", "email": "r.phone IS NOT NULL"}
_R = ", ".join(f"r.{c}" for c in Entry._fields)
_S = ", ".join(f"s.{c}" for c in Entry._fields)
_FIND = {
    column: Sql(
        f"SELECT {_R}, {_S}, EXISTS (SELECT 1 FROM ledger.directory_lookups l "  # noqa: S608 - fixed text
        "WHERE l.user_id = :sender AND l.target = :t AND l.counted_at > :since) "
        f"FROM (SELECT 1) one LEFT JOIN ledger.directory_entries r ON r.{column} = :v AND {rule} "
        "LEFT JOIN ledger.directory_entries s ON s.user_id = :sender"
    )
    for column, rule in _RULES.items()
}
_BY_ID = Sql(f"SELECT {_COLUMNS} FROM ledger.directory_entries WHERE user_id = :u")  # noqa: S608
_COUNTED = Sql(
    "INSERT INTO ledger.directory_lookups (user_id, target, counted_at) VALUES (:u, :t, :at) "
    "ON CONFLICT (user_id, target) DO UPDATE "
    "SET counted_at = GREATEST(directory_lookups.counted_at, EXCLUDED.counted_at)"
)
_FORGET = Sql(
    "WITH gone AS (DELETE FROM ledger.directory_lookups WHERE counted_at < :before RETURNING 1) "
    "SELECT count(*) FROM gone"
)
_TRUNCATE = Sql("TRUNCATE ledger.directory_entries")
_CLAIM = claim_many_sql("ledger")


def _entry(values: tuple[object, ...]) -> Entry | None:
    return Entry(*values) if values[0] is not None else None  # type: ignore[arg-type]


async def lock(conn: RawConnection) -> None:
    """Serialises directory writers until the transaction ends."""
    await conn.execute(_LOCK)


async def claim(conn: RawConnection, event_id: uuid.UUID, event_type: str) -> bool:
    """True if this transaction is the first to apply the event (inbox, same transaction)."""
    return bool(await conn.fetch(_CLAIM, ids=[event_id], types=[event_type]))


async def apply(conn: RawConnection, entry: Entry) -> bool:
    """Stores `entry` if its version is above the one held (the caller holds `lock`); True if it did."""
    held = await conn.fetchval(_HELD, u=entry.user_id)
    if held is not None and held >= entry.version:
        return False
    ids = {"u": entry.user_id, "h": entry.handle, "p": entry.phone, "e": entry.email, "v": entry.version}
    await conn.execute(_CLEAR_OLDER, **ids)
    row = await conn.fetchrow(_HELD_BY_NEWER, **ids)
    taken = tuple(row) if row is not None else (False, False, False)
    await conn.execute(
        _UPSERT,
        u=entry.user_id,
        h=None if taken[0] else entry.handle,
        p=None if taken[1] else entry.phone,
        e=None if taken[2] else entry.email,
        d=entry.display_name,
        s=entry.status,
        v=entry.version,
    )
    return True


async def find(
    conn: RawConnection, *, column: Column, value: str, sender_id: uuid.UUID, target: str, since: datetime
) -> Found:
    row = await conn.fetchrow(_FIND[column], v=value, sender=sender_id, t=target, since=since)
    assert row is not None  # one row always (LEFT JOINs on a one-row source)
    width = len(Entry._fields)
    values = tuple(row)
    return Found(_entry(values[:width]), _entry(values[width : 2 * width]), bool(values[-1]))


async def by_id(conn: RawConnection, user_id: uuid.UUID) -> Entry | None:
    row = await conn.fetchrow(_BY_ID, u=user_id)
    return Entry(*row) if row is not None else None


async def record_counted(conn: RawConnection, *, user_id: uuid.UUID, target: str, at: datetime) -> None:
    await conn.execute(_COUNTED, u=user_id, t=target, at=at)


async def forget_counted(conn: RawConnection, *, before: datetime) -> int:
    """Drops budget times too old to let the directory answer; returns how many."""
    return int(await conn.fetchval(_FORGET, before=before))


async def truncate(conn: RawConnection) -> None:
    await conn.execute(_TRUNCATE)
