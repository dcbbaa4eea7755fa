"""The bank test through the real stack with faults (short form here; `make soak` runs it for
10 minutes by setting BANK_DURATION=600). Writes test-artifacts/bank-report.json."""

from __future__ import annotations

import json
import os

import pytest
from proof_support.bank import Bank, BankConfig
from proof_support.relays import start_relays

from instapay_stack.e2e import register_user

# The workload is many operations per user per second: per-user and per-address quotas are not
# what this test is about (the security suite tests them), so they are raised here.
GENEROUS_LIMITS = json.dumps([
    {"name": "ip", "limit": 1_000_000, "window_seconds": 60, "key": "ip"},
    {"name": "principal", "limit": 1_000_000, "window_seconds": 60, "key": "principal"},
])


@pytest.fixture(scope="module")
def bank_stack(stack_factory):
    """A private stack: the faults must not disturb other suites sharing the session's stack."""
    stack = stack_factory(extra_env={"GATEWAY_RATE_LIMITS": GENEROUS_LIMITS})
    start_relays(stack)
    return stack


DURATION = float(os.environ.get("BANK_DURATION", "100"))


@pytest.mark.timeout(DURATION * 3 + 900)  # load, then settling: every process back, every event delivered
async def test_bank_under_faults(bank_stack, artifacts_dir):
    duration = DURATION
    users = [register_user(bank_stack.gateway_url) for _ in range(int(os.environ.get("BANK_USERS", "6")))]
    config = BankConfig(duration=duration, clients=int(os.environ.get("BANK_CLIENTS", "8")),
                        fault_interval=float(os.environ.get("BANK_FAULT_INTERVAL", "3")))
    report = await Bank(bank_stack, users, config).run()
    name = "soak-report.json" if duration >= 300 else "bank-report.json"
    (artifacts_dir / name).write_text(json.dumps(report.as_dict(), indent=2, default=str))
    print("\n" + report.render())
    assert report.anomalies == [], report.render()
    # The run proved something only if money moved and every kind of fault happened.
    acked = {k: v for k, v in report.operations.items() if k.endswith(" acked")}
    assert acked.get("transfer acked", 0) > 20, report.render()
    assert acked.get("topup acked", 0) > 0 and acked.get("withdrawal acked", 0) > 0, report.render()
    kinds = set(report.faults.counts())
    if duration >= 300:  # the soak goes through every fault
        assert {"kill -9 transaction", "kill -9 gateway", "kill -9 notification", "kill -9 reporting",
                "kill -9 transaction-relay", "kill -9 auth-relay", "postgres connections terminated",
                "slow transaction (SIGSTOP 3s)", "slow gateway (SIGSTOP 2s)"} <= kinds, kinds
    else:  # the short form: a crash of the money service, dropped database connections, a stall
        assert {"kill -9 transaction", "postgres connections terminated"} <= kinds, kinds
