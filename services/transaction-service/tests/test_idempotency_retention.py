"""Stored Idempotency-Key answers are purged after the retention (the contract promises >= 24 h),
by the service's own periodic job; younger ones keep replaying."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN as PIN
from transaction_service.config import TransactionSettings
from transaction_service.service.idempotency import purge_expired_keys


async def _send(ctx, sender, recipient, key: str):
    return await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(sender["user_id"]), "Idempotency-Key": key},
        json={"recipient": recipient["handle"], "amount": "1.00", "pin": PIN},
    )


async def _age(ctx, owner: str, key: str, hours: int) -> None:
    async with ctx.app.state.db.sessionmaker() as s, s.begin():
        await s.execute(
            text(
                "UPDATE ledger.idempotency_keys SET created_at = now() - make_interval(hours => :h) "
                "WHERE owner_id = CAST(:o AS uuid) AND key = :k"
            ),
            {"h": hours, "o": owner, "k": key},
        )


async def _kept(ctx, owner: str) -> set[str]:
    async with ctx.app.state.db.read_sessionmaker() as s:
        rows = await s.execute(
            text("SELECT key FROM ledger.idempotency_keys WHERE owner_id = CAST(:o AS uuid) AND key LIKE 'k-%'"),
            {"o": owner},
        )
    return {r.key for r in rows}


async def test_keys_past_the_retention_are_purged_and_younger_ones_still_replay(ctx, ctx_factory):
    alice, bob = await ctx.user(balance="100.00"), await ctx.user()
    keys = [f"k-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    for k in keys:
        assert (await _send(ctx, alice, bob, k)).status_code == 201
    await _age(ctx, alice["user_id"], keys[0], 31 * 24)  # past 30 days
    await _age(ctx, alice["user_id"], keys[1], 29 * 24)  # within
    removed = await purge_expired_keys(ctx.app.state.db, retention_hours=30 * 24, batch=1)
    assert removed >= 1 and await _kept(ctx, alice["user_id"]) == {keys[1], keys[2]}
    replay = await _send(ctx, alice, bob, keys[1])
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    # The purge is the service's own periodic job: an app configured to purge every 50 ms does it.
    await _age(ctx, alice["user_id"], keys[1], 25)
    async with ctx_factory(idempotency_retention_hours=24, idempotency_purge_seconds=0.05) as other:
        for _ in range(100):
            if keys[1] not in await _kept(other, alice["user_id"]):
                break
            await asyncio.sleep(0.05)
        assert await _kept(other, alice["user_id"]) == {keys[2]}


def test_a_retention_shorter_than_the_contracts_24_hours_is_refused():
    with pytest.raises(ValidationError):
        TransactionSettings(idempotency_retention_hours=23)
