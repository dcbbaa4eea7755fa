"""Acceptance: a real Prometheus scrapes the real local stack; traffic driven through the gateway
shows up in Prometheus's HTTP API as exact counter movements.

Every expected number is counted from what the test itself did (its own users, its own failures),
and compared with the increase Prometheus reports between a baseline and the end, so the check is
exact even if the stack served other requests before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from local_prometheus import LocalPrometheus, free_port, render_config

from instapay_stack.e2e import register_user
from instapay_stack.services import RELAYS, SERVICES

SCRAPE = "1s"
SERVICE_NAMES = {svc.directory for svc in SERVICES}  # the apps' names: api-gateway, auth-service, ...
TARGETS = SERVICE_NAMES | {relay.name for relay in RELAYS}  # and the outbox relays: auth-relay, ...


@pytest.fixture(scope="module")
def prometheus(stack, tmp_path_factory) -> Iterator[LocalPrometheus]:
    host, base = stack.config.host, stack.config.base_port
    targets = {svc.directory: f"{host}:{svc.port(base)}" for svc in SERVICES}
    targets |= {relay.name: f"{host}:{relay.port(base)}" for relay in RELAYS}
    prom = LocalPrometheus(
        render_config(targets, scrape_interval=SCRAPE, environment="test"),
        port=free_port(),
        workdir=tmp_path_factory.mktemp("prom-e2e"),
    )
    prom.start()
    yield prom
    prom.stop()


def _scalar(prom: LocalPrometheus, expr: str) -> float:
    """Value of an expression that sums to one number; 0 when no series matches yet."""
    result = prom.query(expr)
    assert len(result) <= 1, f"{expr} returned several series: {result}"
    return float(result[0]["value"][1]) if result else 0.0


def _wait_for_fresh_scrape(prom: LocalPrometheus, after: float, timeout: float = 30) -> None:
    """Until every target has been scraped after `after` (unix time): values now include all
    traffic sent before it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stamps = prom.query('timestamp(up{job="instapay"})')
        if len(stamps) == len(TARGETS) and min(float(s["value"][1]) for s in stamps) > after:
            return
        time.sleep(0.3)
    raise AssertionError(f"Prometheus did not scrape every target within {timeout}s")


def _eventually_scalar(prom: LocalPrometheus, expr: str, expected: float, timeout: float = 30) -> float:
    """The expression's value once it equals `expected`, or the last value seen at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        _wait_for_fresh_scrape(prom, time.time())
        value = _scalar(prom, expr)
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


class Counters:
    """Baseline of several expressions, then their exact increase after the traffic."""

    def __init__(self, prom: LocalPrometheus, exprs: dict[str, str]) -> None:
        self.prom = prom
        self.exprs = exprs
        _wait_for_fresh_scrape(prom, time.time())
        self.baseline = {name: _scalar(prom, expr) for name, expr in exprs.items()}

    def increase(self) -> dict[str, float]:
        _wait_for_fresh_scrape(self.prom, time.time())
        return {name: round(_scalar(self.prom, expr) - self.baseline[name], 2) for name, expr in self.exprs.items()}

    def wait_for(self, expected: dict[str, float], timeout: float = 30) -> dict[str, float]:
        """The increases once they equal `expected` (events are delivered asynchronously), or the
        last ones seen when `timeout` runs out; the caller asserts equality."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.increase()
            if seen == expected or time.monotonic() > deadline:
                return seen
            time.sleep(0.5)


def test_every_service_is_up_in_prometheus(prometheus):
    _wait_for_fresh_scrape(prometheus, time.time())
    up = {s["metric"]["service"]: s["value"][1] for s in prometheus.query('up{job="instapay"}')}
    assert up == dict.fromkeys(TARGETS, "1")
    # the apps' own metrics carry the same service names as the targets (honor_labels)
    http_services = {s["metric"]["service"] for s in prometheus.query("sum by (service) (http_requests_total)")}
    assert http_services >= SERVICE_NAMES
    pools = {s["metric"]["service"] for s in prometheus.query("db_pool_size")}
    assert pools == SERVICE_NAMES - {"api-gateway"}, "every service with a schema reports its pool"
    assert prometheus.query("sum(db_query_duration_seconds_count)"), "query timings are recorded"


