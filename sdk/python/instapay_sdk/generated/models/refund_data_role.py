from enum import StrEnum


class RefundDataRole(StrEnum):
    REFUNDED = "refunded"
    REFUNDER = "refunder"

    def __str__(self) -> str:
        return str(self.value)
