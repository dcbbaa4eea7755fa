from enum import StrEnum


class ScheduledTransferRepeat(StrEnum):
    MONTHLY = "monthly"
    NONE = "none"
    WEEKLY = "weekly"

    def __str__(self) -> str:
        return str(self.value)
