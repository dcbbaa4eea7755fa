"""History benchmark: GET /api/v1/transactions page latency with 1,000,000 ledger postings.

    .venv/bin/python infrastructure/bench/history_bench.py [--postings 1000000] [--requests 300] [--keep]

1. a fresh database on the local PostgreSQL (embedded under .data/test-pg, or DATABASE_URL's
   server), ledger schema migrated;
2. seeded in SQL with generate_series (no row-by-row inserts): 10,000 wallets each funded by a
   top-up, then transfers until the postings reach the target; one "heavy" user takes part in
   1 of 5 transfers (~200k postings), the rest are spread at random over a year;
   balance_after is the running sum per account (window function); ledger triggers are
   disabled for the bulk load only (session_replication_role), balances are checked after;
3. the transaction service in-process (httpx ASGI transport, TestIssuer tokens), timing pages:
   the heavy user's first page, deep pages (following next_cursor), filtered pages
   (type, direction, date range), and random users' first pages.
Prints a table and writes test-artifacts/bench-history.json (p50/p95/p99 per scenario, in ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import time

import asyncpg

from instapay_stack.migrate import migrate_all
from instapay_stack.paths import DATA_DIR, REPO_ROOT
from instapay_stack.postgres import drop_database, ensure_database, open_postgres
from instapay_stack.services import SERVICES
from instapay_stack.testing import running_app
from instapay_stack.tokens import TestIssuer

ARTIFACT = REPO_ROOT / "test-artifacts" / "bench-history.json"
ACCOUNTS = 10_000

SEED_SQL = [
    "SET session_replication_role = replica",
    """INSERT INTO ledger.accounts (id, user_id, kind, balance)
        SELECT gen_random_uuid(), gen_random_uuid(), 'user', 0 FROM generate_series(1, {accounts})""",
    """CREATE TEMP TABLE seed_accounts AS
        SELECT row_number() OVER (ORDER BY id) AS n, id, user_id FROM ledger.accounts WHERE kind = 'user'""",
    "CREATE UNIQUE INDEX ON seed_accounts (n)",
    # one funding top-up per wallet, a year ago
    """CREATE TEMP TABLE seed_entries AS
        SELECT g AS seq, gen_random_uuid() AS id, 'topup'::text AS type, g AS s, NULL::bigint AS r,
               1000000.00::numeric(20,2) AS amount, now() - interval '366 days' + g * interval '1 ms' AS created_at
        FROM generate_series(1, {accounts}) g""",
    # transfers: 1 in 5 involves account 1 (the heavy user; sends half, receives half),
    # amounts 1.00-500.00, spread over the last year
    """INSERT INTO seed_entries
        SELECT {accounts} + g, gen_random_uuid(), 'transfer', x.s,
               CASE WHEN g % 10 = 5 THEN 1 WHEN x.r >= x.s THEN x.r + 1 ELSE x.r END,
               (1 + floor(random() * 50000)) / 100,
               now() - interval '365 days' + g * ({span}::float8 / {transfers}) * interval '1 s'
        FROM generate_series(1, {transfers}) g,
             LATERAL (SELECT CASE WHEN g % 10 = 0 THEN 1
                                  WHEN g % 10 = 5 THEN 2 + floor(random() * ({accounts} - 1))::bigint
                                  ELSE 1 + floor(random() * {accounts})::bigint END AS s,
                             1 + floor(random() * ({accounts} - 1))::bigint AS r, g AS gg) x""",
    """INSERT INTO ledger.journal_entries (id, type, amount, sender, recipient, funding_type, created_at)
        SELECT e.id, e.type, e.amount,
               CASE WHEN e.type = 'transfer' THEN jsonb_build_object('user_id', sa.user_id, 'handle', 'u' || e.s,
                    'display_name', 'User ' || e.s) END,
               CASE WHEN e.type = 'transfer' THEN jsonb_build_object('user_id', ra.user_id, 'handle', 'u' || e.r,
                    'display_name', 'User ' || e.r) END,
               CASE WHEN e.type = 'topup' THEN 'bank' END, e.created_at
        FROM seed_entries e JOIN seed_accounts sa ON sa.n = e.s LEFT JOIN seed_accounts ra ON ra.n = e.r
        ORDER BY e.seq""",
    """CREATE TEMP TABLE seed_legs AS
        SELECT e.seq, 0 AS leg, e.id AS entry_id, sa.id AS account_id,
               CASE WHEN e.type = 'topup' THEN e.amount ELSE -e.amount END AS amount, e.type,
               ra.user_id AS counterparty, e.created_at
        FROM seed_entries e JOIN seed_accounts sa ON sa.n = e.s LEFT JOIN seed_accounts ra ON ra.n = e.r
        UNION ALL
        SELECT e.seq, 1, e.id, ra.id, e.amount, e.type, sa.user_id, e.created_at
        FROM seed_entries e JOIN seed_accounts sa ON sa.n = e.s JOIN seed_accounts ra ON ra.n = e.r
        UNION ALL
        SELECT e.seq, 1, e.id, '00000000-0000-0000-0000-00000000ba4c'::uuid, -e.amount, e.type, NULL, e.created_at
        FROM seed_entries e WHERE e.type = 'topup'""",
    """INSERT INTO ledger.postings (entry_id, account_id, amount, balance_after, type, counterparty_user_id,
                                    created_at)
        SELECT entry_id, account_id, amount,
               sum(amount) OVER (PARTITION BY account_id ORDER BY seq, leg ROWS UNBOUNDED PRECEDING),
               type, counterparty, created_at
        FROM seed_legs ORDER BY seq, leg""",
    """UPDATE ledger.accounts a SET balance = t.total
        FROM (SELECT account_id, sum(amount) AS total FROM seed_legs GROUP BY account_id) t
        WHERE t.account_id = a.id""",
    "SET session_replication_role = origin",
    "ANALYZE ledger.accounts",
    "ANALYZE ledger.journal_entries",
    "ANALYZE ledger.postings",
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


async def seed(url: str, postings: int) -> dict:
    transfers = max(0, (postings - 2 * ACCOUNTS) // 2)
    conn = await asyncpg.connect(url)
    started = time.perf_counter()
    try:
        for sql in SEED_SQL:
            await conn.execute(sql.format(accounts=ACCOUNTS, transfers=transfers, span=365 * 24 * 3600))
        total = await conn.fetchval("SELECT count(*) FROM ledger.postings")
        unbalanced = await conn.fetchval(
            "SELECT count(*) FROM (SELECT entry_id FROM ledger.postings GROUP BY entry_id HAVING sum(amount) <> 0) x"
        )
        negative = await conn.fetchval("SELECT count(*) FROM ledger.accounts WHERE kind = 'user' AND balance < 0")
        heavy = await conn.fetchrow(
            "SELECT a.user_id, count(*) AS n FROM ledger.postings p "
            "JOIN ledger.accounts a ON a.id = p.account_id WHERE a.kind = 'user' "
            "GROUP BY a.user_id ORDER BY n DESC LIMIT 1"
        )
        others = [
            r["user_id"]
            for r in await conn.fetch(
                "SELECT user_id FROM ledger.accounts WHERE kind = 'user' ORDER BY random() LIMIT 200"
            )
        ]
    finally:
        await conn.close()
    if unbalanced or negative:
        raise RuntimeError(f"seed is inconsistent: {unbalanced} unbalanced entries, {negative} negative wallets")
    return {
        "postings": total,
        "seed_seconds": round(time.perf_counter() - started, 1),
        "heavy_user": str(heavy["user_id"]),
        "heavy_postings": heavy["n"],
        "others": [str(u) for u in others],
    }


def stats(samples: list[float]) -> dict:
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "n": len(samples),
        "p50_ms": round(q[49], 2),
        "p95_ms": round(q[94], 2),
        "p99_ms": round(q[98], 2),
        "max_ms": round(samples[-1], 2),
    }


async def measure(url: str, seeded: dict, requests: int) -> dict:
    from transaction_service.config import TransactionSettings
    from transaction_service.main import build_app

    settings = TransactionSettings(database_url=url, environment="test", log_level="WARNING")
    app = build_app(settings)
    issuer = TestIssuer(settings)
    results: dict[str, dict] = {}
    async with running_app(app) as client:
        issuer.install(app)
        heavy = {"Authorization": f"Bearer {issuer.token(seeded['heavy_user'])}"}

        async def timed(headers: dict, params: dict) -> tuple[float, dict]:
            t0 = time.perf_counter()
            resp = await client.get("/api/v1/transactions", headers=headers, params=params)
            elapsed = (time.perf_counter() - t0) * 1000
            if resp.status_code != 200:
                raise RuntimeError(f"GET /transactions answered {resp.status_code}: {resp.text[:200]}")
            return elapsed, resp.json()

        for _ in range(20):  # warm-up: pool, caches, JIT-free plans
            await timed(heavy, {"limit": 20})
        scenarios = {
            "heavy_first_page": lambda i: (heavy, {"limit": 20}),
            "heavy_type_and_direction": lambda i: (heavy, {"limit": 20, "type": "transfer", "direction": "in"}),
            "heavy_date_range": lambda i: (heavy, {"limit": 20, "from": "2026-03-01", "to": "2026-06-30"}),
        }
        for name, make in scenarios.items():
            results[name] = stats([(await timed(*make(i)))[0] for i in range(requests)])
        # deep pagination: follow next_cursor through the heavy user's history
        samples, cursor = [], None
        for _ in range(requests):
            ms, body = await timed(heavy, {"limit": 20, **({"cursor": cursor} if cursor else {})})
            samples.append(ms)
            cursor = body["next_cursor"]
        results["heavy_deep_pages"] = stats(samples)
        samples = []
        for i in range(requests):
            user = seeded["others"][i % len(seeded["others"])]
            samples.append((await timed({"Authorization": f"Bearer {issuer.token(user)}"}, {"limit": 20}))[0])
        results["random_user_first_page"] = stats(samples)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    args = parser.parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    handle = open_postgres(DATA_DIR / "test-pg")
    name = f"bench_history_{secrets.token_hex(3)}"
    url = ensure_database(handle, name)
    try:
        log(f"==> migrating {name}")
        migrate_all(url, services=[s for s in SERVICES if s.name == "transaction"], progress=lambda _m: None)
        log(f"==> seeding {args.postings:,} postings")
        seeded = asyncio.run(seed(url.replace("postgresql+asyncpg://", "postgresql://"), args.postings))
        log(
            f"    {seeded['postings']:,} postings in {seeded['seed_seconds']} s "
            f"(heavy user: {seeded['heavy_postings']:,})"
        )
        log("==> measuring GET /api/v1/transactions")
        results = asyncio.run(measure(url, seeded, args.requests))
    finally:
        if not args.keep:
            drop_database(handle, name)
    report = {
        "postings": seeded["postings"],
        "seed_seconds": seeded["seed_seconds"],
        "heavy_user_postings": seeded["heavy_postings"],
        "target_p95_ms": 20,
        "scenarios": results,
        "p95_ms_worst": max(r["p95_ms"] for r in results.values()),
    }
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(report, indent=2))
    width = max(len(n) for n in results)
    print(f"GET /api/v1/transactions with {seeded['postings']:,} postings (seeded in {seeded['seed_seconds']} s)")
    print(f"{'scenario':<{width}}  {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for scenario, r in results.items():
        print(f"{scenario:<{width}}  {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f}")
    print(f"worst p95: {report['p95_ms_worst']} ms (target < 20 ms); wrote {ARTIFACT.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
