"""Configuration of the user service (environment variables only)."""

from functools import lru_cache

from instapay_common.settings import ServiceSettings


class UserSettings(ServiceSettings):
    service_name: str = "user-service"
    port: int = 8002
    db_schema: str = "users"


@lru_cache
def get_settings() -> UserSettings:
    return UserSettings()
