from enum import StrEnum


class ListTransactionsApiV1TransactionsGetTypeType0(StrEnum):
    REVERSAL = "reversal"
    TOPUP = "topup"
    TRANSFER = "transfer"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
