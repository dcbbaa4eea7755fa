"""Subscriber side of batched event delivery (`POST /internal/events/batch`, docs/EVENTS.md).

The outbox relay sends up to a hundred envelopes in one request instead of one request each:
the HTTP, auth and routing cost of a request is paid once per batch. Each event is still
validated and applied on its own (its own transaction, deduped by id in the inbox), so one bad
event is reported back as `rejected` and retried alone while the rest of the batch lands.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from instapay_common.errors import DomainError
from instapay_common.logging import get_logger

MAX_BATCH = 500
log = get_logger("event_batch")

E = TypeVar("E", bound=BaseModel)
Outcome = Literal["applied", "skipped", "rejected", "failed"]


class EventBatchIn(BaseModel):
    # Envelopes stay raw here so that one malformed event does not refuse the whole batch.
    events: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_BATCH)


class EventResult(BaseModel):
    id: str | None
    outcome: Outcome
    error: str | None = None


class EventBatchOut(BaseModel):
    results: list[EventResult]


async def apply_batch(batch: EventBatchIn, model: type[E], apply_one: Callable[[E], Awaitable[bool]]
                      ) -> EventBatchOut:
    """Applies each envelope in order with `apply_one` (True = applied now, False = already seen
    or not of interest). Invalid envelopes and domain errors are `rejected`; anything else (the
    database went away) is `failed`, which the relay retries with backoff."""
    results: list[EventResult] = []
    for raw in batch.events:
        event_id = str(raw.get("id")) if raw.get("id") is not None else None
        try:
            event = model.model_validate(raw)
        except ValidationError as exc:
            results.append(EventResult(id=event_id, outcome="rejected", error=_short(exc)))
            continue
        try:
            applied = await apply_one(event)
        except DomainError as exc:
            results.append(EventResult(id=event_id, outcome="rejected", error=exc.detail or exc.code))
            continue
        except ValidationError as exc:  # the event's data, checked by its handler
            results.append(EventResult(id=event_id, outcome="rejected", error=_short(exc)))
            continue
        except Exception as exc:  # reported per event; the relay retries it
            log.warning("event_apply_failed", event_id=event_id, error_type=type(exc).__name__)
            results.append(EventResult(id=event_id, outcome="failed", error=type(exc).__name__))
            continue
        results.append(EventResult(id=event_id, outcome="applied" if applied else "skipped"))
    return EventBatchOut(results=results)


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())[:300]
