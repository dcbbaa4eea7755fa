"""Rebuilds the recipient directory from the user service's profiles.

    python -m transaction_service.rebuild_directory          (or: make rebuild-directory)

Empties `ledger.directory_entries`, then pages through user-service
`GET /internal/users/directory?after=&limit=` and applies each page with the writer the events
use (version-guarded: an event applied live during the rebuild is never overwritten by an older
copy). While it runs, resolutions miss and ask the user service, as without a directory. The
lookup-budget times are kept (they are the user service's counts, not profile data).
Environment as for the service (DATABASE_URL, USER_URL, INTERNAL_SECRET_TRANSACTION).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import AsyncIterator

from instapay_common.db.database import Database
from instapay_common.errors import DomainError
from instapay_common.logging import configure_logging
from instapay_common.web.http_client import ServiceClient, new_session
from transaction_service.config import TransactionSettings, get_settings
from transaction_service.repository.directory import Entry
from transaction_service.service.directory import entries_of, rebuild

PAGE = 500


async def export(client: ServiceClient, *, page: int = PAGE) -> AsyncIterator[list[Entry]]:
    """Every profile the user service holds, a page at a time (keyset on user id)."""
    after: str | None = None
    while True:
        params = {"limit": str(page), **({"after": after} if after else {})}
        _, body = await client.request("GET", "/internal/users/directory", params=params)
        items = body.get("items") if isinstance(body, dict) else None
        entries = entries_of(items)
        if entries:
            yield entries
        nxt = body.get("next_after") if isinstance(body, dict) else None
        if not items or nxt is None:
            return
        after = str(nxt)


async def rebuild_from(db: Database, users: ServiceClient) -> int:
    """Entries applied."""
    return await rebuild(db, export(users))


async def run(settings: TransactionSettings) -> int:
    db = Database(settings.database_url, pool_size=2, max_overflow=0)
    http = new_session(timeout_seconds=30)
    try:
        users = ServiceClient(http, settings.user_url, name="user", credentials=settings.internal_credentials())
        return await rebuild_from(db, users)
    finally:
        await http.close()
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="rebuild_directory", description=__doc__.split("\n\n")[0]).parse_args(argv)
    settings = get_settings()
    configure_logging(settings.service_name, "WARNING")
    started = time.monotonic()
    try:
        applied = asyncio.run(run(settings))
    except DomainError as exc:
        sys.stdout.write(f"rebuild failed: {exc.detail}\n")
        return 1
    sys.stdout.write(f"rebuilt the recipient directory: {applied} profiles in {time.monotonic() - started:.1f}s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
