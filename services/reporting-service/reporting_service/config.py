"""Configuration of the reporting service (environment variables only)."""

from functools import lru_cache

from instapay_common.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    service_name: str = "reporting-service"
    port: int = 8004
    db_schema: str = "reporting"


@lru_cache
def get_settings() -> ReportingSettings:
    return ReportingSettings()
