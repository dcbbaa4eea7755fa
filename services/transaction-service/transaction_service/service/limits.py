"""Spending limits on money sent out (transfers + withdrawals): per transaction, day and month.

Each wallet has the configured defaults unless two admins set an override (approval action
`wallet.limits`, stored on the account row): `effective_limits` is what every check and the
wallet's `limits` view use.

The day/month counters live on the account row and are only changed under its row lock, so
they are exact under concurrency without summing postings.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from transaction_service.config import TransactionSettings
from transaction_service.repository.accounts import Wallet


@dataclass(frozen=True, slots=True)
class SpentSoFar:
    day: Decimal
    month: Decimal
    today: date
    month_start: date


def local_today(settings: TransactionSettings, now: datetime | None = None) -> date:
    now = now or datetime.now(ZoneInfo("UTC"))
    return now.astimezone(ZoneInfo(settings.limits_timezone)).date()


def spent_so_far(wallet: Wallet, settings: TransactionSettings) -> SpentSoFar:
    """What the wallet has sent out today / this month (counters from another period count 0)."""
    today = local_today(settings)
    month_start = today.replace(day=1)
    day = wallet.spent_day if wallet.spent_day_date == today else Decimal("0")
    month = wallet.spent_month if wallet.spent_month_start == month_start else Decimal("0")
    return SpentSoFar(day=day, month=month, today=today, month_start=month_start)


class EffectiveLimits(NamedTuple):
    """The limits a wallet's money out is checked against: its overrides, else the defaults."""

    per_transaction: Decimal
    daily: Decimal
    monthly: Decimal


def effective_limits(wallet: Wallet, settings: TransactionSettings) -> EffectiveLimits:
    def pick(override: Decimal | None, default: Decimal) -> Decimal:
        return default if override is None else override

    return EffectiveLimits(
        per_transaction=pick(wallet.limit_per_transaction, settings.limit_per_transaction),
        daily=pick(wallet.limit_daily, settings.limit_daily),
        monthly=pick(wallet.limit_monthly, settings.limit_monthly),
    )


def overrides_view(wallet: Wallet) -> dict[str, Decimal | None]:
    """The wallet's overrides by name (None: the default applies), for the operators' view."""
    return {
        "per_transaction": wallet.limit_per_transaction,
        "daily": wallet.limit_daily,
        "monthly": wallet.limit_monthly,
    }


class Limits(NamedTuple):
    """A wallet's limits with what is used and left (the fields of `schemas.WalletLimits`)."""

    per_transaction: Decimal
    daily: Decimal
    daily_used: Decimal
    daily_remaining: Decimal
    monthly: Decimal
    monthly_used: Decimal
    monthly_remaining: Decimal


def limits_view(wallet: Wallet, settings: TransactionSettings) -> Limits:
    spent = spent_so_far(wallet, settings)
    limits = effective_limits(wallet, settings)
    return Limits(
        per_transaction=limits.per_transaction,
        daily=limits.daily,
        daily_used=spent.day,
        daily_remaining=max(Decimal("0"), limits.daily - spent.day),
        monthly=limits.monthly,
        monthly_used=spent.month,
        monthly_remaining=max(Decimal("0"), limits.monthly - spent.month),
    )


def period_starts(settings: TransactionSettings, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The instants today and this month began in the limits' time zone: (day, month)."""
    zone = ZoneInfo(settings.limits_timezone)
    today = local_today(settings, now)
    return datetime.combine(today, time(0), zone), datetime.combine(today.replace(day=1), time(0), zone)


def given_back(wallet: Wallet, amount: Decimal, spent_at: datetime, settings: TransactionSettings) -> SpentSoFar:
    """The wallet's counters once `amount`, counted when it was sent at `spent_at`, is given back
    (a failed withdrawal): only a counter still of that period goes down."""
    spent = spent_so_far(wallet, settings)
    day_of = local_today(settings, spent_at)
    day = max(Decimal("0"), spent.day - amount) if day_of == spent.today else spent.day
    month = max(Decimal("0"), spent.month - amount) if day_of.replace(day=1) == spent.month_start else spent.month
    return SpentSoFar(day=day, month=month, today=spent.today, month_start=spent.month_start)
