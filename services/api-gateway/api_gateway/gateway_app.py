"""Assembles the gateway: its own routes (health, docs, web app) behind the guard and the proxy.

Layers, outermost first: request id, metrics, operator paths (no /metrics or /readyz through a
proxy), CORS (when origins are configured), security headers, access control (tokens, revocation,
rate limits), the forwarding proxy, own routes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from api_gateway.api.audit import router as audit_router
from api_gateway.api.health import health_lifespan
from api_gateway.api.health import router as health_router
from api_gateway.api.openapi_docs import install_docs
from api_gateway.api.static_site import mount_web_app
from api_gateway.config import GatewaySettings
from api_gateway.guard.access_control import AccessControl, forward_identity, stream_gate
from api_gateway.guard.client_address import ClientAddress
from api_gateway.guard.operator_paths import OperatorPathsGuard
from api_gateway.guard.security_headers import SecurityHeaders
from api_gateway.guard.setup import guard_lifespan
from api_gateway.proxy import GatewayProxy
from api_gateway.routing import RouteTable
from instapay_common.web.app import create_service_app

CORS_EXPOSED = ["RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-ID", "Idempotent-Replayed", "Location"]
CORS_ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "X-Request-ID",
    "Last-Event-ID",
    "X-Refresh-Transport",
]


def _middleware(
    settings: GatewaySettings, table: RouteTable, holder: dict[str, FastAPI]
) -> list[tuple[type, dict[str, Any]]]:
    proxy_kwargs: dict[str, Any] = {
        "table": table,
        "session_getter": lambda: holder["app"].state.http,
        "max_body_bytes": settings.max_body_bytes,
        "timeout_seconds": settings.upstream_timeout_seconds,
        "stream_paths": settings.stream_paths,
        "guards": [forward_identity],
        # Only the auth service records client addresses (sessions, sign-in notices); the others
        # never see the gateway's credential.
        "address_credentials": {"auth": settings.internal_credentials().headers()},
        "stream_session_getter": lambda: holder["app"].state.stream_http,
        "stream_gate": stream_gate(lambda: holder["app"].state.gateway_guard),
        "stream_check_seconds": settings.stream_check_seconds,
    }
    access_kwargs: dict[str, Any] = {
        "table": table,
        "public_paths": settings.public_paths,
        "addresses": ClientAddress(settings.trusted_proxies),
        "max_body_bytes": settings.max_body_bytes,
        "state": lambda: holder["app"].state.gateway_guard,
    }
    # Listed innermost first (create_service_app adds them in order, so later ones wrap earlier ones).
    layers: list[tuple[type, dict[str, Any]]] = [
        (GatewayProxy, proxy_kwargs),
        (AccessControl, access_kwargs),
        (SecurityHeaders, {"hsts": settings.environment not in ("development", "test")}),
    ]
    if settings.cors_origins:
        layers.append(
            (
                CORSMiddleware,
                {
                    "allow_origins": list(settings.cors_origins),
                    "allow_credentials": True,
                    "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE"],
                    "allow_headers": CORS_ALLOWED_HEADERS,
                    "expose_headers": CORS_EXPOSED,
                    "max_age": 600,
                },
            )
        )
    layers.append((OperatorPathsGuard, {}))  # outermost of the gateway's own: refused before anything else
    return layers


def build_gateway(settings: GatewaySettings) -> FastAPI:
    table = RouteTable(settings.routes, settings.upstream_urls())
    holder: dict[str, FastAPI] = {}
    # The gateway's /docs and /openapi.json are the merged public API (install_docs), not its own.
    own_settings = settings.model_copy(update={"docs_enabled": False})
    app = create_service_app(
        own_settings,
        title="Mini-InstaPay API",
        routers=[health_router, audit_router],
        lifespan_hooks=[guard_lifespan(settings), health_lifespan(settings.health_refresh_seconds)],
        inner_middleware=_middleware(settings, table, holder),
    )
    holder["app"] = app
    app.state.route_table = table
    if settings.docs_enabled and not settings.is_production_like:
        install_docs(app)
    mount_web_app(app)  # last: the web app answers every path nothing else claimed
    return app
