from enum import StrEnum


class DisputeResolutionInOutcome(StrEnum):
    REJECT = "reject"
    REVERSE = "reverse"

    def __str__(self) -> str:
        return str(self.value)
