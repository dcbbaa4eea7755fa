"""The notification dispatcher's rate and CPU per e-mail: the channel half of a transfer's notices.

    .venv/bin/python infrastructure/bench/notification_dispatch_bench.py [--events 500] [--rounds 3]
                                                                         [--sms] [--arabic] [--profile]

Each round stores `--events` transfer events with the writer (`service.apply_events`, batches of
100, outside the clock: two notifications and two e-mail deliveries per event, like `make bench`'s
users, who verified their e-mail and keep SMS off; `--sms` adds an SMS delivery each), then runs
`Dispatcher.run_once` until nothing is due, sending to the stack's SMTP sink
(instapay_stack.smtp_sink) in its own process. It checks that every delivery was recorded `sent`
and that the sink stored one message per e-mail delivery.

Reported per delivery: this process's CPU (`time.process_time`: the dispatcher's Python side,
PostgreSQL not included) and the sink process's CPU (from /proc). Profiles come from the
directory's cache: no user-service. The code measured is whatever `notification_service` imports
from, so the same script compares two checkouts (`PYTHONPATH=<other>/services/common:<other>/
services/notification-service`). `--profile` prints the dispatcher's hottest functions (cProfile).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from proc_cpu import cpu_seconds

from instapay_common.db.database import Database
from instapay_common.events.envelope import EventEnvelope
from instapay_common.web.http_client import ServiceClient
from instapay_stack.migrate import migrate_all
from instapay_stack.paths import DATA_DIR
from instapay_stack.postgres import drop_database, ensure_database, open_postgres
from instapay_stack.services import SERVICES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _count(mail_dir: Path) -> int:
    return len(list(mail_dir.glob("*.eml")))


def _events(n: int, users: list[uuid.UUID], start: datetime) -> list[EventEnvelope]:
    out = []
    for i in range(n):
        sender, recipient = users[i % len(users)], users[(i * 7 + 1) % len(users)]
        at = start + timedelta(seconds=i)

        def party(u: uuid.UUID) -> dict[str, str]:
            return {"user_id": str(u), "handle": f"u{u.hex[:6]}", "display_name": "User", "balance_after": "10.00"}

        out.append(
            EventEnvelope.model_validate(
                {
                    "id": str(uuid.uuid4()),
                    "type": "transfer.completed",
                    "occurred_at": at.isoformat(),
                    "source": "bench",
                    "data": {
                        "transfer_id": str(uuid.uuid4()),
                        "amount": f"{(i * 7919) % 100_000 / 100 + 1:.2f}",
                        "currency": "EGP",
                        "note": None,
                        "sender": party(sender),
                        "recipient": party(recipient),
                    },
                }
            )
        )
    return out


async def _run(url: str, smtp_port: int, sink_pid: int, mail_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    from notification_service import service
    from notification_service.channels.email import SmtpMailer
    from notification_service.channels.sms import build_sms_provider
    from notification_service.config import NotificationSettings
    from notification_service.dispatcher import Channels, Dispatcher
    from notification_service.profiles import Profile, ProfileDirectory

    sms_dir = Path(tempfile.mkdtemp(prefix="bench-sms-"))
    settings = NotificationSettings(
        database_url=url, smtp_port=smtp_port, sms_provider="file", sms_dir=str(sms_dir), environment="development"
    )
    users = [uuid.uuid4() for _ in range(50)]
    profiles = ProfileDirectory(cast(ServiceClient, None), ttl_seconds=1e9)
    for n, u in enumerate(users):  # the cache only: no user-service call is made
        language = "ar" if args.arabic and n % 2 else "en"
        profiles._cache[u] = (
            time.monotonic() + 1e9,
            Profile(u, f"{u.hex[:8]}@example.com", "+201000000000", language, True, args.sms, True, True),
        )
    db = Database(url, pool_size=2, max_overflow=0)
    mailer = SmtpMailer(settings)
    dispatcher = Dispatcher(db, Channels(mailer=mailer, sms=build_sms_provider(settings, None)), profiles, settings)  # type: ignore[arg-type]
    result: dict[str, Any] = {"events": args.events, "rounds": args.rounds, "sms": args.sms, "arabic": args.arabic}
    start = datetime(2026, 1, 1, tzinfo=UTC)
    profiler = cProfile.Profile() if args.profile else None
    try:
        for r in range(args.rounds):
            events = _events(args.events, users, start + timedelta(days=r))
            for i in range(0, len(events), 100):
                await service.apply_events(db, events[i : i + 100], profiles)
            async with db.engine.connect() as conn:
                due = (
                    await conn.exec_driver_sql("SELECT count(*) FROM notifications.deliveries WHERE status = 'pending'")
                ).scalar_one()
            mails_before = await asyncio.to_thread(_count, mail_dir)
            sink0, cpu0, t0 = cpu_seconds(sink_pid), time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            sent = 0
            while worked := await dispatcher.run_once():
                sent += worked
            if profiler:
                profiler.disable()
            seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            await asyncio.sleep(0.3)  # the sink's last writes
            sink_cpu = cpu_seconds(sink_pid) - sink0
            async with db.engine.connect() as conn:
                not_sent = (
                    await conn.exec_driver_sql("SELECT count(*) FROM notifications.deliveries WHERE status <> 'sent'")
                ).scalar_one()
            mails = await asyncio.to_thread(_count, mail_dir) - mails_before
            emails = due if not args.sms else due // 2
            assert sent == due and not_sent == 0, (sent, due, not_sent)
            assert mails == emails, (mails, emails)
            row = result.setdefault(
                "runs", {"deliveries": [], "deliveries_per_second": [], "dispatcher_cpu_ms": [], "sink_cpu_ms": []}
            )
            row["deliveries"].append(due)
            row["deliveries_per_second"].append(round(due / seconds, 1))
            row["dispatcher_cpu_ms"].append(round(cpu * 1000 / due, 3))
            row["sink_cpu_ms"].append(round(sink_cpu * 1000 / emails, 3))
    finally:
        await mailer.close()
        await db.dispose()
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue(), file=sys.stderr)
    return result


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    handle = await asyncio.to_thread(open_postgres, DATA_DIR / "test-pg")
    name = f"bench_dispatch_{secrets.token_hex(3)}"
    mail_dir = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    port = _free_port()
    sink = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-m", "instapay_stack.smtp_sink", "--port", str(port), "--dir", str(mail_dir)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        url = await asyncio.to_thread(ensure_database, handle, name)
        await asyncio.to_thread(
            migrate_all, url, services=[s for s in SERVICES if s.name == "notification"], progress=lambda _m: None
        )
        return await _run(url, port, sink.pid, mail_dir, args)
    finally:
        sink.terminate()
        sink.wait()
        await asyncio.to_thread(drop_database, handle, name)
        handle.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=500, help="transfer events per round (2 notices each)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sms", action="store_true", help="users also want SMS notices")
    parser.add_argument("--arabic", action="store_true", help="half the users read Arabic")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    result = asyncio.run(main_async(args))
    result["label"] = args.label
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
