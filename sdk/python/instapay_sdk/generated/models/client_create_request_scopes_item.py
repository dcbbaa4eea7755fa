from enum import StrEnum


class ClientCreateRequestScopesItem(StrEnum):
    PROFILEREAD = "profile:read"
    REPORTSREAD = "reports:read"
    TRANSACTIONSREAD = "transactions:read"
    TRANSFERSWRITE = "transfers:write"
    WALLETREAD = "wallet:read"
    WALLETWITHDRAW = "wallet:withdraw"

    def __str__(self) -> str:
        return str(self.value)
