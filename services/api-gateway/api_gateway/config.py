"""Gateway configuration. The routing table (GATEWAY_ROUTES) and the rate limits (GATEWAY_RATE_LIMITS)
are configuration (JSON in the environment), not code."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import ClassVar

from pydantic import Field, model_validator

from api_gateway.guard.rate_policies import DEFAULT_POLICIES, RateLimitPolicy
from instapay_common.settings import ServiceSettings

# Path prefix -> upstream name. Longest prefix wins; a prefix matches the path itself or the
# path followed by "/" (so "/api/v1/wallet" matches "/api/v1/wallet/topups", not "/api/v1/walletx").
DEFAULT_ROUTES: dict[str, str] = {
    "/api/v1/auth": "auth",
    "/.well-known/jwks.json": "auth",
    "/api/v1/users": "user",
    # The receive code is a payment link (transaction service: links, their key, the ledger).
    "/api/v1/users/me/receive": "transaction",
    "/api/v1/wallet": "transaction",
    "/api/v1/transfers": "transaction",
    "/api/v1/transactions": "transaction",
    "/api/v1/payment-requests": "transaction",
    "/api/v1/payment-links": "transaction",
    "/api/v1/favourites": "transaction",
    "/api/v1/disputes": "transaction",
    "/api/v1/scheduled-transfers": "transaction",
    "/api/v1/recipients": "transaction",
    "/api/v1/admin": "transaction",
    "/api/v1/funding": "transaction",
    "/api/v1/reports": "reporting",
    "/api/v1/admin/reports": "reporting",
    "/api/v1/admin/users": "user",
    # Answered by the gateway itself (api/audit.py): every audited service's rows, merged by time.
    "/api/v1/admin/audit": "gateway",
    "/api/v1/notifications": "notification",
    "/api/v1/webhooks": "notification",
}


# Routed paths answered without an access token (exact paths: "/api/v1/auth/login/../x" is not public).
DEFAULT_PUBLIC_PATHS: tuple[str, ...] = (
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/token",
    "/api/v1/auth/refresh",
    "/api/v1/auth/password/forgot",
    "/api/v1/auth/password/reset",
    "/.well-known/jwks.json",
    # Authenticated by the provider's signature, not a token (transaction service, api/funding.py).
    "/api/v1/funding/webhooks/simulator",
    "/api/v1/funding/webhooks/http",
)


class GatewaySettings(ServiceSettings):
    # Calls auth (revocation feed, client addresses); no internal routes of its own.
    internal_identity: ClassVar[str | None] = "gateway"
    service_name: str = "api-gateway"
    port: int = 8000
    routes: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ROUTES), alias="GATEWAY_ROUTES")
    max_body_bytes: int = 1_048_576
    upstream_timeout_seconds: float = 10.0
    # Streams (SSE) stay open; only the connect phase is bounded.
    stream_paths: tuple[str, ...] = ("/api/v1/notifications/stream",)
    # Streams have their own upstream pool of this size: the most this replica relays at once.
    stream_max_per_replica: int = Field(default=1000, gt=0)
    # Open streams per user (contract: 5); beyond, 429 with Retry-After.
    stream_max_per_user: int = Field(default=5, gt=0)
    # How often an open stream checks that its token is unexpired and its session not revoked.
    stream_check_seconds: float = Field(default=1.0, gt=0, le=5)

    # --- security (docs/ARCHITECTURE.md, "Gateway security") ---
    public_paths: tuple[str, ...] = Field(default=DEFAULT_PUBLIC_PATHS, alias="GATEWAY_PUBLIC_PATHS")
    # Shared counters (and nothing else) live in Redis when set, e.g. redis://127.0.0.1:6379/0.
    redis_url: str | None = None
    rate_limit_key_prefix: str = "instapay:rl:"
    # Rate-limit policies (JSON list, see rate_policies.py). Unset = the defaults below.
    rate_limits: list[RateLimitPolicy] = Field(
        default_factory=lambda: list(DEFAULT_POLICIES), alias="GATEWAY_RATE_LIMITS"
    )
    # Per-address and per-caller quotas are multiplied by this. Unset: 1, except 50 in
    # ENVIRONMENT=test, where whole end-to-end and load suites run from 127.0.0.1 with few users.
    # Per-account quotas (failed logins, registrations, password re-checks) are never scaled.
    rate_limit_multiplier: float | None = Field(default=None, gt=0)
    # X-Forwarded-For is only believed when the peer is one of these (CIDRs, JSON list), e.g. the
    # ingress controller's or Caddy's network. Required in production: behind a proxy, without it
    # every client would share the proxy's address and its per-address quotas.
    trusted_proxies: tuple[str, ...] = Field(default=(), alias="GATEWAY_TRUSTED_PROXIES")
    # CORS allow-list (no wildcard); the web app is same-origin in the local stack, so none by default.
    cors_origins: tuple[str, ...] = Field(default=(), alias="GATEWAY_CORS_ORIGINS")
    # /api/v1/health answers from every upstream's readiness, asked this often in the background.
    health_refresh_seconds: float = Field(default=2.0, gt=0)
    # Sessions revoked at the auth service are polled this often (contract: refused within 5 s).
    revocation_poll_seconds: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _defaults_by_environment(self) -> GatewaySettings:
        if self.rate_limit_multiplier is None:
            object.__setattr__(self, "rate_limit_multiplier", 50.0 if self.environment == "test" else 1.0)
        for cidr in self.trusted_proxies:
            try:
                ipaddress.ip_network(cidr.strip(), strict=False)
            except ValueError:
                raise ValueError(f"GATEWAY_TRUSTED_PROXIES: {cidr!r} is not an address or CIDR") from None
        if self.environment == "production" and not [c for c in self.trusted_proxies if c.strip()]:
            raise ValueError(
                "GATEWAY_TRUSTED_PROXIES is required when ENVIRONMENT=production: the CIDRs of the proxy "
                'in front of the gateway (ingress controller, Caddy), e.g. ["10.0.0.0/8"]'
            )
        if any(o.strip() == "*" for o in self.cors_origins):
            raise ValueError("GATEWAY_CORS_ORIGINS must list origins; a wildcard is not allowed")
        return self

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
