"""`make up`: start the whole platform locally and keep it running until Ctrl-C.

python -m instapay_stack.cli up        # everything, gateway on :8000 (INSTAPAY_PORT_BASE)
python -m instapay_stack.cli migrate   # only the migrations
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from instapay_stack.paths import DATA_DIR
from instapay_stack.postgres import PostgresHandle, ensure_database, open_postgres
from instapay_stack.processes import Progress, StackError
from instapay_stack.services import RELAYS
from instapay_stack.stack import Stack, StackConfig


def _step(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def _database(progress: Progress, data_dir: Path = DATA_DIR) -> tuple[PostgresHandle, str]:
    url = os.environ.get("DATABASE_URL")
    if url:
        progress("using the PostgreSQL server in DATABASE_URL")
        handle = open_postgres(data_dir / "pg")
        # The path, not the URL's last "/": a socket directory in `?host=/...` has slashes too.
        database = urlsplit(url).path.lstrip("/") or "instapay"
    else:
        progress(f"starting embedded PostgreSQL in {data_dir / 'pg'} (set DATABASE_URL to use your own)")
        handle = open_postgres(data_dir / "pg")
        database = "instapay"
    return handle, ensure_database(handle, database)


def _health(url: str, patience: float = 5.0) -> dict[str, Any]:
    """The platform health; a 503 (a status the gateway took while services were still starting)
    is asked again for a few seconds, then returned as it is."""
    deadline = time.monotonic() + patience
    while True:
        try:
            with urllib.request.urlopen(url + "/api/v1/health", timeout=3) as resp:  # noqa: S310 - local URL
                health: dict[str, Any] = json.load(resp)
                return health
        except urllib.error.HTTPError as exc:
            if exc.code != 503:
                raise
            degraded: dict[str, Any] = json.load(exc)
            if time.monotonic() > deadline:
                return degraded
        time.sleep(0.3)


def up(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    base = int(os.environ.get("INSTAPAY_PORT_BASE", "8000"))
    data_dir = args.data_dir
    handle = None
    stack = None
    stopping = False

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    # Explicit: a shell may start us with SIGINT ignored (background jobs), and Ctrl-C must still stop us.
    signal.signal(signal.SIGINT, on_signal)
    try:
        _step("database")
        handle, db_url = _database(lambda m: print("  " + m, flush=True), data_dir)
        stack = Stack(StackConfig(database_url=db_url, base_port=base, data_dir=data_dir, log_dir=data_dir / "logs"))
        _step("migrations")
        stack.migrate(progress=lambda m: print(m, flush=True))
        _step("services")
        # The relays start once the services are ready (see Stack.start): the API is usable sooner.
        stack.start(timeout=args.timeout, progress=lambda m: print(m, flush=True), relays=False)
        # From here a process that dies is restarted, like compose's `restart: unless-stopped`.
        stack.supervise(events=lambda m: print(m, flush=True))
        health = _health(stack.gateway_url)
        up_count = sum(1 for s in health["services"].values() if s == "up")
        print(f"\nall six services up in {time.monotonic() - t0:.1f}s ({up_count} reporting up):", flush=True)
        print(f"  web app and API:  {stack.gateway_url}/")
        print(f"  API docs:         {stack.gateway_url}/docs")
        print(f"  health:           {stack.gateway_url}/api/v1/health")
        print(f"  logs (JSON):      {data_dir / 'logs'}/<service>.log")
        print(f"  e-mail (SMTP sink on :{stack.smtp_port}): {stack.mail_dir}/*.eml")
        print(f"  SMS (file sink):  {stack.sms_dir}/*.txt")
        print(
            f"  outbox relays:    {', '.join(r.name for r in RELAYS)} (metrics on their ports), starting:", flush=True
        )
        stack.start_relays(timeout=args.timeout, progress=lambda m: print(m, flush=True))
        print(f"outbox relays up in {time.monotonic() - t0:.1f}s. Press Ctrl-C to stop everything.", flush=True)
        print(
            "  a process that dies is restarted (backoff 0.5 s doubling; more than 5 exits of one "
            "within a minute stop everything)",
            flush=True,
        )
        while stack.supervisor.gave_up is None:
            time.sleep(0.5)
        raise StackError(stack.supervisor.gave_up)
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
        return 0
    except StackError as exc:
        print(f"\nerror: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if stack is not None:
            stack.stop()
        if handle is not None:
            handle.stop()
        if stopping or stack is not None:
            print(f"stopped; data kept in {data_dir} for the next run.", flush=True)


def migrate(_args: argparse.Namespace) -> int:
    handle, db_url = _database(print)
    try:
        Stack(StackConfig(database_url=db_url, data_dir=DATA_DIR)).migrate()
    finally:
        handle.stop()
    return 0


def _run_with_service_env(service: str, argv: list[str]) -> int:
    """Runs `python argv...` in `service`'s directory with the environment `make up` gives it."""
    import subprocess

    from instapay_stack.services import SERVICES

    handle, db_url = _database(print)
    try:
        base = int(os.environ.get("INSTAPAY_PORT_BASE", "8000"))
        stack = Stack(StackConfig(database_url=db_url, base_port=base, data_dir=DATA_DIR, log_dir=DATA_DIR / "logs"))
        spec = next(s for s in SERVICES if s.name == service)
        return subprocess.call(
            [sys.executable, *argv],
            cwd=spec.path,
            env={**stack.service_env(service), **spec.extra_env, "LOG_LEVEL": "WARNING"},
        )
    finally:
        handle.stop()


def rebuild_reports(_args: argparse.Namespace) -> int:
    """Runs `python -m reporting_service.rebuild` with the environment `make up` gives the services."""
    return _run_with_service_env("reporting", ["-m", "reporting_service.rebuild"])


def rebuild_directory(_args: argparse.Namespace) -> int:
    """Runs `python -m transaction_service.rebuild_directory` with the environment `make up` gives the services."""
    return _run_with_service_env("transaction", ["-m", "transaction_service.rebuild_directory"])


def reconcile(args: argparse.Namespace) -> int:
    """Runs `python -m transaction_service.reconcile` for a day, as the service's daily job does."""
    return _run_with_service_env(
        "transaction", ["-m", "transaction_service.reconcile", *(["--date", args.date] if args.date else [])]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="instapay-stack")
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="run the whole platform until Ctrl-C")
    p_up.add_argument("--timeout", type=float, default=90)
    p_up.add_argument(
        "--data-dir",
        type=Path,
        default=DATA_DIR,
        help="embedded database, secrets, logs, mail (default: .data/ in the checkout)",
    )
    p_up.set_defaults(func=up)
    sub.add_parser("migrate", help="migrate every schema to head").set_defaults(func=migrate)
    sub.add_parser(
        "rebuild-reports", help="rebuild the reporting read model from the event logs (the stack must be running)"
    ).set_defaults(func=rebuild_reports)
    sub.add_parser(
        "rebuild-directory",
        help="rebuild the transaction service's recipient directory from the user service (the stack must be running)",
    ).set_defaults(func=rebuild_directory)
    p_reconcile = sub.add_parser("reconcile", help="reconcile a day of the funding provider with the ledger")
    p_reconcile.add_argument("--date", help="UTC day, YYYY-MM-DD (default: yesterday)")
    p_reconcile.set_defaults(func=reconcile)
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
