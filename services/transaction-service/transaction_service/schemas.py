"""Request and response bodies of the public API, and the one place that serialises ledger rows
into response bodies.

Request models refuse unknown fields. The response models are the contract's success bodies, for
the OpenAPI: routes attach them with `responses=` and answer the dicts built below (the money
POSTs answer stored, byte-for-byte replayable bytes; the reads skip run-time validation), so no
answer is validated or filtered on the way out. A test validates real answers against these
models with unknown fields forbidden, so a field a builder adds must be added to its model too.
Unknown fields are not forbidden in the document itself: the contract lets the API add fields.
"""

import datetime as dt
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from instapay_common.text import PlainText
from transaction_service.money import Amount, fmt
from transaction_service.parties import PartyRef
from transaction_service.payment_tokens import MAX_TOKEN_CHARS
from transaction_service.repository.accounts import LIMIT_FIELDS
from transaction_service.repository.accounts import Wallet as WalletRow
from transaction_service.repository.approvals import ApprovalRow
from transaction_service.repository.ledger import TransferEntry
from transaction_service.repository.payment_requests import PaymentRequest as PaymentRequestRow
from transaction_service.service.limits import Limits

# A JSON object as answered and stored under an Idempotency-Key.
JsonObject = dict[str, object]

# ---- request bodies


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransferIn(Strict):
    recipient: PlainText | None = Field(default=None, min_length=1, max_length=320)
    payment_link: PlainText | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_TOKEN_CHARS,
        description="A payment link's token (from its URL or QR code), instead of `recipient`",
    )
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    note: PlainText | None = None
    pin: PlainText | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _one_recipient(self) -> "TransferIn":
        if (self.recipient is None) == (self.payment_link is None):
            raise ValueError("give exactly one of recipient and payment_link")
        return self


class RefundIn(Strict):
    amount: Amount | None = Field(default=None, description="Omitted: everything not refunded yet")
    note: PlainText | None = None
    pin: PlainText | None = Field(default=None, max_length=32)


DisputeReason = Literal["wrong_recipient", "not_received", "fraud", "other"]
DisputeStatus = Literal["open", "rejected", "resolved_reversed"]


class DisputeIn(Strict):
    reason: DisputeReason
    note: PlainText | None = None


class DisputeResolutionIn(Strict):
    """An operator's decision on an open dispute (carried out once a second admin approves it)."""

    outcome: Literal["reverse", "reject"]
    note: PlainText = Field(min_length=1, max_length=500)


class PaymentLinkIn(Strict):
    amount: Amount | None = None
    reference: PlainText | None = Field(default=None, max_length=64, description="Shown to the payer, e.g. an order")
    expires_at: datetime | None = None
    single_use: bool = False


class FavouriteIn(Strict):
    recipient: PlainText = Field(min_length=1, max_length=320, description="Handle, phone or e-mail")
    nickname: PlainText | None = Field(default=None, max_length=40)


class ScheduledTransferIn(Strict):
    recipient: PlainText = Field(min_length=1, max_length=320, description="Handle, phone or e-mail")
    amount: Amount
    note: PlainText | None = None
    pin: PlainText | None = Field(default=None, max_length=32)
    start_at: AwareDatetime = Field(
        description="The first run, RFC 3339 with an offset (stored and answered in UTC); in the future, "
        "at most 365 days ahead"
    )
    repeat: Literal["none", "weekly", "monthly"] = Field(
        description="`monthly` keeps start_at's day of the month, clamped to shorter months (Jan 31, Feb 28, Mar 31)"
    )
    end_after: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="How many occurrences run (completed or failed transfers); omitted: until cancelled",
    )


class ScheduledTransferPatch(Strict):
    amount: Amount | None = Field(default=None, description="Applies from the next occurrence on; needs `pin`")
    status: Literal["active", "paused"] | None = None
    pin: PlainText | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _something(self) -> "ScheduledTransferPatch":
        if self.amount is None and self.status is None:
            raise ValueError("give amount, status or both")
        return self


class FundingSource(Strict):
    type: Literal["card", "bank"]
    reference: PlainText = Field(min_length=1, max_length=128)


class BankDestination(Strict):
    type: Literal["bank"]
    reference: PlainText = Field(min_length=1, max_length=128)


class TopupIn(Strict):
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    source: FundingSource


class WithdrawalIn(Strict):
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    destination: BankDestination
    pin: PlainText | None = Field(default=None, max_length=32)


