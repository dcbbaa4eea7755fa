from enum import StrEnum


class TransactionType(StrEnum):
    REVERSAL = "reversal"
    TOPUP = "topup"
    TRANSFER = "transfer"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
