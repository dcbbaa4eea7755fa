"""Success bodies of the public routes, for the OpenAPI only.

The views (views.py, accounts.wallet_view, payment_requests.request_view) build plain dicts and
the money POSTs answer stored, byte-for-byte replayable bytes (api/responses.outcome_response), so
these models are attached as `responses=` documentation and never validate or filter an answer:
no cost on the money path. A test validates real answers against them (extra fields forbidden
there), so a field a view adds must be added here too. Unknown fields are not forbidden in the
document itself: the contract lets the API add fields.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

Money = Annotated[
    str,
    Field(
        pattern=r"^[0-9]+\.[0-9]{2}$",
        examples=["125.50"],
        description="Decimal string with 2 fraction digits (never a JSON number)",
    ),
]
Timestamp = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$",
        json_schema_extra={"format": "date-time"},
        examples=["2026-11-25T10:00:00.000Z"],
        description="RFC 3339, UTC",
    ),
]
Id = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        json_schema_extra={"format": "uuid"},
    ),
]
Currency = Annotated[str, Field(examples=["EGP"], description="ISO 4217")]


class WalletLimits(BaseModel):
    """Limits on money sent out (transfers and withdrawals), with what is used and left."""

    per_transaction: Money
    daily: Money
    daily_used: Money
    daily_remaining: Money
    monthly: Money
    monthly_used: Money
    monthly_remaining: Money


class Wallet(BaseModel):
    account_id: Id
    user_id: Id
    balance: Money
    currency: Currency
    status: Literal["active", "frozen"]
    limits: WalletLimits


class TransferSender(BaseModel):
    user_id: Id
    handle: str | None


class Party(BaseModel):
    """The other side of a transfer or payment request, as the user service named it then."""

    user_id: Id
    handle: str | None
    display_name: str | None = Field(description="Masked name (`Ahmed M.`), else the handle")


class Transfer(BaseModel):
    id: Id
    status: Literal["completed"]
    amount: Money
    currency: Currency
    sender: TransferSender
    recipient: Party
    note: str | None
    created_at: Timestamp
    payment_request_id: Id | None = Field(description="The payment request this transfer paid, if any")


class Transaction(BaseModel):
    """One row of the history, from the caller's side; top-ups and withdrawals also answer one."""

    id: Id
    type: Literal["transfer", "topup", "withdrawal"]
    direction: Literal["in", "out"]
    amount: Money
    currency: Currency
    balance_after: Money
    counterparty: Party | None = Field(description="The other user of a transfer; null for a top-up or withdrawal")
    transfer_id: Id | None = Field(description="The transfer's id for type `transfer`, else null")
    note: str | None
    status: Literal["completed"]
    created_at: Timestamp


class PaymentRequest(BaseModel):
    id: Id
    status: Literal["pending", "accepted", "declined", "cancelled", "expired"]
    amount: Money
    currency: Currency
    note: str | None
    requester: Party
    payer: Party
    transfer_id: Id | None = Field(description="The transfer that paid it, once accepted")
    expires_at: Timestamp
    created_at: Timestamp
    updated_at: Timestamp


class TransactionPage(BaseModel):
    items: list[Transaction]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class PaymentRequestPage(BaseModel):
    items: list[PaymentRequest]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


def documented(status: int, model: type[BaseModel], description: str) -> dict[int | str, dict]:
    """`responses=` entry: `model` is documentation only (the route keeps `response_model=None`)."""
    return {status: {"model": model, "description": description}}
