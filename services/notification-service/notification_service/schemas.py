"""Response models of the notification routes, as the OpenAPI documents them and FastAPI checks them
(the routes take no request bodies; the internal event routes use instapay_common.events)."""

from typing import Any

from pydantic import BaseModel, Field


class Notification(BaseModel):
    id: str = Field(json_schema_extra={"format": "uuid"})
    type: str = Field(examples=["transfer.received"])
    title: str
    body: str
    data: dict[str, Any] = Field(description="The event's facts: amounts, parties, ids (type-specific)")
    created_at: str = Field(json_schema_extra={"format": "date-time"}, description="RFC 3339, UTC")
    read_at: str | None = Field(json_schema_extra={"format": "date-time"}, description="null while unread")


class NotificationPage(BaseModel):
    items: list[Notification]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null on the last")
