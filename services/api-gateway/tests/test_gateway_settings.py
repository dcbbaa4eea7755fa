"""Security settings come from the environment (12-factor), as the deployment sets them."""

from api_gateway.config import GatewaySettings


def test_security_settings_from_environment(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://redis:6379/0")
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", '["10.0.0.0/8", "fd00::/8"]')
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", '["https://app.instapay.example"]')
    monkeypatch.setenv("GATEWAY_RATE_LIMITS", '[{"name": "ip", "limit": 5, "window_seconds": 10, "key": "ip"}]')
    monkeypatch.setenv("RATE_LIMIT_MULTIPLIER", "2")
    monkeypatch.setenv("REVOCATION_POLL_SECONDS", "0.5")
    settings = GatewaySettings()
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.trusted_proxies == ("10.0.0.0/8", "fd00::/8")
    assert settings.cors_origins == ("https://app.instapay.example",)
    assert [(p.name, p.limit) for p in settings.rate_limits] == [("ip", 5)]
    assert settings.rate_limit_multiplier == 2
    assert settings.revocation_poll_seconds == 0.5


def test_defaults_are_safe(monkeypatch):
    for name in (
        "REDIS_URL",
        "GATEWAY_TRUSTED_PROXIES",
        "GATEWAY_CORS_ORIGINS",
        "GATEWAY_RATE_LIMITS",
        "GATEWAY_PUBLIC_PATHS",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = GatewaySettings()
    assert settings.redis_url is None and settings.trusted_proxies == () and settings.cors_origins == ()
    assert "/api/v1/auth/logout" not in settings.public_paths
    assert {p.name for p in settings.rate_limits} >= {"ip", "ip-auth", "account-register", "principal"}
