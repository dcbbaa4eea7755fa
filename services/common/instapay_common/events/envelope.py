"""The event envelope: the one shape every event has on the wire, parsed here only (built only by
`instapay_common.events.envelope_builder`).

    {"id": uuid, "type": "transfer.completed", "occurred_at": RFC 3339 UTC with "Z",
     "source": "transaction-service", "data": {...}}

The relays build it from an outbox row (`envelope_builder.envelope`), the event-log feed builds the
same dict plus `seq`, and every consumer parses it with `EventEnvelope`. `occurred_at` is always
`datetime.isoformat()` of the UTC time with `Z` for `+00:00`, whoever builds it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EventEnvelope(BaseModel):
    """An event as a subscriber receives it (docs/EVENTS.md)."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    type: str = Field(min_length=1, max_length=64)
    occurred_at: datetime
    source: str = ""
    data: dict[str, Any]
