"""All SQL of webhooks, on the raw asyncpg connection (instapay_common.db.rawsql).

An owner is (user_id, client_id): an API client's token sees the endpoints of its client only, a
user's own session every endpoint of the user (client_id None matches all of them).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql

_S = "notifications"
_OWNED = "e.user_id = :user_id AND (CAST(:client_id AS text) IS NULL OR e.client_id = :client_id)"
_ENDPOINT_COLUMNS = (
    "e.id, e.user_id, e.client_id, e.url, e.description, e.events, e.status, e.disabled_reason, "
    "e.secret, e.previous_secret, e.previous_secret_expires_at, e.created_at, e.updated_at"
)


class Owner(NamedTuple):
    user_id: uuid.UUID
    client_id: str | None  # None: the user's own session (all of the user's endpoints)


class EndpointRow(NamedTuple):
    id: uuid.UUID
    user_id: uuid.UUID
    client_id: str | None
    url: str
    description: str | None
    events: list[str]
    status: str
    disabled_reason: str | None
    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


# Serializes a user's endpoint creations, so the cap holds under concurrent requests.
_LOCK_OWNER = Sql("SELECT pg_advisory_xact_lock(hashtext('webhooks:' || CAST(:user_id AS text)))")
_COUNT = Sql(f"SELECT count(*) FROM {_S}.webhook_endpoints WHERE user_id = :user_id")  # noqa: S608 - schema is ours
_INSERT_ENDPOINT = Sql(
    f"INSERT INTO {_S}.webhook_endpoints AS e (id, user_id, client_id, url, description, events, secret) "  # noqa: S608
    f"VALUES (:id, :user_id, :client_id, :url, :description, :events, :secret) RETURNING {_ENDPOINT_COLUMNS}"
)
_LIST = Sql(
    f"SELECT {_ENDPOINT_COLUMNS} FROM {_S}.webhook_endpoints AS e WHERE {_OWNED} "  # noqa: S608
    "ORDER BY e.created_at, e.id"
)
_GET = Sql(f"SELECT {_ENDPOINT_COLUMNS} FROM {_S}.webhook_endpoints AS e WHERE e.id = :id AND {_OWNED}")  # noqa: S608
# COALESCE keeps what the PATCH left out; `enable` clears the reason it was disabled for.
_UPDATE = Sql(
    f"UPDATE {_S}.webhook_endpoints AS e SET url = COALESCE(CAST(:url AS text), e.url), "  # noqa: S608
    "events = COALESCE(CAST(:events AS text[]), e.events), "
    "description = CASE WHEN CAST(:set_description AS boolean) THEN CAST(:description AS text) "
    "ELSE e.description END, "
    "status = COALESCE(CAST(:status AS text), e.status), "
    "disabled_reason = CASE WHEN CAST(:status AS text) IS NULL THEN e.disabled_reason "
    "WHEN CAST(:status AS text) = 'enabled' THEN NULL ELSE 'by_user' END, updated_at = now() "
    f"WHERE e.id = :id AND {_OWNED} RETURNING {_ENDPOINT_COLUMNS}"
)
_DELETE = Sql(f"DELETE FROM {_S}.webhook_endpoints AS e WHERE e.id = :id AND {_OWNED} RETURNING e.id")  # noqa: S608
_ROTATE = Sql(
    f"UPDATE {_S}.webhook_endpoints AS e SET previous_secret = e.secret, secret = :secret, "  # noqa: S608
    "previous_secret_expires_at = now() + make_interval(secs => CAST(:grace AS double precision)), updated_at = now() "
    f"WHERE e.id = :id AND {_OWNED} RETURNING {_ENDPOINT_COLUMNS}"
)
_DISABLE = Sql(
    f"UPDATE {_S}.webhook_endpoints SET status = 'disabled', disabled_reason = :reason, updated_at = now() "  # noqa: S608
    "WHERE id = :id AND status = 'enabled' RETURNING user_id, url"
)


async def create_endpoint(
    conn: RawConnection,
    *,
    owner: Owner,
    endpoint_id: uuid.UUID,
    url: str,
    description: str | None,
    events: list[str],
    secret: str,
    cap: int,
) -> EndpointRow | None:
    """None when the user already has `cap` endpoints."""
    await conn.execute(_LOCK_OWNER, user_id=str(owner.user_id))
    if await conn.fetchval(_COUNT, user_id=owner.user_id) >= cap:
        return None
    row = await conn.fetchrow(
        _INSERT_ENDPOINT,
        id=endpoint_id,
        user_id=owner.user_id,
        client_id=owner.client_id,
        url=url,
        description=description,
        events=events,
        secret=secret,
    )
    assert row is not None
    return EndpointRow(*row)


async def list_endpoints(conn: RawConnection, *, owner: Owner) -> list[EndpointRow]:
    return [EndpointRow(*r) for r in await conn.fetch(_LIST, user_id=owner.user_id, client_id=owner.client_id)]


async def get_endpoint(conn: RawConnection, *, owner: Owner, endpoint_id: uuid.UUID) -> EndpointRow | None:
    row = await conn.fetchrow(_GET, id=endpoint_id, user_id=owner.user_id, client_id=owner.client_id)
    return EndpointRow(*row) if row else None


async def update_endpoint(
    conn: RawConnection,
    *,
    owner: Owner,
    endpoint_id: uuid.UUID,
    url: str | None,
    events: list[str] | None,
    description: tuple[bool, str | None],
    status: str | None,
) -> EndpointRow | None:
    row = await conn.fetchrow(
        _UPDATE,
        id=endpoint_id,
        user_id=owner.user_id,
        client_id=owner.client_id,
        url=url,
        events=events,
        set_description=description[0],
        description=description[1],
        status=status,
    )
    return EndpointRow(*row) if row else None


async def delete_endpoint(conn: RawConnection, *, owner: Owner, endpoint_id: uuid.UUID) -> bool:
    return await conn.fetchrow(_DELETE, id=endpoint_id, user_id=owner.user_id, client_id=owner.client_id) is not None


async def rotate_secret(
    conn: RawConnection, *, owner: Owner, endpoint_id: uuid.UUID, secret: str, grace_seconds: float
) -> EndpointRow | None:
    row = await conn.fetchrow(
        _ROTATE, id=endpoint_id, user_id=owner.user_id, client_id=owner.client_id, secret=secret, grace=grace_seconds
    )
    return EndpointRow(*row) if row else None


# Every endpoint of an API client that no longer exists: disabled for good (the PATCH cannot
# enable it again: service.update), so pending deliveries wait forever and none is added.
_DISABLE_CLIENT = Sql(
    f"UPDATE {_S}.webhook_endpoints SET status = 'disabled', disabled_reason = 'client_revoked', "  # noqa: S608
    "updated_at = now() WHERE user_id = :user_id AND client_id = :client_id "
    "AND disabled_reason IS DISTINCT FROM 'client_revoked' RETURNING id"
)


async def disable_client_endpoints(conn: RawConnection, *, user_id: uuid.UUID, client_id: str) -> list[uuid.UUID]:
    """The ids of the client's endpoints this call disabled (none if done already)."""
    return [r["id"] for r in await conn.fetch(_DISABLE_CLIENT, user_id=user_id, client_id=client_id)]


