"""Which notifications an event produces: one per affected user ("both sides" of a transfer or
payment request), each with the template fields its text needs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from instapay_common.events.envelope import EventEnvelope
from notification_service.config import DEFAULT_SUPPORT_CONTACT
from notification_service.exceptions import InvalidEvent


@dataclass(frozen=True)
class NotificationSpec:
    user_id: uuid.UUID
    kind: str  # template key and the notification's `type`
    data: dict[str, Any]


# Builds the notifications of one event type from the event's data.
Builder = Callable[[dict[str, Any]], list[NotificationSpec]]


def _uid(value: Any, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise InvalidEvent(f"event data field '{field}' must be a user id") from exc


def _party(data: dict[str, Any], key: str) -> dict[str, Any]:
    party = data.get(key)
    if not isinstance(party, dict) or "user_id" not in party:
        raise InvalidEvent(f"event data needs a '{key}' party")
    return party


def _name(party: dict[str, Any]) -> str:
    return str(party.get("display_name") or (f"@{party['handle']}" if party.get("handle") else "someone"))


def _money(data: dict[str, Any]) -> dict[str, Any]:
    return {"amount": data.get("amount"), "currency": data.get("currency", "EGP")}


def _both_sides(
    d: dict[str, Any],
    first: tuple[str, str],
    second: tuple[str, str],
    common: dict[str, Any],
    *,
    with_balance: bool,
) -> list[NotificationSpec]:
    """One notification per party, each naming the other; `first` and `second` are (the party's
    key in the data, the kind of its notification)."""
    (a_key, a_kind), (b_key, b_kind) = first, second
    a, b = _party(d, a_key), _party(d, b_key)

    def spec(me: dict[str, Any], key: str, kind: str, other: dict[str, Any]) -> NotificationSpec:
        data = {**common, "counterparty": _name(other), "counterparty_handle": other.get("handle")}
        if with_balance:
            data["balance_after"] = me.get("balance_after")
        return NotificationSpec(_uid(me["user_id"], key), kind, data)

    return [spec(a, a_key, a_kind, b), spec(b, b_key, b_kind, a)]


def _transfer(d: dict[str, Any]) -> list[NotificationSpec]:
    if d.get("refund_of"):
        # A refund's money movement: `refund.created`, emitted with it, tells both sides.
        return []
    common = {
        **_money(d),
        "transfer_id": d.get("transfer_id"),
        "note": d.get("note"),
        "payment_request_id": d.get("payment_request_id"),
    }
    return _both_sides(d, ("sender", "transfer.sent"), ("recipient", "transfer.received"), common, with_balance=True)


def _refund(d: dict[str, Any]) -> list[NotificationSpec]:
    """`refund.created`: the refunder (`sender`) and the original's sender (`recipient`)."""
    common = {
        **_money(d),
        "refund_id": d.get("refund_id"),
        "refund_of": d.get("refund_of"),
        "original_reference": d.get("original_reference"),
        "note": d.get("note"),
    }
    return _both_sides(d, ("sender", "refund.sent"), ("recipient", "refund.received"), common, with_balance=False)


def _reversal(d: dict[str, Any]) -> list[NotificationSpec]:
    """`transfer.reversed`: money taken back from the original's recipient (`sender` here) and
    given to its sender (`recipient` here) after a dispute."""
    common = {
        **_money(d),
        "reversal_id": d.get("reversal_id"),
        "reversal_of": d.get("reversal_of"),
        "original_reference": d.get("original_reference"),
        "dispute_id": d.get("dispute_id"),
    }
    return _both_sides(d, ("sender", "reversal.debited"), ("recipient", "reversal.credited"), common, with_balance=True)


_OUTCOME_KINDS = {"open": "dispute.opened", "rejected": "dispute.rejected", "resolved_reversed": "dispute.reversed"}


