"""Response shapes (API contract: transfer, transaction row) built from ledger rows."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from transaction_service.events import rfc3339
from transaction_service.money import fmt


def short_party(party: dict[str, Any] | None) -> dict[str, Any] | None:
    if not party:
        return None
    return {"user_id": party["user_id"], "handle": party.get("handle"), "display_name": party.get("display_name")}


def transfer_view(
    *,
    entry_id: Any,
    amount: Decimal,
    currency: str,
    note: str | None,
    sender: dict,
    recipient: dict,
    created_at: datetime,
    payment_request_id: Any = None,
) -> dict[str, Any]:
    return {
        "id": str(entry_id),
        "status": "completed",
        "amount": fmt(amount),
        "currency": currency,
        "sender": {"user_id": sender["user_id"], "handle": sender.get("handle")},
        "recipient": short_party(recipient),
        "note": note,
        "created_at": rfc3339(created_at),
        "payment_request_id": str(payment_request_id) if payment_request_id else None,
    }


def transaction_view(
    *,
    entry_id: Any,
    entry_type: str,
    signed_amount: Decimal,
    currency: str,
    balance_after: Decimal,
    note: str | None,
    sender: dict | None,
    recipient: dict | None,
    created_at: datetime,
) -> dict[str, Any]:
    """One history row from the point of view of the account that got `signed_amount`."""
    incoming = signed_amount > 0
    counterparty = None
    if entry_type == "transfer":
        counterparty = short_party(sender if incoming else recipient)
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
        "status": "completed",
        "created_at": rfc3339(created_at),
    }