async def disable_endpoint(conn: RawConnection, *, endpoint_id: uuid.UUID, reason: str) -> tuple[uuid.UUID, str] | None:
    """(user_id, url) if this call disabled it; None if it was disabled (or deleted) already."""
    row = await conn.fetchrow(_DISABLE, id=endpoint_id, reason=reason)
    return (row["user_id"], row["url"]) if row else None


# --- deliveries ----------------------------------------------------------------------------------


class NewMessage(NamedTuple):
    event_id: uuid.UUID
    user_id: uuid.UUID
    type: str
    payload: str  # the exact JSON body every attempt sends


# One delivery per enabled endpoint of the user subscribed to the type; an event seen again
# (the unique key) adds nothing, so an event never gets two webhook-ids on one endpoint.
_ENQUEUE = Sql(
    f"INSERT INTO {_S}.webhook_deliveries (id, endpoint_id, event_id, event_type, payload) "  # noqa: S608
    "SELECT gen_random_uuid(), e.id, m.event_id, m.type, m.payload "
    "FROM unnest(CAST(:event_ids AS uuid[]), CAST(:user_ids AS uuid[]), CAST(:types AS text[]), "
    "CAST(:payloads AS text[])) WITH ORDINALITY AS m(event_id, user_id, type, payload, ord) "
    f"JOIN {_S}.webhook_endpoints AS e ON e.user_id = m.user_id AND e.status = 'enabled' AND m.type = ANY(e.events) "
    "ORDER BY m.ord, e.id ON CONFLICT ON CONSTRAINT uq_webhook_deliveries_endpoint_event DO NOTHING"
)


async def enqueue(conn: RawConnection, messages: Sequence[NewMessage]) -> None:
    if not messages:
        return
    await conn.execute(
        _ENQUEUE,
        event_ids=[m.event_id for m in messages],
        user_ids=[m.user_id for m in messages],
        types=[m.type for m in messages],
        payloads=[m.payload for m in messages],
    )


class ClaimedDelivery(NamedTuple):
    id: uuid.UUID
    attempts: int  # including this one
    payload: str
    endpoint_id: uuid.UUID
    url: str
    secret: str
    previous_secret: str | None  # set only while still valid


