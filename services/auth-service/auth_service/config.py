"""Configuration of the auth service (environment variables only)."""

from functools import lru_cache

from instapay_common.settings import ServiceSettings


class AuthSettings(ServiceSettings):
    service_name: str = "auth-service"
    port: int = 8001
    db_schema: str = "auth"


@lru_cache
def get_settings() -> AuthSettings:
    return AuthSettings()