def _dispute(d: dict[str, Any]) -> list[NotificationSpec]:
    """`dispute.opened` / `dispute.resolved`: the sender who reported the problem is told; the
    recipient learns of a reversal from its own notice (`reversal.debited`)."""
    kind = _OUTCOME_KINDS.get(str(d.get("status")))
    if kind is None:
        raise InvalidEvent("event data field 'status' must be a dispute status")
    sender = _party(d, "sender")
    data = {
        **_money(d),
        "dispute_id": d.get("dispute_id"),
        "reference": d.get("reference"),
        "transfer_reference": d.get("transfer_reference"),
        "counterparty": _name(_party(d, "recipient")),
    }
    return [NotificationSpec(_uid(sender["user_id"], "sender"), kind, data)]


# Why a scheduled occurrence did not run, in the sender's words (en, ar); the event's `code` is
# the transfer's decline code.
_SCHEDULE_REASONS = {
    "insufficient_funds": ("not enough money in your wallet", "الرصيد غير كافٍ"),
    "limit_exceeded": ("it would pass your sending limit", "سيتجاوز حد التحويل"),
    "account_frozen": ("a wallet is frozen", "المحفظة مجمدة"),
    "recipient_not_found": ("the recipient can no longer receive money", "لم يعد بإمكان المستلم استلام الأموال"),
}
_OTHER_REASON = ("it was declined", "تم رفضه")


def _scheduled_failed(d: dict[str, Any]) -> list[NotificationSpec]:
    """`scheduled_transfer.failed`: the sender only (nothing reached the recipient)."""
    reason, reason_ar = _SCHEDULE_REASONS.get(str(d.get("code")), _OTHER_REASON)
    recipient = _party(d, "recipient")
    data = {
        **_money(d),
        "schedule_id": d.get("schedule_id"),
        "code": d.get("code"),
        "counterparty": _name(recipient),
        "counterparty_handle": recipient.get("handle"),
        "next_run_at": d.get("next_run_at"),
        "reason": reason,
        "reason_ar": reason_ar,
    }
    return [NotificationSpec(_uid(d.get("user_id"), "user_id"), "scheduled_transfer.failed", data)]


def _wallet(kind: str) -> Builder:
    def build(d: dict[str, Any]) -> list[NotificationSpec]:
        return [
            NotificationSpec(
                _uid(d.get("user_id"), "user_id"),
                kind,
                {
                    **_money(d),
                    "transaction_id": d.get("transaction_id"),
                    "balance_after": d.get("balance_after"),
                    **({"reason": str(d["reason"])[:200]} if d.get("reason") else {}),
                },
            )
        ]

    return build


def _payment_request(requester_kind: str, payer_kind: str) -> Builder:
    def build(d: dict[str, Any]) -> list[NotificationSpec]:
        common = {
            **_money(d),
            "request_id": d.get("request_id"),
            "note": d.get("note"),
            "transfer_id": d.get("transfer_id"),
        }
        return _both_sides(d, ("requester", requester_kind), ("payer", payer_kind), common, with_balance=False)

    return build


def _welcome(d: dict[str, Any]) -> list[NotificationSpec]:
    return [
        NotificationSpec(
            _uid(d.get("user_id"), "user_id"),
            "account.welcome",
            {
                "full_name": d.get("full_name"),
                "handle": d.get("handle"),
                "email": d.get("email"),
                "phone": d.get("phone"),
            },
        )
    ]


def _login(d: dict[str, Any]) -> list[NotificationSpec]:
    return [
        NotificationSpec(
            _uid(d.get("user_id"), "user_id"),
            "security.login",
            {
                "ip": d.get("ip"),
                "user_agent": d.get("user_agent"),
                "session_id": d.get("session_id"),
                "client": d.get("client"),
            },
        )
    ]


def _password(d: dict[str, Any]) -> list[NotificationSpec]:
    return [NotificationSpec(_uid(d.get("user_id"), "user_id"), "security.password_changed", {})]


def _pin(d: dict[str, Any]) -> list[NotificationSpec]:
    first = bool(d.get("first_time"))
    return [
        NotificationSpec(
            _uid(d.get("user_id"), "user_id"),
            "security.pin_changed",
            {
                "first_time": first,
                "pin_action": "set" if first else "changed",
                "pin_action_ar": "تعيين" if first else "تغيير",
            },
        )
    ]


