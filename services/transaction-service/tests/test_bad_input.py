"""Bad input: every answer is a 4xx problem+json and nothing is written."""

import base64
import json
import uuid

import pytest
from sqlalchemy import text

from instapay_common.security.scopes import CLIENT_SCOPES, WALLET_READ
from instapay_stack.e2e import DEFAULT_PIN as PIN


class Raw(str):
    """A JSON number token sent as written (e.g. 1e309, which JSON parsers turn into infinity)."""


BAD_AMOUNTS = [
    "0",
    "-1",
    "1.001",
    "NaN",
    "Infinity",
    "1e309",
    1e20,
    Raw("1e309"),
    Raw("-0"),
    "1e3",
    True,
    "abc",
    "",
    " 5",
    None,
    [],
    {},
    "0.00",
    "70000.01",
    0,
    -5,
    1.001,
]


def encode(body: dict) -> bytes:
    raw = {k: v for k, v in body.items() if isinstance(v, Raw)}
    text = json.dumps({k: ("__RAW__" + k if k in raw else v) for k, v in body.items()})
    for k, v in raw.items():
        text = text.replace(f'"__RAW__{k}"', str(v))
    return text.encode()


async def _ledger_size(ctx) -> tuple[int, int]:
    async with ctx.app.state.db.sessionmaker() as s:
        return (
            (await s.execute(text("SELECT count(*) FROM ledger.postings"))).scalar_one(),
            (await s.execute(text("SELECT count(*) FROM ledger.idempotency_keys"))).scalar_one(),
        )


def _problem(r, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code and r.json()["status"] == status and r.json()["request_id"]


@pytest.mark.parametrize("amount", BAD_AMOUNTS, ids=repr)
async def test_bad_amounts_are_validation_errors_and_write_nothing(ctx, amount):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    before = await _ledger_size(ctx)
    h = {**ctx.auth(alice["user_id"]), "Idempotency-Key": uuid.uuid4().hex}
    for path, body in (
        ("/api/v1/transfers", {"recipient": bob["handle"], "amount": amount, "pin": PIN}),
        ("/api/v1/wallet/topups", {"amount": amount, "source": {"type": "card", "reference": "c"}}),
        (
            "/api/v1/wallet/withdrawals",
            {"amount": amount, "destination": {"type": "bank", "reference": "b"}, "pin": PIN},
        ),
        ("/api/v1/payment-requests", {"payer": bob["handle"], "amount": amount}),
    ):
        r = await ctx.client.post(path, headers={**h, "Content-Type": "application/json"}, content=encode(body))
        _problem(r, 422, "validation_error")
        assert any(e["field"] == "amount" for e in r.json()["errors"])
    assert await _ledger_size(ctx) == before


async def test_every_transfer_error_code(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    nopin = await ctx.user(pin=None, balance="10.00")
    h = ctx.auth(alice["user_id"])
    before = await _ledger_size(ctx)

    async def send(body, headers=None, **kw):
        return await ctx.client.post(
            "/api/v1/transfers",
            headers={**(headers or h), "Idempotency-Key": uuid.uuid4().hex},
            json={"recipient": bob["handle"], "amount": "1", "pin": PIN, **body},
            **kw,
        )

    _problem(await send({"recipient": "nobody-here"}), 404, "recipient_not_found")
    _problem(await send({"recipient": alice["handle"]}), 422, "self_transfer")
    _problem(await send({"currency": "USD"}), 422, "currency_not_supported")
    _problem(await send({"pin": "000000"}), 403, "invalid_pin")
    _problem(await send({}, headers=ctx.auth(nopin["user_id"])), 403, "pin_not_set")
    r = await send({"pin": None})
    _problem(r, 422, "validation_error")
    _problem(await send({"note": "x" * 141}), 422, "validation_error")
    _problem(await send({"note": "bad\x00note"}), 422, "validation_error")
    _problem(await send({"unexpected": 1}), 422, "validation_error")
    _problem(await send({"recipient": None}), 422, "validation_error")
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**h, "Idempotency-Key": "x"},
        content=b"{not json",
    )
    _problem(r, 422, "validation_error")
    r = await ctx.client.post("/api/v1/transfers", json={"recipient": bob["handle"], "amount": "1"})
    _problem(r, 401, "unauthenticated")
    r = await send({}, headers=ctx.auth(alice["user_id"], scopes={WALLET_READ}, client_id="c1"))
    _problem(r, 403, "insufficient_scope")
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**h, "Idempotency-Key": "k" * 256},
        json={"recipient": bob["handle"], "amount": "1", "pin": PIN},
    )
    _problem(r, 400, "idempotency_key_required")
    assert await _ledger_size(ctx) == before
    # Declines at the ledger are stored (for replay) but move nothing.
    _problem(await send({"amount": "100.01"}), 422, "insufficient_funds")
    async with ctx.app.state.db.sessionmaker() as s:
        assert (await s.execute(text("SELECT count(*) FROM ledger.postings"))).scalar_one() == before[0]


