"""The calibration point of issue 9: one bare FastAPI handler doing a transfer on raw asyncpg.

No gateway, no token check, no recipient service, no PIN, no idempotency, no events: the cheapest
a transfer can be in this stack's language and libraries, so `calibrate_bare.py` can show how far
the real path is from it. Accounts are looked up by the `recipient` handle and the bearer "token"
(both `u<n>`), in memory. Run by calibrate_bare.py with `BARE_DSN` set; not part of the product.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from decimal import Decimal

import asyncpg
from fastapi import FastAPI, Header, Response
from pydantic import BaseModel

LOCK = "SELECT id, balance FROM bare.accounts WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE"
MOVE = (
    "UPDATE bare.accounts SET balance = balance + CASE WHEN id = $1 THEN -$3::numeric ELSE $3::numeric END "
    "WHERE id = ANY(ARRAY[$1, $2]::int[])"
)
JOURNAL = "INSERT INTO bare.journal (src, dst, amount) VALUES ($1, $2, $3) RETURNING id"


class TransferIn(BaseModel):
    recipient: str
    amount: Decimal
    pin: str | None = None
    note: str | None = None


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(os.environ["BARE_DSN"], min_size=20, max_size=20)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/api/v1/transfers", status_code=201)
async def transfer(body: TransferIn, authorization: str = Header()) -> Response:
    src, dst = int(authorization.removeprefix("Bearer u")), int(body.recipient.removeprefix("u"))
    async with app.state.pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(LOCK, [src, dst])
        if len(rows) != 2 or next(r["balance"] for r in rows if r["id"] == src) < body.amount:
            return Response(status_code=422)
        await conn.execute(MOVE, src, dst, body.amount)
        entry = await conn.fetchval(JOURNAL, src, dst, body.amount)
    return Response(f'{{"id": {entry}}}', status_code=201, media_type="application/json")
