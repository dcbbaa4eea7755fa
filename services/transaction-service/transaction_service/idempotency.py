"""Idempotency keys, enforced by the database (so it holds across replicas and restarts).

Design (see docs/ARCHITECTURE.md, "Money core"):
- The key row is written in the SAME transaction as the ledger change it describes, together with
  the answer. A crash before commit leaves neither; after commit, both. No "in progress" row is
  ever persisted, so nothing stale can block a retry after a crash.
- Concurrency on one key is serialised by a transaction-scoped advisory lock on (caller, key),
  taken before any work: a duplicate waits up to `idempotency_wait_seconds` for the first
  request (then usually replays its stored answer), else answers 409 `idempotency_in_progress`.
  The lock dies with the transaction/connection, e.g. when the process is killed.
- Declines reached at the ledger (`StoredDecline`) are stored and replayed; anything refused before
  (validation, auth, PIN, recipient lookup) or a failing dependency stores nothing.
- The transaction runs on the pooled connection's raw asyncpg connection (`instapay_common.db.rawsql`),
  and so does `work`: SQLAlchemy's per-statement layer cost more CPU than asyncpg itself here.
"""

import asyncio
import hashlib
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.web.request_context import current_request_id
from transaction_service.exceptions import IdempotencyInProgress, IdempotencyKeyReused, StoredDecline
from transaction_service.metrics import IDEMPOTENT_REPLAYS

# Runs inside the transaction, on its connection; returns (HTTP status, body).
Work = Callable[[RawConnection], Awaitable[tuple[int, dict[str, Any]]]]

_FIND = Sql("SELECT request_hash, status_code, response FROM ledger.idempotency_keys WHERE owner_id = :o AND key = :k")
_TRY_LOCK = Sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))")
_STORE = Sql(
    "INSERT INTO ledger.idempotency_keys (owner_id, key, request_hash, status_code, response) "
    "VALUES (:o, :k, :h, :s, CAST(:r AS jsonb))"
)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(endpoint: str, payload: dict[str, Any]) -> str:
    """Hash of what the request asks for; callers leave `pin` out of `payload`."""
    return hashlib.sha256(
        orjson.dumps({"endpoint": endpoint, "body": payload}, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def decline_body(exc: StoredDecline) -> dict[str, Any]:
    """The problem document a decline answers with (same shape as the shared error handler's)."""
    return {
        "type": f"https://docs.instapay.local/errors/{exc.code}",
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        "code": exc.code,
        "request_id": current_request_id(),
    }


async def _stored(conn: RawConnection, owner_id: uuid.UUID, key: str, hashed: str) -> Outcome | None:
    row = await conn.fetchrow(_FIND, o=owner_id, k=key)
    if row is None:
        return None
    if row["request_hash"] != hashed:
        raise IdempotencyKeyReused("this Idempotency-Key was already used for a different request")
    IDEMPOTENT_REPLAYS.inc()
    return Outcome(status=row["status_code"], body=row["response"], replayed=True)


async def find_stored(db: Database, *, owner_id: uuid.UUID, key: str, hashed: str) -> Outcome | None:
    """Fast path before any remote call: a finished request is replayed without re-checking the PIN.
    One statement, so no transaction around it (autocommit)."""
    async with rawsql.connection(db) as conn:
        return await _stored(conn, owner_id, key, hashed)


async def _acquire(conn: RawConnection, owner_id: uuid.UUID, key: str, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    lock_key = f"idem:{owner_id}:{key}"
    while True:
        if await conn.fetchval(_TRY_LOCK, k=lock_key):
            return
        if time.monotonic() >= deadline:
            raise IdempotencyInProgress("the first request with this Idempotency-Key is still running; retry shortly")
        await asyncio.sleep(0.02)


async def execute_once(
    db: Database,
    *,
    owner_id: uuid.UUID,
    key: str,
    hashed: str,
    wait_seconds: float,
    work: Work,
    declines_before_writing: bool = False,
) -> Outcome:
    """Runs `work` (inside one DB transaction) at most once per (owner, key) and stores its answer.

    A `StoredDecline` from `work` keeps only the stored answer: `work` runs in a savepoint that the
    decline rolls back. `declines_before_writing=True` says that `work` raises every decline before
    its first write (a transfer decides under the wallet locks, then posts), so there is nothing to
    undo and the savepoint's two round trips are saved; the row locks it took last until the
    commit that follows at once. Tests check that a declined transfer writes nothing."""
    async with rawsql.transaction(db) as conn:
        await _acquire(conn, owner_id, key, wait_seconds)
        stored = await _stored(conn, owner_id, key, hashed)
        if stored is not None:
            return stored
        try:
            if declines_before_writing:
                status, body = await work(conn)
            else:
                async with conn.savepoint():  # a decline undoes the work's locks and writes only
                    status, body = await work(conn)
        except StoredDecline as exc:
            status, body = exc.status, decline_body(exc)
        await conn.execute(_STORE, o=owner_id, k=key, h=hashed, s=status, r=orjson.dumps(body).decode())
    return Outcome(status=status, body=body)


# Oldest first, a bounded batch per statement: each DELETE holds its row locks briefly, and a key
# being replayed meanwhile is either still there (replayed) or already gone (past the retention).
_PURGE = Sql(
    "WITH gone AS (DELETE FROM ledger.idempotency_keys WHERE ctid = ANY(ARRAY("
    "SELECT ctid FROM ledger.idempotency_keys WHERE created_at < now() - make_interval(hours => :h) "
    "ORDER BY created_at LIMIT :n)) RETURNING 1) SELECT count(*) FROM gone"
)


async def purge_expired_keys(db: Database, *, retention_hours: int, batch: int = 5000) -> int:
    """Deletes stored answers older than the retention; returns how many."""
    removed = 0
    while True:
        async with rawsql.connection(db) as conn:
            n = await conn.fetchval(_PURGE, h=retention_hours, n=batch)
        removed += n
        if n < batch:
            return removed
