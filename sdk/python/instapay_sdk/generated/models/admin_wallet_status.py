from enum import StrEnum


class AdminWalletStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"

    def __str__(self) -> str:
        return str(self.value)
