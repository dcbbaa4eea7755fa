"""The relay process: `python -m outbox_relay --service <emitter> [--host H] [--metrics-port P]`.

One process (or several replicas) per emitting service, so each can be stopped on its own. It
runs until SIGTERM or SIGINT, then finishes the round in progress and closes its connections.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from collections.abc import Sequence

import aiohttp
import asyncpg

from instapay_common.db.urls import asyncpg_dsn
from instapay_common.logging import configure_logging, get_logger
from outbox_relay.config import config_from_env
from outbox_relay.metrics import serve_metrics
from outbox_relay.relay import OutboxRelay


async def main_async(args: argparse.Namespace) -> None:
    config = config_from_env(args.service)
    log = get_logger("outbox_relay")
    pool = await asyncpg.create_pool(asyncpg_dsn(os.environ.get("DATABASE_URL", "")), min_size=1, max_size=4)
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    runner = await serve_metrics(args.host, args.metrics_port) if args.metrics_port else None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("outbox_relay_started", schema=config.schema, subscribers=sorted(config.subscriber_urls))
    try:
        await OutboxRelay(pool, http, config).run(stop)
    finally:
        if runner:
            await runner.cleanup()
        await http.close()
        await pool.close()
        log.info("outbox_relay_stopped")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="outbox_relay", description="Delivers an emitting service's outbox events to their subscribers."
    )
    parser.add_argument("--service", required=True, help="emitting service: auth, user or transaction")
    parser.add_argument("--metrics-port", type=int, default=0, help="serve /metrics and /healthz here (0: off)")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging(f"{args.service}-outbox-relay", os.environ.get("LOG_LEVEL", "INFO"))
    asyncio.run(main_async(args))
