from enum import StrEnum


class DisputeRole(StrEnum):
    OPERATOR = "operator"
    RECIPIENT = "recipient"
    SENDER = "sender"

    def __str__(self) -> str:
        return str(self.value)
