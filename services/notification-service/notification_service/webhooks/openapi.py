"""The OpenAPI 3.1 `webhooks` section: one entry per event type, its body the payload model, its
headers the Standard Webhooks ones (the gateway's merged document keeps the section).

No `from __future__ import annotations`: FastAPI reads the body's annotation, built per event
type from a local variable, at definition time."""

from typing import Annotated

from fastapi import Body, FastAPI, Header, Response
from pydantic import BaseModel

from notification_service.webhooks.schemas import PAYLOADS

DESCRIPTION = (
    "Sent as `POST` to each enabled endpoint subscribed to the type, signed per Standard Webhooks 1.0: "
    "`webhook-id` (the same on every retry and replay), `webhook-timestamp` (Unix seconds of the attempt), "
    "`webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, space-separated, two during a "
    "secret rotation). Answer 2xx quickly; anything else, or no answer in 15 s, is retried for about 28 hours; "
    "410 Gone disables the endpoint."
)


def _register(app: FastAPI, event_type: str, model: type[BaseModel]) -> None:
    async def receive(
        body: Annotated[model, Body()],  # type: ignore[valid-type]  # the event type's payload model
        webhook_id: Annotated[str, Header(alias="webhook-id")],
        webhook_timestamp: Annotated[str, Header(alias="webhook-timestamp")],
        webhook_signature: Annotated[str, Header(alias="webhook-signature")],
    ) -> Response:
        return Response(status_code=204)  # documentation only: the receiver is the third party

    name = "webhook_" + event_type.replace(".", "_")
    receive.__name__ = name
    app.webhooks.post(
        event_type,
        operation_id=name,
        summary=f"`{event_type}`",
        description=DESCRIPTION,
        responses={
            200: {"description": "Received (any 2xx)"},
            410: {"description": "Gone: the endpoint is disabled"},
        },
        tags=["webhooks"],
    )(receive)


def register_webhooks(app: FastAPI) -> None:
    for event_type, model in PAYLOADS.items():
        _register(app, event_type, model)
