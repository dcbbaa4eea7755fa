"""ASGI entry point: `uvicorn auth_service.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from auth_service.api import account, clients, internal, jwks, registration, sessions, tokens, verification
from auth_service.config import AuthSettings, get_settings
from auth_service.keys import SigningKeys
from auth_service.models import outbox
from auth_service.passwords import Passwords
from auth_service.service import contact_sync
from auth_service.service.context import AuthContext
from instapay_common.audit.api import audit_router
from instapay_common.events.feed import outbox_feed_router
from instapay_common.periodic import periodic
from instapay_common.web.app import LifespanHook, create_service_app
from instapay_common.web.http_client import ServiceClient

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _context_hook(settings: AuthSettings) -> LifespanHook:
    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        keys = SigningKeys.from_settings(settings)
        creds = settings.internal_credentials()
        app.state.auth = AuthContext(
            settings=settings,
            keys=keys,
            passwords=Passwords(settings),
            users=ServiceClient(app.state.http, settings.user_url, name="user-service", credentials=creds),
            wallets=ServiceClient(
                app.state.http, settings.transaction_url, name="transaction-service", credentials=creds
            ),
            notifications=ServiceClient(
                app.state.http, settings.notification_url, name="notification-service", credentials=creds
            ),
        )
        # This service verifies its own tokens with its own keys (no HTTP round trip to itself).
        app.state.jwt_verifier.install_keys(keys.jwks)
        yield

    return hook


def build_app(settings: AuthSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        settings,
        title="Mini-InstaPay auth service",
        routers=[
            registration.router,
            tokens.router,
            sessions.router,
            account.router,
            verification.router,
            clients.router,
            jwks.router,
            internal.router,
            # the event log (for read-model rebuilds, e.g. reporting's user counts)
            outbox_feed_router(outbox, source="auth-service", callers=("reporting",)),
            # its audit rows, for the gateway's GET /api/v1/admin/audit
            audit_router("auth"),
        ],
        migrations_dir=MIGRATIONS_DIR,
        lifespan_hooks=[
            _context_hook(settings),
            # contact state a failed push left behind (service.contact_sync)
            periodic("contact_sync", lambda app: settings.contact_sync_seconds, contact_sync.sweep_job),
        ],
    )


app = build_app()
