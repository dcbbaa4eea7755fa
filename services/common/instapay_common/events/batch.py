"""Subscriber side of batched event delivery (`POST /internal/events/batch`, docs/EVENTS.md).

The outbox relay sends up to a hundred envelopes in one request instead of one request each:
the HTTP, auth and routing cost of a request is paid once per batch. Every envelope is
validated on its own, so a malformed one is `rejected` while the rest lands.

A subscriber may also give an `apply_many`: the valid events applied together, in one database
transaction with set-based statements (one round trip per table instead of a dozen per event).
If it raises, nothing of it committed, and the events are applied one by one with `apply_one`
(each in its own transaction, deduped by id in the inbox), so one bad event is still reported
back as `rejected` and retried alone while the rest of the batch lands.

An `apply_many` that checks every event before it writes anything can do better for a poison
event: it raises `EventsInvalid` naming the bad ones (nothing written), and those are reported
`rejected` while the others are applied together again, still in one transaction, instead of
N transactions one by one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
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


class EventsInvalid(Exception):
    """Raised by an `apply_many` before it wrote anything: `errors` maps the id of each event
    it cannot apply to the error that event alone would raise (a DomainError or a pydantic
    ValidationError), so `apply_batch` rejects just those and applies the rest together. A
    subscriber lists it first among the bases of its error (`class X(EventsInvalid, ItsError)`):
    the other arguments go on to that error's constructor."""

    def __init__(self, *args: Any, errors: Mapping[Any, Exception], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.errors = dict(errors)


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
        applied = await _together(valid, apply_many, id_of)
        if applied is not None:
            return EventBatchOut(results=_outcomes(slots, *applied, id_of))
    return EventBatchOut(
        results=[s if isinstance(s, EventResult) else await _apply_alone(s, apply_one, id_of) for s in slots]
    )


async def _together(
    valid: list[E], apply_many: ApplyMany[E], id_of: Callable[[E], Any]
) -> tuple[set[Any], dict[Any, EventResult]] | None:
    """(ids applied now, results of the events refused by `EventsInvalid`), or None when the
    batch must go one by one (it raised anything else: rolled back, the one-by-one path sorts it
    out). One `EventsInvalid` is enough: the second attempt has only events that passed."""
    rejected: dict[Any, EventResult] = {}
    todo = valid
    for attempt in range(2):
        try:
            return (await apply_many(todo) if todo else set()), rejected
        except EventsInvalid as exc:
            if attempt or not exc.errors:
                log.info("event_batch_fallback", events=len(todo), error_type=type(exc).__name__)
                return None
            rejected = {event_id: _rejected(str(event_id), error) for event_id, error in exc.errors.items()}
            todo = [e for e in valid if id_of(e) not in rejected]
        except Exception as exc:
            log.info("event_batch_fallback", events=len(todo), error_type=type(exc).__name__)
            return None
    return None  # not reached: the loop returns on its second attempt


def _outcomes(
    slots: list[EventResult | E], applied: set[Any], rejected: Mapping[Any, EventResult], id_of: Callable[[E], Any]
) -> list[EventResult]:
    """Outcomes of a batch applied together: an id applied now is `applied` at its first
    occurrence only; a repeat inside the batch is `skipped`, as the one-by-one path reports it;
    an event `apply_many` refused is `rejected` with its own error."""
    results: list[EventResult] = []
    first = set()
    for slot in slots:
        if isinstance(slot, EventResult):
            results.append(slot)
            continue
        event_id = id_of(slot)
        if event_id in rejected:
            results.append(rejected[event_id])
            continue
        now = event_id in applied and event_id not in first
        first.add(event_id)
        results.append(EventResult(id=str(event_id), outcome="applied" if now else "skipped"))
    return results


async def _apply_alone(event: E, apply_one: Callable[[E], Awaitable[bool]], id_of: Callable[[E], Any]) -> EventResult:
    event_id = str(id_of(event))
    try:
        applied = await apply_one(event)
    except (DomainError, ValidationError) as exc:  # the event's data, checked by its handler
        return _rejected(event_id, exc)
    except Exception as exc:  # reported per event; the relay retries it
        log.warning("event_apply_failed", event_id=event_id, error_type=type(exc).__name__)
        return EventResult(id=event_id, outcome="failed", error=type(exc).__name__)
    return EventResult(id=event_id, outcome="applied" if applied else "skipped")


def _rejected(event_id: str, exc: Exception) -> EventResult:
    """The `rejected` result of an event its handler refused, as the one-by-one path reports it."""
    if isinstance(exc, DomainError):
        error = exc.detail or exc.code
    elif isinstance(exc, ValidationError):
        error = _short(exc)
    else:
        error = str(exc)[:300] or type(exc).__name__
    return EventResult(id=event_id, outcome="rejected", error=error)


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())[:300]
