"""Domain errors of the notification service (problem+json via instapay_common.errors)."""

import uuid
from collections.abc import Mapping

from instapay_common.errors import NotFound, ValidationFailed
from instapay_common.events.batch import EventsInvalid


class InvalidEvent(ValidationFailed):
    """An envelope whose data lacks what its type needs: the relay retries, so this shows up as a
    stuck delivery with the detail in `outbox_deliveries.last_error`."""

    title = "Event envelope or data is invalid"


class InvalidEvents(EventsInvalid, InvalidEvent):
    """Events of a batch that cannot be applied (event id -> its own error), found before anything
    is written: `apply_batch` rejects just these and applies the rest of the batch together. Its
    detail is the first one's, which is all a batch of one (`POST /internal/events`) reports."""

    def __init__(self, errors: Mapping[uuid.UUID, InvalidEvent]) -> None:
        super().__init__(next(iter(errors.values())).detail, errors=errors)


class NotificationNotFound(NotFound):
    title = "Notification not found"


class InvalidCursor(ValidationFailed):
    title = "Invalid pagination cursor"
