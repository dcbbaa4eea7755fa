"""The bank test through the real stack with faults (short form here; `make soak` runs it for
10 minutes by setting BANK_DURATION=600). Writes test-artifacts/bank-report.json.

It runs on its own embedded PostgreSQL (.data/bank-pg), not the test server every suite shares, so
that PostgreSQL itself can be restarted as a fault. With DATABASE_URL set, that server is used and
is not ours to restart: its connections are terminated instead."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from proof_support.bank import (
    FUNDING_SETTINGS,
    GENEROUS_LIMITS,
    GENEROUS_MONEY_LIMITS,
    SCHEDULE_SETTINGS,
    Bank,
    BankConfig,
)
from proof_support.bank_aliases import AliasScenario
from proof_support.relays import start_relays

from instapay_stack.e2e import register_user
from instapay_stack.paths import DATA_DIR
from instapay_stack.postgres import PostgresHandle, open_postgres
from instapay_stack.stack import Stack, private_stack


def _claim_data_dir() -> tuple[Path, IO]:
    """.data/bank-pg, or bank-pg-2, -3... when a concurrent bank run holds it: a run restarts its
    server, which must not happen under another run."""
    for n in range(1, 20):
        path = DATA_DIR / ("bank-pg" if n == 1 else f"bank-pg-{n}")
        DATA_DIR.mkdir(exist_ok=True)
        lock = (DATA_DIR / f"{path.name}.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        return path, lock
    raise RuntimeError("no free bank-pg data dir")


@pytest.fixture(scope="module")
def bank_pg() -> Iterator[PostgresHandle]:
    path, lock = _claim_data_dir()
    try:
        handle = open_postgres(path)
        try:
            yield handle
        finally:
            handle.stop()
    finally:
        lock.close()


@pytest.fixture(scope="module")
def bank_stack(bank_pg: PostgresHandle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A private stack on the bank's server: the faults must not disturb other suites."""
    with private_stack(
        bank_pg,
        prefix="bank",
        data_dir=tmp_path_factory.mktemp("bank-stack"),
        extra_env={
            "GATEWAY_RATE_LIMITS": GENEROUS_LIMITS,
            **GENEROUS_MONEY_LIMITS,
            **FUNDING_SETTINGS,
            **SCHEDULE_SETTINGS,
        },
    ) as stack:
        start_relays(stack)
        yield stack


DURATION = float(os.environ.get("BANK_DURATION", "100"))


@pytest.mark.timeout(DURATION * 3 + 900)  # load, then settling: every process back, every event delivered
async def test_bank_under_faults(bank_stack, bank_pg, artifacts_dir):
    duration = DURATION
    users = [register_user(bank_stack.gateway_url) for _ in range(int(os.environ.get("BANK_USERS", "6")))]
    config = BankConfig(
        duration=duration,
        clients=int(os.environ.get("BANK_CLIENTS", "8")),
        fault_interval=float(os.environ.get("BANK_FAULT_INTERVAL", "3")),
        schedules=True,
        reversals=True,
    )
    # Handles renamed and released under the load, paid all along (its own users and money).
    aliases = AliasScenario.prepare(bank_stack.gateway_url)
    bank = Bank(bank_stack, users, config, pg=bank_pg)
    bank.outside_operations = aliases.funding_ids
    alias_task = asyncio.create_task(aliases.run(duration))
    report = await bank.run()
    for problem in await aliases.finish(alias_task, bank_stack.config.database_url):
        report.anomaly(problem)
    report.figures.update({f"aliases: {k}": v for k, v in aliases.figures.items()})
    name = "soak-report.json" if duration >= 300 else "bank-report.json"
    (artifacts_dir / name).write_text(json.dumps(report.as_dict(), indent=2, default=str))
    print("\n" + report.render())
    assert report.anomalies == [], report.render()
    # The run proved something only if money moved and every kind of fault happened.
    acked = {k: v for k, v in report.operations.items() if k.endswith(" acked")}
    assert acked.get("transfer acked", 0) > 20, report.render()
    assert acked.get("topup acked", 0) > 0 and acked.get("withdrawal acked", 0) > 0, report.render()
    assert acked.get("topup (card) acked", 0) > 0 and acked.get("topup (bank) acked", 0) > 0, report.render()
    # Refunds moved money, and asking for more than was received was refused (the ledger check
    # that no transfer's refunds add up to more than it ran in every audit).
    assert acked.get("refund acked", 0) > 0, report.render()
    assert report.operations.get("refund (above) refused: refund_exceeds_transfer", 0) > 0, report.render()
    # Scheduled one-off transfers ran (each exactly once: schedule_checks), and disputed transfers
    # were reversed by two admins (never more than was left of them: the ledger audit).
    assert acked.get("schedule acked", 0) > 5 and acked.get("scheduled acked", 0) > 5, report.render()
    assert report.operations.get("reversal approved (200)", 0) > 0, report.render()
    # ... and refused whole when the recipient had spent the money first.
    assert report.operations.get("reversal refused (409): reversal_insufficient_funds", 0) > 0, report.render()
    finally_ = report.operations
    assert finally_.get("withdrawal (bank) acked, finally completed", 0) > 0, report.render()
    assert finally_.get("topup (bank) acked, finally completed", 0) > 0, report.render()
    kinds = set(report.faults.counts())
    # The provider's faults, in every run: its callbacks duplicated, reordered, delayed, forged (in
    # phases), the provider down, and the transaction relay killed while a payout is in flight.
    assert {
        "callbacks duplicated",
        "callbacks reordered",
        "callbacks delayed 3s",
        "callbacks delayed 20s",
        "callbacks forged",
        "provider down",
        "kill -9 transaction-relay (payout in flight)",
    } <= kinds, kinds
    # PostgreSQL is restarted only when this run started it (not with DATABASE_URL).
    restart = {"postgres restarted"} if bank_pg.server is not None else set()
    if bank_pg.server is None:
        print("DATABASE_URL's server is not ours to restart: its connections were terminated instead")
    if duration >= 300:  # the soak goes through every fault
        assert {
            "kill -9 transaction",
            "kill -9 transaction (payout in flight)",
            "kill -9 gateway",
            "kill -9 notification",
            "kill -9 reporting",
            "kill -9 transaction-relay",
            "kill -9 auth-relay",
            "postgres connections terminated",
            "slow transaction (SIGSTOP 3s)",
            "slow gateway (SIGSTOP 2s)",
        } | restart <= kinds, kinds
    else:  # the short form: a crash of the money service, a database restart, dropped connections
        assert {"kill -9 transaction", "postgres connections terminated"} | restart <= kinds, kinds
