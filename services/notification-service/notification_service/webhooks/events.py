"""Which webhook messages a platform event produces: one per affected user, each a thin payload
`{type, timestamp, data}` with ids, amounts and times (the receiver fetches more through the API
with its token). The payload models (schemas.py) document the same shapes in OpenAPI."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from instapay_common.events.envelope import EventEnvelope
from notification_service.exceptions import InvalidEvent
from notification_service.webhooks.schemas import EventType

# The contract's event types, in its order (schemas.EventType, the API's own list).
EVENT_TYPES: tuple[str, ...] = get_args(EventType)


@dataclass(frozen=True)
class WebhookEvent:
    user_id: uuid.UUID
    type: str
    data: dict[str, Any]


Builder = Callable[[dict[str, Any]], list[WebhookEvent]]


def _uid(value: Any, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise InvalidEvent(f"event data field '{field}' must be a user id") from exc


def _party(d: dict[str, Any], key: str) -> dict[str, Any]:
    party = d.get(key)
    if not isinstance(party, dict) or "user_id" not in party:
        raise InvalidEvent(f"event data needs a '{key}' party")
    return party


def _counterparty(party: dict[str, Any]) -> dict[str, Any]:
    return {"user_id": str(party["user_id"]), "handle": party.get("handle")}


def _transfer(d: dict[str, Any]) -> list[WebhookEvent]:
    sender, recipient = _party(d, "sender"), _party(d, "recipient")

    def one(me: dict[str, Any], key: str, kind: str, other: dict[str, Any]) -> WebhookEvent:
        data = {
            "transfer_id": d.get("transfer_id"),
            "amount": d.get("amount"),
            "currency": d.get("currency", "EGP"),
            "balance_after": me.get("balance_after"),
            "counterparty": _counterparty(other),
            "payment_request_id": d.get("payment_request_id"),
            "created_at": d.get("created_at"),
        }
        return WebhookEvent(_uid(me["user_id"], key), kind, data)

    return [
        one(sender, "sender", "transfer.sent", recipient),
        one(recipient, "recipient", "transfer.received", sender),
    ]


def _refund(d: dict[str, Any]) -> list[WebhookEvent]:
    """`refund.created` to both parties: `role` says whether the receiver refunded or was refunded."""
    sender, recipient = _party(d, "sender"), _party(d, "recipient")

    def one(me: dict[str, Any], key: str, role: str, other: dict[str, Any]) -> WebhookEvent:
        data = {
            "refund_id": d.get("refund_id"),
            "transfer_id": d.get("refund_of"),
            "amount": d.get("amount"),
            "currency": d.get("currency", "EGP"),
            "role": role,
            "counterparty": _counterparty(other),
            "created_at": d.get("created_at"),
        }
        return WebhookEvent(_uid(me["user_id"], key), "refund.created", data)

    return [one(sender, "sender", "refunder", recipient), one(recipient, "recipient", "refunded", sender)]


def _wallet(kind: str) -> Builder:
    def build(d: dict[str, Any]) -> list[WebhookEvent]:
        data: dict[str, Any] = {
            "transaction_id": d.get("transaction_id"),
            "amount": d.get("amount"),
            "currency": d.get("currency", "EGP"),
            "balance_after": d.get("balance_after"),
            "created_at": d.get("created_at"),
        }
        if kind == "withdrawal.failed":
            data["reason"] = str(d["reason"])[:200] if d.get("reason") else None
        return [WebhookEvent(_uid(d.get("user_id"), "user_id"), kind, data)]

    return build


def _payment_request(kind: str) -> Builder:
    def build(d: dict[str, Any]) -> list[WebhookEvent]:
        requester, payer = _party(d, "requester"), _party(d, "payer")

        def one(me: dict[str, Any], key: str, role: str, other: dict[str, Any]) -> WebhookEvent:
            data = {
                "request_id": d.get("request_id"),
                "amount": d.get("amount"),
                "currency": d.get("currency", "EGP"),
                "role": role,
                "counterparty": _counterparty(other),
                "transfer_id": d.get("transfer_id"),
                "expires_at": d.get("expires_at"),
                "created_at": d.get("created_at"),
            }
            return WebhookEvent(_uid(me["user_id"], key), kind, data)

        return [one(requester, "requester", "requester", payer), one(payer, "payer", "payer", requester)]

    return build


# Source event type -> builder of its webhook messages.
SOURCES: dict[str, Builder] = {
    "transfer.completed": _transfer,
    "refund.created": _refund,
    "topup.completed": _wallet("topup.completed"),
    "withdrawal.completed": _wallet("withdrawal.completed"),
    "withdrawal.failed": _wallet("withdrawal.failed"),
    "payment_request.created": _payment_request("payment_request.created"),
    "payment_request.accepted": _payment_request("payment_request.paid"),
}


def webhook_events(event: EventEnvelope) -> list[WebhookEvent]:
    """Empty for event types no webhook carries."""
    build = SOURCES.get(event.type)
    return build(event.data) if build else []
