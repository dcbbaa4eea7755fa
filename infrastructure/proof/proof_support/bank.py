"""The bank test (after Jepsen's "bank" workload): concurrent clients move money through the gateway
while faults are injected; the ledger, the API and the event consumers are checked against what the
clients were told.

Every money-moving request carries an Idempotency-Key and is retried with the same key (and body)
after a timeout, a dropped connection, a 5xx or `idempotency_in_progress`, so an operation ends up
definite: acknowledged (201, or 202 for a bank top-up), declined (a 4xx decided by the ledger, e.g.
insufficient funds), or still unknown. Unknown ones are resolved at the end, once everything is back,
by replaying their key: the idempotency store answers with the original outcome. Money in and out
goes through the provider simulator with its faults on: a withdrawal's 201 and a bank top-up's 202
mean pending, so the final accounting waits until the provider has confirmed or failed every one
(callbacks, or the funding sweeper's inquiry), then counts what completed.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import ssl
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import asyncpg
import httpx

from instapay_stack.e2e import TestUser, login, make_admin, register_user
from instapay_stack.postgres import PostgresHandle
from instapay_stack.stack import Stack
from proof_support.faults import FaultLog, callback_phases, inject_faults
from proof_support.simulator import SimulatorControl

RETRYABLE = {409, 429, 500, 502, 503, 504}
CENT = Decimal("0.01")
# Undelivered events of every emitter's outbox (transaction, auth, user service: each has its relay).
BACKLOG_SQL = (
    "SELECT (SELECT count(*) FROM ledger.outbox_events WHERE dispatched_at IS NULL) "
    "+ (SELECT count(*) FROM ledger.outbox_deliveries WHERE delivered_at IS NULL) "
    "+ (SELECT count(*) FROM auth.outbox_events WHERE dispatched_at IS NULL) "
    "+ (SELECT count(*) FROM auth.outbox_deliveries WHERE delivered_at IS NULL) "
    "+ (SELECT count(*) FROM users.outbox_events WHERE dispatched_at IS NULL) "
    "+ (SELECT count(*) FROM users.outbox_deliveries WHERE delivered_at IS NULL)"
)
# Per money event type: how many reporting movements and in-app notifications it must produce (a
# failed top-up or withdrawal moved no money: nothing to report, one notification to its owner).
EXPECTED_PER_EVENT = {
    "transfer.completed": (2, 2),
    # A refund's money moves as a `transfer.completed` with `refund_of` (reporting: 2 movements,
    # no notice of its own); its `refund.created` tells both sides.
    "refund.created": (0, 2),
    "topup.completed": (1, 1),
    "withdrawal.completed": (1, 1),
    "topup.failed": (0, 1),
    "withdrawal.failed": (0, 1),
    # A dispute's reversal: money between two users (2 movements), a notice to each side.
    "transfer.reversed": (2, 2),
    # A scheduled occurrence that was declined: no money, the sender is told.
    "scheduled_transfer.failed": (0, 1),
}
MONEY_TYPES = tuple(EXPECTED_PER_EVENT)
# Operations between two users (no funding provider): a transfer, a refund of one, an occurrence of
# a scheduled transfer (the scheduler's transfer), a reversal of a disputed transfer (operators').
PERSON_TO_PERSON = ("transfer", "refund", "scheduled", "reversal")
# Operations through the funding provider.
FUNDING = ("topup", "withdrawal")
# The bank test's stack finds due scheduled transfers every second (default 5): the occurrences
# the clients schedule a few seconds ahead run within the load, under its faults.
SCHEDULE_SETTINGS = {"SCHEDULE_SCAN_SECONDS": "1"}
# Settings of the bank test's stack (private_stack's extra_env) for the funding provider: the
# simulator confirms slowly enough that kills land between a payout request and its confirmation,
# and the funding sweeper looks up a bank top-up whose callback is late after seconds, not minutes.
FUNDING_SETTINGS = {
    "SIMULATOR_PAYOUT_DELAY_MS": "1500",
    "SIMULATOR_BANK_DELAY_MS": "1000",
    "TOPUP_INQUIRY_AFTER_SECONDS": "10",
    "FUNDING_SWEEP_SECONDS": "3",
    "TOPUP_LIMIT_DAILY": "1000000000.00",
    "TOPUP_LIMIT_MONTHLY": "1000000000.00",
}

# The workload is many operations per user per second: per-user and per-address quotas are not
# what this test is about (the security suite tests them), so they are raised here.
GENEROUS_LIMITS = json.dumps(
    [
        {"name": "ip", "limit": 1_000_000, "window_seconds": 60, "key": "ip"},
        {"name": "principal", "limit": 1_000_000, "window_seconds": 60, "key": "principal"},
    ]
)
# Likewise the money limits (the money core's tests cover them): with InstaPay's real daily and
# monthly caps the six users of a 10-minute soak hit them within minutes, and from then on about
# half of all operations were `limit_exceeded` declines instead of money moving under the faults.
GENEROUS_MONEY_LIMITS = {"LIMIT_DAILY": "1000000000.00", "LIMIT_MONTHLY": "1000000000.00"}


@dataclass
class Platform:
    """What the bank talks to: the gateway (directly, or through a proxy over HTTPS: `ssl` then
    verifies it), the database its checks read, and the provider's control API."""

    gateway_url: str
    database_url: str
    simulator: SimulatorControl
    ssl: ssl.SSLContext | bool = True

    @classmethod
    def of(cls, stack: Stack) -> Platform:
        return cls(stack.gateway_url, stack.config.database_url, SimulatorControl.of(stack))


@dataclass
class BankConfig:
    duration: float = 60.0
    clients: int = 8
    fault_interval: float = 6.0
    faults: bool = True
    seed: int = 0
    client_timeout: float = 3.0
    settle_timeout: float = 180.0
    # Each phase of the provider's callback faults lasts this long (faults.CALLBACK_PHASES).
    callback_phase: float = 8.0
    # Clients also schedule one-off transfers a few seconds ahead (the stack's scan interval should
    # be short: SCHEDULE_SETTINGS), checked at the end: each ran exactly once.
    schedules: bool = False
    # Senders dispute transfers and two admins reverse them (needs a local Stack: admins are made
    # with the operator command). Off for a Platform.
    reversals: bool = False
    # Seconds between two disputes the operators take up.
    dispute_interval: float = 2.5


@dataclass
class Op:
    kind: str  # transfer | topup | withdrawal | refund | schedule | scheduled | reversal
    user: TestUser
    key: str
    body: dict[str, Any]
    path: str
    outcome: str = "unknown"  # acked | declined | unknown
    status: int | None = None
    result_id: str | None = None
    amount: Decimal = Decimal("0")
    attempts: int = 0
    method: str = ""  # card | bank for top-ups and withdrawals
    acked_status: str | None = None  # the status the acknowledgement said (pending | completed)
    final_status: str | None = None  # a funding operation's status once nothing is pending
    counterparty: TestUser | None = None  # a transfer's or refund's other user
    refund_of: Op | None = None  # a refund: the acknowledged transfer it gives money back for
    refund_kind: str = ""  # partial | full (no amount: what is left) | above (more than received)

    @property
    def label(self) -> str:
        return f"{self.kind} ({self.method})" if self.method else self.kind

    @property
    def in_ledger(self) -> bool:
        """An acknowledged operation that moved money: a transfer, or a funding operation known completed."""
        if self.outcome != "acked":
            return False
        if self.kind in PERSON_TO_PERSON:
            return True
        return self.kind in FUNDING and "completed" in (self.acked_status, self.final_status)


@dataclass
class Case:
    """A dispute the operators took up: the sender reports the transfer, one admin proposes
    `reverse`, another approves; `outcome` is what the approval answered (or the case's state read
    back after an answer was lost)."""

    transfer: Op
    drain: bool = False  # the recipient spends everything before the approval
    dispute_id: str | None = None
    approval_id: str | None = None
    outcome: str = "unknown"  # reversed | reversal_insufficient_funds | nothing_to_reverse | unknown | ...
    reversal_id: str | None = None


