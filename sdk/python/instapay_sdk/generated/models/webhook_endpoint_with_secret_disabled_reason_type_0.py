from enum import StrEnum


class WebhookEndpointWithSecretDisabledReasonType0(StrEnum):
    BY_USER = "by_user"
    FAILING = "failing"
    GONE = "gone"

    def __str__(self) -> str:
        return str(self.value)
