"""Assembles the gateway: its own routes (health, docs, web app) behind the forwarding proxy."""

from __future__ import annotations

from fastapi import FastAPI

from api_gateway.config import GatewaySettings
from api_gateway.health import router as health_router
from api_gateway.openapi_docs import install_docs
from api_gateway.proxy import GatewayProxy
from api_gateway.routing import RouteTable
from api_gateway.static_site import mount_web_app
from instapay_common.app import create_service_app


def build_gateway(settings: GatewaySettings) -> FastAPI:
    table = RouteTable(settings.routes, settings.upstream_urls())
    holder: dict[str, FastAPI] = {}
    proxy_kwargs = {
        "table": table,
        "session_getter": lambda: holder["app"].state.http,
        "max_body_bytes": settings.max_body_bytes,
        "timeout_seconds": settings.upstream_timeout_seconds,
        "stream_paths": settings.stream_paths,
    }
    # The gateway's /docs and /openapi.json are the merged public API (install_docs), not its own.
    own_settings = settings.model_copy(update={"docs_enabled": False})
    app = create_service_app(own_settings, title="Mini-InstaPay API", routers=[health_router],
                             inner_middleware=[(GatewayProxy, proxy_kwargs)])
    holder["app"] = app
    app.state.route_table = table
    if settings.docs_enabled and not settings.is_production_like:
        install_docs(app)
    mount_web_app(app)  # last: the web app answers every path nothing else claimed
    return app
