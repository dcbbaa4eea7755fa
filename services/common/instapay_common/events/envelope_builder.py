"""Builds the event envelope (shape in `instapay_common.events.envelope`) from an outbox row.

Apart from the pydantic model so that the relay process, which only builds envelopes, does not
import pydantic at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson


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