class PaymentRequestIn(Strict):
    payer: PlainText = Field(min_length=1, max_length=320)
    amount: Amount
    currency: PlainText = Field(default="EGP", min_length=1, max_length=8)
    note: PlainText | None = None


class AcceptIn(Strict):
    pin: PlainText | None = Field(default=None, max_length=32)


class FreezeIn(Strict):
    reason: PlainText = Field(min_length=1, max_length=500)


class UnfreezeIn(Strict):
    """Optional body of an unfreeze: why, for the audit log (the owner is told only that it ended)."""

    reason: PlainText | None = Field(default=None, min_length=1, max_length=500)


class LimitsIn(Strict):
    """A change of a wallet's spending limits (two-person control). A limit left out stays as it
    is; `null` restores the configured default; at least one limit must be named."""

    per_transaction: Amount | None = None
    daily: Amount | None = None
    monthly: Amount | None = None
    reason: PlainText = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _names_a_limit(self) -> "LimitsIn":
        if not self.changes():
            raise ValueError("name at least one of per_transaction, daily, monthly")
        return self

    def changes(self) -> dict[str, Decimal | None]:
        """The limits the body names (a null among them: back to the default)."""
        return {name: getattr(self, name) for name in LIMIT_FIELDS if name in self.model_fields_set}


class WalletCreate(Strict):
    """Internal: the wallet of a newly registered user."""

    user_id: uuid.UUID


class WalletVerification(Strict):
    """Internal: whether the wallet owner's phone is verified (the auth service decides)."""

    phone_verified: bool


# ---- serialisation of ledger rows (money as 2-decimal strings, times as RFC 3339 UTC)


def rfc3339(value: datetime) -> str:
    """UTC with a `Z`, millisecond precision (`2026-11-25T10:00:00.123Z`)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def party_body(party: PartyRef | None) -> JsonObject | None:
    if not party:
        return None
    return {"user_id": party["user_id"], "handle": party.get("handle"), "display_name": party.get("display_name")}


def wallet_body(wallet: WalletRow, limits: Limits) -> JsonObject:
    """`Wallet`."""
    return {
        "account_id": str(wallet.id),
        "user_id": str(wallet.user_id),
        "balance": fmt(wallet.balance),
        "available_balance": fmt(wallet.available),
        "currency": wallet.currency,
        "status": wallet.status,
        "limits": {k: fmt(v) for k, v in limits._asdict().items()},
    }


def transfer_body(entry: TransferEntry) -> JsonObject:
    """`Transfer`."""
    return {
        "id": str(entry.id),
        "status": "completed",
        "amount": fmt(entry.amount),
        "currency": entry.currency,
        "sender": {"user_id": entry.sender["user_id"], "handle": entry.sender.get("handle")},
        "recipient": party_body(entry.recipient),
        "note": entry.note,
        "created_at": rfc3339(entry.created_at),
        "payment_request_id": str(entry.payment_request_id) if entry.payment_request_id else None,
        "payment_link_id": str(entry.payment_link_id) if entry.payment_link_id else None,
        "reference": entry.reference,
        "refund_of": str(entry.refund_of) if entry.refund_of else None,
    }


def funding_source_body(method: str | None, reference: str | None) -> JsonObject | None:
    """`FundingSourceRef`: the card or bank account of a top-up or withdrawal, shown by its last
    four characters only (enough for the owner to recognise it, nothing more in a list)."""
    if not method:
        return None
    tail = "".join(ch for ch in (reference or "") if ch.isalnum())[-4:]
    return {"type": method, "last4": tail or None}


def transaction_body(
    *,
    entry_id: uuid.UUID,
    entry_type: str,
    signed_amount: Decimal,
    currency: str,
    balance_after: Decimal,
    note: str | None,
    sender: PartyRef | None,
    recipient: PartyRef | None,
    created_at: datetime,
    reference: str | None,
    status: str = "completed",
    payment_request_id: uuid.UUID | None = None,
    funding_source: JsonObject | None = None,
    refund_of: uuid.UUID | None = None,
    reversal_of: uuid.UUID | None = None,
    schedule_id: uuid.UUID | None = None,
) -> JsonObject:
    """`Transaction`: one history row from the side of the account that got `signed_amount`.
    Transfers (refunds too) and reversals move money between two users: they name the other one."""
    incoming = signed_amount > 0
    between_users = entry_type in ("transfer", "reversal")
    counterparty = party_body(sender if incoming else recipient) if between_users else None
    return {
        "id": str(entry_id),
        "type": entry_type,
        "direction": "in" if incoming else "out",
        "amount": fmt(abs(signed_amount)),
        "currency": currency,
        "balance_after": fmt(balance_after),
        "counterparty": counterparty,
        "transfer_id": str(entry_id) if entry_type == "transfer" else None,
        "note": note,
        "status": status,
        "created_at": rfc3339(created_at),
        "reference": reference,
        "payment_request_id": str(payment_request_id) if payment_request_id else None,
        "funding_source": funding_source,
        "refund_of": str(refund_of) if refund_of else None,
        "reversal_of": str(reversal_of) if reversal_of else None,
        "schedule_id": str(schedule_id) if schedule_id else None,
    }


def payment_request_body(row: PaymentRequestRow, *, status: str) -> JsonObject:
    """`PaymentRequest`; `status` is the effective one (a pending request past expiry is `expired`)."""
    return {
        "id": str(row.id),
        "status": status,
        "amount": fmt(row.amount),
        "currency": row.currency,
        "note": row.note,
        "requester": row.requester,
        "payer": row.payer,
        "transfer_id": str(row.transfer_id) if row.transfer_id else None,
        "transfer_reference": row.transfer_reference,
        "expires_at": rfc3339(row.expires_at),
        "created_at": rfc3339(row.created_at),
        "updated_at": rfc3339(row.updated_at),
    }


def page_body(items: list[JsonObject], next_cursor: str | None) -> JsonObject:
    """`TransactionPage` / `PaymentRequestPage`."""
    return {"items": items, "next_cursor": next_cursor}


# ---- response bodies (documentation; see the module docstring)

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
Reference = Annotated[
    str,
    Field(
        pattern=r"^IP[0-9A-HJKMNP-TV-Z]{8}$",
        examples=["IP7K3Q9X2M"],
        description="The transaction's human reference (both sides of a transfer see the same one)",
    ),
]


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
    available_balance: Money = Field(
        description="The balance less money held for pending withdrawals: what can be sent or withdrawn now"
    )
    currency: Currency
    status: Literal["active", "frozen"]
    limits: WalletLimits


class LimitOverrides(BaseModel):
    """A wallet's own limits set by two admins; null: the configured default applies."""

    per_transaction: Money | None
    daily: Money | None
    monthly: Money | None


