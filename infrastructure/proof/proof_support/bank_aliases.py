"""The bank test's alias scenario: handles change owners' names under load, and money follows the
handle only to the account it named.

During the load, a few alias holders rename their handles again and again (each rename releases
the old handle into its 30-day quarantine), another account sometimes tries to claim a handle
just released (it must be refused), and a payer keeps paying every handle ever used, old and
new. The transaction service resolves most of those payments from its recipient directory,
which learns of a rename a moment later (the user relay's event), so the check is the safety
property the directory rests on: every accepted transfer reached the account that held the
handle (a released handle can be held by nobody else during its quarantine, so "the account the
handle named when the transfer was accepted" is its one holder in the run), and a handle held
during the whole request was never refused. Its own users and money: the main workload's books
and checks are not touched (docs/ARCHITECTURE.md, "Recipient directory").

    aliases = AliasScenario.prepare(gateway_url)           # before the load (registers its users)
    bank.outside_operations = aliases.funding_ids          # its payer's top-up is not the bank's
    task = asyncio.create_task(aliases.run(duration))
    ... the bank's load ...
    problems = await aliases.finish(task, database_url)   # after it: settle, then check
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import asyncpg

from instapay_stack.e2e import TestUser, login, register_user

HOLDERS = 3
# At most this many renames in a run: each new handle the payer pays is a new identifier on its
# lookup budget (30 a minute, 200 a day by default), which must not run out.
MAX_RENAMES = 40
RETRYABLE = {429, 500, 502, 503, 504}


@dataclass
class Payment:
    handle: str
    key: str
    sent_at: float
    answered_at: float | None = None
    status: int | None = None
    recipient_id: str | None = None
    transfer_id: str | None = None


@dataclass
class AliasScenario:
    gateway_url: str
    payer: TestUser
    holders: list[TestUser]
    # handle -> (holder's user id, held since, released at or None): one holder per handle in a run.
    owners: dict[str, tuple[str, float, float | None]] = field(default_factory=dict)
    payments: list[Payment] = field(default_factory=list)
    figures: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    # The payer's top-up: the bank's funding check is told of it (Bank.outside_operations).
    funding_ids: set[str] = field(default_factory=set)

    @classmethod
    def prepare(cls, gateway_url: str) -> AliasScenario:
        payer = register_user(gateway_url)
        holders = [register_user(gateway_url) for _ in range(HOLDERS)]
        scenario = cls(gateway_url, payer, holders)
        now = time.monotonic()
        scenario.owners = {h.handle: (h.user_id, now, None) for h in holders}
        return scenario

    async def _call(
        self,
        session: aiohttp.ClientSession,
        user: TestUser,
        method: str,
        path: str,
        body: dict[str, Any],
        key: str = "",
    ) -> tuple[int, dict[str, Any]]:
        """One request, signing in again after a 401; (0, {}) for a timeout or a lost connection."""
        for _ in range(3):
            headers = {"Authorization": f"Bearer {user.access_token}", **({"Idempotency-Key": key} if key else {})}
            try:
                async with session.request(
                    method, self.gateway_url + path, json=body, headers=headers, timeout=aiohttp.ClientTimeout(total=5)
                ) as resp:
                    answer = await resp.json(content_type=None) if resp.content_length != 0 else {}
                    if resp.status != 401:
                        return resp.status, answer or {}
            except (TimeoutError, aiohttp.ClientError, ValueError):
                return 0, {}
            try:
                tokens = await asyncio.to_thread(login, self.gateway_url, user.email, user.password)
            except Exception:  # the platform is restarting under a fault: try again later
                return 0, {}
            user.access_token = tokens["access_token"]
        return 401, {}

    async def run(self, duration: float) -> None:
        async with aiohttp.ClientSession() as session:
            key = f"aliases-seed-{secrets.token_hex(6)}"
            seed = {"amount": "5000.00", "source": {"type": "card", "reference": "card-aliases"}}
            for _ in range(60):  # the same key until answered: a fault may be under way
                status, answer = await self._call(session, self.payer, "POST", "/api/v1/wallet/topups", seed, key=key)
                if status not in RETRYABLE | {0}:
                    break
                await asyncio.sleep(1.0)
            if status != 201:
                self.problems.append(f"alias scenario: the payer's top-up answered {status}")
                return
            self.funding_ids.add(str(answer["id"]))
            until = time.monotonic() + duration
            await asyncio.gather(self._rename(session, until, duration), self._pay(session, until))

    async def _rename(self, session: aiohttp.ClientSession, until: float, duration: float) -> None:
        interval = max(2.0, duration / MAX_RENAMES)
        turn = 0
        while time.monotonic() < until:
            await asyncio.sleep(interval)
            holder = self.holders[turn % len(self.holders)]
            turn += 1
            new = "al" + secrets.token_hex(6)
            status, _ = await self._call(session, holder, "PATCH", "/api/v1/users/me", {"handle": new})
            at = time.monotonic()
            if status != 200:
                self.figures[f"rename answered {status} (not renamed)"] += 1
                continue
            old = holder.handle
            user_id, since, _ = self.owners[old]
            self.owners[old] = (user_id, since, at)
            self.owners[new] = (holder.user_id, at, None)
            holder.handle = new
            self.figures["handles renamed (old one released)"] += 1
            # Someone else tries to take the handle just released: the quarantine refuses it.
            other = self.holders[turn % len(self.holders)]
            status, _ = await self._call(session, other, "PATCH", "/api/v1/users/me", {"handle": old})
            if status == 409:
                self.figures["released handle claimed by another account: refused 409"] += 1
            elif status == 200:
                self.problems.append(f"@{old} released by {user_id} was taken by {other.user_id} in its quarantine")
            else:
                self.figures[f"claim of a released handle answered {status}"] += 1

    async def _pay(self, session: aiohttp.ClientSession, until: float) -> None:
        n = 0
        while time.monotonic() < until:
            n += 1
            handles = list(self.owners)
            # Mostly current handles (the directory's hits), sometimes a released one.
            current = [h.handle for h in self.holders]
            handle = current[n % len(current)] if n % 3 else handles[n % len(handles)]
            payment = Payment(handle, f"alias-{secrets.token_hex(8)}", time.monotonic())
            self.payments.append(payment)
            await self._settle(session, payment, attempts=5)
            await asyncio.sleep(0.1)

    async def _settle(self, session: aiohttp.ClientSession, payment: Payment, *, attempts: int) -> None:
        body = {"recipient": "@" + payment.handle, "amount": "0.01", "pin": self.payer.pin, "note": "alias test"}
        for attempt in range(attempts):
            status, answer = await self._call(session, self.payer, "POST", "/api/v1/transfers", body, key=payment.key)
            if status and status not in RETRYABLE:
                payment.status, payment.answered_at = status, time.monotonic()
                if status == 201:
                    payment.recipient_id = str(answer["recipient"]["user_id"])
                    payment.transfer_id = str(answer["id"])
                elif status != 404:
                    self.problems.append(f"payment to @{payment.handle}: unexpected {status} {answer}")
                return
            await asyncio.sleep(min(0.2 * (attempt + 1), 1.0))

    async def finish(self, task: asyncio.Task[None], database_url: str) -> list[str]:
        """Waits for the scenario, replays the payments still unknown (same key: the first answer
        is replayed), then checks every one against the handles' owners and the ledger."""
        await task
        async with aiohttp.ClientSession() as session:
            for payment in [p for p in self.payments if p.status is None]:
                await self._settle(session, payment, attempts=60)
        conn = await asyncpg.connect(database_url)
        try:
            rows = await conn.fetch(
                "SELECT e.id::text, a.user_id::text FROM ledger.journal_entries e "
                "JOIN ledger.postings p ON p.entry_id = e.id AND p.amount > 0 "
                "JOIN ledger.accounts a ON a.id = p.account_id WHERE e.id = ANY($1::uuid[])",
                [p.transfer_id for p in self.payments if p.transfer_id],
            )
            directory_hits = await conn.fetchval("SELECT count(*) FROM ledger.directory_entries")
        finally:
            await conn.close()
        credited = {str(r[0]): str(r[1]) for r in rows}
        self.figures["directory entries at the end"] = directory_hits
        for p in self.payments:
            owner, _, released = self.owners[p.handle]
            self.figures[f"payments by handle answered {p.status}"] += 1
            if p.status is None:
                self.problems.append(f"payment {p.key} to @{p.handle} still unknown after the settle")
            elif p.status == 201:
                if p.recipient_id != owner:
                    self.problems.append(f"@{p.handle} paid {p.recipient_id}, but its holder was {owner}")
                if (account := credited.get(p.transfer_id or "")) != owner:
                    self.problems.append(f"transfer {p.transfer_id} to @{p.handle} credited {account}, not {owner}")
                if released is not None and p.sent_at > released:
                    self.figures["paid its last holder after the release (directory a moment behind)"] += 1
            elif p.status == 404 and released is None and p.answered_at is not None:
                self.problems.append(f"@{p.handle}, held by {owner} throughout, was refused 404")
            elif p.status == 404 and released is not None and p.answered_at is not None and p.answered_at < released:
                self.problems.append(f"@{p.handle} was refused 404 before it was released")
        return self.problems
