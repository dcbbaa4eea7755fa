"""Fault injection on a running Stack: kill -9 + restart of a process (also timed to hit a payout in
flight), a PostgreSQL restart, dropped database connections, a stalled (slow) upstream, the funding
provider down, and phases of bad callbacks from the provider (duplicated, reordered, delayed,
forged). Each fault returns when the platform has been given back."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from dataclasses import dataclass, field

import asyncpg

from instapay_stack.postgres import PostgresHandle
from instapay_stack.stack import Stack
from proof_support.simulator import NO_FAULTS, SimulatorControl

PROVIDER_DOWN_SECONDS = 5.0
# Callback faults, switched on and off in turn for `phase` seconds each (then all off for one phase):
# every combination of them happens during a long run, each of them during a short one.
CALLBACK_PHASES: list[tuple[str, dict[str, object]]] = [
    ("callbacks duplicated", {"duplicate_callbacks": True}),
    ("callbacks reordered", {"reorder_callbacks": True}),
    ("callbacks delayed 3s", {"callback_delay_ms": 3000}),
    # Later than the funding sweeper's inquiry (bank.FUNDING_SETTINGS): it settles bank top-ups
    # first, and the late callback must then change nothing.
    ("callbacks delayed 20s", {"callback_delay_ms": 20000}),
    ("callbacks forged", {"forge_callbacks": True}),
    (
        "callbacks duplicated+reordered+delayed+forged",
        {"duplicate_callbacks": True, "reorder_callbacks": True, "callback_delay_ms": 2000, "forge_callbacks": True},
    ),
    ("callbacks clean", {}),
]


@dataclass
class FaultLog:
    injected: list[tuple[float, str]] = field(default_factory=list)
    # Monotonic (start, end, name) of each fault, for what the clients saw during it.
    windows: list[tuple[float, float, str]] = field(default_factory=list)

    def add(self, started: float, name: str) -> None:
        self.injected.append((round(time.monotonic() - started, 1), name))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, name in self.injected:
            out[name] = out.get(name, 0) + 1
        return out


def _restart(stack: Stack, name: str) -> None:
    child = stack.supervisor.children[name]
    if child.spec.ready_path is None:  # a relay: no readiness endpoint, alive is ready
        stack.supervisor.kill(name)
        stack.supervisor.start(child.spec)
        return
    stack.supervisor.restart(name, timeout=120)


async def kill_and_restart(stack: Stack, name: str, *, down_seconds: float = 0.5) -> None:
    stack.supervisor.kill(name, signal.SIGKILL)
    await asyncio.sleep(down_seconds)  # clients see the process gone, not just a blip
    await asyncio.to_thread(_restart, stack, name)


async def restart_postgres(pg: PostgresHandle, *, down_seconds: float = 1.0) -> None:
    """Fast shutdown of the bank test's own server, `down_seconds` with none (new connections fail),
    then a start on the same data dir and socket, so the services' DATABASE_URL stays valid."""
    await asyncio.to_thread(pg.restart, down_seconds=down_seconds)


