"""The whole platform as local processes: database, secrets, migrations, six services, one outbox
relay per emitting service, the SMTP sink (e-mail lands in <data_dir>/mail/*.eml) and the provider
simulator standing in for the payment provider.

Used by `make up` (instapay_stack.cli, which restarts a process that dies: `Stack.supervise`) and
by end-to-end tests (which pick free ports and a private database so several runs can share a
machine, and by default leave a dead process dead: see `private_stack`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from instapay_common.db.roles import RoleNames
from instapay_stack.bytecode import compile_workspace
from instapay_stack.message_sinks import register_data_dir
from instapay_stack.migrate import migrate_all
from instapay_stack.postgres import (
    DatabaseRoles,
    PostgresHandle,
    database_name,
    drop_database,
    drop_roles,
    ensure_database,
    provision_roles,
)
from instapay_stack.processes import ProcessSpec, Progress, RestartPolicy, Supervisor, free_port_base
from instapay_stack.secrets import ensure_db_passwords, ensure_dev_secrets
from instapay_stack.services import (
    LOCAL_SERVICES,
    PORT_COUNT,
    RELAYS,
    SMTP_SINK_NAME,
    SMTP_SINK_OFFSET,
    funding_env,
    service_urls,
    smtp_sink_argv,
    uvicorn_argv,
)


@dataclass
class StackConfig:
    database_url: str
    base_port: int = 8000
    host: str = "127.0.0.1"
    data_dir: Path = Path(".data")
    log_dir: Path = Path(".data/logs")
    environment: str = "development"
    extra_env: dict[str, str] = field(default_factory=dict)
    python: str = sys.executable


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.supervisor = Supervisor(config.log_dir)
        self.env = self._base_env()
        # Database roles (instapay_common.db.roles), named after the database; created on first
        # need (`provision`). None after that: the URL's user may not create roles, and every
        # process uses config.database_url, as before roles existed.
        self.role_names = RoleNames(database_name(config.database_url) or "instapay")
        self.roles: DatabaseRoles | None = None
        self._provisioned = False
        # Tests find its SMS and mail sinks by its gateway URL (also when `make up` runs it).
        register_data_dir(self.gateway_url, config.data_dir)

    @property
    def gateway_url(self) -> str:
        return f"http://{self.config.host}:{self.config.base_port}"

    def url_of(self, name: str) -> str:
        spec = next(s for s in LOCAL_SERVICES if s.name == name)
        return f"http://{self.config.host}:{spec.port(self.config.base_port)}"

    @property
    def mail_dir(self) -> Path:
        return (self.config.data_dir / "mail").resolve()

    @property
    def sms_dir(self) -> Path:
        return (self.config.data_dir / "sms").resolve()

    @property
    def smtp_port(self) -> int:
        return self.config.base_port + SMTP_SINK_OFFSET

    def _base_env(self) -> dict[str, str]:
        cfg = self.config
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INSTAPAY_",))}
        dev_secrets = ensure_dev_secrets(cfg.data_dir / "secrets")
        env.update(dev_secrets)
        env.update(service_urls(cfg.base_port, cfg.host))
        env.update(funding_env(cfg.base_port, cfg.host, dev_secrets))
        env.update(
            {
                "ENVIRONMENT": cfg.environment,
                "HOST": cfg.host,
                "PYTHONUNBUFFERED": "1",
                "DATA_DIR": str(cfg.data_dir.resolve()),
                # notification-service channels: the local SMTP sink and the file SMS sink
                "SMTP_HOST": cfg.host,
                "SMTP_PORT": str(cfg.base_port + SMTP_SINK_OFFSET),
                "SMS_PROVIDER": "file",
                "SMS_DIR": str((cfg.data_dir / "sms").resolve()),
            }
        )
        env.update(cfg.extra_env)
        return env

    def provision(self) -> DatabaseRoles | None:
        """Creates the database roles (once per Stack; idempotent on the server)."""
        if not self._provisioned:
            names = self.role_names
            passwords = ensure_db_passwords(self.config.data_dir / "secrets", names.all())
            if provision_roles(self.config.database_url, names, passwords):
                self.roles = DatabaseRoles(names, passwords, self.config.database_url)
            self._provisioned = True
        return self.roles

    def database_url_for(self, role: str) -> str:
        """The URL a process connects with: its own role's, or the stack's URL without roles."""
        roles = self.provision()
        return roles.url(role) if roles is not None else self.config.database_url

    def service_env(self, name: str) -> dict[str, str]:
        """The environment of service `name`'s processes (its operator commands too)."""
        return {**self.env, "DATABASE_URL": self.database_url_for(self.role_names.service(name))}

    def process_specs(self) -> list[ProcessSpec]:
        cfg = self.config
        specs = [
            ProcessSpec(
                name=SMTP_SINK_NAME,
                argv=smtp_sink_argv(host=cfg.host, port=self.smtp_port, mail_dir=str(self.mail_dir), python=cfg.python),
                env=self.env,
                cwd=cfg.data_dir.resolve(),
                port=self.smtp_port,
                host=cfg.host,
                ready_path=None,
            )
        ]
        for svc in LOCAL_SERVICES:
            port = svc.port(cfg.base_port)
            # The gateway holds no database credentials: it has no schema.
            base = self.service_env(svc.name) if svc.schema else self.env
            env = {**base, "PORT": str(port), **svc.extra_env}
            specs.append(
                ProcessSpec(
                    name=svc.name,
                    argv=uvicorn_argv(svc, host=cfg.host, port=port, python=cfg.python),
                    env=env,
                    cwd=svc.path,
                    port=port,
                    host=cfg.host,
                )
            )
        for relay in RELAYS:
            port = relay.port(cfg.base_port)
            specs.append(
                ProcessSpec(
                    name=relay.name,
                    argv=relay.argv(host=cfg.host, port=port, python=cfg.python),
                    env={**self.env, "DATABASE_URL": self.database_url_for(self.role_names.relay(relay.service))},
                    cwd=cfg.data_dir.resolve(),
                    port=port,
                    host=cfg.host,
                    ready_path="/healthz",
                )
            )
        return specs

    def migrate(self, progress: Progress = print) -> None:
        roles = self.provision()
        migrate_all(self.config.database_url, python=self.config.python, progress=progress, roles=roles)

    def start(self, *, timeout: float = 90, progress: Progress = print, relays: bool = True) -> float:
        """Starts every process and waits until each is ready; returns seconds taken.

        relays=False leaves the outbox relays to `start_relays()`: `make up` starts them once the
        services are ready, so the services, which a user waits for, do not share the cores with
        the relays' starting interpreters. Nothing is lost meanwhile: events wait in the outbox.
        """
        started = time.monotonic()
        compile_workspace()  # else each process compiles the workspace's modules again (see bytecode.py)
        relay_names = {r.name for r in RELAYS}
        specs = [s for s in self.process_specs() if relays or s.name not in relay_names]
        self._start_and_wait(specs, timeout, progress)
        return time.monotonic() - started

    def start_relays(self, *, timeout: float = 90, progress: Progress = print) -> float:
        """Starts the outbox relays not yet running (after `start(relays=False)`) and waits for them."""
        started = time.monotonic()
        relay_names = {r.name for r in RELAYS}
        specs = [s for s in self.process_specs() if s.name in relay_names and s.name not in self.supervisor.children]
        self._start_and_wait(specs, timeout, progress)
        return time.monotonic() - started

    def _start_and_wait(self, specs: list[ProcessSpec], timeout: float, progress: Progress) -> None:
        for spec in specs:
            self.supervisor.start(spec)
            progress(
                f"  started {spec.name} (pid {self.supervisor.children[spec.name].proc.pid}"
                + (f", port {spec.port})" if spec.port else ")")
            )
        self.supervisor.wait_ready([s.name for s in specs], timeout, progress=progress)

    def supervise(self, policy: RestartPolicy | None = None, *, events: Progress = print) -> None:
        """Restart policy for every process once it is ready (the relays too, when they start later):
        a dead one is started again with backoff, one line per event to `events`."""
        self.supervisor.supervise(policy, events=events)

    def stop(self) -> None:
        # The sink last: a notification service still sending when told to stop reaches it, so a
        # clean stop logs no delivery retries.
        self.supervisor.stop_all(last=(SMTP_SINK_NAME,))


