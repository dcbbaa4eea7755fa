"""The contact state (phone, e-mail, whether each is verified) pushed to the services that act on
it: the user service (recipient resolution, GET /users/me) and the transaction service (money
operations of an unverified phone are refused under the wallet's own lock, with no extra call on
the transfer path).

The auth service decides and commits first; then it pushes at once (idempotent PUTs of the
whole state). A push that fails leaves `contacts_synced_version` behind `contacts_version`, and
the periodic `sweep` pushes again until both agree (docs/ARCHITECTURE.md, "Verified phone and
e-mail"). A state pushed twice, or an older one after a newer (a sweep racing a request), is
harmless: the user service keeps the highest `version` it has been given.
"""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.repository import credentials
from auth_service.repository.credentials import CredentialRow
from auth_service.service.context import AuthContext
from instapay_common.db.database import Database
from instapay_common.errors import DomainError
from instapay_common.logging import get_logger

log = get_logger("contact_sync")
SWEEP_BATCH = 100


async def push(ctx: AuthContext, session: AsyncSession, credential: CredentialRow) -> bool:
    """Tells both services the account's contact state; True when both took it (then recorded)."""
    user_id = credential.user_id
    try:
        await ctx.users.request(
            "PUT",
            f"/internal/users/{user_id}/verification",
            json={
                "phone": credential.phone,
                "email": credential.email,
                "phone_verified": credential.phone_verified,
                "email_verified": credential.email_verified,
                "version": credential.contacts_version,
            },
        )
        await ctx.wallets.request(
            "PUT", f"/internal/wallets/{user_id}/verification", json={"phone_verified": credential.phone_verified}
        )
    except DomainError as exc:
        log.warning("contact_sync_failed", user_id=str(user_id), error=exc.code)
        return False
    await credentials.mark_synced(session, user_id, version=credential.contacts_version)
    await session.commit()
    return True


async def push_latest(ctx: AuthContext, session: AsyncSession, user_ids: list[uuid.UUID]) -> None:
    """Pushes the committed state of each account (best effort: the sweep catches up)."""
    for user_id in user_ids:
        credential = await credentials.active(session, user_id)
        if credential is not None:
            await push(ctx, session, credential)


async def sweep(ctx: AuthContext, db: Database) -> int:
    """Pushes every account whose last push did not get through; returns how many were pushed."""
    async with db.sessionmaker() as session:
        pending = await credentials.unsynced(session, limit=SWEEP_BATCH)
        done = 0
        for credential in pending:
            done += await push(ctx, session, credential)
    return done


async def sweep_job(app: FastAPI) -> None:
    """The periodic lifespan job (instapay_common.periodic)."""
    await sweep(app.state.auth, app.state.db)
