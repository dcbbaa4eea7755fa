"""Configuration of the transaction service (environment variables only)."""

from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, ClassVar, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from instapay_common.settings import ServiceSettings


class TransactionSettings(ServiceSettings):
    # Calls auth (PIN) and user (parties). Auth: wallet create/remove; reporting: the event log;
    # relay: withdrawal events for the payout submitter.
    internal_identity: ClassVar[str | None] = "transaction"
    internal_peers: ClassVar[tuple[str, ...]] = ("auth", "reporting", "relay")
    service_name: str = "transaction-service"
    port: int = 8003
    db_schema: str = "ledger"
    db_pool_size: int = 20
    db_max_overflow: int = 20

    # Limits on money sent out (transfers + withdrawals), InstaPay's own defaults, in EGP.
    limit_per_transaction: Decimal = Field(default=Decimal("70000.00"), gt=0)
    limit_daily: Decimal = Field(default=Decimal("120000.00"), gt=0)
    limit_monthly: Decimal = Field(default=Decimal("400000.00"), gt=0)
    # The highest override two admins may set on one wallet (POST /admin/wallets/{id}/limits).
    limit_ceiling_per_transaction: Decimal = Field(default=Decimal("250000.00"), gt=0)
    limit_ceiling_daily: Decimal = Field(default=Decimal("500000.00"), gt=0)
    limit_ceiling_monthly: Decimal = Field(default=Decimal("2000000.00"), gt=0)
    # Day/month boundaries of the limits are taken in this time zone.
    limits_timezone: str = "Africa/Cairo"

    note_max_length: int = Field(default=140, gt=0)
    payment_request_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    # How long a proposed admin action (a freeze, an unfreeze) waits for a second admin's approval.
    approval_ttl_seconds: int = Field(default=24 * 3600, gt=0)
    # Payment requests one user may create in any 24 hours: each one notifies (and names) its
    # payer, so an unbounded stream is spam and a way to test which phones are registered.
    payment_requests_per_day: int = Field(default=50, gt=0)
    # A duplicate request waits this long for the first one with its key before 409 in_progress.
    idempotency_wait_seconds: float = Field(default=3.0, ge=0)
    # Stored answers are kept this long, then purged (the API contract promises at least 24 h; a
    # client retrying after that would move money again, so we keep them far longer).
    idempotency_retention_hours: int = Field(default=30 * 24, ge=24)
    idempotency_purge_seconds: float = Field(default=3600.0, gt=0)

    # Resolve transfer parties from the local recipient directory first (service/directory.py);
    # false: always call the user service, as before the directory existed.
    recipient_directory: bool = True

    # Where money comes from and goes: `http` (a PSP of the simulator's API shape, the only one
    # allowed in production), `simulator` (the same adapter, pointed at the provider simulator)
    # or `in_process` (the service's own tests).
    funding_provider: Literal["in_process", "simulator", "http"] = "in_process"
    # The provider's API (docs/PROVIDER_SIMULATOR.md), for `simulator` and `http`.
    funding_provider_url: str = "http://127.0.0.1:8010"
    funding_api_key: SecretStr = SecretStr("")
    # Comma-separated: callbacks signed with any of them verify, so the secret can be rotated
    # (add the new one, let the provider switch, drop the old one).
    funding_webhook_secrets: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    # One provider call may take this long; then its outcome is unknown (FundingProviderError).
    funding_timeout_seconds: float = Field(default=5.0, gt=0)
    # A callback whose signed timestamp is further than this from now is refused (replays).
    funding_callback_tolerance_seconds: int = Field(default=300, gt=0)
    # Money in: top-ups per day and per month (contract defaults), in the limits' time zone.
    topup_limit_daily: Decimal = Field(default=Decimal("50000.00"), gt=0)
    topup_limit_monthly: Decimal = Field(default=Decimal("200000.00"), gt=0)
    # A withdrawal's hold lasts this long unconfirmed; then its payout is cancelled (or, if the
    # provider already paid it, posted) by the funding sweeper.
    withdrawal_hold_ttl: timedelta = Field(default=timedelta(days=3), gt=timedelta(0))
    # A bank top-up with no callback after this long is looked up at the provider.
    topup_inquiry_after_seconds: float = Field(default=600.0, gt=0)
    funding_sweep_seconds: float = Field(default=30.0, gt=0)
    # How often yesterday's (and today's so far) settlement report is reconciled.
    reconciliation_seconds: float = Field(default=3600.0, gt=0)
    # Staging may run against the provider simulator only when this says so explicitly.
    funding_simulator_in_staging: bool = False

    # Payment links and receive codes (docs/ARCHITECTURE.md, "References, details, payment links,
    # favourites"). Tokens are signed with the first secret and verified with any (rotation:
    # add the new one first, drop the old one once its links may go). Outside development a
    # default or weak secret is refused at start-up.
    payment_link_secrets: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=lambda: [SecretStr("dev-payment-link-secret-not-for-production-7f3a")]
    )
    # Where the web app answers `/pay/<token>`: the link in a QR code and in `url`.
    public_base_url: str = "http://localhost:8000"
    # Links one user may create in any 24 hours (429 `rate_limited` beyond).
    payment_links_per_day: int = Field(default=100, gt=0)
    favourites_max: int = Field(default=50, gt=0)

    # Scheduled transfers (docs/ARCHITECTURE.md, "Scheduled transfers"): live (active or paused)
    # schedules per user, how far ahead the first run may be, and the job queue in this process.
    schedules_max: int = Field(default=20, gt=0)
    schedule_horizon_days: int = Field(default=365, gt=0)
    # Runs the procrastinate worker inside the service (every replica: the queue's locking gives
    # each job to one of them). Off for in-process tests that drive the runs themselves.
    schedule_worker_enabled: bool = True
    # How often due schedules are looked for (seconds, 1-59: a cron seconds field); a run is at
    # most this late.
    schedule_scan_seconds: int = Field(default=5, ge=1, le=59)
    schedule_scan_batch: int = Field(default=500, gt=0)
    schedule_worker_concurrency: int = Field(default=4, gt=0)

    # Refresh period of the wallets_total gauge.
    wallet_gauge_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _refuse_simulated_funding(self) -> "TransactionSettings":
        """Money must not be creatable from nothing outside development: the in-process provider
        approves anything, and the simulator is nobody's bank."""
        if self.funding_provider == "in_process" and self.is_production_like:
            raise ValueError(f"FUNDING_PROVIDER=in_process is refused with ENVIRONMENT={self.environment}")
        if self.funding_provider == "simulator" and (
            self.environment == "production"
            or (self.environment == "staging" and not self.funding_simulator_in_staging)
        ):
            raise ValueError(
                f"FUNDING_PROVIDER=simulator is refused with ENVIRONMENT={self.environment}"
                + (
                    " (set FUNDING_SIMULATOR_IN_STAGING=true for a staging sandbox)"
                    if self.environment == "staging"
                    else ""
                )
            )
        return self

    def secrets_to_check(self) -> dict[str, str]:
        return {
            **super().secrets_to_check(),
            **{
                f"PAYMENT_LINK_SECRETS[{i}]": secret.get_secret_value()
                for i, secret in enumerate(self.payment_link_secrets)
            },
        }

    @model_validator(mode="after")
    def _require_a_link_key(self) -> "TransactionSettings":
        if not self.payment_link_secrets:
            raise ValueError("PAYMENT_LINK_SECRETS must hold at least one secret (the first signs)")
        return self

    @field_validator("funding_webhook_secrets", "payment_link_secrets", mode="before")
    @classmethod
    def _split_secrets(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _require_provider_credentials(self) -> "TransactionSettings":
        if self.funding_provider != "in_process":
            if not self.funding_api_key.get_secret_value():
                raise ValueError(f"FUNDING_API_KEY must be set with FUNDING_PROVIDER={self.funding_provider}")
            if not self.funding_webhook_secrets:
                raise ValueError(f"FUNDING_WEBHOOK_SECRETS must be set with FUNDING_PROVIDER={self.funding_provider}")
        return self


@lru_cache
def get_settings() -> TransactionSettings:
    return TransactionSettings()
