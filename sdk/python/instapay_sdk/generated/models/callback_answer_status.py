from enum import StrEnum


class CallbackAnswerStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"

    def __str__(self) -> str:
        return str(self.value)
