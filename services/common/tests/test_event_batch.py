"""The batch contract of `POST /internal/events/batch`: applied together when the subscriber can,
one by one when that fails, malformed envelopes rejected on their own either way."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from pydantic import BaseModel

from instapay_common.errors import DomainError
from instapay_common.events.batch import EventBatchIn, EventsInvalid, apply_batch


class Event(BaseModel):
    id: uuid.UUID
    type: str


class Refused(DomainError):
    status = 422
    code = "invalid_event"
    title = "Invalid event"


def _batch(*types: str | None) -> tuple[EventBatchIn, list[str]]:
    ids = [str(uuid.uuid4()) for _ in types]
    events = [{"id": i, "type": t} if t is not None else {"id": i} for i, t in zip(ids, types, strict=True)]
    return EventBatchIn(events=events), ids


async def test_valid_events_go_together_and_a_malformed_one_is_rejected_alone() -> None:
    batch, ids = _batch("a", None, "b", "seen")
    calls: list[list[str]] = []

    async def many(events: Sequence[Event]) -> set[uuid.UUID]:
        calls.append([e.type for e in events])
        return {e.id for e in events if e.type != "seen"}

    async def one(event: Event) -> bool:
        raise AssertionError("the one-by-one path must not run when the batch applied")

    out = await apply_batch(batch, Event, one, many)
    assert calls == [["a", "b", "seen"]]
    assert [(r.id, r.outcome) for r in out.results] == [
        (ids[0], "applied"),
        (ids[1], "rejected"),
        (ids[2], "applied"),
        (ids[3], "skipped"),
    ]
    assert out.results[1].error and "type" in out.results[1].error


async def test_a_failing_batch_falls_back_to_one_by_one_with_outcomes_per_event() -> None:
    batch, ids = _batch("a", "bad", "down", "seen")
    applied_alone: list[str] = []

    async def many(events: Sequence[Event]) -> set[uuid.UUID]:
        raise Refused("one event of the batch is bad")

    async def one(event: Event) -> bool:
        if event.type == "bad":
            raise Refused("amount must be positive")
        if event.type == "down":
            raise ConnectionError("database went away")
        applied_alone.append(event.type)
        return event.type != "seen"

    out = await apply_batch(batch, Event, one, many)
    assert [(r.id, r.outcome) for r in out.results] == [
        (ids[0], "applied"),
        (ids[1], "rejected"),
        (ids[2], "failed"),
        (ids[3], "skipped"),
    ]
    assert out.results[1].error == "amount must be positive"
    assert applied_alone == ["a", "seen"]


@pytest.mark.parametrize("with_many", [False, True])
async def test_a_single_event_takes_the_one_by_one_path(with_many: bool) -> None:
    batch, ids = _batch("a")

    async def many(events: Sequence[Event]) -> set[uuid.UUID]:
        raise AssertionError("one event needs no batch transaction")

    async def one(event: Event) -> bool:
        return True

    out = await apply_batch(batch, Event, one, many if with_many else None)
    assert [(r.id, r.outcome) for r in out.results] == [(ids[0], "applied")]


async def test_an_id_repeated_in_a_batch_is_applied_once_and_reported_skipped_after() -> None:
    batch, ids = _batch("a", "b")
    batch.events.append(dict(batch.events[0]))

    async def many(events: Sequence[Event]) -> set[uuid.UUID]:
        return {e.id for e in events}

    async def one(event: Event) -> bool:
        raise AssertionError("applied together")

    out = await apply_batch(batch, Event, one, many)
    assert [(r.id, r.outcome) for r in out.results] == [(ids[0], "applied"), (ids[1], "applied"), (ids[0], "skipped")]


async def test_events_refused_before_writing_are_rejected_and_the_rest_still_go_together() -> None:
    batch, ids = _batch("a", "bad", "b", "worse", "seen")
    calls: list[list[str]] = []

    async def many(events: Sequence[Event]) -> set[uuid.UUID]:
        calls.append([e.type for e in events])
        bad = {e.id: Refused(f"{e.type} data") for e in events if e.type in ("bad", "worse")}
        if bad:
            raise EventsInvalid(errors=bad)
        return {e.id for e in events if e.type != "seen"}

    async def one(event: Event) -> bool:
        raise AssertionError("no event goes alone: the valid ones are applied together again")

    out = await apply_batch(batch, Event, one, many)
    assert calls == [["a", "bad", "b", "worse", "seen"], ["a", "b", "seen"]]
    assert [(r.id, r.outcome, r.error) for r in out.results] == [
        (ids[0], "applied", None),
        (ids[1], "rejected", "bad data"),
        (ids[2], "applied", None),
        (ids[3], "rejected", "worse data"),
        (ids[4], "skipped", None),
    ]


async def test_a_second_refusal_falls_back_to_one_by_one() -> None:
    batch, ids = _batch("a", "b")

    async def many(events: Sequence[Event]) -> set[uuid.UUID]:
        raise EventsInvalid(errors={events[0].id: Refused("no")})

    async def one(event: Event) -> bool:
        if event.type == "a":
            raise Refused("a alone")
        return True

    out = await apply_batch(batch, Event, one, many)
    assert [(r.id, r.outcome, r.error) for r in out.results] == [
        (ids[0], "rejected", "a alone"),
        (ids[1], "applied", None),
    ]
