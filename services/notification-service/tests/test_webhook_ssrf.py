"""No SSRF: in production mode webhook URLs must be https on public addresses, refused at
registration (422 webhook_url_not_allowed) and again for every address a name resolves to at
connect time, so a name that was public when registered and resolves to loopback when the
message is sent (DNS rebinding) is never connected to. Names resolve through a test resolver
(offline); the service's own resolution is the same code with the system lookup."""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest

from instapay_stack.tokens import TestIssuer
from notification_service.webhooks.addresses import AddressRefused, check_address

STRONG = {f"internal_secret_{c}": secrets.token_urlsafe(36) for c in ("notification", "relay", "auth")}
RELAY = {"X-Internal-Caller": "relay", "X-Internal-Token": STRONG["internal_secret_relay"]}
PUBLIC_IP = "93.184.216.34"


class Names:
    """A resolver of the test's own: name -> addresses, changeable while the service runs."""

    def __init__(self) -> None:
        self.table: dict[str, list[str]] = {"localhost": ["127.0.0.1", "::1"]}
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"{host}: name not known")
        return self.table[host]


@pytest.fixture
async def production(serve_app, make_settings) -> AsyncIterator[tuple[Any, Names]]:
    settings = make_settings(
        environment="production",
        webhook_timeout_seconds=0.5,
        webhook_retry_scale=0.00005,
        webhook_poll_seconds=0.05,
        **STRONG,
    )
    names = Names()
    async with serve_app(settings, TestIssuer()) as svc:
        svc.app.state.webhook_sender.lookup.lookup = names
        yield svc, names


async def register(svc, user_id: str, url: str) -> Any:
    return await svc.client.post(
        "/api/v1/webhooks/endpoints", json={"url": url, "events": ["transfer.sent"]}, headers=svc.auth(user_id)
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://127.1.2.3/hook",
        "https://10.0.0.1/hook",
        "https://172.16.5.4/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:169.254.169.254]/hook",
        "https://[fc00::1]/hook",
        "https://[fe80::1]/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "http://localhost:8080/hook",
        "http://hooks.partner.example/hook",  # not https
        "https://user:pass@hooks.partner.example/hook",
        "https://intranet/hook",
        "ftp://hooks.partner.example/hook",
    ],
)
async def test_registration_refuses_non_public_destinations(production, users, url):
    svc, _names = production
    r = await register(svc, users.add("alice")["user_id"], url)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "webhook_url_not_allowed"


async def test_registration_refuses_a_name_that_resolves_to_loopback(production, users):
    svc, names = production
    names.table["internal.partner.example"] = ["127.0.0.1"]
    names.table["mixed.partner.example"] = [PUBLIC_IP, "10.1.2.3"]
    alice = users.add("alice")["user_id"]
    for url in ("https://internal.partner.example/hook", "https://mixed.partner.example/hook"):
        r = await register(svc, alice, url)
        assert (r.status_code, r.json()["code"]) == (422, "webhook_url_not_allowed")
    names.table["hooks.partner.example"] = [PUBLIC_IP]
    assert (await register(svc, alice, "https://hooks.partner.example/hook")).status_code == 201
    # A change of URL is checked the same way.
    [endpoint] = (await svc.client.get("/api/v1/webhooks/endpoints", headers=svc.auth(alice))).json()["items"]
    r = await svc.client.patch(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}",
        json={"url": "https://169.254.169.254/"},
        headers=svc.auth(alice),
    )
    assert (r.status_code, r.json()["code"]) == (422, "webhook_url_not_allowed")


async def test_a_name_rebound_to_loopback_after_registration_is_not_connected_to(production, users, ev):
    svc, names = production
    connections: list[object] = []

    async def count(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer.get_extra_info("peername"))
        writer.close()

    listener = await asyncio.start_server(count, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        alice, bob = users.add("alice"), users.add("bob")
        names.table["hooks.partner.example"] = [PUBLIC_IP]
        r = await register(svc, alice["user_id"], f"https://hooks.partner.example:{port}/hook")
        assert r.status_code == 201, r.text
        endpoint = r.json()

        names.table["hooks.partner.example"] = ["127.0.0.1"]  # the attacker's DNS answer changes
        assert (
            await svc.client.post("/internal/events", json=ev.transfer(alice, bob), headers=RELAY)
        ).status_code == 204

        deadline = asyncio.get_running_loop().time() + 20
        while True:
            page = await svc.client.get(
                f"/api/v1/webhooks/endpoints/{endpoint['id']}/deliveries", headers=svc.auth(alice["user_id"])
            )
            [delivery] = page.json()["items"]
            if len(delivery["attempts"]) >= 2:
                break
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)
        assert all(a["status_code"] is None for a in delivery["attempts"])
        assert all("destination not allowed" in a["error"] for a in delivery["attempts"])
        assert connections == []
        assert "hooks.partner.example" in names.asked
    finally:
        listener.close()
        await listener.wait_closed()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "fe80::1",
        "fc00::1",
        "100.64.0.1",
        "0.0.0.0",
        "::",
        "255.255.255.255",
        "2002:7f00:1::1",
        "64:ff9b::a00:1",
    ],
)
def test_connect_time_check_refuses_every_non_public_form(address):
    with pytest.raises(AddressRefused):
        check_address(ipaddress.ip_address(address), allow_local=False)


def test_public_addresses_pass_and_development_allows_only_loopback():
    check_address(ipaddress.ip_address(PUBLIC_IP), allow_local=False)
    check_address(ipaddress.ip_address("2606:4700::1111"), allow_local=False)
    check_address(ipaddress.ip_address("127.0.0.1"), allow_local=True)
    with pytest.raises(AddressRefused):
        check_address(ipaddress.ip_address("10.0.0.1"), allow_local=True)
