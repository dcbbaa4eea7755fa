from enum import StrEnum


class TransactionDetailType(StrEnum):
    REVERSAL = "reversal"
    TOPUP = "topup"
    TRANSFER = "transfer"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
