"""Configuration of the provider simulator (environment variables only)."""

from functools import lru_cache

from pydantic import Field, SecretStr, model_validator

from instapay_common.settings import ServiceSettings, secret_problem

DEV_API_KEY = "dev-simulator-api-key"
DEV_WEBHOOK_SECRET = "dev-simulator-webhook-secret"
DEV_CONTROL_TOKEN = "dev-simulator-control-token"


class SimulatorSettings(ServiceSettings):
    service_name: str = "provider-simulator"
    port: int = 8010
    db_schema: str = "simulator"
    db_pool_size: int = 5
    db_max_overflow: int = 5

    # Where callbacks go (the transaction service's intake through the gateway); empty: callbacks
    # stay queued until it is set.
    simulator_webhook_url: str = ""
    simulator_webhook_secret: SecretStr = SecretStr(DEV_WEBHOOK_SECRET)
    simulator_api_key: SecretStr = SecretStr(DEV_API_KEY)
    simulator_control_token: SecretStr = SecretStr(DEV_CONTROL_TOKEN)
    # The SMS gateway of the sandbox (POST /v1/sms): its own key, so the notification service holds
    # no key that moves money. Empty (the default): the gateway is off (every call 401).
    simulator_sms_api_key: SecretStr = SecretStr("")
    # Text messages kept for GET /_sim/sms (the oldest are dropped beyond this).
    simulator_sms_inbox_size: int = Field(default=1000, gt=0, le=100_000)

    # A bank debit is confirmed, and a payout paid or failed, this long after it was accepted.
    simulator_bank_delay_ms: int = Field(default=200, ge=0)
    simulator_payout_delay_ms: int = Field(default=300, ge=0)

    # Callback delivery: one attempt may take this long; failed attempts are retried after
    # retry_base * 2^(attempt-1), at most retry_max (with jitter), until the receiver answers 2xx.
    simulator_callback_timeout_seconds: float = Field(default=5.0, gt=0)
    simulator_retry_base_ms: int = Field(default=250, gt=0)
    simulator_retry_max_ms: int = Field(default=15_000, gt=0)
    # The worker sleeps until the next operation or callback is due, or until new work wakes it,
    # but never longer than this (work another replica scheduled, a clock step).
    simulator_max_idle_ms: int = Field(default=1000, gt=0)
    # reorder_callbacks fault: callbacks are held until this many are due (or the oldest has waited
    # reorder_hold_ms) and sent newest first.
    simulator_reorder_batch: int = Field(default=3, ge=2)
    simulator_reorder_hold_ms: int = Field(default=1000, ge=0)

    @model_validator(mode="after")
    def _refuse_dev_simulator_secrets(self) -> "SimulatorSettings":
        if self.is_production_like:
            for name, value, dev in (
                ("SIMULATOR_API_KEY", self.simulator_api_key, DEV_API_KEY),
                ("SIMULATOR_WEBHOOK_SECRET", self.simulator_webhook_secret, DEV_WEBHOOK_SECRET),
                ("SIMULATOR_CONTROL_TOKEN", self.simulator_control_token, DEV_CONTROL_TOKEN),
            ):
                if value.get_secret_value() == dev:
                    raise ValueError(f"{name} must be set to a real secret outside development")
            sms_key = self.simulator_sms_api_key.get_secret_value()
            if sms_key and (problem := secret_problem("SIMULATOR_SMS_API_KEY", sms_key)):
                raise ValueError(problem)
        return self


@lru_cache
def get_settings() -> SimulatorSettings:
    return SimulatorSettings()
