"""Operator command: grant or revoke a role (e.g. admin) on an existing account.

    DATABASE_URL=postgresql://... python -m auth_service.admin grant --email ops@example.com
    python -m auth_service.admin revoke --email ops@example.com [--role admin]

Roles travel in access tokens, so a change ends the account's login sessions (their tokens are
refused within seconds) and shows in its next login; `make admin EMAIL=...` runs this against the
local stack's database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from auth_service.service import account
from instapay_common.db.database import normalize_async_url
from instapay_common.security.scopes import ROLE_ADMIN


async def change_role(database_url: str, *, email: str, role: str, grant: bool) -> list[str] | None:
    engine = create_async_engine(normalize_async_url(database_url))
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            return await account.change_role(session, email=email, role=role, grant=grant)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auth_service.admin", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=("grant", "revoke"))
    parser.add_argument("--email", required=True)
    parser.add_argument("--role", default=ROLE_ADMIN)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("error: set DATABASE_URL (make admin does this for the local stack)", file=sys.stderr)
        return 2
    roles = asyncio.run(change_role(url, email=args.email, role=args.role, grant=args.action == "grant"))
    if roles is None:
        print(f"error: no account with e-mail {args.email}", file=sys.stderr)
        return 1
    print(f"{args.email}: roles now {roles} (its open sessions are ended; effective from its next login)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