class AdminWallet(Wallet):
    """An operator's view of a wallet: the owner's (with its effective `limits`), with the freeze
    state and the limit overrides."""

    limit_overrides: LimitOverrides

    frozen_reason: str | None = Field(description="Why the wallet is frozen (the owner was told); null while active")
    frozen_at: Timestamp | None = Field(description="Since when it is frozen; null while active")


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
    payment_link_id: Id | None = Field(description="The payment link this transfer paid, if any")
    reference: Reference
    refund_of: Id | None = Field(
        default=None, description="A refund: the transfer it gives money back for (the original's sender is paid)"
    )


class FundingSourceRef(BaseModel):
    type: Literal["card", "bank"]
    last4: str | None = Field(description="The last four letters or digits of the card or account reference")


class Transaction(BaseModel):
    """One row of the history, from the caller's side; top-ups and withdrawals also answer one."""

    id: Id
    type: Literal["transfer", "topup", "withdrawal", "reversal"] = Field(
        description="A refund is a `transfer` with `refund_of`; a `reversal` is money an operator moved back "
        "on a dispute (`reversal_of`)"
    )
    direction: Literal["in", "out"]
    amount: Money
    currency: Currency
    balance_after: Money
    counterparty: Party | None = Field(description="The other user of a transfer; null for a top-up or withdrawal")
    transfer_id: Id | None = Field(description="The transfer's id for type `transfer`, else null")
    note: str | None
    status: Literal["pending", "completed", "failed", "reversed"] = Field(
        description="A top-up or withdrawal is `pending` until the provider confirms it (`completed`) or not (`failed`)"
    )
    created_at: Timestamp
    reference: Reference
    payment_request_id: Id | None = Field(
        default=None, description="The payment request this transfer paid (a transfer only), else null"
    )
    funding_source: FundingSourceRef | None = Field(
        default=None, description="The card or bank account of a top-up or withdrawal, else null"
    )
    refund_of: Id | None = Field(default=None, description="A refund: the transfer it gives money back for")
    reversal_of: Id | None = Field(default=None, description="A reversal: the transfer it reverses")
    schedule_id: Id | None = Field(
        default=None, description="The scheduled transfer that made this transfer, else null"
    )


