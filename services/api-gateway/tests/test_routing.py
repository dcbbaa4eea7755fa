"""The routing table: longest prefix wins, prefixes respect path boundaries."""

import pytest

from api_gateway.config import DEFAULT_ROUTES, GatewaySettings
from api_gateway.routing import RouteTable

TABLE = RouteTable(DEFAULT_ROUTES, GatewaySettings().upstream_urls())


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/api/v1/auth/login", "auth"),
        ("/.well-known/jwks.json", "auth"),
        ("/api/v1/users/me", "user"),
        ("/api/v1/wallet", "transaction"),
        ("/api/v1/wallet/topups", "transaction"),
        ("/api/v1/transfers/abc", "transaction"),
        ("/api/v1/transactions", "transaction"),
        ("/api/v1/payment-requests/1/accept", "transaction"),
        ("/api/v1/admin/wallets/u1/freeze", "transaction"),
        ("/api/v1/admin/reports/overview", "reporting"),
        ("/api/v1/admin/users", "user"),
        ("/api/v1/admin/users/u1", "user"),
        ("/api/v1/admin/audit", "gateway"),  # answered by the gateway itself (api/audit.py)
        ("/api/v1/admin/usersx", "transaction"),
        ("/api/v1/reports/summary", "reporting"),
        ("/api/v1/notifications/stream", "notification"),
    ],
)
def test_routes_to_owner(path, upstream):
    assert TABLE.match(path)[1] == upstream


@pytest.mark.parametrize("path", ["/api/v1/walletx", "/api/v1/health", "/internal/events", "/metrics", "/"])
def test_unrouted_paths(path):
    assert TABLE.match(path) is None


def test_unknown_upstream_in_config_is_refused():
    with pytest.raises(ValueError, match="unknown upstreams"):
        RouteTable({"/x": "nowhere"}, {"auth": "http://a"})
