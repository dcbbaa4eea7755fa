"""HttpFundingProvider against the real provider simulator (served on a free port), and against
a stand-in that answers malformed things: every answer is checked before it is believed."""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import orjson
import pytest
from aiohttp import web

from instapay_common.security.callback_signature import sign
from instapay_common.web.http_client import new_session
from instapay_stack.testing import RunningSimulator, running_simulator, start_fake
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import FundingProviderError, InvalidCallback, InvalidSignature
from transaction_service.funding.http_provider import HttpFundingProvider
from transaction_service.funding.in_process import InProcessFundingProvider
from transaction_service.funding.provider import ProviderCharge, ProviderPayout
from transaction_service.main import funding_provider


@dataclass
class Hook:
    """A real HTTP endpoint standing in for the callback intake: keeps what the simulator posts."""

    url: str = ""
    posts: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def for_operation(self, operation_id: uuid.UUID) -> list[tuple[dict[str, str], bytes]]:
        key = str(operation_id)
        return [(h, b) for h, b in self.posts if orjson.loads(b)["data"]["idempotency_key"] == key]

    async def wait_for(self, operation_id: uuid.UUID, count: int = 1) -> list[tuple[dict[str, str], bytes]]:
        deadline = time.monotonic() + 8
        while len(self.for_operation(operation_id)) < count:
            assert time.monotonic() < deadline, "no callback arrived"
            await asyncio.sleep(0.02)
        return self.for_operation(operation_id)


@dataclass
class Env:
    sim: RunningSimulator
    provider: HttpFundingProvider
    hook: Hook

    async def faults(self, **values: object) -> None:
        async with self.provider._session.post(
            self.sim.url + "/_sim/faults", json=values, headers=self.sim.control_headers()
        ) as r:
            assert r.status == 200


def _provider(session, sim: RunningSimulator, **overrides) -> HttpFundingProvider:
    values = {
        "name": "simulator",
        "base_url": sim.url,
        "api_key": sim.settings.simulator_api_key.get_secret_value(),
        "webhook_secrets": [sim.settings.simulator_webhook_secret.get_secret_value().encode()],
        "timeout_seconds": 2.0,
        **overrides,
    }
    return HttpFundingProvider(session, **values)


@pytest.fixture
async def env(database_url: str) -> AsyncIterator[Env]:
    hook = Hook()

    async def intake(request: web.Request) -> web.Response:
        hook.posts.append((dict(request.headers), await request.read()))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/api/v1/funding/webhooks/simulator", intake)
    runner, url = await start_fake(app)
    hook.url = url + "/api/v1/funding/webhooks/simulator"
    session = new_session(timeout_seconds=30)
    try:
        async with running_simulator(database_url, webhook_url=hook.url) as sim:
            yield Env(sim=sim, provider=_provider(session, sim), hook=hook)
    finally:
        await session.close()
        await runner.cleanup()


META = {"user_id": "7c1d3f7e-0000-4000-8000-000000000001", "method": "card"}


async def test_a_card_charge_is_captured_and_its_callback_parses_into_the_event(env):
    op = uuid.uuid4()
    charge = await env.provider.charge(
        operation_id=op,
        source_type="card",
        reference="tok_visa",
        amount=Decimal("150.5"),
        currency="EGP",
        metadata=META,
    )
    assert charge.status == "succeeded" and charge.amount == Decimal("150.50") and charge.provider_id.startswith("ch_")
    assert await env.provider.charge_status(op) == charge
    [(headers, body)] = await env.hook.wait_for(op)
    event = env.provider.parse_callback(headers, body)
    assert (event.type, event.operation_id, event.provider_id) == ("charge.succeeded", op, charge.provider_id)
    assert (event.amount, event.currency, event.reason) == (Decimal("150.50"), "EGP", None)
    assert dict(event.metadata) == META and event.event_id.startswith("evt_")
    assert abs((datetime.now(UTC) - event.created_at).total_seconds()) < 60


