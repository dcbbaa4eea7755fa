"""The provider simulator in the stack: started and migrated like a service, reachable with the
credentials the transaction service is given, sending its callbacks to the gateway's intake."""

import time
import uuid
from decimal import Decimal

import httpx

from instapay_stack.e2e import register_user
from instapay_stack.services import SIMULATOR, SIMULATOR_WEBHOOK_PATH


def test_the_simulator_runs_with_the_credentials_the_transaction_service_has(stack):
    env = stack.env
    url = stack.url_of(SIMULATOR.name)
    assert httpx.get(url + "/readyz", timeout=5).status_code == 200
    assert env["FUNDING_PROVIDER"] == "simulator" and env["FUNDING_PROVIDER_URL"] == url
    assert env["SIMULATOR_WEBHOOK_URL"] == stack.gateway_url + SIMULATOR_WEBHOOK_PATH
    assert env["FUNDING_WEBHOOK_SECRETS"] == env["SIMULATOR_WEBHOOK_SECRET"]

    key = str(uuid.uuid4())
    body = {"amount": "1.00", "currency": "EGP", "source": {"type": "card", "reference": "tok"}, "metadata": {}}
    headers = {"Authorization": f"Bearer {env['FUNDING_API_KEY']}", "Idempotency-Key": key}
    r = httpx.post(url + "/v1/charges", json=body, headers=headers, timeout=5)
    assert r.status_code == 200 and r.json()["status"] == "succeeded", r.text
    control = {"Authorization": f"Bearer {env['SIMULATOR_CONTROL_TOKEN']}"}
    charges = httpx.get(url + "/_sim/charges", headers=control, timeout=5).json()
    assert [c["id"] for c in charges if c["idempotency_key"] == key] == [r.json()["id"]]
    assert (
        httpx.get(url + "/_sim/faults", headers={"Authorization": headers["Authorization"]}, timeout=5).status_code
        == 401
    )


def test_top_ups_go_through_the_simulator_and_its_callback_comes_back_through_the_gateway(stack):
    user = register_user(stack.gateway_url)
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as gw:

        def topup(method: str, amount: str) -> httpx.Response:
            return gw.post(
                "/api/v1/wallet/topups",
                headers=user.auth_headers(**{"Idempotency-Key": str(uuid.uuid4())}),
                json={"amount": amount, "source": {"type": method, "reference": f"{method}-4242"}},
            )

        card = topup("card", "40.00")
        assert card.status_code == 201 and card.json()["status"] == "completed", card.text
        bank = topup("bank", "60.00")
        assert bank.status_code == 202 and bank.json()["status"] == "pending", bank.text
        # The simulator confirms the bank debit and signs a callback to the gateway's intake.
        deadline = time.monotonic() + 30
        while Decimal(gw.get("/api/v1/wallet", headers=user.auth_headers()).json()["balance"]) != Decimal("100.00"):
            assert time.monotonic() < deadline, "the bank top-up was never confirmed"
            time.sleep(0.1)
