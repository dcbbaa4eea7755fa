"""Idempotency keys, enforced by the database (so it holds across replicas and restarts).

- The key row is written in the SAME transaction as the ledger change it describes, together with
  the answer. A crash before commit leaves neither; after commit, both. No "in progress" row is
  ever persisted, so nothing stale can block a retry after a crash.
- Concurrency on one key is serialised by a transaction-scoped advisory lock on (caller, key),
  taken before any work: a duplicate waits up to `idempotency_wait_seconds` for the first
  request (then usually replays its stored answer), else answers 409 `idempotency_in_progress`.
  The lock dies with the transaction/connection, e.g. when the process is killed.
- Declines reached at the ledger (`StoredDecline`) are stored and replayed; anything refused before
  (validation, auth, PIN, recipient lookup) or a failing dependency stores nothing.
- The transaction, and `work` inside it, run on the raw asyncpg connection
  (`instapay_common.db.rawsql`), like every statement of this service.
"""

import asyncio
import hashlib
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import orjson

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import DomainError
from instapay_common.web.request_context import current_request_id
from transaction_service import events
from transaction_service.exceptions import IdempotencyInProgress, IdempotencyKeyReused, StoredDecline
from transaction_service.metrics import IDEMPOTENT_REPLAYS
from transaction_service.repository import idempotency as keys
from transaction_service.repository.accounts import Wallet
from transaction_service.schemas import JsonObject

# Runs inside the transaction, on its connection; returns (HTTP status, body).
Work = Callable[[RawConnection], Awaitable[tuple[int, JsonObject]]]


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    body: JsonObject
    replayed: bool = False


def request_hash(endpoint: str, payload: Mapping[str, object]) -> str:
    """Hash of what the request asks for; callers leave `pin` out of `payload`."""
    return hashlib.sha256(
        orjson.dumps({"endpoint": endpoint, "body": payload}, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def decline_body(exc: DomainError) -> JsonObject:
    """The problem document a decline answers with (same shape as the shared error handler's)."""
    return {
        "type": f"https://docs.instapay.local/errors/{exc.code}",
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        "code": exc.code,
        "request_id": current_request_id(),
        **exc.extra,  # extension members (`frozen_wallet`), replayed with the rest
    }


def _replay(answer: keys.StoredAnswer | None, hashed: str) -> Outcome | None:
    if answer is None:
        return None
    if answer.request_hash != hashed:
        raise IdempotencyKeyReused("this Idempotency-Key was already used for a different request")
    IDEMPOTENT_REPLAYS.inc()
    return Outcome(status=answer.status_code, body=answer.response, replayed=True)


async def _stored(conn: RawConnection, owner_id: uuid.UUID, key: str, hashed: str) -> Outcome | None:
    return _replay(await keys.find(conn, owner_id, key), hashed)


async def find_stored(
    db: Database, *, owner_id: uuid.UUID, key: str, hashed: str
) -> tuple[Outcome | None, Wallet | None]:
    """Fast path before any remote call: a finished request is replayed without re-checking the PIN.
    The same statement reads the caller's wallet (None: none) for the checks that come next when
    there is nothing to replay (one round trip instead of two). One statement, so no transaction
    around it (autocommit)."""
    async with rawsql.connection(db) as conn:
        answer, wallet = await keys.find_with_wallet(conn, owner_id, key)
    return _replay(answer, hashed), wallet


async def _acquire(conn: RawConnection, owner_id: uuid.UUID, key: str, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while not await keys.try_lock(conn, owner_id, key):
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
    commit that follows at once."""
    async with rawsql.transaction(db) as conn:
        await _acquire(conn, owner_id, key, wait_seconds)
        stored = await _stored(conn, owner_id, key, hashed)
        if stored is not None:
            return stored
        # The work's events are written with its answer, one round trip for both.
        with events.deferred(conn) as emitted:
            try:
                if declines_before_writing:
                    status, body = await work(conn)
                else:
                    async with conn.savepoint():  # a decline undoes the work's locks and writes only
                        status, body = await work(conn)
            except StoredDecline as exc:
                status, body = exc.status, decline_body(exc)
                emitted.clear()  # the decline's rollback would have undone them
        await keys.store(conn, owner_id, key, request_hash=hashed, status=status, body=body, events=emitted)
    return Outcome(status=status, body=body)


async def purge_expired_keys(db: Database, *, retention_hours: int, batch: int = 5000) -> int:
    """Deletes stored answers older than the retention, a batch per statement; returns how many."""
    removed = 0
    while True:
        async with rawsql.connection(db) as conn:
            n = await keys.purge_older_than(conn, hours=retention_hours, batch=batch)
        removed += n
        if n < batch:
            return removed