# A lease, not a held lock: the row is due again `lease` seconds later unless the sender records
# an outcome first, so a sender killed mid-request loses nothing (the next one sends it again,
# same id, same body) and no transaction stays open across an HTTP call.
_CLAIM = Sql(
    f"UPDATE {_S}.webhook_deliveries AS d SET attempts = d.attempts + 1, "  # noqa: S608
    "next_attempt_at = clock_timestamp() + make_interval(secs => CAST(:lease AS double precision)), updated_at = now() "
    "FROM (SELECT d2.id FROM "
    f"{_S}.webhook_deliveries AS d2 JOIN {_S}.webhook_endpoints AS e2 ON e2.id = d2.endpoint_id "
    "WHERE d2.status = 'pending' AND d2.next_attempt_at <= clock_timestamp() AND e2.status = 'enabled' "
    "ORDER BY d2.next_attempt_at LIMIT :limit FOR UPDATE OF d2 SKIP LOCKED) AS c, "
    f"{_S}.webhook_endpoints AS e "
    "WHERE d.id = c.id AND e.id = d.endpoint_id "
    "RETURNING d.id, d.attempts, d.payload, e.id, e.url, e.secret, "
    "CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END"
)


async def claim_due(conn: RawConnection, *, limit: int, lease_seconds: float) -> list[ClaimedDelivery]:
    return [ClaimedDelivery(*r) for r in await conn.fetch(_CLAIM, limit=limit, lease=lease_seconds)]


class Attempt(NamedTuple):
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


_LOG_ATTEMPT = Sql(
    f"INSERT INTO {_S}.webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error) "  # noqa: S608
    "VALUES (:id, :at, :code, :latency, :error)"
)
# Only while the claim is still ours (same attempt number, still pending): a replay or a later
# claim after an expired lease owns the row now.
_RECORD = Sql(
    f"UPDATE {_S}.webhook_deliveries SET status = :status, last_status_code = :code, last_error = :error, "  # noqa: S608
    "next_attempt_at = CASE WHEN CAST(:delay AS double precision) IS NULL THEN next_attempt_at "
    "ELSE clock_timestamp() + make_interval(secs => CAST(:delay AS double precision)) END, updated_at = now() "
    "WHERE id = :id AND attempts = :attempts AND status = 'pending' RETURNING id"
)


async def record(
    conn: RawConnection, *, delivery: ClaimedDelivery, attempt: Attempt, status: str, delay: float | None
) -> bool:
    await conn.execute(
        _LOG_ATTEMPT,
        id=delivery.id,
        at=attempt.attempted_at,
        code=attempt.status_code,
        latency=attempt.latency_ms,
        error=attempt.error,
    )
    row = await conn.fetchrow(
        _RECORD,
        id=delivery.id,
        attempts=delivery.attempts,
        status=status,
        code=attempt.status_code,
        error=attempt.error,
        delay=delay,
    )
    return row is not None


class DeliveryRow(NamedTuple):
    seq: int
    id: uuid.UUID
    event_type: str
    event_id: uuid.UUID
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime


_DELIVERIES = Sql(
    "SELECT d.seq, d.id, d.event_type, d.event_id, d.status, d.attempts, d.next_attempt_at, d.last_status_code, "  # noqa: S608
    f"d.last_error, d.created_at, d.updated_at FROM {_S}.webhook_deliveries AS d "
    f"JOIN {_S}.webhook_endpoints AS e ON e.id = d.endpoint_id "
    f"WHERE d.endpoint_id = :endpoint_id AND {_OWNED} "
    "AND (CAST(:before AS bigint) IS NULL OR d.seq < :before) ORDER BY d.seq DESC LIMIT :limit"
)
_ATTEMPTS = Sql(
    f"SELECT delivery_id, attempted_at, status_code, latency_ms, error FROM {_S}.webhook_attempts "  # noqa: S608
    "WHERE delivery_id = ANY(CAST(:ids AS uuid[])) ORDER BY id"
)


async def deliveries(
    conn: RawConnection, *, owner: Owner, endpoint_id: uuid.UUID, before_seq: int | None, limit: int
) -> list[DeliveryRow]:
    rows = await conn.fetch(
        _DELIVERIES,
        endpoint_id=endpoint_id,
        user_id=owner.user_id,
        client_id=owner.client_id,
        before=before_seq,
        limit=limit,
    )
    return [DeliveryRow(*r) for r in rows]


async def attempts(conn: RawConnection, *, delivery_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Attempt]]:
    out: dict[uuid.UUID, list[Attempt]] = {i: [] for i in delivery_ids}
    for r in await conn.fetch(_ATTEMPTS, ids=delivery_ids):
        out[r["delivery_id"]].append(Attempt(r["attempted_at"], r["status_code"], r["latency_ms"], r["error"]))
    return out


# A replay sends the same message (same id, same body) again, on a fresh schedule.
_REPLAY = Sql(
    f"UPDATE {_S}.webhook_deliveries AS d SET status = 'pending', attempts = 0, "  # noqa: S608
    "next_attempt_at = now(), updated_at = now() "
    f"FROM {_S}.webhook_endpoints AS e WHERE d.id = :id AND e.id = d.endpoint_id AND {_OWNED} RETURNING d.id"
)


async def replay(conn: RawConnection, *, owner: Owner, delivery_id: uuid.UUID) -> bool:
    row = await conn.fetchrow(_REPLAY, id=delivery_id, user_id=owner.user_id, client_id=owner.client_id)
    return row is not None