async def test_limits_are_enforced_on_money_sent_out(ctx_factory):
    async with ctx_factory(limit_daily="150.00", limit_monthly="300.00", limit_per_transaction="100.00") as c:
        client = c.client
        alice = await c.user(balance="100.00")
        bob = await c.user()
        tok = c.auth(alice["user_id"], scopes=CLIENT_SCOPES, client_id="c")
        await client.post(
            "/api/v1/wallet/topups",
            headers={**tok, "Idempotency-Key": "t2"},
            json={"amount": "100", "source": {"type": "card", "reference": "x"}},
        )

        async def send(amount):
            return await client.post(
                "/api/v1/transfers",
                headers={**tok, "Idempotency-Key": uuid.uuid4().hex},
                json={"recipient": bob["handle"], "amount": amount},
            )

        _problem(await send("100.01"), 422, "validation_error")  # above the per-transaction maximum
        assert (await send("100.00")).status_code == 201
        _problem(await send("50.01"), 422, "limit_exceeded")
        r = await client.post(
            "/api/v1/wallet/withdrawals",
            headers={**tok, "Idempotency-Key": "w"},
            json={"amount": "50.01", "destination": {"type": "bank", "reference": "b"}},
        )
        _problem(r, 422, "limit_exceeded")
        assert (await send("50.00")).status_code == 201
        w = (await client.get("/api/v1/wallet", headers=tok)).json()
        assert w["limits"]["daily_remaining"] == "0.00" and w["limits"]["monthly_remaining"] == "150.00"


# `from`/`to` are ISO text within the calendar: digits are not Unix timestamps (`to=0.5` is not
# 1970-01-01T00:00:00.5Z, `from=20261125` not 1970-08-23) and `to=9999-12-31` is a 422, not a 500.
@pytest.mark.parametrize(
    "params",
    [
        {"to": "0.5"},
        {"to": "0"},
        {"from": "20261125"},
        {"from": "1764028800"},
        {"to": "9999-12-31"},
        {"to": "9999-12-31T23:59:59-14:00"},
        {"from": "0001-01-01T00:00:00+14:00"},
        {"to": "2026-13-01"},
    ],
    ids=repr,
)
async def test_history_dates_are_iso_text_in_range(ctx, params):
    alice = await ctx.user(balance="100.00")
    r = await ctx.client.get("/api/v1/transactions", headers=ctx.auth(alice["user_id"]), params=params)
    _problem(r, 422, "validation_error")
    assert [e["field"] for e in r.json()["errors"]] == list(params)


async def test_history_accepts_dates_and_rfc3339_timestamps(ctx):
    alice = await ctx.user(balance="100.00")
    h = ctx.auth(alice["user_id"])
    for params in (
        {"from": "2000-01-01", "to": "9998-12-31"},
        {"from": "2000-01-01T00:00:00Z"},
        {"from": "2000-01-01T02:00:00+02:00", "to": "9998-12-31T23:59:59.5-14:00"},
    ):
        r = await ctx.client.get("/api/v1/transactions", headers=h, params=params)
        assert r.status_code == 200, (params, r.text)
        assert [i["amount"] for i in r.json()["items"]] == ["100.00"], params


UNSTORABLE = {"nul": "a\u0000b", "surrogate": "\ud800", "escape": "a\u001bb"}


