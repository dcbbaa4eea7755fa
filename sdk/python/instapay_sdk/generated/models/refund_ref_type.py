from enum import StrEnum


class RefundRefType(StrEnum):
    REFUND = "refund"
    REVERSAL = "reversal"

    def __str__(self) -> str:
        return str(self.value)