async def terminate_backends(database_url: str) -> int:
    """Drops every connection to the stack's database, the server staying up (an idle-connection
    killer, a failover proxy): pooled connections die under the services, new ones succeed."""
    conn = await asyncpg.connect(database_url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    finally:
        await conn.close()


async def stall(stack: Stack, name: str, seconds: float) -> None:
    """A slow upstream: the process is frozen (SIGSTOP) for `seconds`, then resumed."""
    pid = stack.supervisor.children[name].proc.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        await asyncio.sleep(seconds)
    finally:
        os.kill(pid, signal.SIGCONT)


async def payout_in_flight(sim: SimulatorControl, *, within: float = 10.0) -> bool:
    """Waits until the provider holds a payout it was asked for and has not confirmed yet (the
    window between a withdrawal's payout request and its callback); False if none came."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if any(p["status"] == "pending" for p in await sim.payouts()):
            return True
        await asyncio.sleep(0.1)
    return False


async def provider_down(sim: SimulatorControl, seconds: float = PROVIDER_DOWN_SECONDS) -> None:
    """The provider answers every API call 503 for `seconds` (its queued callbacks still go out)."""
    await sim.set_faults(down=True)
    try:
        await asyncio.sleep(seconds)
    finally:
        await sim.set_faults(down=False)


async def callback_phases(sim: SimulatorControl, *, until: float, phase: float, log: FaultLog, started: float) -> None:
    """Turns the provider's callback faults on and off in phases until `until`, then all off."""
    i = 0
    try:
        while time.monotonic() + 1 < until:
            name, faults = CALLBACK_PHASES[i % len(CALLBACK_PHASES)]
            i += 1
            await sim.set_faults(**{**NO_FAULTS, **faults})
            if faults:
                log.add(started, name)
                print(f"[bank {time.strftime('%H:%M:%S')}] provider: {name}", file=sys.stderr, flush=True)
            begun = time.monotonic()
            await asyncio.sleep(max(0.0, min(phase, until - time.monotonic())))
            if faults:
                log.windows.append((begun, time.monotonic(), name))
    finally:
        await sim.reset()


async def inject_faults(
    stack: Stack,
    database_url: str,
    *,
    until: float,
    interval: float,
    log: FaultLog,
    started: float,
    rng: random.Random,
    pg: PostgresHandle | None = None,
    sim: SimulatorControl | None = None,
) -> None:
    """Injects one fault every `interval` seconds until `until` (monotonic): every kind in turn, then at
    random. `pg` is the stack's server when this run started it (so it may restart it); a server
    named by DATABASE_URL is not ours to restart and gets dropped connections only. With `sim` (the
    provider simulator's control), the provider goes down for a while, and the transaction service
    and its relay are killed while a payout is in flight (requested, not yet confirmed)."""
    # The most telling faults first: a short run (restarts take tens of seconds on a loaded 2-core
    # machine) still gets them; a long run goes through all, then draws at random.
    kinds = [
        "kill -9 transaction",
        "provider down",
        "kill -9 transaction-relay (payout in flight)",
        "postgres restarted",
        "kill -9 transaction (payout in flight)",
        "postgres connections terminated",
        "slow transaction (SIGSTOP 3s)",
        "kill -9 gateway",
        "kill -9 transaction-relay",
        "kill -9 reporting",
        "kill -9 notification",
        "slow gateway (SIGSTOP 2s)",
        "kill -9 auth-relay",
    ]
    if pg is None or pg.server is None:
        kinds.remove("postgres restarted")
    if sim is None:
        kinds = [k for k in kinds if "payout" not in k and "provider" not in k]
    order = list(kinds)
    while time.monotonic() + interval < until:
        await asyncio.sleep(interval * rng.uniform(0.6, 1.4))
        kind = order.pop(0) if order else rng.choice(kinds)
        if "(payout in flight)" in kind:
            assert sim is not None
            if not await payout_in_flight(sim):
                kind = kind.removesuffix(" (payout in flight)")  # none came: a plain kill
        log.add(started, kind)
        print(f"[bank {time.strftime('%H:%M:%S')}] fault: {kind}", file=sys.stderr, flush=True)
        begun = time.monotonic()
        if kind.startswith("kill -9 "):
            await kill_and_restart(stack, kind.removeprefix("kill -9 ").removesuffix(" (payout in flight)"))
        elif kind == "provider down":
            assert sim is not None
            await provider_down(sim)
        elif kind == "postgres restarted":
            assert pg is not None
            await restart_postgres(pg)
        elif kind.startswith("postgres"):
            await terminate_backends(database_url)
        elif kind.startswith("slow transaction"):
            await stall(stack, "transaction", 3.0)
        else:
            await stall(stack, "gateway", 2.0)
        log.windows.append((begun, time.monotonic(), kind))
