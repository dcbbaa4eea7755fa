"""`make test-deploy`: the shipped images and compose files, run under podman and used as a client would.

1. `make images` (cached): every prod image from its Dockerfile, tagged with the commit.
2. docker-compose.prod.yml with two gateway and two transaction-service replicas sharing Redis, through
   Caddy over HTTPS (verified against Caddy's own root certificate): health, internal paths closed,
   security headers, signed-in calls on every service. Production needs the real payment provider
   (FUNDING_PROVIDER_URL), which this machine has not, so money is not moved there.
3. docker-compose.staging.yml (the production layout, the provider simulator as payment provider),
   also with two gateway and two transaction replicas: the same checks, the end-to-end contract
   scenario (sign up, PIN, top-up, transfer by handle, phone and e-mail, history, a live SSE
   notification, report, CSV statement), then transfers kept running while a transaction replica, a
   gateway replica and the transaction relay are killed: the restart policy brings each back, the
   platform keeps answering, and every balance, the sum of all balances and the relay-fed report
   come out exact.
4. docker-compose.dev.yml starts (dev images, sources mounted) and a change to a mounted source file
   restarts the gateway by reload.

Every stack is removed afterwards (containers, network, volumes), also when a step fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import podman_stack as ps

from instapay_stack.e2e import TestUser, next_notification, register_user

GATEWAY_REPLICAS = 2
TRANSACTION_REPLICAS = 2
TIMEOUT = 20.0
STREAM_TIMEOUT = httpx.Timeout(TIMEOUT, read=60)
# One tag for the whole run: a commit made meanwhile does not switch images between the stacks.
TAG = ps.git_tag()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def say(message: str) -> None:
    ps.say(message)


def step(message: str) -> None:
    ps.step(message)


def expect(resp: httpx.Response, status: int, what: str) -> dict[str, Any]:
    if resp.status_code != status:
        raise AssertionError(f"{what}: expected {status}, got {resp.status_code}: {resp.text[:500]}")
    return resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}


def wait_answering(client: httpx.Client, path: str = "/api/v1/health", within: float = 90) -> None:
    deadline = time.monotonic() + within
    last = ""
    while time.monotonic() < deadline:
        try:
            r = client.get(path)
            if r.status_code == 200:
                return
            last = f"{r.status_code} {r.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(1)
    raise AssertionError(f"{path} did not answer 200 within {within} s: {last}")


def https_client(env: str, port: int) -> tuple[httpx.Client, Path]:
    ca = Path(tempfile.mkdtemp(prefix="instapay-ca-")) / "caddy-root.crt"
    ca.write_text(ps.root_ca(env))
    return httpx.Client(base_url=f"https://localhost:{port}", verify=str(ca), timeout=TIMEOUT), ca


def sign_up(client: httpx.Client, base_url: str) -> TestUser:
    """Sign-up, sign-in and PIN; a 503 ("nothing was kept, send the same request again") is retried
    as the API asks clients to, for up to 90 s. Right after a scaled stack starts, podman's DNS
    server reloads as each container joins, and auth's first lookups of the user and transaction
    services have run past their 4 s budget for half a minute (docs/ARCHITECTURE.md, known gaps)."""
    deadline = time.monotonic() + 90
    while True:
        try:
            return register_user(base_url, client=client)
        except AssertionError as exc:
            if "got 503" not in str(exc) or time.monotonic() > deadline:
                raise
            step(f"sign-up answered 503 (retrying as the API asks): {str(exc)[:120]}")
            time.sleep(2)


def topup(client: httpx.Client, user: TestUser, amount: str) -> None:
    headers = user.auth_headers(**{"Idempotency-Key": secrets.token_hex(8)})
    body = {"amount": amount, "source": {"type": "card", "reference": "tok_visa"}}
    expect(client.post("/api/v1/wallet/topups", json=body, headers=headers), 201, "top-up")


def transfer(
    client: httpx.Client, sender: TestUser, recipient: str, amount: str, key: str | None = None
) -> dict[str, Any]:
    headers = sender.auth_headers(**{"Idempotency-Key": key or secrets.token_hex(8)})
    body = {"recipient": recipient, "amount": amount, "pin": sender.pin}
    return expect(client.post("/api/v1/transfers", json=body, headers=headers), 201, f"transfer to {recipient}")


def balance(client: httpx.Client, user: TestUser) -> Decimal:
    return Decimal(expect(client.get("/api/v1/wallet", headers=user.auth_headers()), 200, "wallet")["balance"])


# One signed-in read per service behind the gateway: each verifies tokens itself.
SIGNED_IN_READS = ["/api/v1/wallet", "/api/v1/users/me", "/api/v1/notifications", "/api/v1/reports/summary"]


def warm_up(client: httpx.Client, base_url: str) -> None:
    """Until a signed-in client's calls succeed on every service and replica. Each service fetches
    the signing keys (JWKS) on its first authenticated request, within 3 s: on this shared 2-core
    machine under load that first fetch has timed out (a 401), so the scenario starts once the keys
    are in everywhere (docs/ARCHITECTURE.md, known gaps)."""
    user = sign_up(client, base_url)
    deadline, failed = time.monotonic() + 90, 0
    for path in SIGNED_IN_READS:
        good = 0
        while good < 6:  # replicas are picked per connection: several in a row reach each one
            r = client.get(path, headers=user.auth_headers())
            good, failed = (good + 1, failed) if r.status_code == 200 else (0, failed + 1)
            assert time.monotonic() < deadline, f"{path} still fails signed in: {r.status_code} {r.text[:200]}"
    step(f"signed-in calls answer on every service ({failed} early failure(s) while services fetched keys)")


# --- prod ---------------------------------------------------------------------------------------


def edge_checks(client: httpx.Client) -> None:
    health = expect(client.get("/api/v1/health"), 200, "health")
    step(f"health through Caddy: {health.get('status')}, services {sorted(health.get('services', {}))}")
    for path in ("/metrics", "/readyz", "/internal/users/x"):
        r = client.get(path)
        assert r.status_code == 404, f"{path} is reachable through Caddy: {r.status_code}"
    index = client.get("/")
    assert index.status_code == 200 and '<div id="root">' in index.text, index.text[:200]
    csp = index.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp, index.headers
    assert "max-age=" in index.headers.get("strict-transport-security", ""), index.headers
    step("/metrics, /readyz, /internal/* -> 404; web app served with CSP and HSTS")


def contract_scenario(client: httpx.Client, base_url: str, ca: Path) -> None:
    alice = sign_up(client, base_url)
    bob = sign_up(client, base_url)
    step(f"signed up and set PINs: @{alice.handle}, @{bob.handle}")
    topup(client, alice, "500.00")
    assert balance(client, alice) == Decimal("500.00")

    async def transfer_while_listening() -> dict[str, Any]:
        async with (
            httpx.AsyncClient(
                base_url=base_url, verify=str(ca), timeout=httpx.Timeout(TIMEOUT, read=60)
            ) as stream_client,
            stream_client.stream("GET", "/api/v1/notifications/stream", headers=bob.auth_headers()) as stream,
        ):
            assert stream.status_code == 200, await stream.aread()
            await asyncio.sleep(1)  # the stream is registered before the transfer commits
            await asyncio.to_thread(transfer, client, alice, bob.handle, "10.00")
            return await next_notification(stream.aiter_lines(), "transfer.received", within=20)

    note = asyncio.run(transfer_while_listening())
    step(f"transfer by handle; live SSE notification to the recipient: {note['title']!r}")
    transfer(client, alice, bob.phone, "20.00")
    transfer(client, alice, bob.email, "30.00")
    step("transfers by phone and by e-mail")
    assert balance(client, alice) == Decimal("440.00") and balance(client, bob) == Decimal("60.00")
    history = expect(client.get("/api/v1/transactions", headers=bob.auth_headers()), 200, "history")
    incoming = [t for t in history["items"] if t["type"] == "transfer" and t["direction"] == "in"]
    assert len(incoming) == 3, history
    today = time.strftime("%Y-%m-%d", time.gmtime())
    deadline = time.monotonic() + 60
    while True:  # reports are fed by the relays: eventually consistent
        summary = expect(
            client.get(f"/api/v1/reports/summary?from={today}&to={today}", headers=alice.auth_headers()),
            200,
            "report",
        )
        if summary["count_sent"] == 3:
            break
        assert time.monotonic() < deadline, f"report never showed the 3 transfers: {summary}"
        time.sleep(1)
    statement = client.get(
        f"/api/v1/reports/statement?from={today}&to={today}&format=csv", headers=alice.auth_headers()
    )
    assert statement.status_code == 200 and statement.headers["content-type"].startswith("text/csv"), statement.text
    assert statement.text.count("\n") >= 4, statement.text
    step(f"history (3 incoming), report (sent {summary['total_sent']}), CSV statement ({len(statement.text)} bytes)")


class Load:
    """Transfers in a ring of users until stopped; each retried with its idempotency key until answered."""

    def __init__(self, client: httpx.Client, users: list[TestUser]) -> None:
        self.client, self.users = client, users
        self.sent: Counter[str] = Counter()
        self.received: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.done = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.failure: str | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=180)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            sender, recipient = self.users[n % len(self.users)], self.users[(n + 1) % len(self.users)]
            n += 1
            key = secrets.token_hex(8)
            deadline = time.monotonic() + 120
            while True:
                try:
                    transfer(self.client, sender, recipient.handle, "1.00", key)
                    break
                except (httpx.HTTPError, AssertionError) as exc:
                    self.errors[type(exc).__name__ if isinstance(exc, httpx.HTTPError) else str(exc)[:60]] += 1
                    if time.monotonic() > deadline:
                        self.failure = f"a transfer was not answered within 120 s: {exc}"
                        return
                    time.sleep(0.5)
            self.sent[sender.user_id] += 1
            self.received[recipient.user_id] += 1
            self.done += 1
            time.sleep(0.2)


def crash(container: str) -> None:
    """SIGKILL to the container's main process, as the kernel's OOM killer or a crash would end it.
    (`podman kill` counts as an operator's stop: podman, like `docker stop`, then leaves the
    container down whatever its restart policy.)"""
    pid = ps.podman("inspect", "-f", "{{.State.Pid}}", container).strip()
    restarts = ps.podman("inspect", "-f", "{{.RestartCount}}", container).strip()
    subprocess.run(["kill", "-9", pid], check=True)
    deadline = time.monotonic() + 120
    while True:
        state = json.loads(ps.podman("inspect", container))[0]
        back = state["RestartCount"] > int(restarts) and state["State"]["Status"] == "running"
        if back and ps.podman_ok("healthcheck", "run", container, timeout=30):
            return
        assert time.monotonic() < deadline, f"{container} did not come back after a crash"
        time.sleep(1)


def faults(client: httpx.Client, base_url: str) -> None:
    users = [sign_up(client, base_url) for _ in range(4)]
    for user in users:
        topup(client, user, "1000.00")
    load = Load(client, users)
    load.start()
    project = ps.project_name("staging")
    for service in ("transaction-service", "api-gateway", "transaction-relay"):
        time.sleep(4)
        started = time.monotonic()
        crash(f"{project}-{service}-1")
        step(
            f"killed {project}-{service}-1 (SIGKILL): restarted and healthy in {time.monotonic() - started:.0f} s;"
            f" {load.done} transfers so far"
        )
        assert load.failure is None, load.failure
    time.sleep(3)
    load.stop()
    assert load.failure is None, load.failure
    wait_answering(client)
    total = Decimal(0)
    for user in users:
        expected = Decimal("1000.00") - load.sent[user.user_id] + load.received[user.user_id]
        got = balance(client, user)
        assert got == expected, f"@{user.handle}: balance {got}, expected {expected}"
        total += got
    assert total == Decimal("4000.00"), total
    # The relay was killed mid-stream: every transfer still reaches the reports (exactly once).
    today = time.strftime("%Y-%m-%d", time.gmtime())
    deadline = time.monotonic() + 90
    for user in users:
        while True:
            path = f"/api/v1/reports/summary?from={today}&to={today}"
            summary = expect(client.get(path, headers=user.auth_headers()), 200, "report")
            counts = (summary["breakdown"]["transfer_out"]["count"], summary["breakdown"]["transfer_in"]["count"])
            if counts == (load.sent[user.user_id], load.received[user.user_id]):
                break
            assert time.monotonic() < deadline, (
                f"@{user.handle}: report counts {counts}, ledger {load.sent[user.user_id]} sent,"
                f" {load.received[user.user_id]} received"
            )
            time.sleep(1)
    retried = sum(load.errors.values())
    step(
        f"{load.done} transfers under the faults ({retried} attempts retried with their idempotency key:"
        f" {dict(load.errors)}); every balance exact, sum 4000.00, reports match"
    )


def scaled(env: str) -> tuple[httpx.Client, Path, str]:
    https_port, http_port = free_port(), free_port()
    os.environ.update({"INSTAPAY_HTTPS_PORT": str(https_port), "INSTAPAY_HTTP_PORT": str(http_port)})
    ps.up(
        env, scale={"api-gateway": GATEWAY_REPLICAS, "transaction-service": TRANSACTION_REPLICAS}, publish=True, tag=TAG
    )
    client, ca = https_client(env, https_port)
    return client, ca, f"https://localhost:{https_port}"


def prod() -> None:
    """Production talks to the real payment provider, which this machine has not: the prod stack is
    checked up to money (health, edge, every service signed in); the money runs on staging."""
    client, _, base_url = scaled("prod")
    with client:
        wait_answering(client)
        say(f"prod through Caddy at {base_url} (verified with Caddy's root certificate)")
        edge_checks(client)
        warm_up(client, base_url)


def staging() -> None:
    """The production layout with the provider simulator as the payment provider: the end-to-end
    scenario and the crash faults run here."""
    client, ca, base_url = scaled("staging")
    with client:
        wait_answering(client)
        say(f"staging through Caddy at {base_url} (verified with Caddy's root certificate)")
        edge_checks(client)
        warm_up(client, base_url)
        contract_scenario(client, base_url, ca)
        say("faults: crashes of a transaction replica, a gateway replica and the relay under load")
        faults(client, base_url)


def dev() -> None:
    # Dev publishes its ports on the host's defaults (5432, 6379, 8000, ...), which the host's own
    # services may hold: the check reaches the containers from inside instead.
    ps.up("dev", scale={}, publish=False, tag=TAG)
    gateway = f"{ps.project_name('dev')}-api-gateway-1"
    probe = ps.ROOT / "services" / "api-gateway" / "api_gateway" / "_reload_probe.py"
    since = ps.podman("logs", gateway).count("Started server process")
    started = time.monotonic()
    try:
        probe.write_text('"""Written and removed by make test-deploy: its appearance must reload the dev gateway."""\n')
        deadline = time.monotonic() + 90
        while True:
            logs = ps.podman("logs", gateway)
            if logs.count("Started server process") > since and ps.podman_ok("healthcheck", "run", gateway, timeout=30):
                break
            assert time.monotonic() < deadline, "the dev gateway did not reload after a source change:\n" + logs[-2000:]
            time.sleep(1)
    finally:
        probe.unlink(missing_ok=True)
    took = time.monotonic() - started
    step(f"a new file in the mounted services/api-gateway reloaded the dev gateway ({took:.0f} s)")


def main() -> None:
    started = time.monotonic()
    ps.build_images(TAG)
    for name, run in (("prod", prod), ("staging", staging), ("dev", dev)):
        phase = time.monotonic()
        try:
            run()
        finally:
            say(f"removing the {name} stack")
            ps.down(name, keep_data=False, quiet=True)
        step(f"{name}: {time.monotonic() - phase:.0f} s")
    leftovers = ps.podman("ps", "-a", "--filter", f"label={ps.PROJECT_LABEL}", "-q").split()
    assert not leftovers, f"containers left behind: {leftovers}"
    say(f"test-deploy passed in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
