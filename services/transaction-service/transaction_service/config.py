"""Configuration of the transaction service (environment variables only)."""

from functools import lru_cache

from instapay_common.settings import ServiceSettings


class TransactionSettings(ServiceSettings):
    service_name: str = "transaction-service"
    port: int = 8003
    db_schema: str = "ledger"


@lru_cache
def get_settings() -> TransactionSettings:
    return TransactionSettings()
