from enum import StrEnum


class DisputeReason(StrEnum):
    FRAUD = "fraud"
    NOT_RECEIVED = "not_received"
    OTHER = "other"
    WRONG_RECIPIENT = "wrong_recipient"

    def __str__(self) -> str:
        return str(self.value)
