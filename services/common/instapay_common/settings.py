"""Settings base class: every service reads its configuration from the environment only."""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from instapay_common.security.internal import CALLERS, InternalCredentials, dev_secret, secret_env_name

MIN_SECRET_BYTES = 32
# Values that are somebody's example, not a secret (the example Secret, the chart's comments,
# the built-in development secrets). Compared case-insensitively as substrings.
PLACEHOLDER_MARKERS = (
    "replace",
    "change-me",
    "changeme",
    "example",
    "placeholder",
    "not-for-production",
    "dev-internal",
    "secret-here",
    "your-",
    "xxxxxxxx",
)


def secret_problem(name: str, value: str) -> str | None:
    """Why `value` cannot be the secret `name` outside development, or None when it can."""
    lowered = value.lower()
    if any(marker in lowered for marker in PLACEHOLDER_MARKERS):
        return f"{name} holds a placeholder value; set it to a random secret (e.g. openssl rand -base64 36)"
    if len(value.encode()) < MIN_SECRET_BYTES:
        return f"{name} must be at least {MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 36)"
    if len(set(value)) < 8:
        return f"{name} is not random enough; set it to a random secret (e.g. openssl rand -base64 36)"
    return None


class ServiceSettings(BaseSettings):
    """Common settings. Each service subclasses this with its own fields and defaults.

    Secrets have development defaults only; `environment=production|staging` refuses them, and
    refuses secrets shorter than 32 bytes or that are placeholders (`secret_problem`).

    Internal calls: `internal_identity` names this process as a caller (its own secret is
    INTERNAL_SECRET_<IDENTITY>), `internal_peers` the callers its internal routes accept (their
    secrets, INTERNAL_SECRET_<PEER>); a service reads no other caller's secret.
    """

    internal_identity: ClassVar[str | None] = None
    internal_peers: ClassVar[tuple[str, ...]] = ()

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str = "service"
    environment: Literal["development", "test", "staging", "production"] = "development"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    # A second port serving /metrics alone (Kubernetes: Prometheus may reach only this one; the
    # service port serves the API). Unset: /metrics on the service port only (`make up`, compose).
    metrics_port: int | None = Field(default=None, ge=1, le=65535)

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

    # Per-caller secrets of internal calls (instapay_common.security.internal). Only this
    # service's own and its accepted callers' are read; unset ones default to the development
    # secrets in development and test.
    internal_secret_gateway: SecretStr | None = None
    internal_secret_auth: SecretStr | None = None
    internal_secret_user: SecretStr | None = None
    internal_secret_transaction: SecretStr | None = None
    internal_secret_reporting: SecretStr | None = None
    internal_secret_notification: SecretStr | None = None
    internal_secret_relay: SecretStr | None = None

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

    def _internal_secret(self, caller: str) -> str | None:
        value: SecretStr | None = getattr(self, f"internal_secret_{caller}")
        if value is not None and value.get_secret_value():
            return value.get_secret_value()
        return None if self.is_production_like else dev_secret(caller)

    def held_internal_callers(self) -> tuple[str, ...]:
        """Its own identity first, then its accepted callers."""
        own = (self.internal_identity,) if self.internal_identity else ()
        return (*own, *(c for c in CALLERS if c in self.internal_peers and c not in own))

    @cached_property
    def internal_credentials_held(self) -> InternalCredentials:
        secrets = {c: s for c in self.held_internal_callers() if (s := self._internal_secret(c)) is not None}
        return InternalCredentials(self.internal_identity, secrets)

    def internal_credentials(self) -> InternalCredentials:
        return self.internal_credentials_held

    def secrets_to_check(self) -> dict[str, str]:
        """Setting name -> value of the secrets this service holds (checked outside development).
        Subclasses add their own (e.g. PIN_PEPPER)."""
        held = {secret_env_name(c): self._internal_secret(c) for c in self.held_internal_callers()}
        return {name: value or "" for name, value in held.items()}

    @model_validator(mode="after")
    def _refuse_weak_secrets_outside_development(self) -> ServiceSettings:
        if not self.is_production_like:
            return self
        for name, value in self.secrets_to_check().items():
            if not value:
                raise ValueError(f"{name} is required outside development")
            problem = secret_problem(name, value)
            if problem:
                raise ValueError(problem)
        return self
