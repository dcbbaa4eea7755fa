"""Configuration of the notification service (environment variables only)."""

from functools import lru_cache
from typing import ClassVar, Literal

from pydantic import Field, SecretStr

from instapay_common.settings import ServiceSettings

# Where a user is told to write when their wallet is frozen; the web app's VITE_SUPPORT_EMAIL has
# the same default.
DEFAULT_SUPPORT_CONTACT = "support@instapay.local"


class NotificationSettings(ServiceSettings):
    # Calls user (contact details). Relay: events; auth: one-time codes (POST /internal/messages).
    internal_identity: ClassVar[str | None] = "notification"
    internal_peers: ClassVar[tuple[str, ...]] = ("relay", "auth")
    service_name: str = "notification-service"
    port: int = 8005
    db_schema: str = "notifications"

    # E-mail over SMTP (the local stack runs an aiosmtpd sink that writes .data/mail/*.eml).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8009
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    smtp_from: str = "InstaPay <no-reply@instapay.local>"
    smtp_timeout_seconds: float = Field(default=5.0, gt=0)
    smtp_max_connections: int = Field(default=4, ge=1, le=64)  # SMTP sessions kept open and reused
    smtp_local_hostname: str = "instapay.local"  # our name in EHLO

    # SMS through a provider adapter: "file" (development: .data/sms/*.txt), "log", or "http".
    # One-time codes go only through "http", or "file" in development: a code in a file outside
    # development is a code anyone with the disk reads, and "log" logs no text (it delivers none).
    sms_provider: Literal["file", "log", "http"] = "file"
    sms_dir: str = ".data/sms"
    sms_http_url: str = ""
    sms_api_key: SecretStr = SecretStr("")
    sms_sender: str = "InstaPay"

    # Channel delivery retries (a failed channel never blocks the others or the in-app row).
    delivery_poll_seconds: float = Field(default=0.5, gt=0)
    delivery_max_attempts: int = Field(default=8, ge=1)
    delivery_backoff_base_seconds: float = Field(default=1.0, gt=0)
    delivery_backoff_cap_seconds: float = Field(default=300.0, gt=0)

    # User profiles (language, channel preferences, addresses) are cached this long.
    # How users reach support (an e-mail address or a phone), named in freeze notices.
    support_contact: str = Field(default=DEFAULT_SUPPORT_CONTACT, min_length=3, max_length=254)

    profile_cache_seconds: float = Field(default=3.0, ge=0)
    sse_keepalive_seconds: float = Field(default=15.0, gt=0)

    # Webhooks (notification_service.webhooks; docs/ARCHITECTURE.md, "Webhooks").
    webhook_timeout_seconds: float = Field(default=15.0, gt=0)  # one delivery attempt, connect to last byte
    # Multiplies the retry schedule (Standard Webhooks: now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
    # 10 h); tests scale it down. Retry-After of a 429/503 is honoured up to the cap, unscaled.
    webhook_retry_scale: float = Field(default=1.0, gt=0, le=1.0)
    webhook_retry_after_cap_seconds: float = Field(default=3600.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_max_endpoints: int = Field(default=10, ge=1, le=100)  # per user
    webhook_worker_enabled: bool = True  # the sender loop runs inside the service process

    @property
    def webhooks_allow_local(self) -> bool:
        """http:// and loopback receivers: only a development machine may call itself."""
        return self.environment == "development"

    @property
    def sms_can_deliver_codes(self) -> bool:
        """Whether one-time codes can go by SMS: a real provider, or the file sink in development."""
        return self.sms_provider == "http" or (self.sms_provider == "file" and not self.is_production_like)


@lru_cache
def get_settings() -> NotificationSettings:
    return NotificationSettings()
