from enum import StrEnum


class WebhookEndpointWithSecretDisabledReasonType0(StrEnum):
    BY_USER = "by_user"
    CLIENT_REVOKED = "client_revoked"
    FAILING = "failing"
    GONE = "gone"

    def __str__(self) -> str:
        return str(self.value)
