from enum import StrEnum


class DisputeStatus(StrEnum):
    OPEN = "open"
    REJECTED = "rejected"
    RESOLVED_REVERSED = "resolved_reversed"

    def __str__(self) -> str:
        return str(self.value)
