from enum import StrEnum


class TransactionDetailType(StrEnum):
    TOPUP = "topup"
    TRANSFER = "transfer"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
