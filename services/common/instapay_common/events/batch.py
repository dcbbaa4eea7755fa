"""Subscriber side of batched event delivery (`POST /internal/events/batch`, docs/EVENTS.md).

The outbox relay sends up to a hundred envelopes in one request instead of one request each:
the HTTP, auth and routing cost of a request is paid once per batch. Every envelope is
validated on its own, so a malformed one is `rejected` while the rest lands.

A subscriber may also give an `apply_many`: the valid events applied together, in one database
transaction with set-based statements (one round trip per table instead of a dozen per event).
If it raises, nothing of it committed, and the events are applied one by one with `apply_one`
(each in its own transaction, deduped by id in the inbox), so one bad event is still reported
back as `rejected` and retried alone while the rest of the batch lands.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, Protocol, Self, TypeVar

from pydantic import BaseModel, Field, ValidationError

from instapay_common.errors import DomainError
from instapay_common.logging import get_logger

MAX_BATCH = 500
log = get_logger("event_batch")


class EventModel(Protocol):
    """What `apply_batch` needs of an event model (EventEnvelope has it): validation from a
    decoded JSON object, and an `id` that identifies the event."""

    @property
    def id(self) -> Any: ...

    @classmethod
    def model_validate(cls, obj: Any) -> Self: ...


E = TypeVar("E", bound=EventModel)
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


ApplyMany = Callable[[Sequence[E]], Awaitable[set[Any]]]


async def apply_batch(
    batch: EventBatchIn,
    model: type[E],
    apply_one: Callable[[E], Awaitable[bool]],
    apply_many: ApplyMany[E] | None = None,
    *,
    id_of: Callable[[E], Any] = lambda e: e.id,
) -> EventBatchOut:
    """Applies the envelopes: together with `apply_many` when given (it returns the ids applied
    now; the others were already seen or are not of interest), else, or if it raises, each in
    order with `apply_one` (True = applied now, False = already seen or not of interest).
    Invalid envelopes and domain errors are `rejected`; anything else (the database went away) is
    `failed`, which the relay retries with backoff."""
    slots: list[EventResult | E] = []
    for raw in batch.events:
        try:
            slots.append(model.model_validate(raw))
        except ValidationError as exc:
            event_id = str(raw.get("id")) if raw.get("id") is not None else None
            slots.append(EventResult(id=event_id, outcome="rejected", error=_short(exc)))
    valid = [s for s in slots if not isinstance(s, EventResult)]
    if apply_many is not None and len(valid) > 1:
        try:
            applied = await apply_many(valid)
        except Exception as exc:  # rolled back: the one-by-one path sorts it out
            log.info("event_batch_fallback", events=len(valid), error_type=type(exc).__name__)
        else:
            return EventBatchOut(results=_outcomes(slots, applied, id_of))
    return EventBatchOut(
        results=[s if isinstance(s, EventResult) else await _apply_alone(s, apply_one, id_of) for s in slots]
    )


def _outcomes(slots: list[EventResult | E], applied: set[Any], id_of: Callable[[E], Any]) -> list[EventResult]:
    """Outcomes of a batch applied together: an id applied now is `applied` at its first
    occurrence only; a repeat inside the batch is `skipped`, as the one-by-one path reports it."""
    results: list[EventResult] = []
    first = set()
    for slot in slots:
        if isinstance(slot, EventResult):
            results.append(slot)
            continue
        event_id = id_of(slot)
        now = event_id in applied and event_id not in first
        first.add(event_id)
        results.append(EventResult(id=str(event_id), outcome="applied" if now else "skipped"))
    return results


async def _apply_alone(event: E, apply_one: Callable[[E], Awaitable[bool]], id_of: Callable[[E], Any]) -> EventResult:
    event_id = str(id_of(event))
    try:
        applied = await apply_one(event)
    except DomainError as exc:
        return EventResult(id=event_id, outcome="rejected", error=exc.detail or exc.code)
    except ValidationError as exc:  # the event's data, checked by its handler
        return EventResult(id=event_id, outcome="rejected", error=_short(exc))
    except Exception as exc:  # reported per event; the relay retries it
        log.warning("event_apply_failed", event_id=event_id, error_type=type(exc).__name__)
        return EventResult(id=event_id, outcome="failed", error=type(exc).__name__)
    return EventResult(id=event_id, outcome="applied" if applied else "skipped")


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())[:300]
