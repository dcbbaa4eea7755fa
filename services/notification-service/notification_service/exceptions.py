"""Domain errors of the notification service (problem+json via instapay_common.errors)."""

from instapay_common.errors import NotFound, ValidationFailed


class InvalidEvent(ValidationFailed):
    """An envelope whose data lacks what its type needs: the relay retries, so this shows up as a
    stuck delivery with the detail in `outbox_deliveries.last_error`."""

    title = "Event envelope or data is invalid"


class NotificationNotFound(NotFound):
    title = "Notification not found"


class InvalidCursor(ValidationFailed):
    title = "Invalid pagination cursor"
