"""A third party on the Python SDK (sdk/python, instapay_sdk), end to end through the gateway: the
user makes an API client (password, and the PIN for a money scope); the third party gets its token
with the SDK, registers a webhook endpoint, sends money with an Idempotency-Key (a retry moves it
once), and receives the signed `transfer.sent` on its own receiver and verifies it with the SDK.

The notification service refuses loopback webhook URLs outside ENVIRONMENT=development (contract
"Webhooks"; no setting relaxes that on purpose), and the shared proof stack runs as `test`: this
module starts its own stack in development mode, as `make up` runs it, so the receiver can be on
127.0.0.1."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from aiohttp import web

from instapay_sdk import TokenError, connect, verify
from instapay_sdk.generated.api.transfers import create_transfer_api_v1_transfers_post as create_transfer
from instapay_sdk.generated.api.wallet import get_wallet_api_v1_wallet_get as get_wallet
from instapay_sdk.generated.api.webhooks import create_endpoint_api_v1_webhooks_endpoints_post as create_endpoint
from instapay_sdk.generated.models import (
    EndpointCreate,
    EndpointCreateEventsItem,
    Problem,
    Transfer,
    TransferIn,
    TransferSentWebhook,
    Wallet,
    WebhookEndpointWithSecret,
)
from instapay_stack.e2e import DEFAULT_PIN, TestUser, register_user_async
from instapay_stack.stack import Stack
from instapay_stack.testing import StackFactory, start_fake

WEBHOOK_WITHIN_SECONDS = 60.0


@pytest.fixture(scope="module")
def dev_stack(stack_factory: StackFactory) -> Stack:
    return stack_factory(extra_env={"ENVIRONMENT": "development"})


class Receiver:
    """The third party's webhook receiver: keeps each request's raw body and headers, answers 204."""

    def __init__(self) -> None:
        self.received: asyncio.Queue[tuple[bytes, dict[str, str]]] = asyncio.Queue()

    async def handle(self, request: web.Request) -> web.Response:
        await self.received.put((await request.read(), dict(request.headers)))
        return web.Response(status=204)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    hooks = Receiver()
    app = web.Application()
    app.router.add_post("/instapay/webhooks", hooks.handle)
    runner, url = await start_fake(app)
    try:
        yield hooks, url + "/instapay/webhooks"
    finally:
        await runner.cleanup()


async def _funded(gateway: str, user: TestUser, amount: str) -> None:
    """A card top-up by the user (the first party), then until the wallet shows it."""
    async with httpx.AsyncClient(base_url=gateway, timeout=20) as c:
        resp = await c.post(
            "/api/v1/wallet/topups",
            json={"amount": amount, "source": {"type": "card", "reference": "card-ok"}},
            headers=user.auth_headers(**{"Idempotency-Key": str(uuid.uuid4())}),
        )
        assert resp.status_code in (201, 202), resp.text
        for _ in range(300):
            if Decimal((await c.get("/api/v1/wallet", headers=user.auth_headers())).json()["balance"]) == Decimal(
                amount
            ):
                return
            await asyncio.sleep(0.2)
    raise AssertionError(f"the {amount} top-up never reached the wallet")


async def _new_api_client(gateway: str, user: TestUser, scopes: list[str]) -> dict[str, str]:
    """What the user does in the web app: names the client, picks scopes, confirms with the
    password, and with the PIN because `transfers:write` moves money (contract "API clients")."""
    body = {"name": "Shop integration", "scopes": scopes, "password": user.password, "pin": DEFAULT_PIN}
    async with httpx.AsyncClient(base_url=gateway, timeout=20) as c:
        resp = await c.post("/api/v1/auth/clients", json=body, headers=user.auth_headers())
    assert resp.status_code == 201, resp.text
    return resp.json()


async def test_a_third_party_pays_and_verifies_the_webhook_with_the_sdk(dev_stack: Stack, receiver) -> None:
    hooks, hook_url = receiver
    gateway = dev_stack.gateway_url
    shop, customer = await register_user_async(gateway), await register_user_async(gateway)
    await _funded(gateway, shop, "100.00")
    credentials = await _new_api_client(gateway, shop, ["transfers:write", "transactions:read", "wallet:read"])

    # The third party from here on: only the SDK and the client's id and secret.
    api = connect(gateway, credentials["client_id"], credentials["client_secret"])
    endpoint = await create_endpoint.asyncio(
        client=api, body=EndpointCreate(url=hook_url, events=[EndpointCreateEventsItem.TRANSFER_SENT])
    )
    assert isinstance(endpoint, WebhookEndpointWithSecret), endpoint
    assert endpoint.secret.startswith("whsec_")

    key = str(uuid.uuid4())
    order = TransferIn(recipient=customer.handle, amount="25.00", note="order 1042 refund")
    sent = await create_transfer.asyncio(client=api, body=order, idempotency_key=key)
    assert isinstance(sent, Transfer), sent
    assert (sent.amount, sent.status) == ("25.00", "completed")
    # A retry after a lost answer: the same transfer, the money moved once.
    again = await create_transfer.asyncio(client=api, body=order, idempotency_key=key)
    assert isinstance(again, Transfer) and again.id == sent.id
    wallet = await get_wallet.asyncio(client=api)
    assert isinstance(wallet, Wallet) and wallet.balance == "75.00"

    body, headers = await asyncio.wait_for(hooks.received.get(), WEBHOOK_WITHIN_SECONDS)
    event = verify(body, headers, endpoint.secret)
    assert isinstance(event, TransferSentWebhook)
    assert event.data.transfer_id == sent.id
    assert event.data.amount == "25.00"
    assert event.data.balance_after == "75.00"
    assert event.data.counterparty.handle == customer.handle
    assert headers["webhook-id"].startswith("msg_")


async def test_a_problem_comes_back_typed_and_bad_credentials_as_a_token_error(dev_stack: Stack) -> None:
    gateway = dev_stack.gateway_url
    payer = await register_user_async(gateway)
    credentials = await _new_api_client(gateway, payer, ["transfers:write"])
    api = connect(gateway, credentials["client_id"], credentials["client_secret"])
    # A handle nobody has: the contract's problem+json, parsed into the generated Problem model.
    refused = await create_transfer.asyncio(
        client=api, body=TransferIn(recipient=payer.handle + "x", amount="5.00"), idempotency_key=str(uuid.uuid4())
    )
    assert isinstance(refused, Problem), refused
    assert (refused.status, refused.code) == (404, "recipient_not_found")
    wrong = connect(gateway, credentials["client_id"], "not-the-secret")
    with pytest.raises(TokenError) as caught:
        await get_wallet.asyncio(client=wrong)
    assert caught.value.problem["code"] == "invalid_client"
