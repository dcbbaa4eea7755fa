"""Running a scheduled transfer's occurrences: each one exactly once, as a normal transfer.

`run_occurrence(schedule, n)` is what a queue job does; it may run twice (a retried job, two
replicas, a worker killed after its commit), so everything it does is one database transaction
that happens at most once per occurrence:

- under the idempotency key (owner = the schedule's id, key `occurrence:<n>`: a namespace no
  client's Idempotency-Key can reach), through `execute_once`: a second run waits for the first
  and finds its stored answer;
- with the schedule's row locked, and only if occurrence `n` is the one due now (`runs + 1`, the
  schedule active, `next_run_at` passed): otherwise nothing is stored, nothing moves;
- the transfer is `post_transfer`, the path of every transfer (wallet locks, verified parties,
  frozen wallets, limits, funds, reference, `transfer.completed`); a decline is the occurrence's
  outcome (`scheduled_transfer.failed` tells the sender), not an error;
- the occurrence's row in `scheduled_transfer_runs` (its primary key refuses a second one) links
  the transfer to the schedule, and the schedule moves to its next occurrence after *now*: ticks
  missed while the service was down are not made up, the overdue one runs once.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import DomainError
from instapay_common.logging import get_logger
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import IdempotencyInProgress
from transaction_service.money import fmt
from transaction_service.repository import schedules
from transaction_service.repository.schedules import Due, Schedule
from transaction_service.schemas import JsonObject, rfc3339, transfer_body
from transaction_service.service.idempotency import decline_body, execute_once, request_hash
from transaction_service.service.schedule_calendar import as_repeat, first_tick_after, occurrence_at
from transaction_service.service.transfers import post_transfer

log = get_logger("schedules")


class NotDue(Exception):
    """The occurrence is not the schedule's due one (ran already, paused, cancelled, edited):
    the job ends and nothing is stored."""


@dataclass(frozen=True, slots=True)
class RunResult:
    outcome: str  # "completed", a decline's code, or "skipped"
    transfer_id: str | None = None


def idempotency_key(occurrence: int) -> str:
    return f"occurrence:{occurrence}"


def advanced(s: Schedule, *, now: datetime) -> Schedule:
    """The schedule after one more occurrence ran at `now`: its next tick after `now`, or completed."""
    runs = s.runs + 1
    tick = None
    if s.end_after is None or runs < s.end_after:
        tick = first_tick_after(s.start_at, as_repeat(s.repeat), after=now, from_tick=s.tick + 1)
    if tick is None:
        return s._replace(runs=runs, status="completed", next_run_at=None)
    return s._replace(runs=runs, tick=tick, next_run_at=occurrence_at(s.start_at, as_repeat(s.repeat), tick))


def _failed_event(s: Schedule, occurrence: int, answer: JsonObject, at: datetime) -> JsonObject:
    return {
        "schedule_id": str(s.id),
        "occurrence": occurrence,
        "user_id": str(s.user_id),
        "recipient": s.recipient,
        "amount": fmt(s.amount),
        "currency": s.currency,
        "code": answer.get("code"),
        "reason": answer.get("detail"),
        "next_run_at": None,  # filled by the caller
        "at": rfc3339(at),
    }


async def run_occurrence(
    db: Database, settings: TransactionSettings, *, schedule_id: uuid.UUID, occurrence: int
) -> RunResult:
    """Runs occurrence `occurrence` of the schedule if it is the one due; at most once ever."""

    async def work(conn: RawConnection) -> tuple[int, JsonObject]:
        now = datetime.now(UTC)
        s = await schedules.lock(conn, schedule_id)
        if (
            s is None
            or s.status != "active"
            or s.runs + 1 != occurrence
            or s.next_run_at is None
            or s.next_run_at > now
        ):
            raise NotDue
        due_at = s.next_run_at
        try:
            transfer = await post_transfer(
                conn, settings=settings, sender=s.sender, recipient=s.recipient, amount=s.amount, note=s.note
            )
        except DomainError as exc:  # every decline of post_transfer is raised before its first write
            status, body = exc.status, decline_body(exc)
            outcome, transfer_id = exc.code, None
        else:
            status, body = 201, transfer_body(transfer)
            outcome, transfer_id = "completed", transfer.id
        if not await schedules.record_run(
            conn, schedule_id=s.id, occurrence=occurrence, due_at=due_at, outcome=outcome, transfer_id=transfer_id
        ):
            raise RuntimeError("occurrence already recorded")  # unreachable under the row lock; rolls back
        after = await schedules.update(
            conn, advanced(s, now=now)._replace(last_run_at=now, last_outcome=outcome, last_transfer_id=transfer_id)
        )
        if transfer_id is None:
            event = _failed_event(s, occurrence, body, now)
            event["next_run_at"] = rfc3339(after.next_run_at) if after.next_run_at else None
            await events.emit(conn, "scheduled_transfer.failed", event)
        return status, {**body, "schedule_id": str(s.id), "occurrence": occurrence}

    try:
        outcome = await execute_once(
            db,
            owner_id=schedule_id,
            key=idempotency_key(occurrence),
            hashed=request_hash("schedule.occurrence", {"schedule_id": str(schedule_id), "occurrence": occurrence}),
            wait_seconds=settings.idempotency_wait_seconds,
            work=work,
            declines_before_writing=True,  # `work` turns declines into answers itself
        )
    except (NotDue, IdempotencyInProgress):  # another run of it holds the key: that one runs it
        return RunResult("skipped")
    if outcome.replayed:
        return RunResult("skipped")
    body = outcome.body
    if outcome.status == 201:
        return RunResult("completed", str(body["id"]))
    return RunResult(str(body.get("code")))


async def due_occurrences(db: Database, *, limit: int, now: datetime | None = None) -> list[Due]:
    """The occurrences due now, oldest first (rows a run holds at this moment are skipped)."""
    async with rawsql.transaction(db) as conn:
        return await schedules.due(conn, now=now or datetime.now(UTC), limit=limit)
