"""Verifies the audit chains: `python -m instapay_common.audit verify [--service auth ...]`.

    DATABASE_URL=postgresql://... python -m instapay_common.audit verify
    make audit-verify                      # the local stack's database

Walks each service's chain in order and prints, per service, the rows checked and the head hash
(keep it elsewhere: a chain cut short at its newest rows is still a valid chain), or the first row
that does not hold. Exit status 1 when any chain is broken, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import asyncpg

from instapay_common.audit import chain
from instapay_common.audit.chain import AUDITED_SERVICES, ChainReport
from instapay_common.db.rawsql import RawConnection
from instapay_common.db.roles import SCHEMAS

PROG = "python -m instapay_common.audit"


async def verify_services(database_url: str, services: list[str]) -> list[ChainReport]:
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        # One snapshot for the whole walk: rows appended meanwhile are simply not part of it.
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            runner = chain.RawRunner(RawConnection(conn, None))
            return [await chain.verify(runner, SCHEMAS[s]) for s in services]
    finally:
        await conn.close()


def describe(service: str, report: ChainReport) -> str:
    if report.ok:
        return f"{service}: ok, {report.rows} rows, head {report.head}"
    return f"{service}: BROKEN at row {report.broken_id}: {report.problem} ({report.rows} rows before it hold)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m instapay_common.audit",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=("verify",))
    parser.add_argument(
        "--service", action="append", choices=AUDITED_SERVICES, help="one service's chain (repeatable); default all"
    )
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("error: set DATABASE_URL (make audit-verify does this for the local stack)", file=sys.stderr)
        return 2
    services = args.service or list(AUDITED_SERVICES)
    reports = asyncio.run(verify_services(url, services))
    for service, report in zip(services, reports, strict=True):
        print(describe(service, report))
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
