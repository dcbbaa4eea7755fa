"""Configuration of the auth service (environment variables only)."""

from functools import lru_cache
from typing import ClassVar

from pydantic import Field, SecretStr, model_validator

from instapay_common.settings import ServiceSettings

DEV_PIN_PEPPER = "dev-pin-pepper-not-for-production"


class AuthSettings(ServiceSettings):
    # Gateway: the revocation feed (and its client-address header); transaction: PIN checks;
    # reporting: the event log, for rebuilds. Calls user, transaction and notification (codes).
    internal_identity: ClassVar[str | None] = "auth"
    internal_peers: ClassVar[tuple[str, ...]] = ("gateway", "transaction", "reporting")
    service_name: str = "auth-service"
    port: int = 8001
    db_schema: str = "auth"

    # Signing key: an Ed25519 private key in PEM, from a file (secret mount) or the variable itself.
    # Without either, development generates an ephemeral key (tokens die with the process).
    jwt_private_key_file: str | None = None
    jwt_private_key: SecretStr | None = None
    # PEM public keys of retired signing keys, still published in JWKS until their tokens expire.
    jwt_previous_public_keys: str = ""
    access_token_ttl_seconds: int = Field(default=900, gt=0, le=900)
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, gt=0)

    # Transaction PIN: keyed hash with this server-side pepper; lockout after N wrong tries.
    pin_pepper: SecretStr = SecretStr(DEV_PIN_PEPPER)
    pin_max_attempts: int = 5
    pin_lock_seconds: int = 15 * 60
    # A released phone or e-mail stays its previous account's this long (nobody else can claim it).
    identifier_quarantine_days: int = Field(default=30, ge=0)
    # Live API clients per user: each is a standing grant with its own per-principal quota.
    max_api_clients: int = Field(default=10, ge=1)
    # Sign-in throttling (docs/ARCHITECTURE.md, "Identity and access"): failed passwords are counted
    # per account (whatever username form was typed; an unknown name on its normalised form) and
    # per client address. Past the free failures each new one delays the next attempt on that key,
    # doubling from `signin_base_delay_seconds` up to `signin_max_delay_seconds`; one failure is
    # forgiven per `*_forgive_seconds` of quiet. No lock outlasts the delay: the right password
    # passes as soon as it has run out.
    signin_account_free_failures: int = Field(default=5, ge=1)
    signin_account_forgive_seconds: int = Field(default=3600, ge=1)
    # Unset: 30, except 1500 in ENVIRONMENT=test, where whole suites sign in from 127.0.0.1 (the
    # gateway scales its per-address quotas the same way). Per-account numbers are never scaled.
    signin_address_free_failures: int | None = Field(default=None, ge=1)
    signin_address_forgive_seconds: int = Field(default=60, ge=1)
    signin_base_delay_seconds: int = Field(default=1, ge=1)
    signin_max_delay_seconds: int = Field(default=15 * 60, ge=1)

    # Sessions: a login session ends this long after sign-in whatever its use; refreshes of one
    # session are limited; a refresh token presented again within the grace period (two tabs
    # refreshing at once) gets the pair its first use got, later it revokes the session.
    session_max_age_seconds: int = Field(default=30 * 24 * 3600, gt=0)
    refresh_reuse_grace_seconds: float = Field(default=10.0, ge=0, le=60)
    refresh_per_session_limit: int = Field(default=20, ge=1)
    refresh_per_session_window_seconds: int = Field(default=60, ge=1)

    # One-time codes (verification, password reset): life, tries, and resend limits per account
    # and purpose (one per `code_resend_seconds`, `code_sends_per_hour` an hour).
    code_ttl_seconds: int = Field(default=600, ge=60)
    code_max_attempts: int = Field(default=5, ge=1)
    code_resend_seconds: int = Field(default=60, ge=0)
    code_sends_per_hour: int = Field(default=5, ge=1)
    # Contact state not yet pushed to the user and transaction services is retried this often.
    contact_sync_seconds: float = Field(default=5.0, gt=0)

    # argon2id cost (OWASP minimum: m=19 MiB, t=2, p=1).
    argon2_memory_kib: int = Field(default=19 * 1024, ge=19 * 1024)
    argon2_time_cost: int = Field(default=2, ge=2)
    argon2_parallelism: int = Field(default=1, ge=1)

    # Browser session: the refresh token also travels in this httpOnly cookie.
    refresh_cookie_name: str = "instapay_refresh"
    refresh_cookie_path: str = "/api/v1/auth"
    # A readable, secret-free cookie saying "a session may exist here": the web app asks for a
    # refresh only when it is present, so a first visit makes no call that must fail.
    session_hint_cookie_name: str = "instapay_session"

    @property
    def cookie_secure(self) -> bool:
        return self.environment not in ("development", "test")

    def secrets_to_check(self) -> dict[str, str]:
        return {**super().secrets_to_check(), "PIN_PEPPER": self.pin_pepper.get_secret_value()}

    @model_validator(mode="after")
    def _address_failures_by_environment(self) -> "AuthSettings":
        if self.signin_address_free_failures is None:
            object.__setattr__(self, "signin_address_free_failures", 1500 if self.environment == "test" else 30)
        return self

    @model_validator(mode="after")
    def _refuse_missing_key_in_production(self) -> "AuthSettings":
        if self.is_production_like and not (self.jwt_private_key_file or self.jwt_private_key):
            raise ValueError("JWT_PRIVATE_KEY_FILE or JWT_PRIVATE_KEY must be set outside development")
        return self


@lru_cache
def get_settings() -> AuthSettings:
    return AuthSettings()