def test_identity_traffic_and_failures_move_the_counters_exactly(prometheus, stack):
    gw = stack.gateway_url
    counters = Counters(
        prometheus,
        {
            "registered": 'sum(auth_registrations_total{outcome="success"})',
            "register_conflict": 'sum(auth_registrations_total{outcome="conflict"})',
            "login_ok": 'sum(auth_logins_total{outcome="success"})',
            "login_bad": 'sum(auth_logins_total{outcome="invalid_credentials"})',
            "wallets": "sum(wallets_total)",
            "jwt_rejected": "sum(gateway_jwt_rejections_total)",
            "gateway_401": 'sum(http_requests_total{service="api-gateway",status="401"})',
            "auth_routes_201": 'sum(http_requests_total{service="api-gateway",route="/api/v1/auth/*",status="201"})',
            # auth's events, delivered by its outbox relay: user.registered -> reporting + notification,
            # security.login -> notification (docs/EVENTS.md)
            "events_to_reporting": 'sum(outbox_deliveries_total{service="auth-service",subscriber="reporting",'
            'outcome="delivered"})',
            "events_to_notification": 'sum(outbox_deliveries_total{service="auth-service",subscriber="notification",'
            'outcome="delivered"})',
            # ... and each of those becomes one in-app notification (welcome, new login)
            "in_app_created": 'sum(notification_deliveries_total{channel="in_app",outcome="created"})',
        },
    )

    users = [register_user(gw, pin=None) for _ in range(3)]  # each: register + one login
    with httpx.Client(base_url=gw, timeout=15) as client:
        for user in users[:2]:  # wrong password: 401 invalid_credentials
            r = client.post("/api/v1/auth/login", json={"username": user.email, "password": user.password + "x"})
            assert r.status_code == 401 and r.json()["code"] == "invalid_credentials", r.text
        dup = client.post(
            "/api/v1/auth/register",
            json={
                "email": users[0].email,
                "phone": "+2011" + users[0].phone[-8:],
                "password": users[0].password,
                "full_name": "Someone Else",
            },
        )
        assert dup.status_code == 409 and dup.json()["code"] == "email_taken", dup.text
        for headers in ({}, {"Authorization": "Bearer not-a-jwt"}):  # no token, garbage token
            r = client.get("/api/v1/wallet", headers=headers)
            assert r.status_code == 401, r.text
        me = client.get("/api/v1/users/me", headers=users[2].auth_headers())
        assert me.status_code == 200, me.text

    expected = {
        "registered": 3,
        "register_conflict": 1,
        "login_ok": 3,
        "login_bad": 2,
        "wallets": 3,
        "jwt_rejected": 2,
        "gateway_401": 4,
        "auth_routes_201": 3,
        "events_to_reporting": 3,
        "events_to_notification": 6,
        "in_app_created": 6,
    }
    assert counters.wait_for(expected) == expected
    # The relay refreshes its backlog gauge every couple of seconds, so the delivery counters can
    # be scraped before the gauge catches up: wait for it like for the counters.
    assert _eventually_scalar(prometheus, 'outbox_backlog{service="auth-service"}', 0) == 0, "everything was delivered"


def _money_post(client: httpx.Client, user, path: str, body: dict, key: str | None = None) -> httpx.Response:
    headers = user.auth_headers(**{"Idempotency-Key": key or f"obs-{time.time_ns()}"})
    return client.post(path, json=body, headers=headers)


