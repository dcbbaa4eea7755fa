"""`make up` heals like a restart policy: against the platform started by its command
(`python -m instapay_stack.cli up`, supervised), a small bank workload runs while the transaction
service and then the gateway are killed with SIGKILL from outside, as the kernel's OOM killer would.
Both come back on their own; meanwhile the gateway answers 503 problem+json for the dead upstream;
afterwards no money is lost or doubled (every acknowledged operation is in the ledger exactly once,
the users' balances are the top-ups minus the withdrawals) and every event is delivered once."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from proof_support.bank import (
    GENEROUS_LIMITS,
    GENEROUS_MONEY_LIMITS,
    Bank,
    BankConfig,
    accounting,
    events_delivered_once,
    ledger_invariants,
)

from instapay_common.db.roles import RoleNames
from instapay_stack.e2e import register_user_async
from instapay_stack.postgres import PostgresHandle, drop_database, drop_roles, ensure_database
from instapay_stack.processes import free_port_base
from instapay_stack.stack import Stack, StackConfig

# Long enough to span both outages (a restart takes 1-3 s here), short enough for `make test`.
LOAD_SECONDS = 15.0


class MakeUp:
    """`make up`'s command in the background, its output collected line by line."""

    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "instapay_stack.cli", "up", "--timeout", "240", "--data-dir", str(data_dir)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def output(self) -> str:
        return "\n".join(self.lines)

    async def wait_line(self, pattern: str, within: float, after: int = 0) -> re.Match[str]:
        deadline = time.monotonic() + within
        while True:
            for line in self.lines[after:]:
                if m := re.search(pattern, line):
                    return m
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no line matching {pattern!r}; output:\n{self.output()}")
            await asyncio.sleep(0.05)

    def pid_of(self, name: str) -> int:
        """The process's current pid: from its last `started`/`restarted` line."""
        pids = [int(m[1]) for x in self.lines if (m := re.search(rf"\b(?:re)?started {name} \(pid (\d+)", x))]
        return pids[-1]


@pytest.fixture
def make_up(pg: PostgresHandle, tmp_path: Path) -> Iterator[tuple[MakeUp, Stack]]:
    name = f"upbank_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    base = free_port_base(10)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "INSTAPAY_PORT_BASE": str(base),
        "GATEWAY_RATE_LIMITS": GENEROUS_LIMITS,
        **GENEROUS_MONEY_LIMITS,
    }
    up = MakeUp(env, tmp_path)
    try:
        # Where the platform is, for the bank's clients (not started here: `up` runs it).
        yield up, Stack(StackConfig(database_url=url, base_port=base, data_dir=tmp_path, log_dir=tmp_path / "logs"))
    finally:
        up.proc.send_signal(signal.SIGINT)
        try:
            up.proc.wait(timeout=60)
        finally:
            if up.proc.poll() is None:
                up.proc.kill()
            drop_database(pg, name)
            drop_roles(pg, RoleNames(name))  # the database roles `up` created


async def _kill_and_watch_503(up: MakeUp, gateway_url: str, token: str) -> dict[str, Any]:
    """kill -9 of the transaction service: the gateway answers 503 problem+json until it is back."""
    pid = up.pid_of("transaction")
    mark = len(up.lines)
    os.kill(pid, signal.SIGKILL)
    await up.wait_line(rf"transaction \(pid {pid}\) killed by SIGKILL; restarting in", 10, mark)
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session, session.get(gateway_url + "/api/v1/wallet", headers=headers) as resp:
        seen = {"status": resp.status, "type": resp.content_type, "body": await resp.json(content_type=None)}
    await up.wait_line(r"transaction ready again", 60, mark)
    return seen


async def _kill(up: MakeUp, name: str) -> None:
    pid = up.pid_of(name)
    mark = len(up.lines)
    os.kill(pid, signal.SIGKILL)
    await up.wait_line(rf"{name} ready again", 60, mark)


@pytest.mark.timeout(240)
async def test_make_up_brings_killed_processes_back_and_loses_no_money(make_up):
    up, stack = make_up
    await up.wait_line(r"^all six services up", 240)
    users = await asyncio.gather(*(register_user_async(stack.gateway_url) for _ in range(4)))
    bank = Bank(stack, list(users), BankConfig(duration=LOAD_SECONDS, clients=6, faults=False, settle_timeout=60))
    await bank.seed_balances()

    started = time.monotonic()
    until = started + LOAD_SECONDS
    clients = [asyncio.create_task(bank.client(i, until)) for i in range(bank.config.clients)]
    await asyncio.sleep(2)
    during_outage = await _kill_and_watch_503(up, stack.gateway_url, users[0].access_token)
    await asyncio.sleep(1)
    await _kill(up, "gateway")
    recovered = time.monotonic() - started
    await asyncio.gather(*clients)
    await bank.settle()

    assert during_outage["status"] == 503, during_outage
    assert during_outage["type"] == "application/problem+json", during_outage
    assert during_outage["body"]["code"] == "service_unavailable", during_outage
    restarts = [x for x in up.lines if "restart" in x or "ready again" in x]
    assert up.proc.poll() is None, up.output()  # the stack kept running

    acked = [o for o in bank.ops if o.outcome == "acked"]
    problems = list(bank.report.anomalies)
    # A withdrawal or bank top-up is in the ledger once the provider confirmed it (bank.settle waits).
    problems += await ledger_invariants(stack.config.database_url, [o for o in acked if o.in_ledger])
    problems += await accounting(stack.config.database_url, bank.ops, bank.users)
    problems += await bank.api_views(acked)
    problems += await events_delivered_once(stack.config.database_url, wait_seconds=30)
    answers = Counter(status for _, status in bank.answers)
    bank.report.figures["money POST answers"] = dict(sorted(answers.items()))  # 0: timeout/connection error
    bank.report.figures["both back after (s)"] = round(recovered, 1)
    print("\n" + "\n".join(restarts) + "\n" + bank.report.render())
    assert problems == [], "\n".join(problems)
    assert bank.report.operations["transfer acked"] > 20, bank.report.render()