@contextlib.contextmanager
def private_stack(
    pg: PostgresHandle,
    *,
    prefix: str,
    data_dir: Path,
    environment: str = "test",
    extra_env: dict[str, str] | None = None,
    migrate: bool = True,
    ports: int = PORT_COUNT,
    supervise: bool = False,
) -> Iterator[Stack]:
    """The whole stack on a database of its own on `pg` and on free ports, started and ready.

    Several test runs, benchmarks and the bank test share one machine and one server: the
    database name carries the process id and a random suffix, and on exit the stack is stopped
    and its database dropped whatever happened inside.

    `supervise=True` restarts a process that dies, as `make up` does (events in
    <data_dir>/logs/supervisor.log). Off by default: in a test a crash is a finding to report,
    not to heal behind the test's back; the fault tests kill and restart processes themselves;
    a benchmark must not measure a restart."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    stack = Stack(
        StackConfig(
            database_url=url,
            base_port=free_port_base(ports),
            data_dir=data_dir,
            log_dir=data_dir / "logs",
            environment=environment,
            extra_env=extra_env or {},
        )
    )
    try:
        if migrate:
            stack.migrate(progress=lambda _m: None)
        stack.start(timeout=240, progress=lambda _m: None)
        if supervise:
            log = stack.config.log_dir / "supervisor.log"

            def record(line: str) -> None:
                with log.open("a") as f:
                    f.write(line + "\n")

            stack.supervise(events=record)
        yield stack
    finally:
        stack.stop()
        drop_database(pg, name)
        if stack.roles is not None:
            drop_roles(pg, stack.role_names)
