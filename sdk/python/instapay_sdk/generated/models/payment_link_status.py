from enum import StrEnum


class PaymentLinkStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    USED = "used"

    def __str__(self) -> str:
        return str(self.value)
