from enum import StrEnum


class FundingSourceRefType(StrEnum):
    BANK = "bank"
    CARD = "card"

    def __str__(self) -> str:
        return str(self.value)
