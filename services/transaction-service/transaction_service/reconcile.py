"""Reconciles one day's settlement report of the funding provider with the ledger, as the
service's daily job does, and prints the result.

    python -m transaction_service.reconcile --date 2026-12-02     (or: make reconcile DATE=...)

Environment as for the service (DATABASE_URL, FUNDING_PROVIDER, FUNDING_PROVIDER_URL, ...).
Exit status 0 when nothing is out of place, 1 when the day has discrepancies.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime, timedelta

import aiohttp
import orjson

from instapay_common.db.database import Database
from instapay_common.logging import configure_logging
from instapay_common.web.http_client import new_session
from transaction_service.config import TransactionSettings, get_settings
from transaction_service.main import funding_provider
from transaction_service.service import reconciliation


async def run(settings: TransactionSettings, day: date) -> dict[str, object]:
    db = Database(settings.database_url, pool_size=2, max_overflow=0)
    http: aiohttp.ClientSession = new_session(timeout_seconds=settings.http_timeout_seconds)
    try:
        result = await reconciliation.reconcile(db, funding_provider(settings, http), day)
        return reconciliation.run_body(result)
    finally:
        await http.close()
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reconcile", description=__doc__.split("\n\n")[0])
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    parser.add_argument("--date", type=date.fromisoformat, default=yesterday, help="UTC day (default: yesterday)")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.service_name, "WARNING")
    body = asyncio.run(run(settings, args.date))
    sys.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n")
    return 1 if any(body[k] for k in ("missing_in_ledger", "missing_at_provider", "amount_mismatch")) else 0


if __name__ == "__main__":
    sys.exit(main())
