"""Configuration of the reporting service (environment variables only)."""

from functools import lru_cache
from typing import ClassVar

from instapay_common.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    # Calls the event logs of auth and transaction (rebuild). Relay: events.
    internal_identity: ClassVar[str | None] = "reporting"
    internal_peers: ClassVar[tuple[str, ...]] = ("relay",)
    service_name: str = "reporting-service"
    port: int = 8004
    db_schema: str = "reporting"


@lru_cache
def get_settings() -> ReportingSettings:
    return ReportingSettings()
