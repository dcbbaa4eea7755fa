"""The sandbox's SMS gateway: POST /v1/sms with the SMS key (what the notification service's HTTP
adapter sends), read back with GET /_sim/sms (control token)."""

from __future__ import annotations

import secrets

import aiohttp
import pytest

from notification_service.channels import ChannelError
from notification_service.channels.sms import HttpSmsProvider

SMS_KEY = "test-simulator-sms-api-key"


@pytest.fixture
async def sms_sim(sim_factory):
    async with sim_factory(simulator_sms_api_key=SMS_KEY) as s:
        yield s


def _sms_headers(key: str = SMS_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def _inbox(sim, to: str | None = None) -> list[dict]:
    r = await sim.client.get("/_sim/sms", params={"to": to} if to else None, headers=sim.running.control_headers())
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_notification_services_http_adapter_delivers_into_the_inbox(sms_sim):
    async with aiohttp.ClientSession() as session:
        adapter = HttpSmsProvider(session, sms_sim.running.url + "/v1/sms", SMS_KEY, "InstaPay")
        await adapter.send(to="+201000000001", text="Your code is 123456")
        await adapter.send(to="+201000000002", text="someone else's")
        await adapter.send(to="+201000000001", text="second")

    mine = await _inbox(sms_sim, "+201000000001")
    assert [(m["to"], m["from"], m["text"]) for m in mine] == [
        ("+201000000001", "InstaPay", "Your code is 123456"),
        ("+201000000001", "InstaPay", "second"),
    ]
    assert all(m["id"].startswith("sms_") and m["status"] == "accepted" for m in mine)
    assert len({m["id"] for m in await _inbox(sms_sim)}) >= 3


async def test_a_wrong_key_is_refused_and_nothing_is_kept(sms_sim):
    body = {"to": "+201000000003", "from": "InstaPay", "text": "hello"}
    for headers in ({}, _sms_headers("wrong"), sms_sim.running.api_headers(), sms_sim.running.control_headers()):
        r = await sms_sim.client.post("/v1/sms", json=body, headers=headers)
        assert r.status_code == 401, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    async with aiohttp.ClientSession() as session:
        adapter = HttpSmsProvider(session, sms_sim.running.url + "/v1/sms", "wrong", "InstaPay")
        with pytest.raises(ChannelError):
            await adapter.send(to="+201000000003", text="hello")
    assert await _inbox(sms_sim, "+201000000003") == []


async def test_the_inbox_needs_the_control_token(sms_sim):
    for headers in ({}, _sms_headers(), sms_sim.running.api_headers()):
        r = await sms_sim.client.get("/_sim/sms", headers=headers)
        assert r.status_code == 401, r.text


@pytest.mark.parametrize(
    "body",
    [
        {"to": "+201000000004", "text": "x", "colour": "red"},
        {"to": "", "text": "x"},
        {"to": "+201000000004", "text": ""},
        {"to": "+201000000004", "text": "x" * 1601},
        {"text": "x"},
    ],
)
async def test_bad_bodies_answer_422(sms_sim, body):
    r = await sms_sim.client.post("/v1/sms", json=body, headers=_sms_headers())
    assert r.status_code == 422, r.text
    assert await _inbox(sms_sim, "+201000000004") == []


async def test_the_providers_down_fault_does_not_stop_text_messages(sms_sim):
    assert (await sms_sim.faults(down=True)).status_code == 200
    r = await sms_sim.client.post("/v1/sms", json={"to": "+201000000005", "text": "hi"}, headers=_sms_headers())
    assert r.status_code == 202, r.text
    assert [m["text"] for m in await _inbox(sms_sim, "+201000000005")] == ["hi"]


async def test_the_inbox_keeps_the_newest_messages_only(sim_factory):
    async with sim_factory(simulator_sms_api_key=SMS_KEY, simulator_sms_inbox_size=3) as sim:
        for n in range(5):
            r = await sim.client.post("/v1/sms", json={"to": "+201000000006", "text": f"m{n}"}, headers=_sms_headers())
            assert r.status_code == 202, r.text
        assert [m["text"] for m in await _inbox(sim, "+201000000006")] == ["m2", "m3", "m4"]


def test_outside_development_a_set_sms_key_must_be_a_real_secret():
    from pydantic import ValidationError

    from provider_simulator.config import SimulatorSettings

    real = {name: "r" * 48 for name in ("simulator_api_key", "simulator_webhook_secret", "simulator_control_token")}
    with pytest.raises(ValidationError, match="SIMULATOR_SMS_API_KEY must be at least"):
        SimulatorSettings(environment="production", simulator_sms_api_key="short", **real)
    # Unset: the SMS gateway is off (staging runs the simulator as its payment provider only).
    assert SimulatorSettings(environment="staging", **real).simulator_sms_api_key.get_secret_value() == ""
    random_key = secrets.token_urlsafe(36)
    assert SimulatorSettings(environment="production", simulator_sms_api_key=random_key, **real).is_production_like


async def test_without_a_key_the_sms_gateway_is_off(sim):
    # "Bearer" with no token: what an empty key would match if it were compared at all.
    for headers in ({}, {"Authorization": "Bearer"}, sim.running.api_headers()):
        r = await sim.client.post("/v1/sms", json={"to": "+201000000007", "text": "hi"}, headers=headers)
        assert r.status_code == 401, r.text
        assert "off" in r.json()["detail"]
    assert await _inbox(sim, "+201000000007") == []
