"""Stored answers of money requests (`ledger.idempotency_keys`), one per (caller, key)."""

import uuid
from collections.abc import Sequence
from typing import NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.events.outbox import PendingEvent, events_params, with_events_sql
from transaction_service.models import outbox
from transaction_service.repository.accounts import Wallet


class StoredAnswer(NamedTuple):
    request_hash: str
    status_code: int
    response: dict[str, object]


_FIND = Sql(
    f"SELECT {', '.join(StoredAnswer._fields)} FROM ledger.idempotency_keys WHERE owner_id = :o AND key = :k"  # noqa: S608
)
# The answer stored for (caller, key) and the caller's wallet in one round trip: what a money
# request reads before anything else (replay first, then the sender's own checks).
_FIND_WITH_WALLET = Sql(
    f"SELECT {', '.join('k.' + f for f in StoredAnswer._fields)}, "  # noqa: S608 - fixed column lists
    f"{', '.join('w.' + f for f in Wallet._fields)} FROM (SELECT 1) one "
    "LEFT JOIN ledger.idempotency_keys k ON k.owner_id = :o AND k.key = :k "
    "LEFT JOIN ledger.accounts w ON w.user_id = :o"
)
_TRY_LOCK = Sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))")
_STORE_TEXT = (
    "INSERT INTO ledger.idempotency_keys (owner_id, key, request_hash, status_code, response) "
    "VALUES (:o, :k, :h, :s, CAST(:r AS jsonb))"
)
_STORE = Sql(_STORE_TEXT)
# The answer and the events of the same work, in one round trip.
_STORE_WITH_EVENTS = Sql(with_events_sql(outbox, _STORE_TEXT))
# Oldest first, a bounded batch per statement: each DELETE holds its row locks briefly, and a key
# being replayed meanwhile is either still there (replayed) or already gone (past the retention).
_PURGE = Sql(
    "WITH gone AS (DELETE FROM ledger.idempotency_keys WHERE ctid = ANY(ARRAY("
    "SELECT ctid FROM ledger.idempotency_keys WHERE created_at < now() - make_interval(hours => :h) "
    "ORDER BY created_at LIMIT :n)) RETURNING 1) SELECT count(*) FROM gone"
)


async def find(conn: RawConnection, owner_id: uuid.UUID, key: str) -> StoredAnswer | None:
    row = await conn.fetchrow(_FIND, o=owner_id, k=key)
    return None if row is None else StoredAnswer(*row)


async def find_with_wallet(
    conn: RawConnection, owner_id: uuid.UUID, key: str
) -> tuple[StoredAnswer | None, Wallet | None]:
    """The stored answer of (owner, key) and the owner's wallet (None: none), read without a lock."""
    row = await conn.fetchrow(_FIND_WITH_WALLET, o=owner_id, k=key)
    assert row is not None  # one row always (LEFT JOINs on a one-row source)
    values = tuple(row)
    width = len(StoredAnswer._fields)
    answer = StoredAnswer(*values[:width]) if values[0] is not None else None
    wallet = Wallet(*values[width:]) if values[width] is not None else None
    return answer, wallet


async def try_lock(conn: RawConnection, owner_id: uuid.UUID, key: str) -> bool:
    """A transaction-scoped advisory lock on (owner, key): released by COMMIT, ROLLBACK or a lost
    connection, so a crash never leaves a key blocked."""
    return bool(await conn.fetchval(_TRY_LOCK, k=f"idem:{owner_id}:{key}"))


async def store(
    conn: RawConnection,
    owner_id: uuid.UUID,
    key: str,
    *,
    request_hash: str,
    status: int,
    body: dict[str, object],
    events: Sequence[PendingEvent] = (),
) -> None:
    """Stores the answer, and writes `events` (held while the work ran) into the outbox."""
    answer = {"o": owner_id, "k": key, "h": request_hash, "s": status, "r": orjson.dumps(body).decode()}
    if events:
        await conn.execute(_STORE_WITH_EVENTS, **answer, **events_params(outbox, events))
    else:
        await conn.execute(_STORE, **answer)


async def purge_older_than(conn: RawConnection, *, hours: int, batch: int) -> int:
    """Deletes up to `batch` answers stored more than `hours` ago; returns how many."""
    return int(await conn.fetchval(_PURGE, h=hours, n=batch))
