"""Rebuilds the read model from scratch by replaying the event logs.

    python -m reporting_service.rebuild          (or: make rebuild-reports)

Truncates every read-model table (and the processed-events inbox), then pages through
transaction-service `GET /internal/events?after_seq=&limit=` and auth-service's equivalent
(user.registered, for user counts) and applies each page with the writer the live
`POST /internal/events` uses (`service.apply_events`), so the result equals the live-built model.
Events that arrive live during the rebuild are deduped by id like any redelivery. Environment as for the service
(DATABASE_URL, TRANSACTION_URL, AUTH_URL, INTERNAL_SECRET_REPORTING).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from instapay_common.db.database import Database
from instapay_common.errors import DomainError
from instapay_common.events.envelope import EventEnvelope
from instapay_common.logging import configure_logging, get_logger
from instapay_common.web.http_client import ServiceClient, UpstreamError, new_session
from reporting_service import repository, service
from reporting_service.config import ReportingSettings, get_settings

log = get_logger("rebuild")
PAGE = 500


@dataclass
class RebuildResult:
    events: int
    applied: int
    sources: dict[str, int]
    seconds: float


async def event_log(client: ServiceClient, *, page: int = PAGE) -> AsyncIterator[list[EventEnvelope]]:
    """The log's events, a page at a time."""
    after = 0
    while True:
        _, body = await client.request("GET", "/internal/events", params={"after_seq": after, "limit": page})
        items = body.get("items") or []
        if items:
            yield [EventEnvelope.model_validate(item) for item in items]
        nxt = body.get("next_after_seq")
        if not items or nxt is None or int(nxt) <= after:
            return
        after = int(nxt)


async def rebuild(
    db: Database, sources: dict[str, ServiceClient], *, optional: frozenset[str] = frozenset()
) -> RebuildResult:
    """`optional` sources that do not offer an event log (404) are skipped with a warning."""
    started = time.monotonic()
    await repository.truncate(db)
    total = applied = 0
    per_source: dict[str, int] = {}
    for name, client in sources.items():
        count = 0
        try:
            async for events in event_log(client):
                applied += len(await service.apply_events(db, events))
                count += len(events)
        except UpstreamError as exc:
            if name in optional and exc.status == 404:
                log.warning("rebuild_source_without_event_log", source=name)
                continue
            raise
        per_source[name] = count
        total += count
        log.info("rebuild_source_done", source=name, events=count)
    return RebuildResult(total, applied, per_source, time.monotonic() - started)


async def main_async(settings: ReportingSettings) -> RebuildResult:
    db = Database(settings.database_url, pool_size=2, max_overflow=0)
    http = new_session(timeout_seconds=30)
    creds = settings.internal_credentials()
    try:
        sources = {
            "transaction": ServiceClient(http, settings.transaction_url, name="transaction-service", credentials=creds),
            "auth": ServiceClient(http, settings.auth_url, name="auth-service", credentials=creds),
        }
        return await rebuild(db, sources, optional=frozenset({"auth"}))
    finally:
        await http.close()
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description="Rebuild the reporting read model from the event logs").parse_args(argv)
    settings = get_settings()
    configure_logging("reporting-rebuild", settings.log_level)
    try:
        result = asyncio.run(main_async(settings))
    except DomainError as exc:
        print(f"rebuild failed: {exc.detail}")
        return 1
    print(
        f"rebuilt the reporting read model from {result.events} events "
        f"({', '.join(f'{k}: {v}' for k, v in result.sources.items())}) in {result.seconds:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
