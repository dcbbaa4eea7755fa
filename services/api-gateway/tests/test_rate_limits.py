"""Rate limits in the gateway, with counters in memory and in a real Redis."""

from __future__ import annotations

import re
import secrets
import uuid

import pytest
from prometheus_client import REGISTRY

from api_gateway.guard.rate_counters import Check, MemoryCounterStore, RedisCounterStore, SlidingWindowLimiter

LOGIN = "/api/v1/auth/login"
CORRECT = "correct horse battery staple"
ITEM = re.compile(r'"([^"]+)";(\w+)=(\d+);(\w+)=(\d+)')


def parse(header: str) -> dict[str, dict[str, int]]:
    return {m[0]: {m[1]: int(m[2]), m[3]: int(m[4])} for m in ITEM.findall(header)}


def policy(name, limit, window=60, key="ip", **extra):
    return {"name": name, "limit": limit, "window_seconds": window, "key": key, **extra}


@pytest.fixture(params=["memory", "redis"])
def limits_gateway(request, make_gateway):
    """Builds gateways whose counters live in memory, or in Redis under this test's own prefix."""
    backend = {}
    if request.param == "redis":
        backend = {
            "redis_url": request.getfixturevalue("redis_url"),
            "rate_limit_key_prefix": request.getfixturevalue("redis_prefix"),
        }

    def make(policies, **overrides):
        return make_gateway(GATEWAY_RATE_LIMITS=policies, **backend, **overrides)

    make.backend = request.param
    return make


def limited(policy_name: str) -> float:
    return REGISTRY.get_sample_value("gateway_rate_limited_total", {"policy": policy_name}) or 0.0


async def test_headers_on_every_response(limits_gateway, issuer, serve):
    app = limits_gateway([policy("ip", 100), policy("principal", 50, key="principal")])
    auth = {"Authorization": f"Bearer {issuer.token()}"}
    async with serve(app) as clients:
        client = clients()
        answers = {
            "proxied": await client.get("/api/v1/wallet", headers=auth),
            "unauthenticated": await client.get("/api/v1/wallet"),
            "own route": await client.get("/api/v1/health"),
            "not found": await client.get("/api/v1/nothing-here"),
        }
    for what, r in answers.items():
        policies = parse(r.headers["ratelimit-policy"])
        state = parse(r.headers["ratelimit"])
        assert policies["ip"] == {"q": 100, "w": 60}, what
        assert 0 <= state["ip"]["r"] < 100 and 1 <= state["ip"]["t"] <= 60, what
    assert parse(answers["proxied"].headers["ratelimit"])["principal"]["r"] == 49
    assert "principal" not in parse(answers["unauthenticated"].headers["ratelimit"])


async def test_over_the_limit_is_429_with_retry_after(limits_gateway, issuer, serve):
    app = limits_gateway([policy("tight", 3, window=30)])
    before = limited("tight")
    async with serve(app) as clients:
        client = clients("192.0.2.10")
        ok = [await client.get("/api/v1/health") for _ in range(3)]
        refused = await client.get("/api/v1/health")
        elsewhere = await clients("192.0.2.11").get("/api/v1/health")
    assert [r.status_code for r in ok] == [200, 200, 200]
    assert [parse(r.headers["ratelimit"])["tight"]["r"] for r in ok] == [2, 1, 0]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 61  # sliding window: at most two windows
    assert parse(refused.headers["ratelimit"])["tight"]["r"] == 0
    assert elsewhere.status_code == 200  # another address has its own quota
    assert limited("tight") == before + 1


async def test_per_user_limit_follows_the_token_not_the_address(limits_gateway, issuer, serve):
    app = limits_gateway([policy("ip", 1000), policy("per-user", 2, key="principal")])
    alice = {"Authorization": f"Bearer {issuer.token()}"}
    bob = {"Authorization": f"Bearer {issuer.token()}"}
    async with serve(app) as clients:
        codes = [(await clients(f"198.51.100.{i}").get("/api/v1/wallet", headers=alice)).status_code for i in range(3)]
        assert (await clients().get("/api/v1/wallet", headers=bob)).status_code == 200
    assert codes == [200, 200, 429]


async def test_api_clients_of_one_user_share_the_users_quota(limits_gateway, issuer, serve):
    """An API client's token acts for its user: every client of one user counts on that user."""
    app = limits_gateway([policy("ip", 1000), policy("principal", 3, key="principal")])
    user = str(uuid.uuid4())
    tokens = [issuer.token(user, client_id=f"cl_{i}", scopes={"wallet:read"}) for i in range(3)]
    tokens.append(issuer.token(user))
    async with serve(app) as clients:
        codes = [
            (await clients().get("/api/v1/wallet", headers={"Authorization": f"Bearer {t}"})).status_code
            for t in tokens
        ]
    assert codes == [200, 200, 200, 429]


