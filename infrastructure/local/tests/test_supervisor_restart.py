"""`Supervisor.supervise`: the restart policy `make up` runs under. A process killed from outside
comes back (with a new pid, after a backoff, with a line saying so); one stopped on purpose
(`Supervisor.kill`) stays down; one that keeps crashing is given up on, by name."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from instapay_stack.processes import ProcessSpec, RestartPolicy, Supervisor

# Runs until told to stop; or, with an argument, exits with code 3 after that many seconds.
_CHILD = """
import sys, time
if len(sys.argv) > 1:
    time.sleep(float(sys.argv[1]))
    sys.exit(3)
while True:
    time.sleep(0.05)
"""
FAST = RestartPolicy(first_delay=0.05, max_delay=1.0, max_restarts=5, window=30.0)


def _spec(name: str, tmp_path: Path, *args: str) -> ProcessSpec:
    return ProcessSpec(
        name=name, argv=[sys.executable, "-c", _CHILD, *args], env=dict(os.environ), cwd=tmp_path, ready_path=None
    )


def _until(check: Callable[[], object], timeout: float = 20, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_a_killed_process_is_restarted_and_a_stopped_one_is_not(tmp_path: Path) -> None:
    events: list[str] = []
    supervisor = Supervisor(tmp_path / "logs")
    for name in ("transaction", "gateway"):
        supervisor.start(_spec(name, tmp_path))
    supervisor.wait_ready(["transaction", "gateway"], 20, progress=lambda _m: None)
    supervisor.supervise(FAST, events=events.append)
    try:
        first = supervisor.children["transaction"].proc.pid
        os.kill(first, signal.SIGKILL)  # a crash, an OOM kill: not asked for
        _until(lambda: supervisor.children["transaction"].proc.pid != first, what="a restart")
        assert supervisor.children["transaction"].proc.poll() is None
        assert any(f"transaction (pid {first}) killed by SIGKILL; restarting in 0.05s" in e for e in events), events
        assert any("restarted transaction (pid " in e for e in events), events

        supervisor.kill("gateway")  # a stop asked for (the fault tests): left down
        time.sleep(0.5)
        assert supervisor.children["gateway"].proc.poll() is not None
        assert not any("gateway" in e for e in events), events
        assert supervisor.gave_up is None
    finally:
        supervisor.stop_all(grace=5)
    assert all(c.proc.poll() is not None for c in supervisor.children.values())


def test_a_process_that_keeps_crashing_is_given_up_on_by_name(tmp_path: Path) -> None:
    events: list[str] = []
    supervisor = Supervisor(tmp_path / "logs")
    supervisor.start(_spec("smtp-sink", tmp_path))
    supervisor.start(_spec("reporting", tmp_path, "0.3"))  # ready (alive), then exits 3 every time
    supervisor.wait_ready(["smtp-sink", "reporting"], 20, progress=lambda _m: None)
    supervisor.supervise(FAST, events=events.append)
    try:
        _until(lambda: supervisor.gave_up is not None, what="the supervisor to give up")
        assert supervisor.gave_up is not None
        assert supervisor.gave_up.startswith("reporting keeps crashing: 6 exits within 30s (last: exit code 3)")
        restarts = [e for e in events if "restarted reporting" in e]
        assert len(restarts) == 5, events
        # Backoff doubles: 0.05, 0.1, 0.2, 0.4, 0.8 s.
        delays = [e.split("restarting in ")[1].split("s ")[0] for e in events if "restarting in" in e]
        assert delays == ["0.05", "0.1", "0.2", "0.4", "0.8"], events
        time.sleep(0.5)
        assert supervisor.children["reporting"].proc.poll() is not None  # left down
        assert supervisor.children["smtp-sink"].proc.poll() is None  # the others untouched
    finally:
        supervisor.stop_all(grace=5)
