"""instapay_sdk.verify against messages built and signed by the notification service's own code
(the bodies `messages_for` stores, the signature header the sender puts on each attempt)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from standardwebhooks.webhooks import Webhook

from instapay_common.events.envelope import EventEnvelope
from instapay_sdk import UnknownWebhookEvent, WebhookVerificationError, verify
from instapay_sdk.generated.models import TransferReceivedWebhook, TransferSentWebhook
from notification_service.webhooks.deliveries import messages_for
from notification_service.webhooks.repository import ClaimedDelivery
from notification_service.webhooks.sender import signature
from notification_service.webhooks.service import message_id

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_" + "dGhlIHByZXZpb3VzIHNlY3JldCBvZiB0aGUgZW5kcG9pbnQ="
SENDER, RECIPIENT = uuid.uuid4(), uuid.uuid4()
TRANSFER = uuid.uuid4()


def _transfer_completed() -> EventEnvelope:
    return EventEnvelope(
        id=uuid.uuid4(),
        type="transfer.completed",
        occurred_at=datetime.now(UTC),
        source="transaction-service",
        data={
            "transfer_id": str(TRANSFER),
            "amount": "125.50",
            "currency": "EGP",
            "created_at": "2026-12-03T10:00:00Z",
            "sender": {"user_id": str(SENDER), "handle": "alice", "balance_after": "874.50"},
            "recipient": {"user_id": str(RECIPIENT), "handle": "bob", "balance_after": "125.50"},
        },
    )


def _signed(payload: str, *, previous_secret: str | None = None, sent_at: datetime | None = None) -> dict[str, str]:
    """The three headers the sender sends with `payload` (one signature per valid secret)."""
    delivery = ClaimedDelivery(uuid.uuid4(), 1, payload, uuid.uuid4(), "https://x.example", SECRET, previous_secret)
    when = sent_at or datetime.now(UTC)
    return {
        "webhook-id": message_id(delivery.id),
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature(delivery, when),
    }


def _bodies() -> dict[str, str]:
    return {m.type: m.payload for m in messages_for(_transfer_completed())}


def test_a_signed_transfer_sent_reads_as_its_typed_event() -> None:
    body = _bodies()["transfer.sent"]
    event = verify(body.encode(), _signed(body), SECRET)
    assert isinstance(event, TransferSentWebhook)
    assert event.type_ == "transfer.sent"
    assert event.data.transfer_id == TRANSFER
    assert Decimal(event.data.amount) == Decimal("125.50")
    assert event.data.balance_after == "874.50"
    assert event.data.counterparty.handle == "bob"
    assert event.timestamp.tzinfo is not None


def test_each_side_gets_its_own_event_type() -> None:
    body = _bodies()["transfer.received"]
    event = verify(body, _signed(body), SECRET)  # a str body verifies too
    assert isinstance(event, TransferReceivedWebhook)
    assert event.data.counterparty.handle == "alice"


def test_during_a_rotation_the_old_secret_verifies_too() -> None:
    body = _bodies()["transfer.sent"]
    headers = _signed(body, previous_secret=OLD_SECRET)
    assert isinstance(verify(body, headers, SECRET), TransferSentWebhook)
    assert isinstance(verify(body, headers, OLD_SECRET), TransferSentWebhook)


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda b, h: (b.replace("125.50", "925.50"), h), id="changed body"),
        pytest.param(lambda b, h: (b, {**h, "webhook-id": "msg_other"}), id="changed id"),
        pytest.param(lambda b, h: (b, {k: v for k, v in h.items() if k != "webhook-signature"}), id="no signature"),
        pytest.param(lambda b, h: (b, {**h, "webhook-signature": "garbage"}), id="malformed signature"),
        pytest.param(lambda b, h: (b, {**h, "webhook-timestamp": "yesterday"}), id="malformed timestamp"),
    ],
)
def test_a_tampered_message_is_refused(tamper) -> None:  # type: ignore[no-untyped-def]
    body = _bodies()["transfer.sent"]
    changed_body, changed_headers = tamper(body, _signed(body))
    with pytest.raises(WebhookVerificationError):
        verify(changed_body, changed_headers, SECRET)


def test_another_endpoints_secret_is_refused() -> None:
    body = _bodies()["transfer.sent"]
    with pytest.raises(WebhookVerificationError):
        verify(body, _signed(body), OLD_SECRET)


def test_a_replayed_old_message_is_refused() -> None:
    body = _bodies()["transfer.sent"]
    with pytest.raises(WebhookVerificationError):
        verify(body, _signed(body, sent_at=datetime.now(UTC) - timedelta(minutes=10)), SECRET)


def test_a_genuine_event_of_an_unknown_type_says_so_with_its_body() -> None:
    body = '{"type":"loyalty.points_earned","timestamp":"2026-12-03T10:00:00Z","data":{"points":5}}'
    now = datetime.now(UTC)
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(SECRET).sign("msg_1", now, body),
    }
    with pytest.raises(UnknownWebhookEvent) as caught:
        verify(body, headers, SECRET)
    assert caught.value.event_type == "loyalty.points_earned"
    assert caught.value.body["data"] == {"points": 5}
