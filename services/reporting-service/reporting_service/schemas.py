"""Response models of the reporting routes (they take no request bodies; the internal event routes
use instapay_common.events). Amounts are decimal strings with two fractional digits, days
`YYYY-MM-DD` (UTC), `from`/`to` the inclusive range answered."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Money = str


class _Range(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", description="YYYY-MM-DD, inclusive")
    to: str = Field(description="YYYY-MM-DD, inclusive")
    currency: str


class SummaryAmount(BaseModel):
    amount: Money
    count: int


class SummaryBreakdown(BaseModel):
    transfer_out: SummaryAmount
    transfer_in: SummaryAmount
    topup: SummaryAmount
    withdrawal: SummaryAmount


class SummaryPoint(BaseModel):
    period: str = Field(description="YYYY-MM-DD, ISO week YYYY-Www or YYYY-MM")
    start: str = Field(description="first day of the period (YYYY-MM-DD)")
    sent: Money
    received: Money
    count: int
    received_from_people: Money = Field(description="Transfers received in the period (part of `received`)")
    topped_up: Money = Field(description="Top-ups in the period (the rest of `received`)")


class TopCounterparty(BaseModel):
    user_id: str
    handle: str | None
    display_name: str | None
    sent: Money
    received: Money
    count: int


class Summary(_Range):
    """Sent = money out (transfers sent + withdrawals), received = money in (transfers received +
    top-ups), split into `received_from_people` and `topped_up` (received = their sum); `series`
    has every period touching the range, with or without activity."""

    granularity: Literal["day", "week", "month"]
    total_sent: Money
    total_received: Money
    received_from_people: Money = Field(description="Transfers received (part of `total_received`)")
    topped_up: Money = Field(description="Top-ups (the rest of `total_received`)")
    net: Money
    count_sent: int
    count_received: int
    breakdown: SummaryBreakdown
    series: list[SummaryPoint]
    top_counterparties: list[TopCounterparty]


class StatementCounterparty(BaseModel):
    handle: str | None
    display_name: str | None


class StatementItem(BaseModel):
    date: str = Field(description="RFC 3339, UTC")
    type: str = Field(description="transfer (a refund is one too), reversal, topup or withdrawal")
    direction: Literal["in", "out"]
    amount: Money
    currency: str
    balance_after: Money | None
    counterparty: StatementCounterparty | None
    reference: str | None
    note: str | None


class Statement(_Range):
    """Opening balance = the balance after the last movement before the range (0.00 if none);
    closing = the balance after the range's last movement (or the opening)."""

    opening_balance: Money
    closing_balance: Money
    total_in: Money
    total_out: Money
    count: int
    items: list[StatementItem]


class OverviewUsers(BaseModel):
    total: int
    new: int
    active: int


class OverviewVolume(BaseModel):
    transfer: Money
    topup: Money
    withdrawal: Money


class OverviewCounts(BaseModel):
    transfer: int
    topup: int
    withdrawal: int


class OverviewDay(BaseModel):
    date: str
    active_users: int
    new_users: int
    transfer_volume: Money
    transfer_count: int
    topup_volume: Money
    topup_count: int
    withdrawal_volume: Money
    withdrawal_count: int


class Overview(_Range):
    users: OverviewUsers
    volume: OverviewVolume
    counts: OverviewCounts
    per_day: list[OverviewDay]
