from enum import StrEnum


class TransactionStatus(StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    PENDING = "pending"
    REVERSED = "reversed"

    def __str__(self) -> str:
        return str(self.value)
