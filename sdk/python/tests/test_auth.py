"""instapay_sdk.connect / ClientCredentials against the real stack: an API client's token is
fetched on the first call, reused, replaced before it expires, and a revoked client fails with a
clear TokenError rather than a bare 401."""

from __future__ import annotations

import time

import httpx
import pytest

from instapay_sdk import Client, ClientCredentials, TokenError, connect
from instapay_sdk.generated.api.wallet import get_wallet_api_v1_wallet_get as get_wallet
from instapay_sdk.generated.models import Problem, Wallet
from instapay_stack.e2e import TestUser, create_api_client, register_user
from instapay_stack.stack import Stack


class Clock:
    """The auth flow's clock, moved by the test instead of waiting 15 minutes."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def owner(stack: Stack) -> TestUser:
    return register_user(stack.gateway_url)


@pytest.fixture(scope="module")
def api_client(stack: Stack, owner: TestUser) -> dict[str, str]:
    return create_api_client(stack.gateway_url, owner, ["wallet:read"], name="sdk test")


def _wallet(client: Client) -> Wallet:
    wallet = get_wallet.sync(client=client)
    assert isinstance(wallet, Wallet), wallet
    return wallet


def test_connect_reads_the_users_wallet_with_a_client_token(stack: Stack, owner: TestUser, api_client) -> None:
    client = connect(stack.gateway_url, api_client["client_id"], api_client["client_secret"])
    wallet = _wallet(client)
    assert wallet.balance == "0.00"
    assert wallet.currency == "EGP"


def test_the_token_is_reused_then_replaced_before_it_expires(stack: Stack, api_client) -> None:
    clock = Clock()
    auth = ClientCredentials(stack.gateway_url, api_client["client_id"], api_client["client_secret"], clock=clock)
    client = Client(base_url=stack.gateway_url, httpx_args={"auth": auth})
    _wallet(client)
    first = auth.token
    assert first is not None
    clock.now += 60  # well within the token's 15 minutes
    _wallet(client)
    assert auth.token == first
    clock.now += 14 * 60 + 1  # less than a minute left: replaced before the request goes
    _wallet(client)
    assert auth.token not in (None, first)


async def test_the_async_client_uses_the_same_flow(stack: Stack, api_client) -> None:
    client = connect(stack.gateway_url, api_client["client_id"], api_client["client_secret"])
    wallet = await get_wallet.asyncio(client=client)
    assert isinstance(wallet, Wallet)


def test_a_wrong_secret_is_a_token_error(stack: Stack, api_client) -> None:
    client = connect(stack.gateway_url, api_client["client_id"], "not-the-secret")
    with pytest.raises(TokenError) as caught:
        get_wallet.sync(client=client)
    assert caught.value.status_code == 401
    assert caught.value.problem["code"] == "invalid_client"


def test_a_client_revoked_by_a_password_change_is_a_token_error(stack: Stack) -> None:
    user = register_user(stack.gateway_url)
    created = create_api_client(stack.gateway_url, user, ["wallet:read"])
    client = connect(stack.gateway_url, created["client_id"], created["client_secret"])
    _wallet(client)
    changed = httpx.post(
        stack.gateway_url + "/api/v1/auth/password",
        json={"current_password": user.password, "new_password": user.password + "-n3w!"},
        headers=user.auth_headers(),
        timeout=20,
    )
    assert changed.status_code == 204, changed.text
    # The contract refuses a revoked session's access tokens within 5 s; until then the old token
    # still reads. Once refused, the flow asks for a new token and the client's revocation shows.
    deadline = time.monotonic() + 10
    while True:
        try:
            answer = get_wallet.sync(client=client)
        except TokenError as exc:
            assert exc.problem["code"] == "invalid_client"
            break
        assert isinstance(answer, Wallet | Problem)
        assert time.monotonic() < deadline, "the revoked client's token was still accepted after 10 s"
        time.sleep(0.2)
