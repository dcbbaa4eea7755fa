"""ASGI entry point: `uvicorn notification_service.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from instapay_common.audit.api import audit_router
from instapay_common.web.app import create_service_app
from instapay_common.web.http_client import ServiceClient
from notification_service.api import internal, notifications, stream, webhooks
from notification_service.channels.email import SmtpMailer
from notification_service.channels.sms import build_sms_provider
from notification_service.config import NotificationSettings, get_settings
from notification_service.dispatcher import Channels, Dispatcher
from notification_service.live import LiveHub, PgListener
from notification_service.profiles import ProfileDirectory
from notification_service.webhooks.openapi import register_webhooks
from notification_service.webhooks.sender import WebhookSender

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@asynccontextmanager
async def notification_runtime(app: FastAPI) -> AsyncIterator[None]:
    """Live hub + LISTEN connection, profile cache and the channel dispatcher."""
    settings: NotificationSettings = app.state.settings
    app.state.live_hub = hub = LiveHub()
    listener = PgListener(settings.database_url, hub)
    client = ServiceClient(
        app.state.http,
        settings.user_url,
        name="user-service",
        credentials=settings.internal_credentials(),
    )
    app.state.profiles = profiles = ProfileDirectory(client, ttl_seconds=settings.profile_cache_seconds)
    mailer = SmtpMailer(settings)
    app.state.channels = channels = Channels(mailer=mailer, sms=build_sms_provider(settings, app.state.http))
    app.state.dispatcher = dispatcher = Dispatcher(app.state.db, channels, profiles, settings)
    app.state.webhook_sender = sender = WebhookSender(app.state.db, settings)
    listener.start()
    dispatcher.start()
    if settings.webhook_worker_enabled:
        sender.start()
    try:
        yield
    finally:
        await sender.stop()
        await dispatcher.stop()
        await listener.stop()
        await mailer.close()


def build_app(settings: NotificationSettings | None = None) -> FastAPI:
    app = create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay notification service",
        routers=[stream.router, notifications.router, webhooks.router, internal.router, audit_router("notification")],
        migrations_dir=MIGRATIONS_DIR,
        lifespan_hooks=[notification_runtime],
    )
    register_webhooks(app)
    return app


app = build_app()
