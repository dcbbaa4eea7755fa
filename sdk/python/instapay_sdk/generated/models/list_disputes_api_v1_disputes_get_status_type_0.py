from enum import StrEnum


class ListDisputesApiV1DisputesGetStatusType0(StrEnum):
    OPEN = "open"
    REJECTED = "rejected"
    RESOLVED_REVERSED = "resolved_reversed"

    def __str__(self) -> str:
        return str(self.value)
