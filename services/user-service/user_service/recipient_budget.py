"""One budget per user for resolving recipients, whatever the route and the token.

Every resolution of a recipient identifier (GET /users/lookup, and through the transaction
service: transfers, payment requests, the history's counterparty filter), by the user's own
token or any of their API clients' (whose tokens act for the user), counts on that user. Only
identifiers the user has not resolved in the last day count: paying the same friend again is
free, while turning a list of phone numbers into names spends the budget, found or not found.
Beyond `per_minute` new identifiers in a minute or `per_day` in a day: 429 `rate_limited` with
`Retry-After`. Counted before the identifier is looked up, so a hit and a miss cost the same.

Kept in PostgreSQL (the user service's own schema): shared by every replica, and one user's new
identifiers are counted under a per-user advisory lock, so a parallel burst is counted in full.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from instapay_common.db.database import Database
from instapay_common.errors import RateLimited
from instapay_common.identifiers import lookup_target
from user_service import repository
from user_service.config import UserSettings

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


# The identifier as stored: a digest of its normalised form (no phone or e-mail in clear).
target_of = lookup_target


async def spend(
    db: Database, *, user_id: uuid.UUID, column: str, value: str, per_minute: int, per_day: int
) -> datetime:
    """Counts this resolution on the user, or refuses it (429) past the budget. Returns when the
    identifier was counted (now, or earlier in the last day: then it costs nothing again)."""
    target = target_of(column, value)
    at = datetime.now(UTC)
    counted = await repository.resolved_since(db, user_id=user_id, target=target, since=at - DAY)
    if counted is not None:
        return counted
    async with repository.lookups_of(db, user_id) as conn:
        usage = await repository.lookup_usage(
            conn, user_id=user_id, target=target, day_start=at - DAY, minute_start=at - MINUTE
        )
        if usage.day >= per_day and usage.day_oldest is not None:
            _refuse(usage.day_oldest + DAY - at, "recipients looked up today")
        if usage.minute >= per_minute and usage.minute_oldest is not None:
            _refuse(usage.minute_oldest + MINUTE - at, "recipients looked up in the last minute")
        await repository.record_lookup(conn, user_id=user_id, target=target, at=at)
    return at


def _refuse(wait: timedelta, what: str) -> None:
    retry = max(math.ceil(wait.total_seconds()), 1)
    raise RateLimited(f"too many different {what}; retry in {retry} s", headers={"Retry-After": str(retry)})


@dataclass(frozen=True)
class Budget:
    """The acting user's budget, as a resolution needs it."""

    db: Database
    user_id: uuid.UUID
    per_minute: int
    per_day: int

    @classmethod
    def of(cls, db: Database, settings: UserSettings, user_id: uuid.UUID) -> Budget:
        return cls(db, user_id, settings.recipient_lookups_per_minute, settings.recipient_lookups_per_day)

    async def spend(self, column: str, value: str) -> datetime:
        return await spend(
            self.db, user_id=self.user_id, column=column, value=value, per_minute=self.per_minute, per_day=self.per_day
        )
