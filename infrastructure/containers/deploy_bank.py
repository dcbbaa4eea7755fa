"""The bank test (infrastructure/proof/proof_support/bank.py) against the prod compose stack:
its clients move money through Caddy (transfers, card and bank top-ups, withdrawals, each retried
with its idempotency key) while a transaction replica, a gateway replica and the transaction
relay crash in turn (SIGKILL of the container's main process, as the kernel's OOM killer would);
the restart policy brings each back. Then the bank's own checks, read from the ledger, the API,
the provider (the sandbox's simulator) and the event consumers: every acknowledged operation in
the ledger once, the users' balances equal to the confirmed top-ups minus the confirmed
withdrawals, every event delivered exactly once, the reports equal to the ledger."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import quote

import podman_stack as ps
from deploy_client import Edge, sign_up

sys.path.insert(0, str(ps.ROOT / "infrastructure" / "proof"))
from proof_support.bank import (
    Bank,
    BankConfig,
    Platform,
    accounting,
    events_delivered_once,
    funding_matches_provider,
    ledger_invariants,
    reporting_matches_ledger,
)
from proof_support.simulator import SimulatorControl

# Every client of this test comes from one address (the host's, as Caddy sees it), under the
# production quotas (1,200 requests a minute per address, 600 per user): three clients spread over
# six users stay mostly below them; a 429 is retried like any answer that asks for a retry.
USERS = 6
CLIENTS = 3
CRASHED = ("transaction-service", "api-gateway", "transaction-relay")


def crash(container: str) -> float:
    """SIGKILL to the container's main process; returns once the restart policy has brought it
    back and its health check passes. (`podman kill` counts as an operator's stop: podman, like
    `docker stop`, then leaves the container down whatever its restart policy.)"""
    pid = ps.podman("inspect", "-f", "{{.State.Pid}}", container).strip()
    restarts = int(ps.podman("inspect", "-f", "{{.RestartCount}}", container).strip())
    started = time.monotonic()
    subprocess.run(["kill", "-9", pid], check=True)
    deadline = started + 120
    while True:
        state = json.loads(ps.podman("inspect", container))[0]
        back = state["RestartCount"] > restarts and state["State"]["Status"] == "running"
        if back and ps.podman_ok("healthcheck", "run", container, timeout=30):
            return time.monotonic() - started
        assert time.monotonic() < deadline, f"{container} did not come back after a crash"
        time.sleep(1)


def database_url(env: str) -> str:
    """The stack's database as its superuser, at the container's address on the compose network
    (reachable from the host; nothing is published): the bank's checks read every schema."""
    name = f"{ps.project_name(env)}-postgres-1"
    address = ps.podman("inspect", "-f", '{{(index .NetworkSettings.Networks "instapay-net").IPAddress}}', name)
    password = (ps.state_dir(env) / "postgres_password").read_text().strip()
    return f"postgresql://instapay:{quote(password, safe='')}@{address.strip()}:5432/instapay"


async def _under_crashes(bank: Bank, project: str) -> None:
    await bank.seed_balances()
    # The load runs until the last crash is over; a client stopped mid-request leaves its operation
    # unknown, and `settle` resolves it by replaying its key, as after a client's own timeout.
    clients = [asyncio.create_task(bank.client(i, time.monotonic() + 900)) for i in range(CLIENTS)]
    started = time.monotonic()
    for service in CRASHED:
        await asyncio.sleep(4)
        bank.report.faults.add(started, f"{service} replica crashed (SIGKILL)")
        took = await asyncio.to_thread(crash, f"{project}-{service}-1")
        done = Counter(o.outcome for o in bank.ops)
        ps.step(f"killed {project}-{service}-1 (SIGKILL): back and healthy in {took:.0f} s; operations {dict(done)}")
    await asyncio.sleep(4)
    for task in clients:
        task.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    ps.step("load stopped; settling unknown operations and waiting for the provider")
    await bank.settle()


async def _checks(bank: Bank) -> list[str]:
    db = bank.db_url
    acked = [o for o in bank.ops if o.outcome == "acked"]
    problems = list(bank.report.anomalies)
    problems += await ledger_invariants(db, [o for o in acked if o.in_ledger])
    problems += await accounting(db, bank.ops, bank.users)
    problems += await bank.api_views(acked)
    problems += await funding_matches_provider(db, bank.ops, bank.sim, bank.report.figures)
    ps.step("ledger, API and provider checked; waiting for every event to be delivered")
    problems += await events_delivered_once(db, wait_seconds=60)
    problems += await reporting_matches_ledger(db)
    return problems


def bank_under_crashes(edge: Edge, env: str = "prod") -> None:
    """Needs the sandbox: its simulator is the provider the bank's checks compare with."""
    simulator_url, _ = ps.sandbox_urls()
    token = (ps.state_dir(env) / "simulator_control_token").read_text().strip()
    platform = Platform(edge.url, database_url(env), SimulatorControl(simulator_url, token), edge.ssl)
    with edge.client() as client:
        users = [sign_up(client, edge.url) for _ in range(USERS)]
    bank = Bank(platform, users, BankConfig(clients=CLIENTS, faults=False, client_timeout=5.0, settle_timeout=120))
    started = time.monotonic()
    asyncio.run(_under_crashes(bank, ps.project_name(env)))
    problems = asyncio.run(_checks(bank))
    answers = Counter(status for _, status in bank.answers)
    bank.report.figures["money POST answers (0: timeout/connection error)"] = dict(sorted(answers.items()))
    bank.report.figures["seconds"] = round(time.monotonic() - started)
    print("\n".join("      " + line for line in bank.report.render().splitlines()), flush=True)
    assert problems == [], f"{len(problems)} anomalies:\n" + "\n".join(problems[:50])
    ops = bank.report.operations
    assert ops["transfer acked"] > 20, bank.report.render()
    ps.step(
        f"bank: {ops['transfer acked']} transfers, {ops['topup acked']} top-ups, {ops['withdrawal acked']} withdrawals"
        f" acknowledged under 3 crashes; 0 anomalies"
    )
