"""The event envelope: the one shape every event has on the wire, built and parsed here only.

    {"id": uuid, "type": "transfer.completed", "occurred_at": RFC 3339 UTC with "Z",
     "source": "transaction-service", "data": {...}}

The relays build it from an outbox row (`envelope`), the event-log feed builds the same dict plus
`seq`, and every consumer parses it with `EventEnvelope`. `occurred_at` is always
`datetime.isoformat()` of the UTC time with `Z` for `+00:00`, whoever builds it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field


class EventEnvelope(BaseModel):
    """An event as a subscriber receives it (docs/EVENTS.md)."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    type: str = Field(min_length=1, max_length=64)
    occurred_at: datetime
    source: str = ""
    data: dict[str, Any]


def rfc3339(value: datetime) -> str:
    """UTC with a `Z` (`2026-11-25T10:00:00.123456Z`); naive values are taken as UTC."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def envelope(row: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The envelope of an outbox row (`id`, `event_type`, `payload`, `occurred_at`), JSON-ready.
    `payload` may still be JSON text: asyncpg returns jsonb as `str` unless a codec is set."""
    payload = row["payload"]
    data = orjson.loads(payload) if isinstance(payload, str | bytes) else payload
    return {
        "id": str(row["id"]),
        "type": row["event_type"],
        "occurred_at": rfc3339(row["occurred_at"]),
        "source": source,
        "data": data,
    }


def logged_envelope(row: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The envelope with the row's `seq`: one item of `GET /internal/events`."""
    return {"seq": row["seq"], **envelope(row, source)}
