"""Sign-in throttling: a growing delay per account and per client address, never a hard lock.

Failures are counted on two keys per attempt: the account (`account:<user id>`, whatever form of
username named it; an unknown name on `name:<digest of its normalised form>`, so the answers for
existing and unknown names are the same) and the client address (`address:<ip or IPv6 /64>`).
The first `free` failures on a key cost nothing; each one after delays the next attempt on that
key by `base * 2^(n-1)` seconds, up to `cap`. An attempt inside a delay answers 429
`rate_limited` with `Retry-After` and is not counted; once the delay has run out, the right
password passes. One failure is forgiven per `forgive_seconds` without failures.

Every attempt is reserved (counted as a failure, under a row lock, committed) before its password
is checked, so a parallel burst is counted in full; a success takes its reservation back.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.config import AuthSettings
from auth_service.metrics import LOGINS
from auth_service.repository import signin_attempts
from auth_service.repository.signin_attempts import AttemptRow
from auth_service.service.sessions import now
from instapay_common.errors import RateLimited

# Rows idle this long have had every failure forgiven; a sweep now and then drops them.
_SWEEP_AFTER = timedelta(days=7)
_SWEEP_CHANCE = 0.01


@dataclass(frozen=True)
class Schedule:
    free: int
    forgive_seconds: int
    base_seconds: int
    cap_seconds: int

    def delay(self, failures: int) -> timedelta:
        """How long after the last failure the next attempt must wait."""
        over = failures - self.free
        if over <= 0:
            return timedelta(0)
        return timedelta(seconds=min(self.base_seconds * 2 ** min(over - 1, 30), self.cap_seconds))

    def remaining(self, row: AttemptRow, at: datetime) -> int:
        """Failures still held against the key at `at`, after forgiveness for quiet time."""
        quiet = max((at - row.last_failure_at).total_seconds(), 0.0)
        return max(row.failures - int(quiet // self.forgive_seconds), 0)


def account_schedule(s: AuthSettings) -> Schedule:
    return Schedule(
        s.signin_account_free_failures, s.signin_account_forgive_seconds, s.signin_base_delay_seconds,
        s.signin_max_delay_seconds,
    )  # fmt: skip


def address_schedule(s: AuthSettings) -> Schedule:
    free = s.signin_address_free_failures
    assert free is not None  # set by the settings' validator
    return Schedule(
        free, s.signin_address_forgive_seconds, s.signin_base_delay_seconds, s.signin_max_delay_seconds
    )  # fmt: skip


def account_key(user_id: object) -> str:
    return f"account:{user_id}"


def name_key(normalised_name: str) -> str:
    """An unknown username's counter: its normalised form, hashed (no address or phone in clear)."""
    return "name:" + hashlib.sha256(normalised_name.encode()).hexdigest()[:40]


def address_key(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if address.version == 6:  # one subscriber usually holds a whole /64
        return f"address:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"address:{address}"


@dataclass(frozen=True)
class Reservation:
    """The keys an attempt was counted on, to take back on success."""

    account: str
    address: str | None


async def reserve(settings: AuthSettings, session: AsyncSession, *, account: str, address: str | None) -> Reservation:
    """Counts this attempt as a failure on its keys, or refuses it (429) while a delay runs.
    Commits: the reservation must be visible to parallel attempts before the password is hashed."""
    at = now()
    schedules = {account: account_schedule(settings)}
    if address is not None:
        schedules[address] = address_schedule(settings)
    rows = await signin_attempts.lock(session, list(schedules), at=at)
    # The clock is read again once the rows are ours: a parallel attempt that held them may have
    # stamped a later time, and only a delay that is due (failures past the free ones) may wait.
    at = now()
    wait = max(
        (
            (rows[key].last_failure_at + delay - at).total_seconds()
            for key, sched in schedules.items()
            # The delay of the failures still held (quiet time forgives), not of every one counted.
            if (delay := sched.delay(sched.remaining(rows[key], at))) > timedelta(0)
        ),
        default=0.0,
    )
    if wait > 0:
        await session.rollback()
        LOGINS.labels("rate_limited").inc()
        raise RateLimited(
            "too many failed sign-ins; wait before trying again", headers={"Retry-After": str(max(math.ceil(wait), 1))}
        )
    for key, sched in schedules.items():
        await signin_attempts.save(session, key, failures=sched.remaining(rows[key], at) + 1, last_failure_at=at)
    if random.random() < _SWEEP_CHANCE:  # noqa: S311 - spreading housekeeping, not security
        await signin_attempts.sweep(session, quiet_since=at - _SWEEP_AFTER)
    await session.commit()
    return Reservation(account, address)


async def failed(session: AsyncSession, reservation: Reservation) -> None:
    """The password was wrong: the failure was counted at reservation; its delay runs from now,
    when the client gets the answer (hashing takes a while), so Retry-After means what it says."""
    keys = [reservation.account] + ([reservation.address] if reservation.address else [])
    await signin_attempts.touch(session, keys, at=now())
    await session.commit()


async def succeeded(session: AsyncSession, reservation: Reservation) -> None:
    """The password was right: the account starts afresh, and the address gets its attempt back
    (a right password does not wipe the address's count, which an attacker could otherwise reset
    with an account of their own). Committed by the caller, with the sign-in."""
    await signin_attempts.clear(session, reservation.account)
    if reservation.address is not None:
        await signin_attempts.take_back(session, reservation.address)


async def forgive_account(session: AsyncSession, user_id: object) -> None:
    """The owner proved themselves another way (a password reset): the account's failures and
    delay end. The address counts stay: they are about the client, not the account."""
    await signin_attempts.clear(session, account_key(user_id))