async def test_a_bank_charge_is_pending_until_its_callback(env):
    op = uuid.uuid4()
    charge = await env.provider.charge(
        operation_id=op, source_type="bank", reference="iban-1", amount=Decimal("20.00"), currency="EGP", metadata={}
    )
    assert charge.status == "pending"
    [(headers, body)] = await env.hook.wait_for(op)
    assert env.provider.parse_callback(headers, body).type == "charge.succeeded"
    status = await env.provider.charge_status(op)
    assert status is not None and status.status == "succeeded"


async def test_a_declined_charge_is_returned_failed_with_the_reason(env):
    charge = await env.provider.charge(
        operation_id=uuid.uuid4(),
        source_type="card",
        reference="fail-x",
        amount=Decimal("1.00"),
        currency="EGP",
        metadata={},
    )
    assert charge == ProviderCharge(charge.provider_id, "failed", Decimal("1.00"), "card declined by issuer")


async def test_provider_errors_malformed_answers_and_bad_credentials_raise(env, database_url):
    async def charge(reference: str, provider: HttpFundingProvider = env.provider) -> ProviderCharge:
        return await provider.charge(
            operation_id=uuid.uuid4(),
            source_type="card",
            reference=reference,
            amount=Decimal("1.00"),
            currency="EGP",
            metadata={},
        )

    for reference in ("error-1", "invalid-1"):
        with pytest.raises(FundingProviderError):
            await charge(reference)
    with pytest.raises(FundingProviderError):
        await env.provider.payout(
            operation_id=uuid.uuid4(), reference="invalid-x", amount=Decimal("1.00"), currency="EGP", metadata={}
        )
    wrong_key = _provider(env.provider._session, env.sim, api_key="wrong")
    with pytest.raises(FundingProviderError, match="401"):
        await charge("tok", wrong_key)
    nobody = _provider(env.provider._session, env.sim, base_url="http://127.0.0.1:9")
    with pytest.raises(FundingProviderError, match="unreachable"):
        await charge("tok", nobody)
    await env.faults(down=True)
    with pytest.raises(FundingProviderError, match="503"):
        await charge("tok")
    with pytest.raises(FundingProviderError):
        await env.provider.charge_status(uuid.uuid4())
    await env.faults(down=False)


async def test_a_timeout_raises_and_the_charge_is_found_afterwards(env):
    await env.faults(timeout_rate=1.0, timeout_seconds=3)
    quick = _provider(env.provider._session, env.sim, timeout_seconds=0.5)
    op = uuid.uuid4()
    with pytest.raises(FundingProviderError, match="in time"):
        await quick.charge(
            operation_id=op, source_type="card", reference="tok", amount=Decimal("9.99"), currency="EGP", metadata={}
        )
    await env.faults(timeout_rate=0.0)
    found = await env.provider.charge_status(op)
    assert found is not None and found.status == "succeeded"
    # Asking again under the same operation id is the same charge, not a second one.
    again = await env.provider.charge(
        operation_id=op, source_type="card", reference="tok", amount=Decimal("9.99"), currency="EGP", metadata={}
    )
    assert again.provider_id == found.provider_id


async def test_the_same_operation_with_another_request_raises(env):
    op = uuid.uuid4()
    await env.provider.charge(
        operation_id=op, source_type="card", reference="tok", amount=Decimal("5.00"), currency="EGP", metadata={}
    )
    with pytest.raises(FundingProviderError, match="different request"):
        await env.provider.charge(
            operation_id=op, source_type="card", reference="tok", amount=Decimal("6.00"), currency="EGP", metadata={}
        )
    assert await env.provider.charge_status(uuid.uuid4()) is None


