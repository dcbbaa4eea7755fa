"""Verifying a webhook from Mini-InstaPay (Standard Webhooks 1.0) into a typed event.

The signature check is the `standardwebhooks` library's (HMAC-SHA256 over id.timestamp.body,
constant-time compare, timestamps older or newer than 5 minutes refused); the event classes are
the generated models of the OpenAPI `webhooks` section. Verify the raw body bytes as received:
a re-serialised JSON body does not match its signature.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Mapping
from typing import Any

from standardwebhooks.webhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError as _LibraryError

from instapay_sdk.generated.models.payment_request_created_webhook import PaymentRequestCreatedWebhook
from instapay_sdk.generated.models.payment_request_paid_webhook import PaymentRequestPaidWebhook
from instapay_sdk.generated.models.refund_created_webhook import RefundCreatedWebhook
from instapay_sdk.generated.models.topup_completed_webhook import TopupCompletedWebhook
from instapay_sdk.generated.models.transfer_received_webhook import TransferReceivedWebhook
from instapay_sdk.generated.models.transfer_sent_webhook import TransferSentWebhook
from instapay_sdk.generated.models.withdrawal_completed_webhook import WithdrawalCompletedWebhook
from instapay_sdk.generated.models.withdrawal_failed_webhook import WithdrawalFailedWebhook

WebhookEvent = (
    PaymentRequestCreatedWebhook
    | PaymentRequestPaidWebhook
    | RefundCreatedWebhook
    | TopupCompletedWebhook
    | TransferReceivedWebhook
    | TransferSentWebhook
    | WithdrawalCompletedWebhook
    | WithdrawalFailedWebhook
)

EVENT_TYPES: dict[str, type[WebhookEvent]] = {
    "payment_request.created": PaymentRequestCreatedWebhook,
    "payment_request.paid": PaymentRequestPaidWebhook,
    "refund.created": RefundCreatedWebhook,
    "topup.completed": TopupCompletedWebhook,
    "transfer.received": TransferReceivedWebhook,
    "transfer.sent": TransferSentWebhook,
    "withdrawal.completed": WithdrawalCompletedWebhook,
    "withdrawal.failed": WithdrawalFailedWebhook,
}


class WebhookVerificationError(Exception):
    """Not a message from Mini-InstaPay (or not one signed with this secret): answer 4xx, use nothing."""


class UnknownWebhookEvent(Exception):
    """Genuine (the signature verified) but of a type this SDK version has no model for: answer
    2xx so it is not retried, and update the SDK to handle it. The parsed body is in `body`."""

    def __init__(self, event_type: str, body: dict[str, Any]) -> None:
        self.event_type = event_type
        self.body = body
        super().__init__(f"webhook event type {event_type!r} is unknown to this SDK version")


def verify(payload: bytes | str, headers: Mapping[str, str], secret: str) -> WebhookEvent:
    """Checks the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers against the raw
    body and the endpoint's secret (`whsec_...`), and returns the event as its model.

    Deduplicate by the `webhook-id` header: a message can arrive more than once (retries, replays)."""
    try:
        body = Webhook(secret).verify(payload, dict(headers))
    except (_LibraryError, ValueError, binascii.Error, json.JSONDecodeError) as exc:
        # ValueError/binascii.Error: a malformed signature header the library does not catch itself.
        raise WebhookVerificationError(str(exc) or type(exc).__name__) from exc
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        raise WebhookVerificationError("the signed body is not a webhook event")
    model = EVENT_TYPES.get(body["type"])
    if model is None:
        raise UnknownWebhookEvent(body["type"], body)
    try:
        return model.from_dict(body)
    except (KeyError, TypeError, ValueError) as exc:
        raise WebhookVerificationError(f"the {body['type']} event does not match its schema: {exc!r}") from exc
