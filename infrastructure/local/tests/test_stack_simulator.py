"""The provider simulator in the stack: started and migrated like a service, reachable with the
credentials the transaction service is given, sending its callbacks to the gateway's intake."""

import uuid

import httpx

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
