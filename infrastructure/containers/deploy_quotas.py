"""Per-address quotas through Caddy, with two real client addresses (two network namespaces,
client_netns): the gateway counts each client under its own address, which it learns from Caddy's
X-Forwarded-For (Caddy's network is its one trusted proxy range), never from what a client sends.

- 30 sign-ins a minute per address (`ip-auth`): A is refused with 429 after its 30th (its 31st, or
  a few later: see below) while B, at the same moment, still signs in (200) and gets 401 for a
  wrong password; A's X-Forwarded-For, a fresh forged address on every request, buys no new quota.
- The auth service records each session under the real address of its client (A, B), not the one
  the client claimed.
"""

from __future__ import annotations

import secrets

import podman_stack as ps
from client_netns import Answer, NetnsClient, netns_clients
from deploy_client import Edge, expect, sign_up

IP_AUTH_LIMIT = 30  # the gateway's default `ip-auth` policy (api_gateway/guard/rate_policies.py)
LOGIN = "/api/v1/auth/login"


def _sign_in(client: NetnsClient, edge: Edge, username: str, password: str, forged: str) -> Answer:
    return client.request(
        "POST",
        edge.url + LOGIN,
        body={"username": username, "password": password},
        headers={"X-Forwarded-For": forged, "User-Agent": f"deploy-check {client.namespace}"},
        cacert=edge.ca,
    )


def per_address_quotas(edge: Edge) -> None:
    with edge.client() as host:
        user = sign_up(host, edge.url)
    with netns_clients(2) as (a, b):
        ps.step(f"clients A at {a.address} and B at {b.address} (network namespaces), both through Caddy")
        answers: list[Answer] = []
        # A: one good sign-in, then unknown accounts (the per-account failure quota stays out of it),
        # each with a new forged X-Forwarded-For, until refused. The counter is a sliding-window
        # estimate (two fixed windows, the previous one weighted by its overlap): a burst that
        # straddles a window boundary is undercounted a little, so the refusal may come a few
        # requests after the 31st, never before it.
        answers.append(_sign_in(a, edge, user.email, user.password, "203.0.113.10"))
        while answers[-1].status != 429 and len(answers) < 2 * IP_AUTH_LIMIT:
            unknown = f"nobody.{secrets.token_hex(4)}@example.com"
            answers.append(_sign_in(a, edge, unknown, "wrong", f"203.0.113.{len(answers) + 10}"))
        statuses = [r.status for r in answers]
        assert statuses[0] == 200, f"A's first sign-in: {answers[0].status} {answers[0].body[:300]}"
        assert set(statuses[1:-1]) == {401} and len(statuses) > IP_AUTH_LIMIT, statuses
        refused = answers[-1]
        assert refused.status == 429, f"A was never refused: {statuses}"
        assert refused.json()["code"] == "rate_limited" and int(refused.headers["retry-after"]) > 0, refused
        # B, right after: its own quota is untouched.
        wrong = _sign_in(b, edge, user.email, "not-the-password", "203.0.113.200")
        assert wrong.status == 401, f"B with a wrong password: {wrong.status} {wrong.body[:300]}"
        right = _sign_in(b, edge, user.email, user.password, "203.0.113.201")
        assert right.status == 200, f"B's sign-in while A is refused: {right.status} {right.body[:300]}"
        again = _sign_in(a, edge, user.email, user.password, "198.51.100.1")
        assert again.status == 429, f"A, forging yet another address: {again.status} {again.body[:300]}"
        ps.step(
            f"A: {len(answers) - 1} sign-ins answered (1 x 200, {len(answers) - 2} x 401), then 429 (Retry-After"
            f" {refused.headers['retry-after']} s) whatever X-Forwarded-For it sends; B meanwhile: 401, 200"
        )
    with edge.client() as host:
        sessions = expect(host.get("/api/v1/auth/sessions", headers=user.auth_headers()), 200, "sessions")["items"]
    seen = {s["ip"] for s in sessions}
    assert {a.address, b.address} <= seen, f"sessions record {seen}, not A {a.address} and B {b.address}"
    assert not any(ip.startswith(("203.0.113.", "198.51.100.")) for ip in seen), seen
    ps.step(f"sessions recorded under the clients' real addresses {sorted(seen)}; no forged one")