class PaymentRequest(BaseModel):
    id: Id
    status: Literal["pending", "accepted", "declined", "cancelled", "expired"]
    amount: Money
    currency: Currency
    note: str | None
    requester: Party
    payer: Party
    transfer_id: Id | None = Field(description="The transfer that paid it, once accepted")
    transfer_reference: str | None = Field(description="That transfer's human reference (`IP7K3Q9X2M`)")
    expires_at: Timestamp
    created_at: Timestamp
    updated_at: Timestamp


class TransactionPage(BaseModel):
    items: list[Transaction]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class PaymentRequestPage(BaseModel):
    items: list[PaymentRequest]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class ReconciliationItem(BaseModel):
    operation_id: Id
    kind: str = Field(description="`charge`/`payout` for a provider item, `topup`/`withdrawal` for a ledger one")
    amount: Money
    provider_id: str | None = None
    settled_at: Timestamp | None = None
    completed_at: Timestamp | None = None
    ledger_amount: Money | None = Field(default=None, description="Our amount, for an `amount_mismatch` item")


class Reconciliation(BaseModel):
    """The provider's settlement report of a day against the ledger."""

    date: dt.date
    matched: int
    missing_in_ledger: list[ReconciliationItem]
    missing_at_provider: list[ReconciliationItem]
    amount_mismatch: list[ReconciliationItem]
    ran_at: Timestamp | None


class CallbackAnswer(BaseModel):
    status: Literal["applied", "duplicate"]


class PaymentLink(BaseModel):
    id: Id
    token: str = Field(description="Signed, URL-safe; what the QR code and `url` carry")
    url: str = Field(description="`<public base url>/pay/<token>`")
    qr_svg: str = Field(description="The URL as a QR code, an SVG document")
    amount: Money | None = Field(description="The exact amount to pay; null: the payer chooses")
    reference: str | None
    expires_at: Timestamp | None
    single_use: bool
    status: Literal["active", "used", "cancelled", "expired"]
    paid_transfer_id: Id | None = Field(description="The transfer that used a single-use link")
    created_at: Timestamp


class PaymentLinkPage(BaseModel):
    items: list[PaymentLink]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class ResolvedPaymentLink(BaseModel):
    """Who a link pays (the verified, masked name: never the full name) and what it asks."""

    link_id: Id
    user_id: Id
    handle: str | None
    display_name: str | None = Field(description="Masked name (`Ahmed M.`), else the handle")
    amount: Money | None
    reference: str | None
    expires_at: Timestamp | None
    single_use: bool


class ReceiveCode(BaseModel):
    handle: str
    token: str
    url: str
    qr_svg: str


class Favourite(BaseModel):
    id: Id
    recipient: Party
    nickname: str | None
    created_at: Timestamp


class FavouriteList(BaseModel):
    items: list[Favourite]
    next_cursor: None = Field(description="Always null: the whole list is one page")


class RecentRecipient(BaseModel):
    recipient: Party
    last_paid_at: Timestamp


class RecentRecipients(BaseModel):
    items: list[RecentRecipient]
    next_cursor: None = Field(description="Always null: the whole list is one page")


class TimelineStep(BaseModel):
    status: Literal["pending", "completed", "failed", "reversed"]
    at: Timestamp


class TransactionParties(BaseModel):
    sender: Party | None = Field(description="Who paid; null for a top-up (money from outside)")
    recipient: Party | None = Field(description="Who was paid; null for a withdrawal (money leaving)")


class RefundRef(BaseModel):
    """A refund or the reversal of a transfer, as its detail links it."""

    id: Id
    type: Literal["refund", "reversal"]
    amount: Money
    reference: Reference
    created_at: Timestamp


class DisputeRef(BaseModel):
    id: Id
    reference: str
    status: DisputeStatus
    reason: DisputeReason
    created_at: Timestamp


