"""Domain errors of the reporting service (problem+json via instapay_common.errors)."""

from instapay_common.errors import ValidationFailed


class InvalidEvent(ValidationFailed):
    title = "Event envelope or data is invalid"


class InvalidRange(ValidationFailed):
    title = "Invalid date range"
