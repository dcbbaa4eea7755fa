"""The whole platform as local processes: database, secrets, migrations, six services.

Used by `make up` (instapay_stack.cli) and by end-to-end tests (which pick free ports and a
private database so several runs can share a machine).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from instapay_stack.migrate import migrate_all
from instapay_stack.processes import ProcessSpec, Supervisor
from instapay_stack.secrets import ensure_dev_secrets
from instapay_stack.services import SERVICES, service_urls, uvicorn_argv


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

    @property
    def gateway_url(self) -> str:
        return f"http://{self.config.host}:{self.config.base_port}"

    def url_of(self, name: str) -> str:
        spec = next(s for s in SERVICES if s.name == name)
        return f"http://{self.config.host}:{spec.port(self.config.base_port)}"

    def _base_env(self) -> dict[str, str]:
        cfg = self.config
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INSTAPAY_",))}
        env.update(ensure_dev_secrets(cfg.data_dir / "secrets"))
        env.update(service_urls(cfg.base_port, cfg.host))
        env.update({
            "DATABASE_URL": cfg.database_url,
            "ENVIRONMENT": cfg.environment,
            "HOST": cfg.host,
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(cfg.data_dir.resolve()),
        })
        env.update(cfg.extra_env)
        return env

    def process_specs(self) -> list[ProcessSpec]:
        cfg = self.config
        specs = []
        for svc in SERVICES:
            port = svc.port(cfg.base_port)
            env = {**self.env, "PORT": str(port), **svc.extra_env}
            specs.append(ProcessSpec(name=svc.name, argv=uvicorn_argv(svc, host=cfg.host, port=port, python=cfg.python),
                                     env=env, cwd=svc.path, port=port, host=cfg.host))
        return specs

    def migrate(self, progress=print) -> None:
        migrate_all(self.config.database_url, python=self.config.python, progress=progress)

    def start(self, *, timeout: float = 90, progress=print) -> float:
        """Starts every process and waits until each is ready; returns seconds taken."""
        started = time.monotonic()
        specs = self.process_specs()
        for spec in specs:
            self.supervisor.start(spec)
            progress(f"  started {spec.name} (pid {self.supervisor.children[spec.name].proc.pid}"
                     + (f", port {spec.port})" if spec.port else ")"))
        self.supervisor.wait_ready([s.name for s in specs], timeout, progress=progress)
        return time.monotonic() - started

    def stop(self) -> None:
        self.supervisor.stop_all()
