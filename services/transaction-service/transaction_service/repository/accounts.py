"""Wallet accounts (`ledger.accounts`). Admin actions are audited in `ledger.audit_log`
(transaction_service.audit); `admin_audit_log` holds those before it, no longer written."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql

SYSTEM_ACCOUNTS = {"card": "funding:card", "bank": "funding:bank"}


class Wallet(NamedTuple):
    """A user's wallet. `available` (balance less holds) is what may still leave it. The spent
    counters count money sent out in the period that starts on their date (a counter of another
    period counts zero) and change only under the row lock."""

    id: uuid.UUID
    user_id: uuid.UUID
    balance: Decimal
    held: Decimal  # the sum of its pending holds (repository.holds)
    currency: str
    status: str
    spent_day: Decimal
    spent_day_date: date | None
    spent_month: Decimal
    spent_month_start: date | None
    phone_verified: bool  # the owner's phone, as the auth service last told (money waits for it)
    # Overrides of the configured spending limits set by two admins (`wallet.limits`); None: the
    # default. service.limits.effective_limits combines them.
    limit_per_transaction: Decimal | None
    limit_daily: Decimal | None
    limit_monthly: Decimal | None

    @property
    def available(self) -> Decimal:
        return self.balance - self.held


_COLUMNS = ", ".join(Wallet._fields)

_GET = Sql(f"SELECT {_COLUMNS} FROM ledger.accounts WHERE user_id = :u")  # noqa: S608 - fixed column list
# One statement, ordered by id: two transfers in opposite directions lock in the same order.
_LOCK = Sql(f"SELECT {_COLUMNS} FROM ledger.accounts WHERE user_id = ANY(:ids) ORDER BY id FOR UPDATE")  # noqa: S608
_CREATE = Sql(
    "INSERT INTO ledger.accounts (id, user_id, kind) VALUES (:id, :u, 'user') "  # noqa: S608
    f"ON CONFLICT (user_id) DO NOTHING RETURNING {_COLUMNS}"
)
_LOCK_ID = Sql("SELECT id FROM ledger.accounts WHERE user_id = :u FOR UPDATE")
_LOCK_ACCOUNT = Sql("SELECT id FROM ledger.accounts WHERE id = :a FOR UPDATE")
_HAS_POSTINGS = Sql("SELECT 1 FROM ledger.postings WHERE account_id = :a LIMIT 1")
_DELETE = Sql("DELETE FROM ledger.accounts WHERE id = :a")
_COUNT = Sql("SELECT count(*) FROM ledger.accounts WHERE kind = 'user'")
# A wallet frozen again (a new reason) keeps the time it was first frozen.
_SET_STATUS = Sql(
    "UPDATE ledger.accounts SET status = :s, frozen_reason = :r, "  # noqa: S608
    "frozen_at = CASE WHEN :frozen THEN coalesce(frozen_at, now()) END, updated_at = now() "
    f"WHERE user_id = :u RETURNING {_COLUMNS}"
)
# Only the overrides named in `fields` change (a flag per column): an approval that lowers the
# daily limit leaves the monthly one as it is; a named override set to NULL restores the default.
_SET_LIMITS = Sql(
    "UPDATE ledger.accounts SET "  # noqa: S608
    "limit_per_transaction = CASE WHEN :set_pt THEN :pt ELSE limit_per_transaction END, "
    "limit_daily = CASE WHEN :set_d THEN :d ELSE limit_daily END, "
    "limit_monthly = CASE WHEN :set_m THEN :m ELSE limit_monthly END, updated_at = now() "
    f"WHERE user_id = :u RETURNING {_COLUMNS}"
)
_FREEZE_STATE = Sql("SELECT frozen_reason, frozen_at FROM ledger.accounts WHERE user_id = :u")
# Only under the row lock. Holds change before the balance (and are released before a posting),
# so the database's CHECK on balance - held never sees a transient negative.
_ADD_HELD = Sql("UPDATE ledger.accounts SET held = held + :d, updated_at = now() WHERE id = :a")
_SET_SPENT = Sql(
    "UPDATE ledger.accounts SET spent_day = :sd, spent_day_date = :sdd, spent_month = :sm, "
    "spent_month_start = :sms WHERE id = :a"
)
_SET_PHONE_VERIFIED = Sql(
    "UPDATE ledger.accounts SET phone_verified = :v, updated_at = now() WHERE user_id = :u RETURNING id"
)
_SYSTEM_ACCOUNT = Sql("SELECT id FROM ledger.accounts WHERE system_code = :c")


async def get(conn: RawConnection, user_id: uuid.UUID) -> Wallet | None:
    row = await conn.fetchrow(_GET, u=user_id)
    return None if row is None else Wallet(*row)


async def lock(conn: RawConnection, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Wallet]:
    """The wallets of `user_ids` that exist, row-locked until the transaction ends."""
    return {w.user_id: w for w in (Wallet(*r) for r in await conn.fetch(_LOCK, ids=user_ids))}


async def create(conn: RawConnection, user_id: uuid.UUID) -> Wallet | None:
    """The new wallet, or None if the user already has one."""
    row = await conn.fetchrow(_CREATE, id=uuid.uuid4(), u=user_id)
    return None if row is None else Wallet(*row)


async def lock_id(conn: RawConnection, user_id: uuid.UUID) -> uuid.UUID | None:
    account_id: uuid.UUID | None = await conn.fetchval(_LOCK_ID, u=user_id)
    return account_id


async def lock_account(conn: RawConnection, account_id: uuid.UUID) -> None:
    await conn.execute(_LOCK_ACCOUNT, a=account_id)


async def has_postings(conn: RawConnection, account_id: uuid.UUID) -> bool:
    return await conn.fetchrow(_HAS_POSTINGS, a=account_id) is not None


async def delete(conn: RawConnection, account_id: uuid.UUID) -> None:
    await conn.execute(_DELETE, a=account_id)


async def count_user_wallets(conn: RawConnection) -> int:
    return int(await conn.fetchval(_COUNT))


async def set_status(conn: RawConnection, user_id: uuid.UUID, *, status: str, reason: str | None) -> Wallet | None:
    row = await conn.fetchrow(_SET_STATUS, s=status, r=reason, frozen=status == "frozen", u=user_id)
    return None if row is None else Wallet(*row)


LIMIT_FIELDS = ("per_transaction", "daily", "monthly")


async def set_limits(conn: RawConnection, user_id: uuid.UUID, overrides: dict[str, Decimal | None]) -> Wallet | None:
    """Sets the overrides named in `overrides` (keys of LIMIT_FIELDS; None restores the default)."""
    row = await conn.fetchrow(
        _SET_LIMITS,
        set_pt="per_transaction" in overrides,
        pt=overrides.get("per_transaction"),
        set_d="daily" in overrides,
        d=overrides.get("daily"),
        set_m="monthly" in overrides,
        m=overrides.get("monthly"),
        u=user_id,
    )
    return None if row is None else Wallet(*row)


class FreezeState(NamedTuple):
    reason: str | None
    frozen_at: datetime | None


async def freeze_state(conn: RawConnection, user_id: uuid.UUID) -> FreezeState | None:
    """Why and since when the wallet is frozen (both None while active); None: no wallet."""
    row = await conn.fetchrow(_FREEZE_STATE, u=user_id)
    return None if row is None else FreezeState(*row)


async def add_held(conn: RawConnection, account_id: uuid.UUID, delta: Decimal) -> None:
    await conn.execute(_ADD_HELD, a=account_id, d=delta)


async def set_spent(
    conn: RawConnection, account_id: uuid.UUID, *, day: Decimal, day_date: date, month: Decimal, month_start: date
) -> None:
    await conn.execute(_SET_SPENT, a=account_id, sd=day, sdd=day_date, sm=month, sms=month_start)


async def set_phone_verified(conn: RawConnection, user_id: uuid.UUID, *, verified: bool) -> bool:
    """False when the user has no wallet."""
    return await conn.fetchval(_SET_PHONE_VERIFIED, v=verified, u=user_id) is not None


async def system_account_id(conn: RawConnection, code: str) -> uuid.UUID:
    account_id: uuid.UUID | None = await conn.fetchval(_SYSTEM_ACCOUNT, c=code)
    if account_id is None:  # seeded by migration 0002; missing means a broken database
        raise RuntimeError(f"system account {code!r} is missing")
    return account_id
