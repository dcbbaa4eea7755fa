"""Prometheus (Debian's `prometheus` binary) against the local stack, without containers.

    python infrastructure/observability/local_prometheus.py      # `make observe`
    INSTAPAY_PORT_BASE=9000 PROMETHEUS_PORT=9190 make observe

Scrapes the six services of `make up` (ports base+0..5) and the outbox relays (base+6..8) with the
same alert rules as compose and Kubernetes, stores its data in a temporary directory (removed on
exit) and runs until Ctrl-C.
The tests use the same pieces (`render_config`, `LocalPrometheus`) against a private stack.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from instapay_stack.services import RELAYS, SERVICES

HERE = Path(__file__).resolve().parent
RULES_DIR = HERE / "prometheus" / "rules"


# Every process of the local stack that serves /metrics, by target name -> port offset: the six
# services (named as the apps name themselves: api-gateway, auth-service, ...) and the outbox relays.
SERVICE_PORT_OFFSETS = {**{s.directory: s.port_offset for s in SERVICES}, **{r.name: r.port_offset for r in RELAYS}}


def prometheus_binary() -> str | None:
    return shutil.which("prometheus")


def local_targets(base_port: int, host: str = "127.0.0.1") -> dict[str, str]:
    """service name -> host:port of the local stack's processes."""
    return {name: f"{host}:{base_port + offset}" for name, offset in SERVICE_PORT_OFFSETS.items()}


def render_config(
    targets: dict[str, str], *, rules_dir: Path = RULES_DIR, scrape_interval: str = "5s", environment: str = "local"
) -> str:
    """prometheus.yml for the given targets (JSON is valid YAML, so no YAML library is needed)."""
    config: dict[str, Any] = {
        "global": {
            "scrape_interval": scrape_interval,
            "evaluation_interval": scrape_interval,
            "external_labels": {"environment": environment},
        },
        "rule_files": [str(rules_dir / "*.yml")],
        "scrape_configs": [
            {
                "job_name": "instapay",
                "honor_labels": True,  # keep the apps' own `service` label (equal to the target's)
                "metric_relabel_configs": [
                    {  # relay metrics say service="transaction": use full names
                        "source_labels": ["service"],
                        "regex": "(auth|user|transaction)",
                        "target_label": "service",
                        "replacement": "$1-service",
                    }
                ],
                "static_configs": [
                    {"targets": [addr], "labels": {"service": name}} for name, addr in sorted(targets.items())
                ],
            }
        ],
    }
    return json.dumps(config, indent=2) + "\n"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class LocalPrometheus:
    """One Prometheus process with its own config file and storage directory."""

    def __init__(self, config_text: str, *, port: int, workdir: Path, host: str = "127.0.0.1") -> None:
        binary = prometheus_binary()
        if binary is None:
            raise RuntimeError("prometheus is not installed (apt-get install prometheus; `make observe` does it)")
        self.binary = binary
        self.url = f"http://{host}:{port}"
        self.workdir = workdir
        self.config_path = workdir / "prometheus.yml"
        self.config_path.write_text(config_text)
        self.log_path = workdir / "prometheus.log"
        self.argv = [
            binary,
            f"--config.file={self.config_path}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address={host}:{port}",
            "--storage.tsdb.retention.time=1d",
            "--web.enable-lifecycle",
            "--log.level=warn",
        ]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prometheus exited ({self.proc.returncode}): {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=2) as resp:  # noqa: S310 - local URL
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"prometheus not ready after {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def api(self, path: str, **params: str) -> dict[str, Any]:
        """GET /api/v1/<path>; returns the decoded body (errors included, as Prometheus answers them)."""
        url = f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - local URL
                return json.load(resp)
        except urllib.error.HTTPError as exc:  # 400/422 carry {"status": "error", "error": ...}
            return json.load(exc)

    def query(self, expr: str) -> list[dict[str, Any]]:
        body = self.api("query", query=expr)
        if body.get("status") != "success":
            raise ValueError(f"query failed: {expr}: {body.get('error')}")
        return body["data"]["result"]


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (e.g. from make or a supervisor) stops cleanly like Ctrl-C


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Prometheus against the local stack (make observe)")
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("INSTAPAY_PORT_BASE", "8000")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PROMETHEUS_PORT", "9090")))
    args = parser.parse_args(argv)
    port = args.port
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            port = free_port()
            print(f"port {args.port} is taken; using {port}", flush=True)
    with tempfile.TemporaryDirectory(prefix="instapay-prometheus-") as tmp:
        prom = LocalPrometheus(render_config(local_targets(args.base_port)), port=port, workdir=Path(tmp))
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            prom.start()
            print(f"Prometheus: {prom.url}/  (targets: {prom.url}/targets, alerts: {prom.url}/alerts)", flush=True)
            last = args.base_port + max(SERVICE_PORT_OFFSETS.values())
            print(
                f"scraping the local stack on ports {args.base_port}-{last}; "
                f"data in {tmp} (removed on exit); Ctrl-C stops it.",
                flush=True,
            )
            while prom.proc is not None and prom.proc.poll() is None:
                time.sleep(0.5)
            print(f"prometheus stopped; log: {prom.log_path}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            prom.stop()


if __name__ == "__main__":
    sys.exit(main())
