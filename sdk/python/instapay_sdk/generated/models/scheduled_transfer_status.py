from enum import StrEnum


class ScheduledTransferStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    PAUSED = "paused"

    def __str__(self) -> str:
        return str(self.value)