async def test_payouts_and_cancel(env):
    op = uuid.uuid4()
    payout = await env.provider.payout(
        operation_id=op, reference="iban-9", amount=Decimal("30.00"), currency="EGP", metadata=META
    )
    assert payout.status == "pending" and payout.provider_id.startswith("po_")
    [(headers, body)] = await env.hook.wait_for(op)
    event = env.provider.parse_callback(headers, body)
    assert (event.type, event.amount, event.provider_id) == ("payout.paid", Decimal("30.00"), payout.provider_id)
    assert await env.provider.cancel_payout(op) == ProviderPayout(payout.provider_id, "paid", Decimal("30.00"))

    refused = uuid.uuid4()
    await env.provider.payout(
        operation_id=refused, reference="fail-acct", amount=Decimal("3.00"), currency="EGP", metadata={}
    )
    [(headers, body)] = await env.hook.wait_for(refused)
    event = env.provider.parse_callback(headers, body)
    assert (event.type, event.reason) == ("payout.failed", "the bank refused the account")

    never_sent = uuid.uuid4()
    canceled = await env.provider.cancel_payout(never_sent)
    assert (canceled.status, canceled.reason, canceled.amount) == ("failed", "canceled", Decimal("0.00"))
    late = await env.provider.payout(
        operation_id=never_sent, reference="iban", amount=Decimal("8.00"), currency="EGP", metadata={}
    )
    assert (late.status, late.reason, late.provider_id) == ("failed", "canceled", canceled.provider_id)


async def test_the_settlement_report(env):
    op = uuid.uuid4()
    charge = await env.provider.charge(
        operation_id=op, source_type="card", reference="tok", amount=Decimal("4.00"), currency="EGP", metadata={}
    )
    items = await env.provider.settlement(datetime.now(UTC).date())
    [item] = [i for i in items if i.operation_id == op]
    assert (item.kind, item.provider_id, item.amount, item.currency) == (
        "charge",
        charge.provider_id,
        Decimal("4.00"),
        "EGP",
    )
    assert item.settled_at.tzinfo is not None


async def test_callbacks_with_a_bad_missing_or_stale_signature_or_a_bad_body_are_refused(env):
    secret = env.sim.settings.simulator_webhook_secret.get_secret_value().encode()
    op = uuid.uuid4()
    await env.provider.charge(
        operation_id=op, source_type="card", reference="tok", amount=Decimal("2.00"), currency="EGP", metadata={}
    )
    [(headers, body)] = await env.hook.wait_for(op)
    assert env.provider.parse_callback(headers, body).operation_id == op

    for bad in (
        {},
        {"Simulator-Signature": sign(b"not-the-secret", body)},
        {"Simulator-Signature": sign(secret, body, timestamp=int(time.time()) - 301)},
        {"Simulator-Signature": "t=abc,v1=00"},
    ):
        with pytest.raises(InvalidSignature):
            env.provider.parse_callback(bad, body)
    with pytest.raises(InvalidSignature):
        env.provider.parse_callback(headers, body.replace(b"2.00", b"200.00"))

    event = orjson.loads(body)
    for broken in (
        b"not json",
        orjson.dumps({**event, "type": "charge.refunded"}),
        orjson.dumps({**event, "data": {**event["data"], "amount": 2.0}}),
        orjson.dumps({**event, "data": {**event["data"], "idempotency_key": "nope"}}),
        orjson.dumps({**event, "data": {**event["data"], "amount": "-2.00"}}),
        orjson.dumps({k: v for k, v in event.items() if k != "data"}),
    ):
        with pytest.raises(InvalidCallback):
            env.provider.parse_callback({"Simulator-Signature": sign(secret, broken)}, broken)


async def test_a_rotated_secret_still_verifies_with_the_old_one_listed(env):
    op = uuid.uuid4()
    await env.provider.charge(
        operation_id=op, source_type="card", reference="tok", amount=Decimal("2.00"), currency="EGP", metadata={}
    )
    [(headers, body)] = await env.hook.wait_for(op)
    current = env.sim.settings.simulator_webhook_secret.get_secret_value().encode()
    rotating = _provider(env.provider._session, env.sim, webhook_secrets=[b"the-next-secret", current])
    assert rotating.parse_callback(headers, body).operation_id == op
    retired = _provider(env.provider._session, env.sim, webhook_secrets=[b"the-next-secret"])
    with pytest.raises(InvalidSignature):
        retired.parse_callback(headers, body)


