"""Scheduled and recurring transfers: create (authorised with the PIN, the recipient resolved
and masked like a transfer's), list, pause/resume, change the amount, cancel.

Decisions (docs/ARCHITECTURE.md, "Scheduled transfers"):
- `start_at` is a UTC instant in the future, at most `SCHEDULE_HORIZON_DAYS` (365) ahead; the
  calendar is anchored to it in UTC (service.schedule_calendar).
- `end_after` is the number of occurrences that run (completed or failed transfers); ticks
  skipped while paused or missed while the service was down do not count. Omitted: until
  cancelled (a one-off runs once whatever it says).
- The PIN authorises the schedule once, at creation, and again for a new amount (a higher amount
  is more money leaving); pausing, resuming and cancelling need none.
- Resuming skips the ticks that passed while paused (a one-off's only tick, if passed, runs at
  once); a new amount applies from the next occurrence on.
- At most `SCHEDULES_MAX` (20) live (active or paused) schedules per user: each one moves money
  and notifies by itself.
- Creating one takes an optional Idempotency-Key, kept like a transfer's (the caller's namespace,
  `execute_once`): a client that lost the answer sends the same request again and gets the same
  schedule, not a second one. Optional because a schedule moves no money when it is created and
  the route existed without one.
"""

import uuid
from datetime import UTC, datetime, timedelta

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import ValidationFailed
from instapay_common.security.tokens import Principal
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import (
    RecipientNotFound,
    ScheduleFinished,
    ScheduleNotFound,
    SchedulesFull,
    SelfTransfer,
)
from transaction_service.money import fmt
from transaction_service.peers import Peers
from transaction_service.repository import accounts, schedules
from transaction_service.repository.schedules import Schedule
from transaction_service.schemas import (
    JsonObject,
    ScheduledTransferIn,
    ScheduledTransferPatch,
    page_body,
    party_body,
    rfc3339,
)
from transaction_service.service import page_cursor
from transaction_service.service.checks import (
    check_amount,
    clean_note,
    ensure_recipient_verified,
    needs_pin,
    pin_and_parties,
    require_verified_sender,
)
from transaction_service.service.idempotency import Outcome, execute_once, find_stored, request_hash
from transaction_service.service.schedule_calendar import as_repeat, first_tick_after, occurrence_at

# The request hash's endpoint: a key sent first with a transfer and then with a schedule is a
# reused key (422), as for any two endpoints.
_ENDPOINT = "scheduled_transfer"


def schedule_body(s: Schedule) -> JsonObject:
    """`ScheduledTransfer`."""
    return {
        "id": str(s.id),
        "status": s.status,
        "recipient": party_body(s.recipient),
        "amount": fmt(s.amount),
        "currency": s.currency,
        "note": s.note,
        "repeat": s.repeat,
        "start_at": rfc3339(s.start_at),
        "end_after": s.end_after,
        "runs": s.runs,
        "next_run_at": rfc3339(s.next_run_at) if s.next_run_at else None,
        "last_run_at": rfc3339(s.last_run_at) if s.last_run_at else None,
        "last_outcome": s.last_outcome,
        "last_transfer_id": str(s.last_transfer_id) if s.last_transfer_id else None,
        "created_at": rfc3339(s.created_at),
        "updated_at": rfc3339(s.updated_at),
    }


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", errors=[{"field": field, "message": message}])


def _check_timing(body: ScheduledTransferIn, settings: TransactionSettings) -> datetime:
    start_at = body.start_at.astimezone(UTC)
    now = datetime.now(UTC)
    if start_at <= now:
        raise _invalid("start_at", "must be in the future")
    if start_at > now + timedelta(days=settings.schedule_horizon_days):
        raise _invalid("start_at", f"must be within {settings.schedule_horizon_days} days")
    if body.repeat == "none" and body.end_after not in (None, 1):
        raise _invalid("end_after", "a one-off transfer runs once")
    return start_at


async def _verify_pin(peers: Peers, principal: Principal, pin: str | None) -> None:
    checked = needs_pin(principal, pin)
    if checked is not None:
        await peers.verify_pin(user_id=principal.user_id, pin=checked)


def _request(body: ScheduledTransferIn, note: str | None) -> dict[str, object]:
    """What a schedule asks for, as its Idempotency-Key compares it (the PIN left out, as for a
    transfer; `start_at` as the instant it names, whatever offset it was written with)."""
    return {
        "recipient": body.recipient.strip().lower(),
        "amount": fmt(body.amount),
        "note": note,
        "start_at": rfc3339(body.start_at.astimezone(UTC)),
        "repeat": body.repeat,
        "end_after": body.end_after,
    }