def _pin_locked(d: dict[str, Any]) -> list[NotificationSpec]:
    return [
        NotificationSpec(
            _uid(d.get("user_id"), "user_id"),
            "security.pin_locked",
            {"locked_until": d.get("locked_until"), "lock_minutes": d.get("lock_minutes")},
        )
    ]


def _api_client(d: dict[str, Any]) -> list[NotificationSpec]:
    scopes = d.get("scopes") or []
    return [
        NotificationSpec(
            _uid(d.get("user_id"), "user_id"),
            "security.api_client_created",
            {
                "client_id": d.get("client_id"),
                "client_name": d.get("name"),
                "scopes": ", ".join(scopes) if isinstance(scopes, list) else str(scopes),
            },
        )
    ]


def _password_reset(d: dict[str, Any]) -> list[NotificationSpec]:
    return [NotificationSpec(_uid(d.get("user_id"), "user_id"), "security.password_reset", {})]


_CHANNEL_NAMES = {"phone": ("phone number", "رقم الهاتف"), "email": ("e-mail address", "البريد الإلكتروني")}


def _contact(kind: str) -> Builder:
    def build(d: dict[str, Any]) -> list[NotificationSpec]:
        channel = str(d.get("channel"))
        if channel not in _CHANNEL_NAMES:
            raise InvalidEvent("event data field 'channel' must be 'phone' or 'email'")
        name, name_ar = _CHANNEL_NAMES[channel]
        data = {"channel": channel, "channel_name": name, "channel_name_ar": name_ar}
        return [NotificationSpec(_uid(d.get("user_id"), "user_id"), kind, data)]

    return build


def _wallet_status(kind: str) -> Callable[[dict[str, Any], str], list[NotificationSpec]]:
    """`wallet.frozen` (with the operator's reason, shortened) and `wallet.unfrozen`: the owner
    only, told how to reach support."""

    def build(d: dict[str, Any], support_contact: str) -> list[NotificationSpec]:
        reason = str(d["reason"])[:200] if d.get("reason") else None
        data = {"reason": reason, "support_contact": support_contact}
        return [NotificationSpec(_uid(d.get("user_id"), "user_id"), kind, data)]

    return build


HANDLERS: dict[str, Builder] = {
    "transfer.completed": _transfer,
    "refund.created": _refund,
    "transfer.reversed": _reversal,
    "dispute.opened": _dispute,
    "dispute.resolved": _dispute,
    "topup.completed": _wallet("topup.completed"),
    "withdrawal.completed": _wallet("withdrawal.completed"),
    "withdrawal.failed": _wallet("withdrawal.failed"),
    "topup.failed": _wallet("topup.failed"),
    "scheduled_transfer.failed": _scheduled_failed,
    "payment_request.created": _payment_request("payment_request.sent", "payment_request.received"),
    "payment_request.accepted": _payment_request("payment_request.accepted", "payment_request.accepted"),
    "payment_request.declined": _payment_request("payment_request.declined", "payment_request.declined"),
    "payment_request.cancelled": _payment_request("payment_request.cancelled", "payment_request.cancelled"),
    "user.registered": _welcome,
    "security.login": _login,
    "security.password_changed": _password,
    "security.pin_changed": _pin,
    "security.pin_locked": _pin_locked,
    "security.api_client_created": _api_client,
    "security.password_reset": _password_reset,
    "security.contact_changed": _contact("security.contact_changed"),
    "security.contact_claim_dropped": _contact("security.contact_claim_dropped"),
}


# Builders that also name how to reach support (the `support_contact` setting).
SUPPORT_HANDLERS: dict[str, Callable[[dict[str, Any], str], list[NotificationSpec]]] = {
    "wallet.frozen": _wallet_status("wallet.frozen"),
    "wallet.unfrozen": _wallet_status("wallet.unfrozen"),
}


def notifications_for(
    event: EventEnvelope, *, support_contact: str = DEFAULT_SUPPORT_CONTACT
) -> list[NotificationSpec]:
    """Empty for event types this service does not notify about (they are acknowledged)."""
    if event.type in SUPPORT_HANDLERS:
        return SUPPORT_HANDLERS[event.type](event.data, support_contact)
    handler = HANDLERS.get(event.type)
    return handler(event.data) if handler else []
