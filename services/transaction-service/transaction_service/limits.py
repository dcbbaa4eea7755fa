"""Spending limits on money sent out (transfers + withdrawals): per transaction, day and month.

The day/month counters live on the account row and are only changed under its row lock, so
they are exact under concurrency without summing postings.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from transaction_service.config import TransactionSettings


@dataclass(frozen=True, slots=True)
class SpentSoFar:
    day: Decimal
    month: Decimal
    today: date
    month_start: date


def local_today(settings: TransactionSettings, now: datetime | None = None) -> date:
    now = now or datetime.now(ZoneInfo("UTC"))
    return now.astimezone(ZoneInfo(settings.limits_timezone)).date()


def spent_so_far(account: Any, settings: TransactionSettings) -> SpentSoFar:
    """What the account has sent out today / this month (counters from another period count 0)."""
    today = local_today(settings)
    month_start = today.replace(day=1)
    day = account.spent_day if account.spent_day_date == today else Decimal("0")
    month = account.spent_month if account.spent_month_start == month_start else Decimal("0")
    return SpentSoFar(day=day, month=month, today=today, month_start=month_start)


def limits_view(account: Any, settings: TransactionSettings) -> dict[str, Decimal]:
    spent = spent_so_far(account, settings)
    return {
        "per_transaction": settings.limit_per_transaction,
        "daily": settings.limit_daily,
        "daily_used": spent.day,
        "daily_remaining": max(Decimal("0"), settings.limit_daily - spent.day),
        "monthly": settings.limit_monthly,
        "monthly_used": spent.month,
        "monthly_remaining": max(Decimal("0"), settings.limit_monthly - spent.month),
    }