@dataclass
class BankReport:
    operations: Counter = field(default_factory=Counter)
    faults: FaultLog = field(default_factory=FaultLog)
    anomalies: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def anomaly(self, text: str) -> None:
        if len(self.anomalies) < 200:
            self.anomalies.append(text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "operations": dict(self.operations),
            "faults_injected": self.faults.counts(),
            "fault_timeline": self.faults.injected,
            "anomalies": self.anomalies,
            "figures": self.figures,
        }

    def render(self) -> str:
        lines = ["== bank test report ==", "operations:"]
        lines += [f"  {k:<32} {v}" for k, v in sorted(self.operations.items())]
        lines.append(f"faults injected ({len(self.faults.injected)}):")
        lines += [f"  {k:<32} {v}" for k, v in sorted(self.faults.counts().items())]
        lines.append("figures:")
        lines += [f"  {k:<32} {v}" for k, v in self.figures.items()]
        lines.append(f"anomalies: {len(self.anomalies)}")
        lines += [f"  - {a}" for a in self.anomalies[:50]]
        return "\n".join(lines)


def progress(msg: str) -> None:
    print(f"[bank {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Bank:
    def __init__(
        self, stack: Stack | Platform, users: list[TestUser], config: BankConfig, pg: PostgresHandle | None = None
    ) -> None:
        # A local stack (`run` injects faults into its processes and checks them), or any platform
        # the caller drives itself (a compose stack: the caller kills containers, then checks).
        self.platform = Platform.of(stack) if isinstance(stack, Stack) else stack
        self._stack = stack if isinstance(stack, Stack) else None
        self.pg = pg  # the stack's server if this run started it (then it is restarted as a fault)
        self.url = self.platform.gateway_url
        self.db_url = self.platform.database_url
        self.users = users
        self.config = config
        self.rng = random.Random(config.seed)  # noqa: S311 - a workload, not security
        self.report = BankReport()
        self.ops: list[Op] = []
        self.seen_ids: dict[str, str] = {}  # idempotency key -> the id its first 201 answered
        self.received: dict[str, list[Op]] = {}  # handle -> acknowledged transfers it received
        self.relogin_lock = asyncio.Lock()
        # (monotonic time, HTTP status or 0 for a timeout/connection error) of every answer during
        # the load, to show what a fault looked like to the clients.
        self.answers: list[tuple[float, int]] = []
        self.sim = self.platform.simulator
        self.run_started_at = datetime.now(UTC)
        # Funding operations of scenarios run beside this workload with their own users and
        # checks (e.g. bank_aliases): known, so the funding check does not count them as untold.
        self.outside_operations: set[str] = set()
        self.admins: list[TestUser] = []  # two admins (maker and checker) when reversals are on
        self.cases: list[Case] = []
        self.run_started_mono = time.monotonic()

    @property
    def stack(self) -> Stack:
        """The local stack: its processes are what `run` faults and checks."""
        if self._stack is None:
            raise TypeError("run() and its checks need a local Stack; drive a Platform with client() and settle()")
        return self._stack

    def session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self.platform.ssl))

    # ---- HTTP with retries ----

    def _login(self, user: TestUser) -> dict[str, Any]:
        """Signs in again, as a client does after a 401: a sign-in answered 429 or 5xx (a process
        of the platform restarting) is sent again after a pause, for up to the settle time."""
        deadline = time.monotonic() + self.config.settle_timeout
        with httpx.Client(verify=self.platform.ssl, timeout=15) as client:
            while True:
                try:
                    return login(self.url, user.email, user.password, client=client)
                except (AssertionError, httpx.HTTPError) as exc:
                    retry = isinstance(exc, httpx.HTTPError) or any(
                        f"got {s}" in str(exc) for s in (429, 502, 503, 504)
                    )
                    if not retry or time.monotonic() > deadline:
                        raise
                    self.report.operations["sign-in again answered 429/5xx (retried)"] += 1
                    time.sleep(1.0)

    async def _relogin(self, user: TestUser) -> None:
        async with self.relogin_lock:
            tokens = await asyncio.to_thread(self._login, user)
            user.access_token = tokens["access_token"]

    async def _send(self, session: aiohttp.ClientSession, op: Op, limit: float) -> tuple[int, dict] | None:
        headers = {"Authorization": f"Bearer {op.user.access_token}", "Idempotency-Key": op.key}
        try:
            async with session.post(
                self.url + op.path, json=op.body, headers=headers, timeout=aiohttp.ClientTimeout(total=limit)
            ) as resp:
                body = await resp.json(content_type=None) if resp.content_length != 0 else {}
                return resp.status, body or {}
        except (TimeoutError, aiohttp.ClientError, json.JSONDecodeError, ValueError):
            self.report.operations[f"{op.kind} client timeout/conn error (retried)"] += 1
            return None

    async def attempt(self, session: aiohttp.ClientSession, op: Op, *, max_attempts: int, deadline: float) -> None:
        while op.attempts < max_attempts and time.monotonic() < deadline:
            op.attempts += 1
            # Sometimes a very short client timeout: the request may well land after we gave up on it.
            timeout = 0.05 if self.rng.random() < 0.05 else self.config.client_timeout
            answer = await self._send(session, op, timeout)
            self.answers.append((time.monotonic(), answer[0] if answer else 0))
            if answer is None:
                await asyncio.sleep(min(0.05 * op.attempts, 1.0))
                continue
            status, body = answer
            if status == 401:
                await self._relogin(op.user)
                continue
            if status in RETRYABLE:
                self.report.operations[f"{op.kind} {status} (retried)"] += 1
                if status == 500:  # an unhandled error: a bug, never the expected face of a fault
                    self.report.anomaly(f"{op.kind} key {op.key}: 500 {body}")
                await asyncio.sleep(min(0.05 * op.attempts, 1.0))
                continue
            self._settle(op, status, body)
            return

    def _settle(self, op: Op, status: int, body: dict) -> None:
        op.status = status
        if status == 201 or (status == 202 and op.method == "bank" and op.kind == "topup"):
            op.outcome = "acked"
            op.acked_status = str(body.get("status"))
            # A bank debit the provider had already confirmed when our answer was made (a retry after
            # a lost answer, or its callback came first) is answered 201 `completed`: true, not pending.
            want = {
                "transfer": {(201, "completed")},
                "refund": {(201, "completed")},
                "topup": {(201, "completed")} if op.method == "card" else {(202, "pending"), (201, "completed")},
                "withdrawal": {(201, "pending")},
                "schedule": {(201, "active")},
            }[op.kind]
            if (status, op.acked_status) not in want:
                self.report.anomaly(f"{op.kind} key {op.key} answered {status} with status {op.acked_status}")
            elif op.kind == "topup" and op.method == "bank" and status == 201:
                self.report.operations["topup (bank) answered 201 completed (confirmed before the answer)"] += 1
            op.result_id = str(body.get("id"))
            first = self.seen_ids.setdefault(op.key, op.result_id)
            if first != op.result_id:
                self.report.anomaly(f"key {op.key} answered two different ids: {first} then {op.result_id}")
            if op.refund_kind == "full":  # no amount asked: whatever was left of the transfer
                op.amount = Decimal(str(body.get("amount")))
            if Decimal(str(body.get("amount"))) != op.amount:
                self.report.anomaly(f"{op.kind} {op.result_id} answered amount {body.get('amount')}, sent {op.amount}")
            if op.kind == "refund" and op.refund_kind == "above":
                self.report.anomaly(f"refund {op.result_id} of more than was received was accepted: {body}")
            if op.kind == "transfer" and op.counterparty is not None:
                self.received.setdefault(op.counterparty.handle, []).append(op)
        elif status in (422, 423) and body.get("code") in (
            "insufficient_funds",
            "limit_exceeded",
            "account_frozen",
            "funding_declined",
            "refund_exceeds_transfer",
        ):
            op.outcome = "declined"
            if op.kind == "refund" and body.get("code") == "refund_exceeds_transfer":
                self.report.operations[f"refund ({op.refund_kind}) refused: refund_exceeds_transfer"] += 1
        else:
            op.outcome = "declined"
            self.report.anomaly(f"{op.kind} key {op.key}: unexpected answer {status} {body}")

    # ---- the workload ----

    def _new_refund(self, user: TestUser) -> Op | None:
        """A refund of a transfer `user` received: the rest of it (no amount), part of it, or a
        cent more than the whole transfer, which must always be refused."""
        received = self.received.get(user.handle)
        if not received:
            return None
        original = self.rng.choice(received)
        roll = self.rng.random()
        refund_kind = "full" if roll < 0.35 else ("partial" if roll < 0.8 else "above")
        body: dict[str, Any] = {"pin": user.pin, "note": "bank test refund"}
        amount = Decimal(0)
        if refund_kind == "partial":
            amount = max(CENT, (original.amount * Decimal(self.rng.randint(10, 60)) / 100).quantize(CENT))
        elif refund_kind == "above":
            amount = original.amount + CENT
        if refund_kind != "full":
            body["amount"] = str(amount)
        return Op(
            kind="refund",
            user=user,
            key=f"bank-{secrets.token_hex(8)}",
            body=body,
            path=f"/api/v1/transfers/{original.result_id}/refunds",
            amount=amount,
            counterparty=original.user,
            refund_of=original,
            refund_kind=refund_kind,
        )

    def _new_op(self, user: TestUser) -> Op:
        kinds, weights = ("transfer", "topup", "withdrawal", "refund"), (5, 2, 1, 1)
        if self.config.schedules:
            kinds, weights = (*kinds, "schedule"), (*weights, 1)
        kind = self.rng.choices(kinds, weights=weights)[0]
        if kind == "refund":
            op = self._new_refund(user)
            if op is not None:
                return op
            kind = "transfer"
        amount = Decimal(self.rng.randint(100, 5000)) / 100
        if kind != "topup" and self.rng.random() < 0.04:
            # More than a user usually holds (under the per-transaction maximum): an
            # insufficient-funds decline, stored with its key and replayed on retry, under the
            # same faults as the money that moves.
            amount = Decimal("69999.99")
        key = f"bank-{secrets.token_hex(8)}"
        if kind == "transfer":
            to = self.rng.choice([u for u in self.users if u is not user])
            body = {"recipient": to.handle, "amount": str(amount), "pin": user.pin, "note": "bank test"}
            path = "/api/v1/transfers"
            return Op(kind=kind, user=user, key=key, body=body, path=path, amount=amount, counterparty=to)
        if kind == "schedule":
            # A one-off transfer a few seconds ahead (`start_at` set at each send): weekly and
            # monthly ones would not fall due within a run. The note names it: the route has no
            # Idempotency-Key, so a lost answer is resolved by looking for it.
            to = self.rng.choice([u for u in self.users if u is not user])
            body = {"recipient": to.handle, "amount": str(amount), "pin": user.pin, "note": f"bank schedule {key}"}
            body["repeat"] = "none"
            path = "/api/v1/scheduled-transfers"
            return Op(kind=kind, user=user, key=key, body=body, path=path, amount=amount, counterparty=to)
        if kind == "topup":
            # Half by card (captured at once, 201), half by bank debit (202 pending, confirmed by the
            # provider's callback); a few bank debits the bank refuses (`fail-`: failed later).
            method = self.rng.choice(("card", "bank"))
            ref = f"fail-{key}" if method == "bank" and self.rng.random() < 0.1 else f"{method}-{key}"
            body = {"amount": str(amount), "source": {"type": method, "reference": ref}}
            path = "/api/v1/wallet/topups"
        else:
            # A few payouts the bank refuses: the hold is released, the money stays.
            method = "bank"
            ref = f"fail-{key}" if self.rng.random() < 0.1 else f"iban-{key}"
            body = {"amount": str(amount), "destination": {"type": "bank", "reference": ref}, "pin": user.pin}
            path = "/api/v1/wallet/withdrawals"
        return Op(kind=kind, user=user, key=key, body=body, path=path, amount=amount, method=method)

    async def _read(self, session: aiohttp.ClientSession, user: TestUser) -> None:
        try:
            headers = {"Authorization": f"Bearer {user.access_token}"}
            async with session.get(
                self.url + "/api/v1/wallet",
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.config.client_timeout),
            ) as resp:
                if resp.status == 200:
                    wallet = await resp.json()
                    self.report.operations["read wallet ok"] += 1
                    if Decimal(wallet["balance"]) < 0 or Decimal(wallet["available_balance"]) < 0:
                        self.report.anomaly(
                            f"negative balance read: {user.handle} balance {wallet['balance']} "
                            f"available {wallet['available_balance']}"
                        )
                elif resp.status == 401:
                    await self._relogin(user)
                else:
                    self.report.operations[f"read wallet {resp.status}"] += 1
                    if resp.status == 500:
                        self.report.anomaly(f"read wallet of {user.handle}: 500 {await resp.text()}")
        except (TimeoutError, aiohttp.ClientError):
            self.report.operations["read wallet timeout/conn error"] += 1

    async def client(self, index: int, until: float) -> None:
        async with self.session() as session:
            while time.monotonic() < until:
                user = self.users[(index + self.rng.randrange(len(self.users))) % len(self.users)]
                if self.rng.random() < 0.25:
                    await self._read(session, user)
                    continue
                op = self._new_op(user)
                self.ops.append(op)
                if op.kind == "schedule":
                    await self.create_schedule(session, op, deadline=until)
                else:
                    await self.attempt(session, op, max_attempts=8, deadline=until)

    # ---- scheduled transfers ----

    async def create_schedule(self, session: aiohttp.ClientSession, op: Op, *, deadline: float) -> None:
        """POST /scheduled-transfers, retried as a careful client must without an Idempotency-Key:
        after no answer (or one that asks for a retry) it first looks for the schedule by its note,
        and sends again only if there is none."""
        while op.attempts < 8 and time.monotonic() < deadline:
            op.attempts += 1
            op.body["start_at"] = (datetime.now(UTC) + timedelta(seconds=self.rng.uniform(2.0, 8.0))).isoformat()
            answer = await self._send(session, op, self.config.client_timeout)
            self.answers.append((time.monotonic(), answer[0] if answer else 0))
            if answer is not None:
                status, body = answer
                if status == 401:
                    await self._relogin(op.user)
                    continue
                if status == 409 and body.get("code") == "schedules_full":
                    op.outcome, op.status = "declined", status
                    self.report.operations["schedule refused: schedules_full"] += 1
                    return
                if status not in RETRYABLE:
                    self._settle(op, status, body)
                    return
                self.report.operations[f"schedule {status} (looked up, retried)"] += 1
                if status == 500:
                    self.report.anomaly(f"schedule key {op.key}: 500 {body}")
            await asyncio.sleep(1.0)  # a request still on its way lands before the look-up
            if await self._resolve_schedule(op):
                self.report.operations["schedule created though its answer was lost (found by its note)"] += 1
                return

    async def _resolve_schedule(self, op: Op) -> bool:
        """The schedule `op` asked for, looked up by its note (the database may be restarting)."""
        for _ in range(20):
            try:
                conn = await _connect(self.db_url)
                try:
                    found = await conn.fetchval(
                        "SELECT id FROM ledger.scheduled_transfers WHERE note = $1 ORDER BY created_at LIMIT 1",
                        op.body["note"],
                    )
                finally:
                    await conn.close()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError):
                await asyncio.sleep(1.0)
                continue
            if found is None:
                return False
            op.outcome, op.result_id, op.acked_status = "acked", str(found), "active"
            return True
        return False

    async def schedules_settled(self) -> None:
        """Waits until no schedule of the bank's users is still active (each is a one-off: it
        completes when its occurrence ran), then turns every occurrence that ran into an operation:
        `scheduled` acked (its transfer) or declined (a recorded decline)."""
        for op in self.ops:
            if op.kind == "schedule" and op.outcome == "unknown" and not await self._resolve_schedule(op):
                op.outcome = "declined"  # never created: nothing was stored under its note
                self.report.operations["schedule never created (no answer, none stored)"] += 1
        user_ids = [u.user_id for u in self.users]
        conn = await _connect(self.db_url)
        try:
            best, stalled_since = None, time.monotonic()
            while True:
                live = await conn.fetchval(
                    "SELECT count(*) FROM ledger.scheduled_transfers WHERE user_id = ANY($1::uuid[]) "
                    "AND status = 'active'",
                    user_ids,
                )
                if live == 0:
                    break
                if best is None or live < best:
                    best, stalled_since = live, time.monotonic()
                elif time.monotonic() - stalled_since > self.config.settle_timeout:
                    self.report.anomaly(f"{live} scheduled transfers still active (due, never run)")
                    break
                await asyncio.sleep(1.0)
            runs = await conn.fetch(
                "SELECT r.schedule_id, r.occurrence, r.outcome, r.transfer_id, s.amount, s.user_id, "
                "s.recipient->>'user_id' AS recipient_id FROM ledger.scheduled_transfer_runs r "
                "JOIN ledger.scheduled_transfers s ON s.id = r.schedule_id WHERE s.user_id = ANY($1::uuid[])",
                user_ids,
            )
        finally:
            await conn.close()
        by_id = {u.user_id: u for u in self.users}
        for r in runs:
            op = Op(
                kind="scheduled",
                user=by_id[str(r["user_id"])],
                key=f"{r['schedule_id']}:{r['occurrence']}",
                body={},
                path="",
                outcome="acked" if r["transfer_id"] else "declined",
                result_id=str(r["transfer_id"]) if r["transfer_id"] else None,
                amount=r["amount"],
                counterparty=by_id.get(r["recipient_id"]),
            )
            self.ops.append(op)
            if op.outcome == "declined":
                self.report.operations[f"scheduled occurrence declined (recorded): {r['outcome']}"] += 1

    async def schedule_checks(self) -> list[str]:
        """Every schedule is one a client asked for; every one whose start passed ran exactly once
        (one run row, the schedule completed); each completed run's transfer is in the ledger with
        the schedule's amount, and no other transfer carries the schedule's note (no occurrence
        moved money twice, nor without its run)."""
        problems: list[str] = []
        asked = {o.body["note"]: o for o in self.ops if o.kind == "schedule"}
        conn = await _connect(self.db_url)
        try:
            rows = await conn.fetch(
                "SELECT s.id, s.note, s.amount, s.status, s.runs, s.start_at <= now() AS due, "
                "(SELECT count(*) FROM ledger.scheduled_transfer_runs r WHERE r.schedule_id = s.id) AS run_rows, "
                "(SELECT count(*) FROM ledger.scheduled_transfer_runs r JOIN ledger.journal_entries e "
                " ON e.id = r.transfer_id WHERE r.schedule_id = s.id AND e.type = 'transfer' "
                " AND e.amount = s.amount) AS good_transfers, "
                "(SELECT count(*) FROM ledger.scheduled_transfer_runs r WHERE r.schedule_id = s.id "
                " AND r.transfer_id IS NOT NULL) AS run_transfers, "
                "(SELECT count(*) FROM ledger.journal_entries e WHERE e.note = s.note) AS noted, "
                "(SELECT min(r.due_at) FROM ledger.scheduled_transfer_runs r WHERE r.schedule_id = s.id) AS due_at, "
                "(SELECT min(r.ran_at) FROM ledger.scheduled_transfer_runs r WHERE r.schedule_id = s.id) AS ran_at "
                "FROM ledger.scheduled_transfers s WHERE s.user_id = ANY($1::uuid[])",
                [u.user_id for u in self.users],
            )
        finally:
            await conn.close()
        per_note = Counter(r["note"] for r in rows)
        ids = {str(r["id"]) for r in rows}
        for r in rows:
            if r["note"] not in asked:
                problems.append(f"schedule {r['id']} ({r['note']}) exists but no client asked for it")
            if r["due"] and (r["run_rows"] != 1 or r["runs"] != 1 or r["status"] != "completed"):
                problems.append(
                    f"schedule {r['id']} is due but has {r['run_rows']} runs (counter {r['runs']}, {r['status']})"
                )
            if r["good_transfers"] != r["run_transfers"]:
                problems.append(f"schedule {r['id']}: a run's transfer is missing or has another amount")
            if r["noted"] != r["run_transfers"]:
                problems.append(
                    f"schedule {r['id']}: {r['noted']} transfers carry its note, {r['run_transfers']} runs moved money"
                )
        for op in asked.values():
            if op.outcome == "acked" and op.result_id not in ids:
                problems.append(f"acknowledged schedule {op.result_id} (key {op.key}) is not stored")
        self.report.operations["schedule stored twice (retried after a lost answer)"] += sum(
            n - 1 for n in per_note.values() if n > 1
        )
        # Occurrences that fell due while the transaction service (the scheduler's process) was
        # down after a kill -9, and ran once it was back.
        down = [
            (
                self.run_started_at + timedelta(seconds=b - self.run_started_mono),
                self.run_started_at + timedelta(seconds=e - self.run_started_mono),
            )
            for b, e, kind in self.report.faults.windows
            if kind.startswith("kill -9 transaction") and "relay" not in kind
        ]
        self.report.figures["scheduled occurrences due while the transaction service was killed, run after"] = sum(
            1 for r in rows if r["due_at"] and any(b <= r["due_at"] <= e < r["ran_at"] for b, e in down)
        )
        self.report.figures["schedules stored"] = len(rows)
        return problems

    # ---- disputes and reversals ----

    async def _call(
        self, session: aiohttp.ClientSession, user: TestUser, path: str, body: dict[str, Any] | None, *, deadline: float
    ) -> tuple[int, dict[str, Any]] | None:
        """A POST (or a GET when `body` is None) sent again after no answer, a 401 (signed in
        again), a 429 or a 5xx; None if `deadline` passed first. Anything else is returned."""
        while time.monotonic() < deadline:
            headers = {"Authorization": f"Bearer {user.access_token}"}
            timeout = aiohttp.ClientTimeout(total=self.config.client_timeout)
            try:
                request = (
                    session.get(self.url + path, headers=headers, timeout=timeout)
                    if body is None
                    else session.post(self.url + path, json=body, headers=headers, timeout=timeout)
                )
                async with request as resp:
                    status = resp.status
                    answer = await resp.json(content_type=None) if resp.content_length != 0 else {}
            except (TimeoutError, aiohttp.ClientError, json.JSONDecodeError, ValueError):
                self.report.operations["dispute/approval call timeout/conn error (retried)"] += 1
                await asyncio.sleep(0.5)
                continue
            if status == 401:
                await self._relogin(user)
                continue
            if status in (429, 500, 502, 503, 504):
                if status == 500:
                    self.report.anomaly(f"POST {path}: 500 {answer}")
                await asyncio.sleep(0.5)
                continue
            return status, answer or {}
        return None

    async def _sender_case(self, session: aiohttp.ClientSession, case: Case, deadline: float) -> dict[str, Any] | None:
        """The sender's view of the dispute on the case's transfer (GET /disputes, newest first)."""
        answer = await self._call(session, case.transfer.user, "/api/v1/disputes?limit=100", None, deadline=deadline)
        if answer is None or answer[0] != 200:
            return None
        found = [d for d in answer[1]["items"] if d["transaction_id"] == case.transfer.result_id]
        return found[0] if found else None

    async def _reverse(self, session: aiohttp.ClientSession, case: Case, deadline: float) -> None:
        op, (maker, checker) = case.transfer, self.admins
        count = self.report.operations
        answer = await self._call(
            session,
            op.user,
            f"/api/v1/transfers/{op.result_id}/disputes",
            {"reason": "not_received", "note": "bank test dispute"},
            deadline=deadline,
        )
        if answer is None:
            return
        status, body = answer
        if status == 201:
            case.dispute_id = body["id"]
        elif status == 409 and body.get("code") == "dispute_already_open":  # our first attempt landed
            found = await self._sender_case(session, case, deadline)
            case.dispute_id = found["id"] if found else None
        if case.dispute_id is None:
            case.outcome = f"dispute refused {status} {body.get('code')}"
            self.report.anomaly(f"dispute of transfer {op.result_id}: {status} {body}")
            return
        count["dispute opened"] += 1
        answer = await self._call(
            session,
            maker,
            f"/api/v1/admin/disputes/{case.dispute_id}/resolve",
            {"outcome": "reverse", "note": "bank test: reverse"},
            deadline=deadline,
        )
        if answer is None or answer[0] != 202:
            case.outcome = "proposal refused"
            self.report.anomaly(f"proposing the reversal of dispute {case.dispute_id}: {answer}")
            return
        case.approval_id = answer[1]["approval_id"]
        count["reversal proposed (202)"] += 1
        if case.drain:
            # Before the second admin approves, the recipient spends what they have: the reversal
            # must then be refused whole (409), never leave a negative balance or half a reversal.
            await self._spend_all(session, op, deadline)
        answer = await self._call(
            session, checker, f"/api/v1/admin/approvals/{case.approval_id}/approve", {}, deadline=deadline
        )
        if answer is None:
            return
        status, body = answer
        if status == 200:
            case.outcome, case.reversal_id = "reversed", body["result"].get("reversal_id")
        elif status == 409 and body.get("code") in ("reversal_insufficient_funds", "nothing_to_reverse"):
            case.outcome = body["code"]
        elif status == 409 and body.get("code") == "approval_not_pending":  # our first approval landed
            found = await self._sender_case(session, case, deadline)
            if found and found["status"] == "resolved_reversed":
                case.outcome, case.reversal_id = "reversed", found["reversal_id"]
        if case.outcome == "unknown":
            self.report.anomaly(f"approving the reversal of dispute {case.dispute_id}: {status} {body}")
        elif case.outcome == "reversed":
            count["reversal approved (200)"] += 1
        else:
            count[f"reversal refused (409): {case.outcome}"] += 1

    async def _spend_all(self, session: aiohttp.ClientSession, original: Op, deadline: float) -> None:
        """The recipient of `original` sends their whole available balance to someone else (an
        ordinary transfer of the workload, counted and checked like the others); again if the
        balance changed meanwhile (declined), up to three times."""
        spender = original.counterparty
        assert spender is not None
        for _ in range(3):
            answer = await self._call(session, spender, "/api/v1/wallet", None, deadline=deadline)
            if answer is None or answer[0] != 200 or Decimal(answer[1]["available_balance"]) < CENT:
                return
            to = self.rng.choice([u for u in self.users if u not in (spender, original.user)])
            amount = Decimal(answer[1]["available_balance"])
            body = {"recipient": to.handle, "amount": str(amount), "pin": spender.pin, "note": "bank test: spends all"}
            op = Op(
                kind="transfer",
                user=spender,
                key=f"bank-{secrets.token_hex(8)}",
                body=body,
                path="/api/v1/transfers",
                amount=amount,
                counterparty=to,
            )
            self.ops.append(op)
            await self.attempt(session, op, max_attempts=20, deadline=deadline)
            self.report.operations[f"recipient spent all before the approval: transfer {op.outcome}"] += 1
            if op.outcome == "acked":
                return

    async def operators(self, until: float) -> None:
        """Every few seconds a sender disputes one of their acknowledged transfers, and the two
        admins reverse it (a case started before `until` is finished, with its own deadline)."""
        taken: set[str] = set()
        async with self.session() as session:
            while time.monotonic() < until:
                await asyncio.sleep(self.config.dispute_interval * self.rng.uniform(0.6, 1.4))
                candidates = [
                    o for o in self.ops if o.kind == "transfer" and o.outcome == "acked" and o.result_id not in taken
                ]
                if not candidates:
                    continue
                drain = self.rng.random() < 0.4
                if drain:  # a large transfer: what comes in before the approval hardly covers it
                    candidates = sorted(candidates, key=lambda o: o.amount)[-max(1, len(candidates) // 4) :]
                case = Case(transfer=self.rng.choice(candidates), drain=drain)
                taken.add(str(case.transfer.result_id))
                self.cases.append(case)
                await self._reverse(session, case, time.monotonic() + 120)

    def reversal_ops(self) -> None:
        """Each reversal an approval answered becomes an operation the clients were told of (from
        the original's recipient back to its sender)."""
        for case in self.cases:
            self.report.operations[f"dispute case {case.outcome}"] += 1
            if case.outcome == "reversed":
                original = case.transfer
                assert original.counterparty is not None
                self.ops.append(
                    Op(
                        kind="reversal",
                        user=original.counterparty,
                        key=f"reversal-of-{original.result_id}",
                        body={},
                        path="",
                        outcome="acked",
                        result_id=case.reversal_id,
                        counterparty=original.user,
                    )
                )
            elif case.outcome == "unknown":
                self.report.anomaly(f"dispute case of transfer {case.transfer.result_id} never resolved")

    async def auditor(self, until: float) -> None:
        """Reads the ledger in one snapshot every second and checks the invariants there."""
        last_print = time.monotonic()
        while time.monotonic() < until:
            await asyncio.sleep(1.0)
            if time.monotonic() - last_print > 10:
                last_print = time.monotonic()
                done = Counter(o.outcome for o in self.ops)
                progress(
                    f"ops {dict(done)}, faults {len(self.report.faults.injected)}, "
                    f"anomalies {len(self.report.anomalies)}"
                )
            try:
                problems = await ledger_invariants(self.db_url, [o for o in self.ops if o.in_ledger])
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError):
                # InternalClientError: the audit's own connection read the server's "terminating
                # connection" (a PostgreSQL restart fault) in the middle of its COMMIT.
                self.report.operations["audit skipped (database connections dropped)"] += 1
                continue
            self.report.operations["audit of the ledger snapshot"] += 1
            for p in problems:
                self.report.anomaly(f"during run: {p}")

    async def seed_balances(self, amount: Decimal = Decimal("500.00")) -> None:
        """Every user starts with a top-up (counted like any other), so transfers have money to move."""
        async with self.session() as session:
            for user in self.users:
                op = Op(
                    kind="topup",
                    user=user,
                    key=f"bank-seed-{secrets.token_hex(8)}",
                    amount=amount,
                    body={"amount": str(amount), "source": {"type": "card", "reference": "card-seed"}},
                    path="/api/v1/wallet/topups",
                    method="card",
                )
                self.ops.append(op)
                await self.attempt(session, op, max_attempts=20, deadline=time.monotonic() + 60)
                if op.outcome != "acked":
                    raise AssertionError(f"seeding {user.handle}: {op.status} after {op.attempts} attempts")

    async def make_admins(self) -> None:
        """The maker and the checker of the reversals (the operator command, as `make admin`)."""
        for _ in range(2):
            admin = await asyncio.to_thread(register_user, self.url)
            self.admins.append(await asyncio.to_thread(make_admin, self.stack, admin))

    async def run(self) -> BankReport:
        await self.seed_balances()
        if self.config.reversals:
            await self.make_admins()
        started = time.monotonic()
        until = started + self.config.duration
        tasks = [asyncio.create_task(self.client(i, until)) for i in range(self.config.clients)]
        tasks.append(asyncio.create_task(self.auditor(until)))
        if self.config.reversals:
            tasks.append(asyncio.create_task(self.operators(until)))
        if self.config.faults:
            tasks.append(
                asyncio.create_task(
                    inject_faults(
                        self.stack,
                        self.db_url,
                        until=until,
                        interval=self.config.fault_interval,
                        log=self.report.faults,
                        started=started,
                        rng=self.rng,
                        pg=self.pg,
                        sim=self.sim,
                    )
                )
            )
            tasks.append(
                asyncio.create_task(
                    callback_phases(
                        self.sim,
                        until=until,
                        phase=self.config.callback_phase,
                        log=self.report.faults,
                        started=started,
                    )
                )
            )
        await asyncio.gather(*tasks)
        self.reversal_ops()
        await self.sim.reset()  # every provider fault off: what is pending gets confirmed
        progress("load over; settling unknown operations")
        self.report.figures["load seconds"] = round(time.monotonic() - started, 1)
        self.report.figures.update(self.database_outages(started))
        await self.settle()
        await self.final_checks()
        return self.report

    def database_outages(self, started: float) -> dict[str, str]:
        """Per PostgreSQL restart: how long the server was away and what the money POSTs got from
        the moment it went down until the first 201 after it was back (then the platform had
        recovered), and how long 503s went on after that."""
        figures: dict[str, str] = {}
        windows = self.report.faults.windows
        for i, (begun, back, kind) in enumerate(windows):
            if kind != "postgres restarted":
                continue
            # Answers after the next fault began are that fault's doing.
            horizon = windows[i + 1][0] if i + 1 < len(windows) else back + 30
            recovered = next((t for t, status in self.answers if back <= t < horizon and status == 201), None)
            during = Counter(status for t, status in self.answers if begun <= t <= (recovered or back))
            late_503 = [t for t, status in self.answers if recovered and recovered < t < horizon and status == 503]
            figures[f"postgres restarted at {begun - started:.1f}s"] = (
                f"server away {back - begun:.1f}s (stop, 1 s down, start); until the first 201 after: "
                f"{during.get(503, 0)} x 503, {during.get(0, 0)} timeouts/conn errors, "
                f"{during.get(500, 0)} x 500, other {sorted(k for k in during if k not in (0, 201, 500, 503))}; "
                + (
                    f"first 201 {recovered - back:.2f}s after the server was back"
                    if recovered
                    else "no 201 after the server came back"
                )
                + (f", last 503 {max(late_503) - back:.2f}s after it was back" if late_503 else ", no 503 after that")
            )
        return figures

    async def settle(self) -> None:
        """Every process is back: resolve the unknown operations by replaying their keys."""
        deadline = time.monotonic() + self.config.settle_timeout
        unknown = [o for o in self.ops if o.outcome == "unknown"]
        self.report.figures["operations unknown at the end of the load"] = len(unknown)
        async with self.session() as session:
            for op in unknown:
                if op.kind != "schedule":  # resolved by its note (no Idempotency-Key to replay)
                    await self.attempt(session, op, max_attempts=op.attempts + 200, deadline=deadline)
        if any(op.kind == "schedule" for op in self.ops):
            progress("waiting until every scheduled transfer has run")
            begun = time.monotonic()
            await self.schedules_settled()
            self.report.figures["seconds until every scheduled transfer had run"] = round(time.monotonic() - begun, 1)
        for op in self.ops:
            self.report.operations[f"{op.kind} {op.outcome}"] += 1
            if op.method:
                self.report.operations[f"{op.label} {op.outcome}"] += 1
            if op.outcome == "unknown":
                self.report.anomaly(f"{op.kind} key {op.key} still unresolved after the settle time")
        progress("waiting until the provider has settled every pending funding operation")
        begun = time.monotonic()
        for p in await funding_settled(self.db_url, wait_seconds=self.config.settle_timeout):
            self.report.anomaly(p)
        self.report.figures["seconds until no funding operation was pending"] = round(time.monotonic() - begun, 1)
        final = await funding_statuses(self.db_url)
        for op in self.ops:
            if op.outcome == "acked" and op.kind in FUNDING:
                op.final_status = final.get(op.result_id or "")
                self.report.operations[f"{op.label} acked, finally {op.final_status}"] += 1

    async def final_checks(self) -> None:
        # The bank's stack runs without supervision (private_stack's default): only the faults
        # restart what they kill, so a relay or service that died on its own is still dead here.
        for name, child in self.stack.supervisor.children.items():
            if (code := child.proc.poll()) is not None:
                self.report.anomaly(f"process {name} exited (code {code}) and is not running at the end")
        acked = [o for o in self.ops if o.outcome == "acked"]
        for p in await ledger_invariants(self.db_url, [o for o in acked if o.in_ledger]):
            self.report.anomaly(p)
        for p in await accounting(self.db_url, self.ops, self.users):
            self.report.anomaly(p)
        for p in await self.api_views(acked):
            self.report.anomaly(p)
        for p in await funding_matches_provider(
            self.db_url, self.ops, self.sim, self.report.figures, outside=self.outside_operations
        ):
            self.report.anomaly(p)
        for p in await self.reconciliation():
            self.report.anomaly(p)
        if any(op.kind == "schedule" for op in self.ops):
            for p in await self.schedule_checks():
                self.report.anomaly(p)
        progress("ledger and API checked; waiting for every event to be delivered")
        started = time.monotonic()
        for p in await events_delivered_once(self.db_url, wait_seconds=self.config.settle_timeout):
            self.report.anomaly(p)
        self.report.figures["seconds until every event was delivered"] = round(time.monotonic() - started, 1)
        for p in await reporting_matches_ledger(self.db_url):
            self.report.anomaly(p)

    async def reconciliation(self) -> list[str]:
        """Reconciles each UTC day of the run afresh (`python -m transaction_service.reconcile`, as
        the daily job does), then reads the result as an admin through the gateway: no discrepancy."""
        problems: list[str] = []
        day, last = self.run_started_at.date(), datetime.now(UTC).date()
        days = []
        while day <= last:
            days.append(day)
            day += timedelta(days=1)
        admin = await asyncio.to_thread(register_user, self.url)
        await asyncio.to_thread(make_admin, self.stack, admin)
        async with self.session() as session:
            for day in days:
                done = await asyncio.to_thread(
                    subprocess.run,
                    [sys.executable, "-m", "transaction_service.reconcile", "--date", day.isoformat()],
                    env=self.stack.service_env("transaction"),
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                if done.returncode != 0:
                    problems.append(
                        f"reconcile {day}: exit {done.returncode}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
                    )
                async with session.get(
                    self.url + "/api/v1/admin/reconciliation",
                    params={"date": day.isoformat()},
                    headers={"Authorization": f"Bearer {admin.access_token}"},
                ) as resp:
                    if resp.status != 200:
                        problems.append(f"reconciliation of {day} via the API: {resp.status} {await resp.text()}")
                        continue
                    run = await resp.json()
                self.report.figures[f"reconciliation {day}"] = (
                    f"matched {run['matched']}, missing in ledger {len(run['missing_in_ledger'])}, "
                    f"missing at provider {len(run['missing_at_provider'])}, "
                    f"amount mismatch {len(run['amount_mismatch'])}"
                )
                for k in ("missing_in_ledger", "missing_at_provider", "amount_mismatch"):
                    if run[k]:
                        problems.append(f"reconciliation of {day}: {k} {run[k][:5]}")
        return problems

    async def _read_json(
        self, session: aiohttp.ClientSession, user: TestUser, path: str, params: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """A GET as a well-behaved client makes it: signed in again after a 401; after a 429 (a
        platform with its production quotas) or a 502-504, again once Retry-After has passed."""
        deadline = time.monotonic() + self.config.settle_timeout
        while True:
            headers = {"Authorization": f"Bearer {user.access_token}"}
            async with session.get(self.url + path, headers=headers, params=params) as resp:
                text = await resp.text()
                status, retry_after = resp.status, resp.headers.get("Retry-After", "1")
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = text[:500]
            if status == 401:
                await self._relogin(user)
            elif status not in (429, 502, 503, 504) or time.monotonic() > deadline:
                return status, body
            else:
                await asyncio.sleep(min(float(retry_after) if retry_after.isdigit() else 1.0, 10.0))

    async def api_views(self, acked: list[Op]) -> list[str]:
        """Through the API: balances equal the ledger's, and each acknowledged transfer appears exactly
        once in the history of both sides."""
        problems: list[str] = []
        async with self.session() as session:
            total = Decimal(0)
            for user in self.users:
                status, wallet = await self._read_json(session, user, "/api/v1/wallet")
                if status != 200:
                    problems.append(f"wallet of {user.handle}: {status} {wallet}")
                    continue
                total += Decimal(wallet["balance"])
                seen: Counter = Counter()
                statuses: dict[str, str] = {}
                cursor = None
                while True:
                    params = {"limit": "100", **({"cursor": cursor} if cursor else {})}
                    status, page = await self._read_json(session, user, "/api/v1/transactions", params)
                    if status != 200:
                        problems.append(f"history of {user.handle}: {status} {page}")
                        break
                    seen.update(row["transfer_id"] for row in page["items"] if row["type"] == "transfer")
                    seen.update(row["id"] for row in page["items"] if row["type"] != "transfer")
                    statuses.update({row["id"]: row["status"] for row in page["items"]})
                    cursor = page.get("next_cursor")
                    if not cursor:
                        break
                user.extra["history_transfers"] = seen
                user.extra["history_statuses"] = statuses
            self.report.figures["sum of balances via the API"] = str(total)
        for op in acked:
            if op.kind in FUNDING:
                # The client's book of a funding operation: once in its owner's history, with the
                # status the ledger ended with.
                n = op.user.extra.get("history_transfers", Counter()).get(op.result_id, 0)
                shown = op.user.extra.get("history_statuses", {}).get(op.result_id)
                if n != 1 or shown != op.final_status:
                    problems.append(
                        f"{op.label} {op.result_id} appears {n} times in {op.user.handle}'s history "
                        f"with status {shown}, the ledger says {op.final_status}"
                    )
                continue
            if op.kind not in PERSON_TO_PERSON:  # a schedule: its occurrences are checked as `scheduled`
                continue
            assert op.counterparty is not None  # set for every transfer, refund, occurrence and reversal
            for side in (op.user, op.counterparty):
                n = side.extra.get("history_transfers", Counter()).get(op.result_id, 0)
                if n != 1:
                    problems.append(f"transfer {op.result_id} appears {n} times in {side.handle}'s history")
        return problems


async def _connect(db_url: str) -> asyncpg.Connection:
    return await asyncpg.connect(db_url, timeout=10)


async def ledger_invariants(db_url: str, acked: list[Op]) -> list[str]:
    """One REPEATABLE READ snapshot of the ledger: money is conserved, no user balance (nor available
    balance) below zero, balances equal their postings, each entry balances, what is held equals the
    pending holds, every acknowledged operation that moved money is in it once."""
    conn = await _connect(db_url)
    problems: list[str] = []
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            users_total, negatives, below_available = await conn.fetchrow(
                "SELECT coalesce(sum(balance), 0), count(*) FILTER (WHERE balance < 0), "
                "count(*) FILTER (WHERE balance - held < 0) FROM ledger.accounts WHERE kind = 'user'"
            )
            held_drift = await conn.fetchval(
                "SELECT count(*) FROM ledger.accounts a LEFT JOIN (SELECT account_id, sum(amount) s "
                "FROM ledger.holds WHERE status = 'pending' GROUP BY account_id) h ON h.account_id = a.id "
                "WHERE a.held <> coalesce(h.s, 0)"
            )
            topups, withdrawals = await conn.fetchrow(
                "SELECT coalesce(sum(amount) FILTER (WHERE type = 'topup'), 0), "
                "coalesce(sum(amount) FILTER (WHERE type = 'withdrawal'), 0) FROM ledger.journal_entries"
            )
            all_total = await conn.fetchval("SELECT coalesce(sum(balance), 0) FROM ledger.accounts")
            drift = await conn.fetchval(
                "SELECT count(*) FROM ledger.accounts a LEFT JOIN (SELECT account_id, sum(amount) s "
                "FROM ledger.postings GROUP BY account_id) p ON p.account_id = a.id "
                "WHERE a.balance <> coalesce(p.s, 0)"
            )
            # Refunds and a reversal of a transfer never add up to more than it moved (the
            # contract's invariant, however many were sent at once or retried under the faults); a
            # transfer is reversed at most once, and a reversal gives back all that was left of it.
            returned = await conn.fetch(
                "SELECT o.id, o.amount, r.returned, r.reversals FROM (SELECT coalesce(refund_of, reversal_of) "
                "AS original, sum(amount) AS returned, count(reversal_of) AS reversals FROM ledger.journal_entries "
                "WHERE refund_of IS NOT NULL OR reversal_of IS NOT NULL GROUP BY 1) r "
                "JOIN ledger.journal_entries o ON o.id = r.original "
                "WHERE r.returned > o.amount OR r.reversals > 1 OR (r.reversals = 1 AND r.returned <> o.amount)"
            )
            unbalanced = await conn.fetchval(
                "SELECT count(*) FROM (SELECT entry_id FROM ledger.postings GROUP BY entry_id "
                "HAVING sum(amount) <> 0) x"
            )
            ids = [o.result_id for o in acked]
            found = {
                str(r["id"]): r["n"]
                for r in await conn.fetch(
                    "SELECT e.id, (SELECT count(*) FROM ledger.postings p WHERE p.entry_id = e.id) n "
                    "FROM ledger.journal_entries e WHERE e.id = ANY($1::uuid[])",
                    ids,
                )
            }
    finally:
        await conn.close()
    if users_total != topups - withdrawals:
        problems.append(f"sum of user balances {users_total} != top-ups {topups} - withdrawals {withdrawals}")
    if all_total != 0:
        problems.append(f"sum of all account balances (users + funding accounts) is {all_total}, not 0")
    if negatives:
        problems.append(f"{negatives} user accounts with a negative balance")
    if below_available:
        problems.append(f"{below_available} user accounts with a negative available balance (balance - held)")
    if held_drift:
        problems.append(f"{held_drift} accounts whose held amount differs from the sum of their pending holds")
    if drift:
        problems.append(f"{drift} accounts whose balance differs from the sum of their postings")
    if unbalanced:
        problems.append(f"{unbalanced} journal entries whose postings do not sum to zero")
    for row in returned:
        problems.append(
            f"transfer {row['id']} of {row['amount']} got {row['returned']} back in refunds and "
            f"{row['reversals']} reversals"
        )
    for op in acked:
        postings = found.get(op.result_id)
        expected = 2  # every entry moves money between two accounts (funding accounts for top-ups/withdrawals)
        if postings is None:
            problems.append(f"acknowledged {op.kind} {op.result_id} (key {op.key}) is not in the ledger")
        elif postings != expected:
            problems.append(f"{op.kind} {op.result_id} has {postings} postings, expected {expected}")
    return problems


async def accounting(db_url: str, ops: list[Op], users: list[TestUser]) -> list[str]:
    """After settling: the ledger holds exactly the acknowledged operations, and the users' balances
    equal the acknowledged top-ups minus withdrawals (the clients' own bookkeeping)."""
    problems: list[str] = []
    user_ids = [u.user_id for u in users]
    conn = await _connect(db_url)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT e.id, e.type FROM ledger.journal_entries e JOIN ledger.postings p ON p.entry_id = e.id "
            "JOIN ledger.accounts a ON a.id = p.account_id WHERE a.user_id = ANY($1::uuid[])",
            user_ids,
        )
        total = await conn.fetchval(
            "SELECT coalesce(sum(balance), 0) FROM ledger.accounts WHERE user_id = ANY($1::uuid[])", user_ids
        )
    finally:
        await conn.close()
    in_ledger = {str(r["id"]): r["type"] for r in rows}
    acked = {o.result_id: o for o in ops if o.in_ledger}
    for entry_id, kind in in_ledger.items():
        if entry_id not in acked:
            problems.append(f"{kind} {entry_id} is in the ledger but no client was ever told of it")
    for entry_id, op in acked.items():
        if entry_id not in in_ledger:
            problems.append(f"acknowledged {op.kind} {entry_id} missing from the ledger")
    expected = sum((o.amount for o in acked.values() if o.kind == "topup"), Decimal(0)) - sum(
        (o.amount for o in acked.values() if o.kind == "withdrawal"), Decimal(0)
    )
    if total != expected:
        problems.append(f"users' balances total {total}, clients' books say {expected}")
    return problems


async def funding_settled(db_url: str, *, wait_seconds: float) -> list[str]:
    """Waits until no funding operation is pending (the provider's callbacks, or the funding
    sweeper's inquiry, settled each); fails if their number stops going down for `wait_seconds`."""
    conn = await _connect(db_url)
    try:
        best, stalled_since = None, time.monotonic()
        while True:
            pending = await conn.fetchval("SELECT count(*) FROM ledger.funding_operations WHERE status = 'pending'")
            if pending == 0:
                return []
            if best is None or pending < best:
                best, stalled_since = pending, time.monotonic()
            elif time.monotonic() - stalled_since > wait_seconds:
                return [f"{pending} funding operations still pending, none settled for {wait_seconds:.0f}s"]
            await asyncio.sleep(1.0)
    finally:
        await conn.close()


async def funding_statuses(db_url: str) -> dict[str, str]:
    conn = await _connect(db_url)
    try:
        return {str(r["id"]): r["status"] for r in await conn.fetch("SELECT id, status FROM ledger.funding_operations")}
    finally:
        await conn.close()


async def funding_matches_provider(
    db_url: str, ops: list[Op], sim: SimulatorControl, figures: dict[str, Any], *, outside: set[str] | None = None
) -> list[str]:
    """Once nothing is pending: the users' money equals the completed top-ups minus the completed
    withdrawals; every funding operation is one a client was told of; every hold is resolved and
    matches its withdrawal's outcome; and what the provider captured and paid out is, one for one,
    what the ledger completed (no payout paid twice, none paid for a withdrawal that failed)."""
    problems: list[str] = []
    conn = await _connect(db_url)
    try:
        operations = {
            str(r["id"]): r
            for r in await conn.fetch(
                "SELECT o.id, o.kind, o.method, o.amount, o.status, h.status hold_status "
                "FROM ledger.funding_operations o LEFT JOIN ledger.holds h ON h.id = o.hold_id"
            )
        }
        users_total, held_total = await conn.fetchrow(
            "SELECT coalesce(sum(balance), 0), coalesce(sum(held), 0) FROM ledger.accounts WHERE kind = 'user'"
        )
        holds = dict(await conn.fetch("SELECT status, count(*) FROM ledger.holds GROUP BY status"))
        figures["bank top-ups completed before any callback came (sweeper inquiry or a retry)"] = await conn.fetchval(
            "SELECT count(*) FROM ledger.funding_operations o WHERE kind = 'topup' AND method = 'bank' "
            "AND status = 'completed' AND NOT EXISTS (SELECT 1 FROM ledger.provider_callbacks c "
            "WHERE c.operation_id = o.id AND c.received_at <= o.completed_at)"
        )
        figures["provider callbacks stored (one per event id)"] = await conn.fetchval(
            "SELECT count(*) FROM ledger.provider_callbacks"
        )
    finally:
        await conn.close()
    completed = Counter()
    for row in operations.values():
        if row["status"] == "completed":
            completed[row["kind"]] += row["amount"]
    if users_total != completed["topup"] - completed["withdrawal"]:
        problems.append(
            f"users' balances total {users_total} != completed top-ups {completed['topup']} - "
            f"completed withdrawals {completed['withdrawal']}"
        )
    if held_total != 0:
        problems.append(f"{held_total} still held at the end")
    if holds.get("pending"):
        problems.append(f"{holds['pending']} holds still pending at the end")
    figures["holds by status"] = {k: holds[k] for k in sorted(holds)}
    figures["funding operations by kind, method, status"] = dict(
        sorted(Counter(f"{r['kind']} {r['method']} {r['status']}" for r in operations.values()).items())
    )
    told = {o.result_id: o for o in ops if o.outcome == "acked" and o.kind in FUNDING}
    for op_id, row in operations.items():
        if op_id in (outside or set()):
            continue
        if op_id not in told:
            problems.append(f"{row['kind']} {op_id} ({row['status']}) exists but no client was ever told of it")
        elif told[op_id].amount != row["amount"] or told[op_id].kind != row["kind"]:
            problems.append(f"{row['kind']} {op_id}: the client asked {told[op_id].kind} {told[op_id].amount}")
        if row["kind"] == "withdrawal":
            want = {"completed": {"posted"}, "failed": {"released", "expired"}}.get(row["status"], {"pending"})
            if row["hold_status"] not in want:
                problems.append(f"withdrawal {op_id} is {row['status']} but its hold is {row['hold_status']}")
    for op_id, op in told.items():
        if op_id not in operations:
            problems.append(f"acknowledged {op.label} {op_id} (key {op.key}) has no funding operation")
    for kind, listing, done in (
        ("withdrawal", await sim.payouts(), "paid"),
        ("topup", await sim.charges(), "succeeded"),
    ):
        by_key: dict[str, list[dict[str, Any]]] = {}
        for item in listing:
            by_key.setdefault(item["idempotency_key"], []).append(item)
            if item["status"] == "pending":
                problems.append(f"the provider still has {kind} {item['id']} pending at the end")
        figures[f"provider {'payouts' if kind == 'withdrawal' else 'charges'} by status"] = dict(
            Counter(i["status"] for i in listing)
        )
        for key, items in by_key.items():
            settled = [i for i in items if i["status"] == done]
            if len(items) > 1:
                problems.append(f"the provider made {len(items)} {kind} operations under key {key}")
            row = operations.get(key)
            for item in settled:
                if row is None or row["kind"] != kind or row["status"] != "completed":
                    problems.append(
                        f"provider {done} {item['id']} ({item['amount']}) has no completed {kind}: "
                        f"{row['status'] if row else 'no operation'}"
                    )
                elif Decimal(item["amount"]) != row["amount"]:
                    problems.append(f"provider {done} {item['id']} {item['amount']} != {kind} {key} {row['amount']}")
        for op_id, row in operations.items():
            if row["kind"] == kind and row["status"] == "completed":
                n = sum(1 for i in by_key.get(op_id, []) if i["status"] == done)
                if n != 1:
                    problems.append(f"completed {kind} {op_id} has {n} {done} operations at the provider")
    return problems


async def events_delivered_once(db_url: str, *, wait_seconds: float) -> list[str]:
    """Waits until every outbox is fully delivered, then checks each money event was applied
    exactly once by reporting (movements) and by notifications (one in-app notification per party)."""
    # Bounded by progress, not by a fixed time: on a loaded machine a 10-minute backlog drains
    # slowly but steadily; only a backlog that stops shrinking for `wait_seconds` is a failure.
    conn = await _connect(db_url)
    try:
        best, stalled_since = None, time.monotonic()
        while True:
            backlog = await conn.fetchval(BACKLOG_SQL)
            if backlog == 0:
                break
            if best is None or backlog < best:
                best, stalled_since = backlog, time.monotonic()
            elif time.monotonic() - stalled_since > wait_seconds:
                return [f"{backlog} outbox events/deliveries undelivered, no progress for {wait_seconds:.0f}s"]
            await asyncio.sleep(1.0)
        events = await conn.fetch(
            "SELECT id, event_type, payload FROM ledger.outbox_events WHERE event_type = ANY($1::text[])",
            list(MONEY_TYPES),
        )
        entries = await conn.fetch("SELECT id, type FROM ledger.journal_entries")
        movements = {
            r["event_id"]: r["n"]
            for r in await conn.fetch("SELECT event_id, count(*) n FROM reporting.movements GROUP BY event_id")
        }
        notes = {
            r["event_id"]: (r["n"], r["users"])
            for r in await conn.fetch(
                "SELECT event_id, count(*) n, count(DISTINCT user_id) users FROM notifications.notifications "
                "GROUP BY event_id"
            )
        }
    finally:
        await conn.close()
    problems: list[str] = []
    per_entry: Counter = Counter()
    for ev in events:
        data = json.loads(ev["payload"]) if isinstance(ev["payload"], str) else ev["payload"]
        if ev["event_type"].endswith(".completed") or ev["event_type"] == "transfer.reversed":
            per_entry[data.get("transfer_id") or data.get("transaction_id") or data.get("reversal_id")] += 1
        want, want_notes = EXPECTED_PER_EVENT[ev["event_type"]]
        if ev["event_type"] == "transfer.completed" and data.get("refund_of"):
            want_notes = 0  # told by the refund's `refund.created`
        if movements.get(ev["id"], 0) != want:
            problems.append(
                f"event {ev['id']} ({ev['event_type']}) applied {movements.get(ev['id'], 0)} times "
                f"by reporting, expected {want} movements"
            )
        n, users = notes.get(ev["id"], (0, 0))
        if n != want_notes or users != want_notes:
            problems.append(
                f"event {ev['id']} ({ev['event_type']}) gave {n} notifications to {users} users, expected {want_notes}"
            )
    for entry in entries:
        if per_entry.get(str(entry["id"]), 0) != 1:
            problems.append(
                f"journal entry {entry['id']} ({entry['type']}) has {per_entry.get(str(entry['id']), 0)} "
                "events in the outbox, expected 1"
            )
    return problems


async def reporting_matches_ledger(db_url: str) -> list[str]:
    """Per user and direction, the reporting read model's totals equal the ledger's postings."""
    conn = await _connect(db_url)
    try:
        ledger = {
            (str(r["user_id"]), r["dir"]): (r["total"], r["n"])
            for r in await conn.fetch(
                "SELECT a.user_id, CASE WHEN p.amount > 0 THEN 'in' ELSE 'out' END dir, sum(abs(p.amount)) total, "
                "count(*) n FROM ledger.postings p JOIN ledger.accounts a ON a.id = p.account_id WHERE a.kind = 'user' "
                "GROUP BY 1, 2"
            )
        }
        reporting = {
            (str(r["user_id"]), r["direction"]): (r["total"], r["n"])
            for r in await conn.fetch(
                "SELECT user_id, direction, sum(amount) total, count(*) n FROM reporting.movements GROUP BY 1, 2"
            )
        }
    finally:
        await conn.close()
    problems = []
    for key in sorted(set(ledger) | set(reporting)):
        if ledger.get(key) != reporting.get(key):
            problems.append(f"user {key[0]} money {key[1]}: ledger {ledger.get(key)} != reporting {reporting.get(key)}")
    return problems
