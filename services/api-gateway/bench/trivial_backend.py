"""A trivial FastAPI backend for the gateway benchmark: a small JSON answer and a JWKS.

The JWKS is the benchmark issuer's public key, so the gateway in front verifies real EdDSA tokens.
Run: BENCH_JWKS='{...}' uvicorn trivial_backend:app
"""

import json
import os

from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()
JWKS = json.loads(os.environ.get("BENCH_JWKS", '{"keys": []}'))
WALLET = {"account_id": "acc_1", "balance": "125.50", "currency": "EGP", "status": "active"}


@app.get("/api/v1/wallet")
async def wallet() -> JSONResponse:
    return JSONResponse(WALLET)


@app.get("/.well-known/jwks.json")
async def jwks() -> JSONResponse:
    return JSONResponse(JWKS)


@app.get("/internal/sessions/revoked")
async def revoked() -> JSONResponse:
    import time

    return JSONResponse({"items": [], "now": time.time()})


@app.get("/readyz")
async def ready() -> JSONResponse:
    return JSONResponse({"status": "ready"})
