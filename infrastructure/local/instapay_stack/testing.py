"""Pytest fixtures shared by every suite: a real PostgreSQL, migrated schemas, the real stack.

- `pg`: the server (DATABASE_URL's, or an embedded one in .data/test-pg).
- `database_url`: a fresh database for this test run (dropped afterwards), migrated to head.
- `stack`: all six services as processes on free ports, exactly as `make up` runs them.
- `running_app(app)`: run an app's lifespan for in-process ASGI tests with httpx.
- `start_fake(app)`: serve an aiohttp app (a fake upstream or subscriber) on a free localhost port.
- `serve_asgi(app)`: serve an ASGI app (lifespan included) with uvicorn on a free localhost port.
- `running_simulator(database_url, webhook_url=...)`: the provider simulator, served that way.
- `internal_headers(caller, env)`: the internal credential of `caller` (a stack's, or the dev one).
Several test runs can share one machine: databases and ports are private to each run.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import secrets
import socket
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import pytest
import uvicorn
from aiohttp import web
from fastapi import FastAPI
from starlette.types import ASGIApp

from instapay_common.db.roles import RoleNames
from instapay_common.security.internal import CALLER_HEADER, TOKEN_HEADER, dev_secret, secret_env_name
from instapay_stack.migrate import migrate_all
from instapay_stack.paths import DATA_DIR
from instapay_stack.postgres import PostgresHandle, drop_database, drop_roles, ensure_database, open_postgres
from instapay_stack.stack import Stack, private_stack

if TYPE_CHECKING:
    from provider_simulator.config import SimulatorSettings


def internal_headers(caller: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Headers of an internal call made as `caller`: with its secret in `env` (a stack's
    environment), or its development secret (services built with ENVIRONMENT=test)."""
    secret = env[secret_env_name(caller)] if env is not None else dev_secret(caller)
    return {CALLER_HEADER: caller, TOKEN_HEADER: secret}


@pytest.fixture(scope="session")
def pg() -> Iterator[PostgresHandle]:
    # pytest-xdist's workers (and concurrent runs) share the embedded server. Opening it is
    # serialized: on a fresh data dir the first opener raises max_connections and restarts the
    # server, which must not happen while another worker has already joined it.
    DATA_DIR.mkdir(exist_ok=True)
    with (DATA_DIR / "test-pg.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        handle = open_postgres(DATA_DIR / "test-pg")
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def database_url(pg: PostgresHandle) -> Iterator[str]:
    name = f"test_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    migrate_all(url, progress=lambda _m: None)
    yield url
    drop_database(pg, name)
    drop_roles(pg, RoleNames(name))  # those a `make up` on this database created (test_cli_up)


class StackFactory(Protocol):
    def __call__(self, *, extra_env: dict[str, str] | None = None, migrate: bool = True) -> Stack: ...


@pytest.fixture(scope="session")
def stack_factory(pg: PostgresHandle, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackFactory]:
    """Starts private stacks (own database, ports, data dir); all are stopped at session end."""
    with contextlib.ExitStack() as started:

        def start(*, extra_env: dict[str, str] | None = None, migrate: bool = True) -> Stack:
            return started.enter_context(
                private_stack(
                    pg,
                    prefix="stack",
                    data_dir=tmp_path_factory.mktemp("stack-data"),
                    extra_env=extra_env,
                    migrate=migrate,
                )
            )

        yield start


@pytest.fixture(scope="session")
def stack(stack_factory: StackFactory) -> Stack:
    """The shared end-to-end stack for this test run."""
    return stack_factory()


@asynccontextmanager
async def running_app(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on the app in-process, with the app's lifespan running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def start_fake(app: web.Application) -> tuple[web.AppRunner, str]:
    """Serves `app` on 127.0.0.1 at a port the kernel picks (no race with other runs for a "free"
    one); returns the runner (`await runner.cleanup()` stops it) and the base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # started above, so set
    return runner, f"http://127.0.0.1:{port}"


@asynccontextmanager
async def serve_asgi(app: ASGIApp) -> AsyncIterator[str]:
    """Serves `app` with uvicorn (lifespan on) on 127.0.0.1 at a port the kernel picks, in this
    event loop; yields the base URL and stops the server (running the lifespan's shutdown) after."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():  # the lifespan failed: its exception says why
                task.result()
                raise RuntimeError("the server stopped before it started")
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@dataclass(frozen=True)
class RunningSimulator:
    url: str
    settings: SimulatorSettings
    app: FastAPI

    def api_headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.simulator_api_key.get_secret_value()}", **extra}

    def control_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.simulator_control_token.get_secret_value()}"}


SIMULATOR_TEST_SECRETS = {
    "simulator_api_key": "test-simulator-api-key",
    "simulator_webhook_secret": "test-simulator-webhook-secret",
    "simulator_control_token": "test-simulator-control-token",
}


@asynccontextmanager
async def running_simulator(
    database_url: str, *, webhook_url: str, **overrides: Any
) -> AsyncIterator[RunningSimulator]:
    """The provider simulator on a free port of this event loop, sending its callbacks to
    `webhook_url`, on `database_url` (migrated: the `database_url` fixture's is). Short delays and
    retries by default so tests are quick; `overrides` are SimulatorSettings fields.

    The callback queue is shared by every simulator on the same database: callbacks left
    undelivered by an earlier one reach this one's `webhook_url`, so tests match callbacks by their
    own idempotency keys."""
    # Imported here: every suite loads this module, and importing the simulator's main builds its app.
    from provider_simulator.config import SimulatorSettings
    from provider_simulator.main import build_app

    values: dict[str, Any] = {
        "database_url": database_url,
        "environment": "test",
        "simulator_webhook_url": webhook_url,
        "simulator_bank_delay_ms": 100,
        "simulator_payout_delay_ms": 150,
        "simulator_retry_base_ms": 50,
        "simulator_retry_max_ms": 400,
        "simulator_max_idle_ms": 200,
        **SIMULATOR_TEST_SECRETS,
        **overrides,
    }
    settings = SimulatorSettings(**values)
    app = build_app(settings)
    async with serve_asgi(app) as url:
        yield RunningSimulator(url=url, settings=settings, app=app)


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parents[3] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
