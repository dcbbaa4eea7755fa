"""Webhook endpoints of the caller: create (the secret shown once), list, change, delete, rotate
the secret, read the delivery log and replay a delivery. No SQL here (repository.py)."""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import datetime

from instapay_common.db.database import Database
from instapay_common.db.rawsql import connection, transaction
from instapay_common.errors import ValidationFailed
from instapay_common.web.cursor import bigint, unpack
from notification_service.exceptions import InvalidCursor
from notification_service.webhooks import audit, repository
from notification_service.webhooks.addresses import AddressRefused, check_url
from notification_service.webhooks.exceptions import (
    TooManyWebhookEndpoints,
    WebhookDeliveryNotFound,
    WebhookEndpointNotFound,
    WebhookUrlNotAllowed,
)
from notification_service.webhooks.repository import Attempt, DeliveryRow, EndpointRow, Owner
from notification_service.webhooks.schemas import (
    EndpointCreate,
    EndpointUpdate,
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryPage,
    WebhookEndpoint,
    WebhookEndpointPage,
    WebhookEndpointWithSecret,
)
from notification_service.webhooks.transport import Lookup, check_name

SECRET_BYTES = 32  # Standard Webhooks: 24 to 64 bytes
ROTATION_GRACE_SECONDS = 24 * 3600  # the old secret keeps signing this long after a rotation


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def message_id(delivery_id: uuid.UUID) -> str:
    """The `webhook-id` of a delivery: the same for every attempt and replay of it."""
    return f"msg_{delivery_id.hex}"


def _rfc3339(ts: datetime | None) -> str | None:
    return ts.isoformat().replace("+00:00", "Z") if ts else None


async def _checked_url(url: str, *, allow_local: bool, lookup: Lookup) -> str:
    try:
        host = check_url(url, allow_local=allow_local)
        await check_name(lookup, host, allow_local=allow_local)
    except AddressRefused as exc:
        raise WebhookUrlNotAllowed(str(exc), errors=[{"field": "url", "message": str(exc)}]) from exc
    return url


def public(row: EndpointRow) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=str(row.id),
        url=row.url,
        events=list(row.events),
        description=row.description,
        status="enabled" if row.status == "enabled" else "disabled",
        disabled_reason=row.disabled_reason,
        client_id=row.client_id,
        previous_secret_expires_at=_rfc3339(row.previous_secret_expires_at),
        created_at=_rfc3339(row.created_at) or "",
        updated_at=_rfc3339(row.updated_at) or "",
    )


def _with_secret(row: EndpointRow) -> WebhookEndpointWithSecret:
    return WebhookEndpointWithSecret(**public(row).model_dump(), secret=row.secret)


async def create(
    db: Database, *, owner: Owner, body: EndpointCreate, allow_local: bool, lookup: Lookup, cap: int
) -> WebhookEndpointWithSecret:
    url = await _checked_url(body.url, allow_local=allow_local, lookup=lookup)
    async with transaction(db) as conn:
        row = await repository.create_endpoint(
            conn,
            owner=owner,
            endpoint_id=uuid.uuid4(),
            url=url,
            description=body.description,
            events=list(dict.fromkeys(body.events)),
            secret=new_secret(),
            cap=cap,
        )
        if row is not None:
            await audit.record(conn, audit.ENDPOINT_CREATED, owner, row.id, url=row.url, events=list(row.events))
    if row is None:
        raise TooManyWebhookEndpoints(f"at most {cap} webhook endpoints per user")
    return _with_secret(row)


async def list_endpoints(db: Database, *, owner: Owner) -> WebhookEndpointPage:
    async with connection(db) as conn:
        rows = await repository.list_endpoints(conn, owner=owner)
    return WebhookEndpointPage(items=[public(r) for r in rows], next_cursor=None)


