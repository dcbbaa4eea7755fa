"""Request and response models of the webhook routes, and the payload of every event type (the
OpenAPI `webhooks` section, openapi.py, documents them so generated clients get types)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints, create_model

from notification_service.webhooks.addresses import MAX_URL_LENGTH

EventType = Literal[
    "transfer.received",
    "transfer.sent",
    "topup.completed",
    "withdrawal.completed",
    "withdrawal.failed",
    "payment_request.created",
    "payment_request.paid",
    "refund.created",
]
Url = Annotated[str, StringConstraints(min_length=8, max_length=MAX_URL_LENGTH, strip_whitespace=True)]
Description = Annotated[str, StringConstraints(max_length=200)]
Events = Annotated[list[EventType], Field(min_length=1, max_length=8)]
DATE_TIME: dict[str, JsonValue] = {"format": "date-time"}


class EndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url = Field(examples=["https://example.com/hooks/instapay"])
    events: Events
    description: Description | None = None


class EndpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    events: Events | None = None
    description: Description | None = None
    status: Literal["enabled", "disabled"] | None = None


class WebhookEndpoint(BaseModel):
    id: str = Field(json_schema_extra={"format": "uuid"})
    url: str
    events: list[str]
    description: str | None
    status: Literal["enabled", "disabled"]
    disabled_reason: Literal["by_user", "gone", "failing", "client_revoked"] | None = Field(
        description="Why it is disabled: by the user, the receiver answered 410 Gone, every retry failed, or its "
        "API client was deleted or revoked (for good: it cannot be enabled again)"
    )
    client_id: str | None = Field(description="The API client it belongs to; null for the user's own endpoints")
    previous_secret_expires_at: str | None = Field(
        json_schema_extra=DATE_TIME, description="Until when the secret before the last rotation also signs"
    )
    created_at: str = Field(json_schema_extra=DATE_TIME)
    updated_at: str = Field(json_schema_extra=DATE_TIME)


class WebhookEndpointWithSecret(WebhookEndpoint):
    secret: str = Field(description="`whsec_` + base64; shown only in this response", examples=["whsec_MfKQ9r8..."])


class WebhookEndpointPage(BaseModel):
    items: list[WebhookEndpoint]
    next_cursor: str | None = Field(description="Always null: a user has at most a handful of endpoints")


class WebhookAttempt(BaseModel):
    attempted_at: str = Field(json_schema_extra=DATE_TIME)
    status_code: int | None = Field(description="The receiver's HTTP status; null when none came back")
    latency_ms: int
    error: str | None


class WebhookDelivery(BaseModel):
    id: str = Field(description="The `webhook-id` header of every attempt of this message", examples=["msg_2f1c..."])
    event_type: str
    event_id: str = Field(json_schema_extra={"format": "uuid"})
    status: Literal["pending", "succeeded", "failed"]
    next_attempt_at: str | None = Field(json_schema_extra=DATE_TIME, description="Set while pending")
    last_status_code: int | None
    last_error: str | None
    attempts: list[WebhookAttempt]
    created_at: str = Field(json_schema_extra=DATE_TIME)


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDelivery]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null on the last")


class ReplayAccepted(BaseModel):
    id: str
    status: Literal["pending"]


# --- event payloads ------------------------------------------------------------------------------

Money = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$", examples=["125.50"], description="Decimal string")]


class Counterparty(BaseModel):
    user_id: str = Field(json_schema_extra={"format": "uuid"})
    handle: str | None


class TransferData(BaseModel):
    transfer_id: str = Field(json_schema_extra={"format": "uuid"})
    amount: Money
    currency: str
    balance_after: Money | None = Field(description="The receiving user's balance after the transfer")
    counterparty: Counterparty
    payment_request_id: str | None
    created_at: str = Field(json_schema_extra=DATE_TIME)


class WalletData(BaseModel):
    transaction_id: str = Field(json_schema_extra={"format": "uuid"})
    amount: Money
    currency: str
    balance_after: Money | None
    created_at: str | None = Field(json_schema_extra=DATE_TIME)


class WithdrawalFailedData(WalletData):
    reason: str | None


class PaymentRequestData(BaseModel):
    request_id: str = Field(json_schema_extra={"format": "uuid"})
    amount: Money
    currency: str
    role: Literal["requester", "payer"] = Field(description="The receiving user's side of the request")
    counterparty: Counterparty
    transfer_id: str | None = Field(description="Set on payment_request.paid")
    expires_at: str | None = Field(json_schema_extra=DATE_TIME)
    created_at: str = Field(json_schema_extra=DATE_TIME)


class RefundData(BaseModel):
    refund_id: str = Field(json_schema_extra={"format": "uuid"}, description="The refund (a transfer)")
    transfer_id: str = Field(json_schema_extra={"format": "uuid"}, description="The transfer it refunds")
    amount: Money
    currency: str
    role: Literal["refunder", "refunded"] = Field(
        default="refunded", description="The receiving user's side: who gave money back, or who got it"
    )
    counterparty: Counterparty | None = None
    created_at: str = Field(json_schema_extra=DATE_TIME)


def _payload(name: str, event: str, data: type[BaseModel]) -> type[BaseModel]:
    return create_model(
        name,
        __doc__=f"The body of a `{event}` webhook.",
        type=(Literal[event], ...),  # type: ignore[arg-type]  # one literal per event type
        timestamp=(str, Field(json_schema_extra=DATE_TIME, description="When the event happened (RFC 3339)")),
        data=(data, ...),
    )


# Event type -> the model of its body (openapi.py documents each under `webhooks`).
PAYLOADS: dict[str, type[BaseModel]] = {
    "transfer.received": _payload("TransferReceivedWebhook", "transfer.received", TransferData),
    "transfer.sent": _payload("TransferSentWebhook", "transfer.sent", TransferData),
    "topup.completed": _payload("TopupCompletedWebhook", "topup.completed", WalletData),
    "withdrawal.completed": _payload("WithdrawalCompletedWebhook", "withdrawal.completed", WalletData),
    "withdrawal.failed": _payload("WithdrawalFailedWebhook", "withdrawal.failed", WithdrawalFailedData),
    "payment_request.created": _payload("PaymentRequestCreatedWebhook", "payment_request.created", PaymentRequestData),
    "payment_request.paid": _payload("PaymentRequestPaidWebhook", "payment_request.paid", PaymentRequestData),
    "refund.created": _payload("RefundCreatedWebhook", "refund.created", RefundData),
}


def payload_model(event_type: str) -> type[BaseModel]:
    return PAYLOADS[event_type]


def check_payload(event_type: str, body: dict[str, Any]) -> None:
    """Validates a built payload against its documented model (tests keep the two in step)."""
    PAYLOADS[event_type].model_validate(body)
