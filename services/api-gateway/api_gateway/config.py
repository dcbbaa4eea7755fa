"""Gateway configuration. The routing table is configuration (GATEWAY_ROUTES, JSON), not code."""

from functools import lru_cache

from pydantic import Field

from instapay_common.settings import ServiceSettings

# Path prefix -> upstream name. Longest prefix wins; a prefix matches the path itself or the
# path followed by "/" (so "/api/v1/wallet" matches "/api/v1/wallet/topups", not "/api/v1/walletx").
DEFAULT_ROUTES: dict[str, str] = {
    "/api/v1/auth": "auth",
    "/.well-known/jwks.json": "auth",
    "/api/v1/users": "user",
    "/api/v1/wallet": "transaction",
    "/api/v1/transfers": "transaction",
    "/api/v1/transactions": "transaction",
    "/api/v1/payment-requests": "transaction",
    "/api/v1/admin": "transaction",
    "/api/v1/reports": "reporting",
    "/api/v1/admin/reports": "reporting",
    "/api/v1/notifications": "notification",
}


class GatewaySettings(ServiceSettings):
    service_name: str = "api-gateway"
    port: int = 8000
    routes: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ROUTES), alias="GATEWAY_ROUTES")
    max_body_bytes: int = 1_048_576
    upstream_timeout_seconds: float = 10.0
    # Streams (SSE) stay open; only the connect phase is bounded.
    stream_paths: tuple[str, ...] = ("/api/v1/notifications/stream",)

    def upstream_urls(self) -> dict[str, str]:
        return {
            "auth": self.auth_url,
            "user": self.user_url,
            "transaction": self.transaction_url,
            "reporting": self.reporting_url,
            "notification": self.notification_url,
        }


@lru_cache
def get_settings() -> GatewaySettings:
    return GatewaySettings()