async def create(
    db: Database,
    *,
    peers: Peers,
    settings: TransactionSettings,
    principal: Principal,
    body: ScheduledTransferIn,
    key: str | None = None,
) -> Outcome:
    """With `key`, a stored answer of (caller, key) is replayed before `start_at` is compared with
    the clock (a retry that arrives after `start_at` still gets its schedule, not a 422) and before
    the PIN and the recipient are asked for; the insert then runs once under the key."""
    check_amount(body.amount, settings)
    note = clean_note(body.note, settings)
    user_id = uuid.UUID(principal.user_id)
    hashed = request_hash(_ENDPOINT, _request(body, note))
    if key is not None:
        stored, _ = await find_stored(db, owner_id=user_id, key=key, hashed=hashed)
        if stored is not None:
            return stored
    start_at = _check_timing(body, settings)
    await require_verified_sender(db, user_id)
    recipient, sender = await pin_and_parties(peers, principal, body.pin, body.recipient.strip())
    if recipient["user_id"] == principal.user_id:
        raise SelfTransfer("sender and recipient are the same wallet")

    async def work(conn: RawConnection) -> tuple[int, JsonObject]:
        target = await accounts.get(conn, uuid.UUID(recipient["user_id"]))
        if target is None:
            raise RecipientNotFound("the recipient has no wallet")
        ensure_recipient_verified(target)
        if await schedules.lock_owner(conn, user_id) >= settings.schedules_max:
            raise SchedulesFull(f"at most {settings.schedules_max} active or paused scheduled transfers")
        row = await schedules.insert(
            conn,
            user_id=user_id,
            sender=sender,
            recipient=recipient,
            amount=body.amount,
            note=note,
            repeat=body.repeat,
            start_at=start_at,
            end_after=1 if body.repeat == "none" else body.end_after,
        )
        return 201, schedule_body(row)

    if key is None:
        async with rawsql.transaction(db) as conn:
            status, answer = await work(conn)
        return Outcome(status=status, body=answer)
    return await execute_once(
        db,
        owner_id=user_id,
        key=key,
        hashed=hashed,
        wait_seconds=settings.idempotency_wait_seconds,
        work=work,
        # Its refusals (recipient, `schedules_full`) are not stored declines: they roll the whole
        # transaction back and leave the key free, so no savepoint is needed.
        declines_before_writing=True,
    )


async def list_schedules(db: Database, *, principal: Principal, limit: int, cursor: str | None) -> JsonObject:
    """The caller's schedules, newest first (cancelled and completed ones too)."""
    async with rawsql.connection(db) as conn:
        rows = await schedules.page(
            conn, uuid.UUID(principal.user_id), before=page_cursor.decode(cursor) if cursor else None, limit=limit + 1
        )
    page = rows[:limit]
    return page_body(
        [schedule_body(r) for r in page],
        page_cursor.encode(page[-1].created_at, page[-1].id) if len(rows) > limit else None,
    )


def _resumed(s: Schedule, now: datetime) -> Schedule:
    """Active again: the next tick after now (ticks passed while paused are skipped); a one-off
    whose time passed runs at once."""
    if s.next_run_at is not None and s.next_run_at > now:
        return s._replace(status="active")
    tick = first_tick_after(s.start_at, as_repeat(s.repeat), after=now, from_tick=s.tick)
    if tick is None:  # a one-off: its only tick, now
        return s._replace(status="active")
    return s._replace(status="active", tick=tick, next_run_at=occurrence_at(s.start_at, as_repeat(s.repeat), tick))


async def update(
    db: Database,
    *,
    peers: Peers,
    settings: TransactionSettings,
    principal: Principal,
    schedule_id: uuid.UUID,
    body: ScheduledTransferPatch,
) -> JsonObject:
    user_id = uuid.UUID(principal.user_id)
    async with rawsql.connection(db) as conn:  # 404 before asking for a PIN
        if await schedules.lock(conn, schedule_id, user_id=user_id) is None:
            raise ScheduleNotFound("no such scheduled transfer")
    if body.amount is not None:
        check_amount(body.amount, settings)
        await _verify_pin(peers, principal, body.pin)
    async with rawsql.transaction(db) as conn:
        s = await schedules.lock(conn, schedule_id, user_id=user_id)
        if s is None:
            raise ScheduleNotFound("no such scheduled transfer")
        if s.status in ("cancelled", "completed"):
            raise ScheduleFinished(f"this scheduled transfer is {s.status}")
        if body.amount is not None:
            s = s._replace(amount=body.amount)
        if body.status == "paused":
            s = s._replace(status="paused")
        elif body.status == "active" and s.status == "paused":
            s = _resumed(s, datetime.now(UTC))
        s = await schedules.update(conn, s)
    return schedule_body(s)


async def cancel(db: Database, *, principal: Principal, schedule_id: uuid.UUID) -> None:
    """Cancelled for good (kept for its history); cancelling a finished one changes nothing."""
    async with rawsql.transaction(db) as conn:
        s = await schedules.lock(conn, schedule_id, user_id=uuid.UUID(principal.user_id))
        if s is None:
            raise ScheduleNotFound("no such scheduled transfer")
        if s.status in ("active", "paused"):
            await schedules.update(conn, s._replace(status="cancelled", next_run_at=None))