def test_transfers_declines_and_money_move_the_business_counters_exactly(prometheus, stack):
    gw = stack.gateway_url
    alice, bob = register_user(gw), register_user(gw)
    counters = Counters(
        prometheus,
        {
            "completed": 'sum(transfers_total{outcome="completed"})',
            "insufficient_funds": 'sum(transfers_total{outcome="declined",code="insufficient_funds"})',
            "recipient_not_found": 'sum(transfers_total{outcome="declined",code="recipient_not_found"})',
            "invalid_pin": 'sum(transfers_total{outcome="declined",code="invalid_pin"})',
            "self_transfer": 'sum(transfers_total{outcome="declined",code="self_transfer"})',
            "failed": 'sum(transfers_total{outcome="failed"})',
            "moved_transfer": 'sum(money_moved_total{type="transfer"})',
            "moved_topup": 'sum(money_moved_total{type="topup"})',
            "moved_withdrawal": 'sum(money_moved_total{type="withdrawal"})',
            "topups": 'sum(topups_total{outcome="completed"})',
            "withdrawals": 'sum(withdrawals_total{outcome="completed"})',
            "replays": "sum(idempotent_replays_total)",
            "pin_wrong": 'sum(auth_pin_verifications_total{outcome="invalid_pin"})',
            "upstream_ok": 'sum(gateway_upstream_requests_total{upstream="transaction",outcome="ok"})',
            "upstream_bad": 'sum(gateway_upstream_requests_total{upstream="transaction",outcome!="ok"})',
            "transfer_events": 'sum(outbox_deliveries_total{service="transaction-service",outcome="delivered"})',
        },
    )
    forwarded = 0
    with httpx.Client(base_url=gw, timeout=15) as client:

        def send(user, path: str, body: dict, status: int, code: str | None = None, key: str | None = None):
            nonlocal forwarded
            r = _money_post(client, user, path, body, key)
            forwarded += 1
            assert r.status_code == status, r.text
            if code:
                assert r.json()["code"] == code, r.text
            return r

        send(alice, "/api/v1/wallet/topups", {"amount": "500.00", "source": {"type": "card", "reference": "obs"}}, 201)
        first = {"recipient": bob.handle, "amount": "125.50", "pin": alice.pin}
        send(alice, "/api/v1/transfers", first, 201, key="obs-first-transfer-" + alice.handle)
        send(alice, "/api/v1/transfers", {"recipient": bob.phone, "amount": "74.50", "pin": alice.pin}, 201)
        send(bob, "/api/v1/transfers", {"recipient": alice.email, "amount": "20.00", "pin": bob.pin}, 201)
        replay = send(alice, "/api/v1/transfers", first, 201, key="obs-first-transfer-" + alice.handle)
        assert replay.headers.get("Idempotent-Replayed") == "true"
        send(
            alice,
            "/api/v1/transfers",
            {"recipient": bob.handle, "amount": "9999.00", "pin": alice.pin},
            422,
            "insufficient_funds",
        )
        send(
            alice,
            "/api/v1/transfers",
            {"recipient": "nobody.here.0000", "amount": "1.00", "pin": alice.pin},
            404,
            "recipient_not_found",
        )
        send(
            alice,
            "/api/v1/transfers",
            {"recipient": alice.handle, "amount": "1.00", "pin": alice.pin},
            422,
            "self_transfer",
        )
        send(
            alice, "/api/v1/transfers", {"recipient": bob.handle, "amount": "1.00", "pin": "000000"}, 403, "invalid_pin"
        )
        send(
            alice,
            "/api/v1/wallet/withdrawals",
            {"amount": "50.00", "destination": {"type": "bank", "reference": "obs"}, "pin": alice.pin},
            201,
        )
        wallet = client.get("/api/v1/wallet", headers=alice.auth_headers())
        forwarded += 1
    # 500 - 125.50 - 74.50 + 20 - 50: the withdrawal is held at once, paid out when the provider confirms
    assert wallet.json()["available_balance"] == "270.00"

    expected = {
        "completed": 3,
        "insufficient_funds": 1,
        "recipient_not_found": 1,
        "invalid_pin": 1,
        "self_transfer": 1,
        "failed": 0,
        "moved_transfer": 220.0,
        "moved_topup": 500.0,
        "moved_withdrawal": 50.0,
        "topups": 1,
        "withdrawals": 1,
        "replays": 1,
        "pin_wrong": 1,
        # and the provider simulator's two signed callbacks (the card capture, the payout paid),
        # which reach the transaction service through the gateway too
        "upstream_ok": forwarded + 2,
        "upstream_bad": 0,
        # transfer.completed (x3), topup and withdrawal: each to reporting and notification; and
        # withdrawal.requested to the payout submitter
        "transfer_events": 2 * 5 + 1,
    }
    assert counters.wait_for(expected) == expected


def test_a_brute_force_is_rate_limited_and_counted(prometheus, stack):
    """Wrong passwords against one account: the auth counter counts each failure it checked, its
    sign-in delay refuses the rest (429, counted by auth as rate_limited and by the gateway as a
    429 answer), and all show in Prometheus."""
    gw = stack.gateway_url
    victim = register_user(gw, pin=None)
    counters = Counters(
        prometheus,
        {
            "login_bad": 'sum(auth_logins_total{outcome="invalid_credentials"})',
            "limited": 'sum(auth_logins_total{outcome="rate_limited"})',
            # (no route filter: refusals by the access-control layer are labelled before routing, "<unmatched>")
            "gateway_429": 'sum(http_requests_total{service="api-gateway",status="429"})',
        },
    )
    statuses = []
    with httpx.Client(base_url=gw, timeout=15) as client:
        for attempt in range(13):
            r = client.post("/api/v1/auth/login", json={"username": victim.email, "password": f"guess-{attempt}"})
            statuses.append(r.status_code)
    failures, refused = statuses.count(401), statuses.count(429)
    assert failures + refused == 13 and refused >= 1, statuses  # 5 free failures, then a delay
    expected = {"login_bad": failures, "limited": refused, "gateway_429": refused}
    assert counters.wait_for(expected) == expected


def test_a_killed_service_raises_service_down(prometheus, stack):
    """The ServiceDown rule, loaded in the same Prometheus, sees a real outage (pending: its
    `for: 1m` has not passed) and clears when the service is back."""
    rules = prometheus.api("rules", type="alert")["data"]["groups"]
    assert {r["name"] for g in rules for r in g["rules"]} >= {"ServiceDown", "GatewayHighErrorRate"}

    def service_down_alerts() -> set[str]:
        alerts = prometheus.api("alerts")["data"]["alerts"]
        return {a["labels"]["service"] for a in alerts if a["labels"]["alertname"] == "ServiceDown"}

    stack.supervisor.kill("reporting")
    try:
        deadline = time.monotonic() + 30
        while "reporting-service" not in service_down_alerts():
            assert time.monotonic() < deadline, "ServiceDown never became pending for reporting-service"
            time.sleep(0.5)
        assert service_down_alerts() == {"reporting-service"}
    finally:
        stack.supervisor.restart("reporting", timeout=120)
    deadline = time.monotonic() + 30
    while service_down_alerts():
        assert time.monotonic() < deadline, "ServiceDown did not clear after the restart"
        time.sleep(0.5)
