"""Builds a service's FastAPI app from the shared pieces, so every service behaves the same:
JSON logs with request ids, RED metrics, problem+json errors, health/readiness, a pooled HTTP
client, a database pool and a token verifier, all owned by the app's lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp

from instapay_common.db.database import Database
from instapay_common.db.metrics import instrument_engine
from instapay_common.errors import UnhandledErrorMiddleware, install_error_handlers
from instapay_common.logging import configure_logging, get_logger
from instapay_common.security.tokens import JwksVerifier, keys_prefetched
from instapay_common.settings import ServiceSettings
from instapay_common.web.health import ReadinessCheck, database_check, health_router
from instapay_common.web.http_client import new_session
from instapay_common.web.metrics import PrometheusMiddleware, metrics_listener, metrics_router
from instapay_common.web.request_context import RequestContextMiddleware

LifespanHook = Callable[[FastAPI], AbstractAsyncContextManager[None]]
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter] = (),
    migrations_dir: Path | None = None,
    lifespan_hooks: Sequence[LifespanHook] = (),
    extra_checks: dict[str, ReadinessCheck] | None = None,
    version: str = "1.0.0",
    inner_middleware: Sequence[tuple[Callable[..., ASGIApp], dict[str, Any]]] = (),
) -> FastAPI:
    """`migrations_dir` set means the service owns a schema: it gets a DB pool and a readiness check."""
    configure_logging(settings.service_name, settings.log_level)
    log = get_logger("app")
    holder: dict[str, ReadinessCheck] = dict(extra_checks or {})

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            http = new_session(timeout_seconds=settings.http_timeout_seconds)
            stack.push_async_callback(http.close)
            app.state.http = http
            # Verified-token cache: a repeat token (every call of a session within its 15 minutes)
            # costs a dict lookup instead of an Ed25519 check and JWT parsing (~0.5 ms here).
            app.state.jwt_verifier = JwksVerifier(
                settings.jwks_url,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                session=http,
                cache_size=settings.token_cache_size,
            )
            await stack.enter_async_context(keys_prefetched(app.state.jwt_verifier))
            if migrations_dir is not None:
                db = Database(
                    settings.database_url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
                )
                instrument_engine(
                    db.engine, service=settings.service_name, capacity=settings.db_pool_size + settings.db_max_overflow
                )
                stack.push_async_callback(db.dispose)
                app.state.db = db
                holder["database"] = database_check(db, settings.db_schema, migrations_dir)
            if settings.metrics_port:
                await stack.enter_async_context(metrics_listener(settings.host, settings.metrics_port))
            for hook in lifespan_hooks:
                await stack.enter_async_context(hook(app))
            log.info("service_started", port=settings.port, environment=settings.environment)
            yield
            log.info("service_stopping")

    docs = settings.docs_enabled and not settings.is_production_like
    app = FastAPI(
        title=title,
        version=version,
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(health_router(holder))
    app.include_router(metrics_router)
    for router in routers:
        app.include_router(router)
    # Added last = outermost: the request id is bound before metrics and handlers run;
    # `inner_middleware` (e.g. the gateway's proxy) sits inside metrics, in front of the routes;
    # an unexpected error is answered inside both, so its 500 carries the id and is counted.
    for cls, kwargs in inner_middleware:
        app.add_middleware(cls, **kwargs)
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(PrometheusMiddleware, service=settings.service_name, template_app=app)
    app.add_middleware(RequestContextMiddleware, quiet_paths=QUIET_PATHS)
    return app
