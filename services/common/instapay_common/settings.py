"""Settings base class: every service reads its configuration from the environment only."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_INTERNAL_TOKEN = "dev-internal-token-not-for-production"


class ServiceSettings(BaseSettings):
    """Common settings. Each service subclasses this with its own fields and defaults.

    Secrets have development defaults only; `environment=production|staging` refuses them.
    """

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str = "service"
    environment: Literal["development", "test", "staging", "production"] = "development"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000

    # One PostgreSQL database; every service owns one schema inside it.
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/instapay"
    db_schema: str = ""
    # Connections are opened lazily and kept up to db_pool_size; overflow ones are closed when
    # returned, and under a steady load above the pool size that churn (a server fork and a
    # handshake per connection) cost more than the requests (docs/PERFORMANCE.md, "Pool churn").
    db_pool_size: int = 20
    db_max_overflow: int = 10

    # Token verification (every service verifies access tokens itself).
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "https://auth.instapay.local"
    jwt_audience: str = "instapay-api"
    # Tokens already verified, kept until their own expiry (0 turns the cache off).
    token_cache_size: int = Field(default=10_000, ge=0)

    # Service-to-service calls (internal endpoints) carry this shared token.
    internal_token: SecretStr = SecretStr(DEV_INTERNAL_TOKEN)

    # Upstream service base URLs, used for REST calls between services.
    auth_url: str = "http://127.0.0.1:8001"
    user_url: str = "http://127.0.0.1:8002"
    transaction_url: str = "http://127.0.0.1:8003"
    reporting_url: str = "http://127.0.0.1:8004"
    notification_url: str = "http://127.0.0.1:8005"
    http_timeout_seconds: float = Field(default=5.0, gt=0)

    docs_enabled: bool = True

    @property
    def is_production_like(self) -> bool:
        return self.environment in ("staging", "production")

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_production(self) -> ServiceSettings:
        if self.is_production_like and self.internal_token.get_secret_value() == DEV_INTERNAL_TOKEN:
            raise ValueError("INTERNAL_TOKEN must be set to a real secret outside development")
        return self
