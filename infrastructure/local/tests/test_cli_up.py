"""`make up`'s command end to end: it reports the six services up, then starts the outbox relays,
and Ctrl-C (SIGINT) stops every process it started and frees every port."""

import os
import re
import signal
import subprocess
import sys

import httpx
import psutil

from instapay_stack.processes import free_port_base, port_is_free
from instapay_stack.services import LOCAL_SERVICES, PORT_COUNT, RELAYS, SERVICES


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_up_then_ctrl_c_leaves_no_process_behind(database_url, tmp_path):
    base = free_port_base(PORT_COUNT)
    env = {**os.environ, "DATABASE_URL": database_url, "INSTAPAY_PORT_BASE": str(base)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "instapay_stack.cli", "up", "--timeout", "240", "--data-dir", str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the launcher gives up by itself after --timeout
            lines.append(line.rstrip())
            if line.startswith("outbox relays up"):
                break
        output = "\n".join(lines)
        assert any(line.startswith("all six services up") for line in lines), output

        pids = {m[1]: int(m[2]) for m in (re.match(r"\s+started (\S+) \(pid (\d+)", x) for x in lines) if m}
        assert set(pids) == {s.name for s in LOCAL_SERVICES} | {r.name for r in RELAYS} | {"smtp-sink"}, output
        events = [
            (m.group(1) or m.group(4), m.group(2) or m.group(3))
            for m in (re.match(r"\s+(started) (\S+) |\s+(\S+) (ready) ", x) for x in lines)
            if m
        ]
        last_service_ready = max(
            i for i, (what, name) in enumerate(events) if what == "ready" and name in {s.name for s in SERVICES}
        )
        first_relay_started = min(
            i for i, (what, name) in enumerate(events) if what == "started" and name in {r.name for r in RELAYS}
        )
        # the relays start once every service is ready, so they do not slow the services' start
        assert last_service_ready < first_relay_started, output

        health = httpx.get(f"http://127.0.0.1:{base}/api/v1/health", timeout=10).json()
        assert sorted(n for n, state in health["services"].items() if state == "up") == sorted(s.name for s in SERVICES)
        for relay in RELAYS:
            assert httpx.get(f"http://127.0.0.1:{relay.port(base)}/healthz", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)

    assert proc.returncode == 0, rest
    assert "stopped;" in rest
    assert not {name: pid for name, pid in pids.items() if running(pid)}
    assert all(port_is_free("127.0.0.1", base + i) for i in range(PORT_COUNT))