async def test_failed_logins_per_account_are_limited_across_addresses(limits_gateway, issuer, serve):
    """Brute force spread over many addresses: the per-account quota of failures still stops it."""
    app = limits_gateway(
        [
            policy("ip-auth", 100, paths=[LOGIN]),
            policy(
                "account-login", 3, window=900, key="account", paths=[LOGIN], count="failures", failure_statuses=[401]
            ),
        ]
    )
    before = limited("account-login")
    async with serve(app) as clients:
        attempts = []
        for i in range(3):
            r = await clients(f"203.0.113.{i + 1}").post(
                LOGIN, json={"username": "Victim@Example.com", "password": f"guess-{i}"}
            )
            attempts.append(r)
        # Same account (differently written), fresh address, even the right password: refused.
        blocked = await clients("203.0.113.99").post(
            LOGIN, json={"username": " victim@example.com", "password": CORRECT}
        )
        other = await clients("203.0.113.99").post(LOGIN, json={"username": "someone@example.com", "password": CORRECT})
        success = await clients("203.0.113.98").post(LOGIN, json={"username": "third@example.com", "password": CORRECT})
        again = await clients("203.0.113.98").post(LOGIN, json={"username": "third@example.com", "password": CORRECT})
    assert [r.status_code for r in attempts] == [401, 401, 401]
    assert [parse(r.headers["ratelimit"])["account-login"]["r"] for r in attempts] == [2, 1, 0]
    assert blocked.status_code == 429 and blocked.json()["code"] == "rate_limited"
    assert int(blocked.headers["retry-after"]) > 0
    assert other.status_code == 200
    # Successful logins are not failures: they use no quota.
    assert success.status_code == again.status_code == 200
    assert parse(again.headers["ratelimit"])["account-login"]["r"] == 2
    assert limited("account-login") == before + 1


async def test_unparseable_login_body_still_reaches_the_service(limits_gateway, issuer, serve, upstream):
    app = limits_gateway([policy("account-login", 3, key="account", paths=[LOGIN], count="failures")])
    async with serve(app) as clients:
        r = await clients().post(
            "/api/v1/auth/register", content=b"\xff not json", headers={"content-type": "application/json"}
        )
    assert r.status_code == 200
    assert upstream.seen[-1]["body"] == b"\xff not json"  # the body read for the account is passed on


async def test_redis_counters_are_shared_by_gateway_replicas(make_gateway, redis_url, redis_prefix, issuer, serve):
    settings = {
        "GATEWAY_RATE_LIMITS": [policy("shared", 4)],
        "redis_url": redis_url,
        "rate_limit_key_prefix": redis_prefix,
    }
    async with serve(make_gateway(**settings)) as first, serve(make_gateway(**settings)) as second:
        codes = []
        for i in range(5):
            replica = first if i % 2 == 0 else second
            codes.append((await replica("192.0.2.50").get("/api/v1/health")).status_code)
    assert codes == [200, 200, 200, 200, 429]


async def test_memory_counters_are_per_replica(make_gateway, issuer, serve):
    settings = {"GATEWAY_RATE_LIMITS": [policy("local", 2)]}
    async with serve(make_gateway(**settings)) as first, serve(make_gateway(**settings)) as second:
        codes = [
            (await replica("192.0.2.60").get("/api/v1/health")).status_code
            for replica in (first, first, second, second)
        ]
    assert codes == [200, 200, 200, 200]


async def test_redis_outage_falls_back_to_local_counters(make_gateway, issuer, serve):
    from instapay_stack.processes import free_port_base

    dead = f"redis://127.0.0.1:{free_port_base(1)}/0"  # nothing listens there
    app = make_gateway(GATEWAY_RATE_LIMITS=[policy("fallback", 2)], redis_url=dead)
    async with serve(app) as clients:
        codes = [(await clients("192.0.2.70").get("/api/v1/health")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


async def test_sliding_window_weighs_the_previous_window(redis_url, redis_prefix):
    """The same arithmetic on both stores, with a controlled clock."""
    now = [1_000_020.0]  # 20 s into a 60 s window starting at 1,000,020 - 20
    stores = [MemoryCounterStore(), RedisCounterStore(redis_url, prefix=redis_prefix)]
    try:
        for store in stores:
            limiter = SlidingWindowLimiter(store, clock=lambda: now[0])
            check = Check("k", limit=10, window_seconds=60)
            now[0] = 60 * 16667 + 30.0  # middle of a window
            windows = [await limiter.evaluate([check]) for _ in range(10)]
            assert [w[0].remaining for w in windows] == list(range(9, -1, -1))
            assert (await limiter.evaluate([check]))[0].exceeded
            # 30 s into the next window the 11 previous hits weigh half: ceil(5.5) used, 4 left after this one.
            now[0] += 60
            w = (await limiter.evaluate([check]))[0]
            assert w.remaining == 10 - 7  # 11 * 0.5 + 1 = 6.5 -> 7
            # Read-only (failure) checks do not count the request itself.
            probe = Check("f", limit=2, window_seconds=60, counted=False)
            assert (await limiter.evaluate([probe]))[0].remaining == 1
            await limiter.record([probe])
            await limiter.record([probe])
            refused = (await limiter.evaluate([probe]))[0]
            assert refused.exceeded and 1 <= refused.reset_seconds <= 121
    finally:
        for store in stores:
            await store.close()


def test_test_environment_scales_volume_quotas_but_never_account_ones():
    from api_gateway.config import GatewaySettings
    from api_gateway.guard.rate_limiter import effective_policies

    for environment, factor in (("test", 50), ("development", 1), ("production", 1)):
        settings = GatewaySettings(
            environment=environment,
            internal_secret_gateway="k" + secrets.token_urlsafe(32),
            GATEWAY_TRUSTED_PROXIES=["10.0.0.0/8"],
        )
        defaults = {p.name: p for p in settings.rate_limits}
        scaled = {p.name: p for p in effective_policies(settings.rate_limits, settings.rate_limit_multiplier)}
        assert scaled["ip"].limit == defaults["ip"].limit * factor
        assert scaled["principal"].limit == defaults["principal"].limit * factor
        assert scaled["account-register"].limit == defaults["account-register"].limit == 10
        assert scaled["account-secrets"].limit == defaults["account-secrets"].limit
