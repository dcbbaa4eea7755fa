"""Money that cannot be minted (issue 17), through the real gateway: the provider's callback intake
refuses every callback not signed now with the provider's secret and changes nothing; a valid one
replayed changes nothing either; production refuses the simulator at start-up; the top-up limits
hold when one user's top-ups race each other.

Each forged callback differs from one the platform accepts in one thing (the signature, the body
after signing, the timestamp, the secret); the one it imitates would credit money the provider never
captured (a `charge.succeeded` that names no operation of ours is recorded and credited from its
metadata), so a forgery that got through would mint money."""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import sys
import time
import uuid
from decimal import Decimal

import httpx
from proof_support.waiting import wait_for

from instapay_common.security.callback_signature import sign
from instapay_stack.e2e import fetch_rows, problem, register_user
from instapay_stack.services import SIMULATOR_WEBHOOK_PATH

SIGNATURE_HEADER = "Simulator-Signature"


def _secret(stack) -> bytes:
    return stack.env["SIMULATOR_WEBHOOK_SECRET"].encode()


def _balance(gw, user) -> Decimal:
    resp = gw.get("/api/v1/wallet", headers=user.auth_headers())
    assert resp.status_code == 200, resp.text
    return Decimal(resp.json()["balance"])


def _post_callback(gw, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    return gw.post(SIMULATOR_WEBHOOK_PATH, content=body, headers=headers)


def _mint_body(user) -> tuple[bytes, str, str]:
    """A `charge.succeeded` for a capture that never happened, crediting `user`: (body, event id,
    operation id)."""
    op_id, event_id = str(uuid.uuid4()), f"evt_{secrets.token_hex(12)}"
    event = {
        "id": event_id,
        "type": "charge.succeeded",
        "created": int(time.time()),
        "data": {
            "object": "charge",
            "id": f"ch_{secrets.token_hex(12)}",
            "idempotency_key": op_id,
            "amount": "5000.00",
            "currency": "EGP",
            "status": "succeeded",
            "failure_reason": None,
            "metadata": {"user_id": user.user_id, "method": "card"},
        },
    }
    return json.dumps(event).encode(), event_id, op_id


def _traces(stack, event_id: str, op_id: str) -> tuple[int, int]:
    """(stored callbacks with that event id, funding operations with that id)."""
    rows = asyncio.run(
        fetch_rows(
            stack.config.database_url,
            "SELECT (SELECT count(*) FROM ledger.provider_callbacks WHERE event_id = :event_id) callbacks, "
            "(SELECT count(*) FROM ledger.funding_operations WHERE id = CAST(:op_id AS uuid)) operations",
            event_id=event_id,
            op_id=op_id,
        )
    )
    return rows[0]["callbacks"], rows[0]["operations"]


def _forgeries(stack, body: bytes) -> dict[str, tuple[bytes, str | None]]:
    now = int(time.time())
    good = _secret(stack)
    tampered = body.replace(b'"5000.00"', b'"50000.00"')
    assert tampered != body
    return {
        "no signature": (body, None),
        "malformed signature": (body, "garbage"),
        "bad signature": (body, f"t={now},v1={secrets.token_hex(32)}"),
        "body changed after signing": (tampered, sign(good, body)),
        "stale timestamp": (body, sign(good, body, timestamp=now - 3600)),
        "timestamp from the future": (body, sign(good, body, timestamp=now + 3600)),
        "another secret": (body, sign(b"not-the-provider-secret", body)),
    }


def test_forged_callbacks_are_refused_and_change_nothing(proof_stack, gw, mallory):
    before = _balance(gw, mallory)
    body, event_id, op_id = _mint_body(mallory)
    for what, (sent, signature) in _forgeries(proof_stack, body).items():
        resp = _post_callback(gw, sent, signature)
        assert resp.status_code == 401, (what, resp.status_code, resp.text)
        assert resp.json()["code"] == "invalid_signature", (what, resp.text)
    assert _traces(proof_stack, event_id, op_id) == (0, 0)
    assert _balance(gw, mallory) == before


def _bank_topup_callback(proof_stack, gw, user, amount: str) -> tuple[str, dict]:
    """A bank top-up through the gateway, completed by the simulator's signed callback; returns the
    operation id and the callback as the platform stored it."""
    resp = gw.post(
        "/api/v1/wallet/topups",
        headers=user.auth_headers(**{"Idempotency-Key": secrets.token_hex(12)}),
        json={"amount": amount, "source": {"type": "bank", "reference": "bank-replay"}},
    )
    assert resp.status_code == 202 and resp.json()["status"] == "pending", resp.text
    op_id = resp.json()["id"]

    def applied() -> list[dict] | None:
        rows = asyncio.run(
            fetch_rows(
                proof_stack.config.database_url,
                "SELECT event_id, payload::text AS payload FROM ledger.provider_callbacks "
                "WHERE operation_id = CAST(:op AS uuid) AND applied_at IS NOT NULL",
                op=op_id,
            )
        )
        return rows or None

    stored = wait_for(applied, timeout=60, what="the provider's callback for the bank top-up")[0]
    return op_id, json.loads(stored["payload"])


def test_valid_callback_replayed_changes_nothing(proof_stack, gw):
    user = register_user(proof_stack.gateway_url)
    op_id, callback = _bank_topup_callback(proof_stack, gw, user, "40.00")
    assert _balance(gw, user) == Decimal("40.00")
    body = json.dumps(callback).encode()
    # The same event, signed now with the provider's secret: the platform has seen it, so 200, and
    # nothing moves, however often it comes.
    for _ in range(3):
        resp = _post_callback(gw, body, sign(_secret(proof_stack), body))
        assert resp.status_code == 200, resp.text
        assert resp.json() == {"status": "duplicate"}
    # Replayed as it was captured (an old timestamp): refused before it is even looked up.
    resp = _post_callback(gw, body, sign(_secret(proof_stack), body, timestamp=int(time.time()) - 3600))
    problem(resp, 401, "invalid_signature")
    # The same event under a new event id but with a forged amount: refused, nothing moves.
    forged = {**callback, "id": f"evt_{secrets.token_hex(12)}", "data": {**callback["data"], "amount": "4000.00"}}
    forged_body = json.dumps(forged).encode()
    resp = _post_callback(gw, forged_body, sign(b"not-the-provider-secret", forged_body))
    problem(resp, 401, "invalid_signature")
    assert _balance(gw, user) == Decimal("40.00")
    history = gw.get("/api/v1/transactions", headers=user.auth_headers()).json()["items"]
    assert [(r["id"], r["type"], r["amount"], r["status"]) for r in history] == [(op_id, "topup", "40.00", "completed")]


def test_production_refuses_the_simulator_at_start(proof_stack):
    """The transaction service, started as its deployment starts it but with ENVIRONMENT=production
    and FUNDING_PROVIDER=simulator, exits at once naming FUNDING_PROVIDER."""
    env = {
        **proof_stack.service_env("transaction"),
        "ENVIRONMENT": "production",
        "FUNDING_PROVIDER": "simulator",
        "PORT": "0",
    }
    done = subprocess.run(
        [sys.executable, "-m", "uvicorn", "transaction_service.main:app", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0, done.stderr[-3000:]
    refusal = [line for line in done.stderr.splitlines() if "FUNDING_PROVIDER" in line]
    assert refusal, done.stderr[-3000:]
    assert "refused with ENVIRONMENT=production" in refusal[-1], refusal


def test_topup_limit_holds_under_concurrent_topups(proof_stack, gw):
    """Twelve card top-ups of 4,999.00 at once against the 50,000.00 daily top-up limit: exactly
    ten are captured, two answer 422 limit_exceeded, and the balance and the provider agree."""
    user = register_user(proof_stack.gateway_url)
    daily = Decimal("50000.00")
    amount = Decimal("4999.00")
    allowed = int(daily // amount)

    async def one(client: httpx.AsyncClient) -> httpx.Response:
        key = secrets.token_hex(12)
        while True:  # a 409 in_progress / 429 / 503 is retried with the same key
            resp = await client.post(
                "/api/v1/wallet/topups",
                headers=user.auth_headers(**{"Idempotency-Key": key}),
                json={"amount": str(amount), "source": {"type": "card", "reference": "card-race"}},
            )
            if resp.status_code not in (409, 429, 502, 503):
                return resp
            await asyncio.sleep(0.2)

    async def race() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=proof_stack.gateway_url, timeout=60) as client:
            return await asyncio.gather(*(one(client) for _ in range(allowed + 2)))

    answers = asyncio.run(race())
    codes = sorted((r.status_code, r.json().get("code")) for r in answers)
    assert codes == [(201, None)] * allowed + [(422, "limit_exceeded")] * 2, codes
    assert _balance(gw, user) == amount * allowed
    rows = asyncio.run(
        fetch_rows(
            proof_stack.config.database_url,
            "SELECT count(*) n, coalesce(sum(amount), 0) total FROM ledger.funding_operations "
            "WHERE user_id = CAST(:user AS uuid) AND status = 'completed'",
            user=user.user_id,
        )
    )
    assert (rows[0]["n"], rows[0]["total"]) == (allowed, amount * allowed)