class TransactionDetail(Transaction):
    """The history row with everything a receipt shows."""

    parties: TransactionParties
    fee: Money = Field(description="What the platform charged for it (none today: 0.00)")
    timeline: list[TimelineStep]
    payment_link_id: Id | None = Field(description="The payment link this transfer paid, if any")
    refund_of: Id | None = Field(description="A refund: the transfer it gives money back for")
    dispute_id: Id | None = Field(description="The latest dispute about this transfer, if any")
    schedule_id: Id | None = Field(description="The scheduled transfer that made it, else null")
    refunds: list[RefundRef] = Field(
        default_factory=list, description="A transfer's refunds and reversal, oldest first (empty otherwise)"
    )
    refunded_amount: Money | None = Field(
        default=None, description="A transfer: what its refunds and reversal gave back so far; else null"
    )
    refundable_amount: Money | None = Field(
        default=None,
        description="What the caller may still refund: set for the recipient of a completed transfer, else null",
    )
    dispute: DisputeRef | None = Field(default=None, description="The latest dispute about this transfer")


class Dispute(BaseModel):
    """A sender's report of a problem with a transfer. The recipient sees the case too, but not the
    sender's `note` (null for them): what the sender tells the operators stays between them."""

    id: Id
    reference: str = Field(pattern=r"^DP[0-9A-HJKMNP-TV-Z]{8}$", examples=["DP4M7QK2ZT"])
    status: DisputeStatus
    reason: DisputeReason
    note: str | None
    role: Literal["sender", "recipient", "operator"] = Field(description="The caller's side of the case")
    transaction_id: Id = Field(description="The disputed transfer")
    transaction_reference: str | None
    amount: Money
    currency: Currency
    sender: Party
    recipient: Party
    resolution_note: str | None = Field(description="The operators' words once resolved")
    reversal_id: Id | None = Field(description="The reversal that gave the money back (`resolved_reversed`)")
    created_at: Timestamp
    resolved_at: Timestamp | None


class DisputePage(BaseModel):
    items: list[Dispute]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class ScheduledTransfer(BaseModel):
    id: Id
    status: Literal["active", "paused", "cancelled", "completed"]
    recipient: Party
    amount: Money = Field(description="What each future occurrence sends")
    currency: Currency
    note: str | None
    repeat: Literal["none", "weekly", "monthly"]
    start_at: Timestamp
    end_after: int | None = Field(description="How many occurrences run; null: until cancelled")
    runs: int = Field(description="Occurrences that ran so far (completed or failed)")
    next_run_at: Timestamp | None = Field(description="The next occurrence (UTC); null once cancelled or completed")
    last_run_at: Timestamp | None
    last_outcome: str | None = Field(
        description="`completed`, or the decline's code (`insufficient_funds`, `limit_exceeded`, ...)"
    )
    last_transfer_id: Id | None
    created_at: Timestamp
    updated_at: Timestamp


class ScheduledTransferPage(BaseModel):
    items: list[ScheduledTransfer]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


# ---- two-person control (service.approvals)


class Approval(BaseModel):
    """An admin action waiting for, or decided by, a second admin."""

    approval_id: Id
    action: str = Field(examples=["wallet.freeze"], description="What is to be done: wallet.freeze, wallet.unfreeze")
    subject: str = Field(description="What it acts on (for a wallet action, the owner's user id)")
    payload: dict[str, object] = Field(description="Its arguments, e.g. {reason}")
    status: Literal["pending", "approved", "expired", "rejected"]
    proposed_by: Id
    proposed_at: Timestamp
    expires_at: Timestamp = Field(description="A pending approval can be approved until then")
    approved_by: Id | None
    approved_at: Timestamp | None
    rejected_by: Id | None
    rejected_at: Timestamp | None
    result: dict[str, object] | None = Field(description="What carrying it out answered (a wallet action: the wallet)")


class ApprovalPage(BaseModel):
    items: list[Approval]
    next_cursor: str | None


def approval_body(row: ApprovalRow) -> JsonObject:
    def when(value: datetime | None) -> str | None:
        return rfc3339(value) if value else None

    return {
        "approval_id": str(row.id),
        "action": row.action,
        "subject": row.subject,
        "payload": row.payload,
        "status": row.status,
        "proposed_by": str(row.proposed_by),
        "proposed_at": rfc3339(row.proposed_at),
        "expires_at": rfc3339(row.expires_at),
        "approved_by": str(row.approved_by) if row.approved_by else None,
        "approved_at": when(row.approved_at),
        "rejected_by": str(row.rejected_by) if row.rejected_by else None,
        "rejected_at": when(row.rejected_at),
        "result": row.result,
    }