@pytest.mark.parametrize("bad", list(UNSTORABLE), ids=str)
async def test_text_fields_refuse_what_cannot_be_stored_and_write_nothing(ctx, bad):
    """Free text the idempotency hash or PostgreSQL cannot take (a lone surrogate, NUL) is a 422
    in every field of every route, and nothing is written."""
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    admin = ctx.auth(alice["user_id"], roles=["admin"])
    value = UNSTORABLE[bad]
    cases = [
        (
            "/api/v1/transfers",
            {"recipient": bob["handle"], "amount": "1.00", "pin": PIN, "note": "n"},
            ("recipient", "currency", "note", "pin"),
        ),
        (
            "/api/v1/wallet/topups",
            {"amount": "1.00", "source": {"type": "card", "reference": "c"}},
            ("currency", "source.reference"),
        ),
        (
            "/api/v1/wallet/withdrawals",
            {"amount": "1.00", "destination": {"type": "bank", "reference": "b"}, "pin": PIN},
            ("currency", "destination.reference", "pin"),
        ),
        (
            "/api/v1/payment-requests",
            {"payer": bob["handle"], "amount": "1.00", "note": "n"},
            ("payer", "currency", "note"),
        ),
        (f"/api/v1/admin/wallets/{bob['user_id']}/freeze", {"reason": "r"}, ("reason",)),
    ]
    before = await _ledger_size(ctx)
    for path, base, fields in cases:
        for field in fields:
            body = json.loads(json.dumps(base))
            target, _, leaf = field.rpartition(".")
            (body[target] if target else body)[leaf] = value
            who = admin if "admin" in path else ctx.auth(alice["user_id"])
            headers = {**who, "Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"}
            r = await ctx.client.post(path, headers=headers, content=json.dumps(body).encode())
            _problem(r, 422, "validation_error")
            assert [e["field"] for e in r.json()["errors"]] == [field], (path, r.json())
    assert await _ledger_size(ctx) == before
    wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(bob["user_id"]))).json()
    assert wallet["status"] == "active"


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/v1/transactions", "p:2026-11-25T09:57:25+00:00|99999999999999999999"),
        ("/api/v1/transactions", "p:9999-12-31T23:59:59-14:00|1"),
        ("/api/v1/transactions", "p:0001-01-01T00:00:00+14:00|1"),
        ("/api/v1/transactions", "p:2026-11-25T09:57:25+00:00|\u00b2"),
        ("/api/v1/payment-requests", "9999-12-31T23:59:59-14:00|c1e4c38f-97f3-4638-845f-9332f3f53455"),
        ("/api/v1/payment-requests", "0001-01-01T00:00:00+14:00|c1e4c38f-97f3-4638-845f-9332f3f53455"),
        ("/api/v1/payment-requests", "2026-11-25T09:56:36|c1e4c38f-97f3-4638-845f-9332f3f53455"),
    ],
    ids=repr,
)
async def test_crafted_cursors_are_validation_errors(ctx, path, raw):
    """Cursors are not signed: a crafted one with a position beyond bigint or a timestamp whose UTC
    form leaves the calendar is a 422 on `cursor`, never a database error."""
    alice = await ctx.user(balance="100.00")
    r = await ctx.client.get(path, headers=ctx.auth(alice["user_id"]), params={"cursor": _cursor(raw)})
    _problem(r, 422, "validation_error")
    assert [e["field"] for e in r.json()["errors"]] == ["cursor"]


async def test_cursors_the_api_wrote_still_page(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    h = ctx.auth(alice["user_id"])
    for amount in ("1.00", "2.00"):
        r = await ctx.client.post(
            "/api/v1/payment-requests", headers=h, json={"payer": bob["handle"], "amount": amount}
        )
        assert r.status_code == 201, r.text
    await ctx.client.post(
        "/api/v1/wallet/topups",
        headers={**h, "Idempotency-Key": uuid.uuid4().hex},
        json={"amount": "5.00", "source": {"type": "card", "reference": "c"}},
    )
    for path, want in (("/api/v1/transactions", ["5.00", "100.00"]), ("/api/v1/payment-requests", ["2.00", "1.00"])):
        first = (await ctx.client.get(path, headers=h, params={"limit": 1})).json()
        second = (await ctx.client.get(path, headers=h, params={"limit": 1, "cursor": first["next_cursor"]})).json()
        assert [first["items"][0]["amount"], second["items"][0]["amount"]] == want, path