async def update(
    db: Database, *, owner: Owner, endpoint_id: uuid.UUID, body: EndpointUpdate, allow_local: bool, lookup: Lookup
) -> WebhookEndpoint:
    url = await _checked_url(body.url, allow_local=allow_local, lookup=lookup) if body.url is not None else None
    async with transaction(db) as conn:
        if body.status == "enabled":
            current = await repository.get_endpoint(conn, owner=owner, endpoint_id=endpoint_id)
            if current is not None and current.disabled_reason == "client_revoked":
                raise ValidationFailed(
                    "the endpoint's API client was deleted; create an endpoint of your own instead",
                    errors=[{"field": "status", "message": "cannot be enabled: its API client no longer exists"}],
                )
        row = await repository.update_endpoint(
            conn,
            owner=owner,
            endpoint_id=endpoint_id,
            url=url,
            events=list(dict.fromkeys(body.events)) if body.events is not None else None,
            description=("description" in body.model_fields_set, body.description),
            status=body.status,
        )
        if row is not None:
            await audit.record(conn, audit.ENDPOINT_UPDATED, owner, row.id, changed=sorted(body.model_fields_set))
    if row is None:
        raise WebhookEndpointNotFound("no such webhook endpoint")
    return public(row)


async def delete(db: Database, *, owner: Owner, endpoint_id: uuid.UUID) -> None:
    async with transaction(db) as conn:
        if not await repository.delete_endpoint(conn, owner=owner, endpoint_id=endpoint_id):
            raise WebhookEndpointNotFound("no such webhook endpoint")
        await audit.record(conn, audit.ENDPOINT_DELETED, owner, endpoint_id)


async def rotate(db: Database, *, owner: Owner, endpoint_id: uuid.UUID) -> WebhookEndpointWithSecret:
    async with transaction(db) as conn:
        row = await repository.rotate_secret(
            conn, owner=owner, endpoint_id=endpoint_id, secret=new_secret(), grace_seconds=ROTATION_GRACE_SECONDS
        )
        if row is not None:
            await audit.record(conn, audit.SECRET_ROTATED, owner, row.id)
    if row is None:
        raise WebhookEndpointNotFound("no such webhook endpoint")
    return _with_secret(row)


def _encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"w:{seq}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        prefix, _, value = unpack(cursor).partition(":")
        if prefix != "w":
            raise ValueError(prefix)
        return bigint(value)
    except ValueError as exc:
        raise InvalidCursor(
            "cursor is not one this API returned", errors=[{"field": "cursor", "message": "invalid cursor"}]
        ) from exc


def _delivery(row: DeliveryRow, attempts: list[Attempt]) -> WebhookDelivery:
    return WebhookDelivery(
        id=message_id(row.id),
        event_type=row.event_type,
        event_id=str(row.event_id),
        status=row.status,
        next_attempt_at=_rfc3339(row.next_attempt_at) if row.status == "pending" else None,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        attempts=[
            WebhookAttempt(
                attempted_at=_rfc3339(a.attempted_at) or "",
                status_code=a.status_code,
                latency_ms=a.latency_ms,
                error=a.error,
            )
            for a in attempts
        ],
        created_at=_rfc3339(row.created_at) or "",
    )


async def deliveries(
    db: Database, *, owner: Owner, endpoint_id: uuid.UUID, limit: int, cursor: str | None
) -> WebhookDeliveryPage:
    """Newest first, with each delivery's attempts (oldest first)."""
    before = _decode_cursor(cursor) if cursor else None
    # One snapshot for the page and its attempts (READ COMMITTED would take one per statement,
    # and a delivery could show an attempt its own row does not reflect yet).
    async with connection(db) as conn, conn.raw.transaction(isolation="repeatable_read", readonly=True):
        if await repository.get_endpoint(conn, owner=owner, endpoint_id=endpoint_id) is None:
            raise WebhookEndpointNotFound("no such webhook endpoint")
        rows = await repository.deliveries(
            conn, owner=owner, endpoint_id=endpoint_id, before_seq=before, limit=limit + 1
        )
        more = len(rows) > limit
        rows = rows[:limit]
        logs = await repository.attempts(conn, delivery_ids=[r.id for r in rows])
    return WebhookDeliveryPage(
        items=[_delivery(r, logs[r.id]) for r in rows],
        next_cursor=_encode_cursor(rows[-1].seq) if more else None,
    )


def parse_message_id(value: str) -> uuid.UUID:
    """A delivery id as the API shows it (`msg_<hex>`), or a bare UUID."""
    try:
        return uuid.UUID(value.removeprefix("msg_"))
    except ValueError as exc:
        raise WebhookDeliveryNotFound("no such webhook delivery") from exc


async def replay(db: Database, *, owner: Owner, delivery_id: str) -> str:
    did = parse_message_id(delivery_id)
    async with transaction(db) as conn:
        if not await repository.replay(conn, owner=owner, delivery_id=did):
            raise WebhookDeliveryNotFound("no such webhook delivery")
    return message_id(did)
