from enum import StrEnum


class ListTransactionsApiV1TransactionsGetDirectionType0(StrEnum):
    IN = "in"
    OUT = "out"

    def __str__(self) -> str:
        return str(self.value)
