from enum import StrEnum


class ListApprovalsApiV1AdminApprovalsGetStatusType0(StrEnum):
    APPROVED = "approved"
    EXPIRED = "expired"
    PENDING = "pending"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
