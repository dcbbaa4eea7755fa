"""Configuration of the transaction service (environment variables only)."""

from decimal import Decimal
from functools import lru_cache
from typing import ClassVar

from pydantic import Field

from instapay_common.settings import ServiceSettings


class TransactionSettings(ServiceSettings):
    # Calls auth (PIN) and user (parties). Auth: wallet create/remove; reporting: the event log.
    internal_identity: ClassVar[str | None] = "transaction"
    internal_peers: ClassVar[tuple[str, ...]] = ("auth", "reporting")
    service_name: str = "transaction-service"
    port: int = 8003
    db_schema: str = "ledger"
    db_pool_size: int = 20
    db_max_overflow: int = 20

    # Limits on money sent out (transfers + withdrawals), InstaPay's own defaults, in EGP.
    limit_per_transaction: Decimal = Field(default=Decimal("70000.00"), gt=0)
    limit_daily: Decimal = Field(default=Decimal("120000.00"), gt=0)
    limit_monthly: Decimal = Field(default=Decimal("400000.00"), gt=0)
    # Day/month boundaries of the limits are taken in this time zone.
    limits_timezone: str = "Africa/Cairo"

    note_max_length: int = Field(default=140, gt=0)
    payment_request_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    # A duplicate request waits this long for the first one with its key before 409 in_progress.
    idempotency_wait_seconds: float = Field(default=3.0, ge=0)
    # Stored answers are kept this long, then purged (the API contract promises at least 24 h; a
    # client retrying after that would move money again, so we keep them far longer).
    idempotency_retention_hours: int = Field(default=30 * 24, ge=24)
    idempotency_purge_seconds: float = Field(default=3600.0, gt=0)

    # Development funding provider: simulated latency (to make kill -9 tests hit mid-flight).
    funding_latency_ms: int = Field(default=0, ge=0)
    # Refresh period of the wallets_total gauge.
    wallet_gauge_seconds: float = Field(default=30.0, gt=0)


@lru_cache
def get_settings() -> TransactionSettings:
    return TransactionSettings()
