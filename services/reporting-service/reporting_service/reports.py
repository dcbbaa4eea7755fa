"""Report queries on the read model: statement and the platform overview (the summary: summary.py)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.models import movements, platform_daily, user_daily, users
from reporting_service.periods import Granularity, day_bounds, periods

ZERO = Decimal("0.00")
CURRENCY = "EGP"


def money(value: Decimal | None) -> str:
    return f"{(value or ZERO).quantize(Decimal('0.01'))}"


def _rfc3339(ts) -> str:
    return ts.isoformat().replace("+00:00", "Z")


async def statement(session: AsyncSession, *, user_id: uuid.UUID, start: date, end: date) -> dict[str, Any]:
    """Opening balance = balance after the last movement before the range (0.00 if none);
    each row carries the balance after it; closing = the last row's (or the opening)."""
    lo, hi = day_bounds(start, end)
    m = movements.c
    before = (
        await session.execute(
            select(m.balance_after)
            .where(m.user_id == user_id, m.occurred_at < lo)
            .order_by(m.occurred_at.desc(), m.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    opening = before if before is not None else ZERO
    rows = (
        await session.execute(
            select(
                m.occurred_at,
                m.type,
                m.direction,
                m.amount,
                m.currency,
                m.balance_after,
                m.counterparty_handle,
                m.counterparty_name,
                m.reference,
                m.note,
            )
            .where(m.user_id == user_id, m.occurred_at >= lo, m.occurred_at < hi)
            .order_by(m.occurred_at, m.id)
        )
    ).all()
    items = []
    total_in = total_out = ZERO
    closing = opening
    for r in rows:
        if r.direction == "in":
            total_in += r.amount
        else:
            total_out += r.amount
        if r.balance_after is not None:
            closing = r.balance_after
        items.append(
            {
                "date": _rfc3339(r.occurred_at),
                "type": r.type,
                "direction": r.direction,
                "amount": money(r.amount),
                "currency": r.currency,
                "balance_after": money(r.balance_after) if r.balance_after is not None else None,
                "counterparty": (
                    {"handle": r.counterparty_handle, "display_name": r.counterparty_name}
                    if r.counterparty_handle or r.counterparty_name
                    else None
                ),
                "reference": r.reference,
                "note": r.note,
            }
        )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "currency": CURRENCY,
        "opening_balance": money(opening),
        "closing_balance": money(closing),
        "total_in": money(total_in),
        "total_out": money(total_out),
        "count": len(items),
        "items": items,
    }


async def overview(session: AsyncSession, *, start: date, end: date) -> dict[str, Any]:
    pd = platform_daily.c
    days = {
        r.day: r for r in (await session.execute(select(platform_daily).where(pd.day >= start, pd.day <= end))).all()
    }
    active_by_day = dict(
        (
            await session.execute(
                select(user_daily.c.day, func.count())
                .where(user_daily.c.day >= start, user_daily.c.day <= end)
                .group_by(user_daily.c.day)
            )
        ).all()
    )
    active = (
        await session.execute(
            select(func.count(func.distinct(user_daily.c.user_id))).where(
                user_daily.c.day >= start, user_daily.c.day <= end
            )
        )
    ).scalar_one()
    lo, hi = day_bounds(start, end)
    total_users = (
        await session.execute(select(func.count()).select_from(users).where(users.c.registered_at < hi))
    ).scalar_one()
    new_users = (
        await session.execute(
            select(func.count()).select_from(users).where(and_(users.c.registered_at >= lo, users.c.registered_at < hi))
        )
    ).scalar_one()
    per_day = []
    totals = defaultdict(lambda: ZERO)
    counts = defaultdict(int)
    for day in periods(start, end, Granularity.day):
        r = days.get(day)
        entry = {
            "date": day.isoformat(),
            "active_users": int(active_by_day.get(day, 0)),
            "new_users": int(r.new_users) if r else 0,
        }
        for kind in ("transfer", "topup", "withdrawal"):
            vol, cnt = (getattr(r, f"{kind}_volume"), getattr(r, f"{kind}_count")) if r else (ZERO, 0)
            entry[f"{kind}_volume"] = money(vol)
            entry[f"{kind}_count"] = int(cnt)
            totals[kind] += vol
            counts[kind] += cnt
        per_day.append(entry)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "currency": CURRENCY,
        "users": {"total": int(total_users), "new": int(new_users), "active": int(active)},
        "volume": {k: money(totals[k]) for k in ("transfer", "topup", "withdrawal")},
        "counts": {k: int(counts[k]) for k in ("transfer", "topup", "withdrawal")},
        "per_day": per_day,
    }
