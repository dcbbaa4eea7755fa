from enum import StrEnum


class PaymentRequestDataRole(StrEnum):
    PAYER = "payer"
    REQUESTER = "requester"

    def __str__(self) -> str:
        return str(self.value)