async def test_answers_that_do_not_fit_are_refused():
    """A stand-in provider answering 200 with bodies no client should believe."""
    op = uuid.uuid4()
    good = {
        "id": "ch_1",
        "object": "charge",
        "status": "succeeded",
        "amount": "5.00",
        "currency": "EGP",
        "idempotency_key": str(op),
        "failure_reason": None,
    }
    answers = [
        (200, orjson.dumps({**good, "amount": 5.0})),  # a number, not text
        (200, orjson.dumps({**good, "amount": "6.00"})),  # another amount than asked
        (200, orjson.dumps({**good, "idempotency_key": str(uuid.uuid4())})),  # another operation
        (200, orjson.dumps({**good, "status": "approved"})),
        (200, orjson.dumps({**good, "status": "pending"})),  # a card capture left pending
        (200, orjson.dumps({**good, "status": "failed"})),  # a failure without a reason
        (200, orjson.dumps({**good, "object": "payout"})),
        (200, b"<html>ok</html>"),
        (201, orjson.dumps(good)),
        (500, orjson.dumps(good)),
        (400, b"{}"),
    ]
    served: list[int] = []

    async def handler(_request: web.Request) -> web.Response:
        status, body = answers[len(served)]
        served.append(status)
        return web.Response(status=status, body=body, content_type="application/json")

    app = web.Application()
    app.router.add_post("/v1/charges", handler)
    runner, url = await start_fake(app)
    session = new_session(timeout_seconds=5)
    provider = HttpFundingProvider(
        session, name="http", base_url=url, api_key="k", webhook_secrets=[b"s"], timeout_seconds=2
    )
    try:
        for _ in answers:
            with pytest.raises(FundingProviderError):
                await provider.charge(
                    operation_id=op,
                    source_type="card",
                    reference="tok",
                    amount=Decimal("5.00"),
                    currency="EGP",
                    metadata={},
                )
        assert len(served) == len(answers)
    finally:
        await session.close()
        await runner.cleanup()


async def test_the_settings_build_the_adapter_and_require_its_credentials():
    session = new_session(timeout_seconds=5)
    try:
        settings = TransactionSettings(
            funding_provider="simulator",
            funding_provider_url="http://sim.example:8010/",
            funding_api_key="k",
            funding_webhook_secrets="old-secret, new-secret",
            funding_timeout_seconds=1.5,
            environment="test",
        )
        assert [s.get_secret_value() for s in settings.funding_webhook_secrets] == ["old-secret", "new-secret"]
        built = funding_provider(settings, session)
        assert isinstance(built, HttpFundingProvider) and built.name == "simulator"
        assert isinstance(funding_provider(TransactionSettings(environment="test"), session), InProcessFundingProvider)
        real = TransactionSettings(
            environment="production",
            **{f"internal_secret_{c}": secrets.token_urlsafe(36) for c in TransactionSettings.internal_peers},
            internal_secret_transaction=secrets.token_urlsafe(36),
            payment_link_secrets=secrets.token_urlsafe(36),
            funding_provider="http",
            funding_api_key="k",
            funding_webhook_secrets="a",
        )
        assert funding_provider(real, session).name == "http"
        with pytest.raises(ValueError, match="FUNDING_API_KEY"):
            TransactionSettings(funding_provider="http", funding_webhook_secrets="a")
        with pytest.raises(ValueError, match="FUNDING_WEBHOOK_SECRETS"):
            TransactionSettings(funding_provider="http", funding_api_key="k")
    finally:
        await session.close()
