"""The webhook sender as a process of its own: `python -m notification_service.webhooks.worker`.

The service runs the same loop in-process (WEBHOOK_WORKER_ENABLED, the default); a deployment
that wants senders scaled apart from the API sets it false there and runs this instead. Any number
of either run side by side (claims skip locked rows and hold a lease)."""

from __future__ import annotations

import asyncio
import signal

from instapay_common.db.database import Database
from instapay_common.logging import configure_logging
from notification_service.config import get_settings
from notification_service.webhooks.sender import WebhookSender


async def main() -> None:
    settings = get_settings()
    configure_logging("webhook-sender", settings.log_level)
    db = Database(settings.database_url, pool_size=4, max_overflow=0)
    sender = WebhookSender(db, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sender.start()
    try:
        await stop.wait()
    finally:
        await sender.stop()
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
