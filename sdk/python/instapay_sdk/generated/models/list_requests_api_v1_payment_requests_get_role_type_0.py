from enum import StrEnum


class ListRequestsApiV1PaymentRequestsGetRoleType0(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"

    def __str__(self) -> str:
        return str(self.value)
