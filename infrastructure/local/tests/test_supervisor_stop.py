"""`Supervisor.stop_all(last=...)`: the children named there outlive the others' shutdown (the
SMTP sink stays up while the notification service finishes its deliveries)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from instapay_stack.processes import ProcessSpec, Supervisor

# On SIGTERM: wait a little (a service finishing its work), then write when it exited.
_CHILD = """
import signal, sys, time
def stop(*_):
    time.sleep(0.3)
    open(sys.argv[1], "w").write(repr(time.monotonic()))
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
open(sys.argv[1] + ".ready", "w").close()
while True:
    time.sleep(0.05)
"""


def _spec(name: str, out: Path) -> ProcessSpec:
    return ProcessSpec(name=name, argv=[sys.executable, "-c", _CHILD, str(out)], env=dict(os.environ), cwd=out.parent)


def _wait_for(path: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_the_children_named_last_stop_after_the_others(tmp_path: Path) -> None:
    supervisor = Supervisor(tmp_path / "logs")
    outs = {name: tmp_path / f"{name}.exit" for name in ("notification", "gateway", "smtp-sink")}
    for name, out in outs.items():
        supervisor.start(_spec(name, out))
    for out in outs.values():
        _wait_for(Path(f"{out}.ready"))

    supervisor.stop_all(grace=10, last=("smtp-sink",))

    exited = {name: float(out.read_text()) for name, out in outs.items()}
    assert all(child.proc.returncode == 0 for child in supervisor.children.values())  # SIGTERM, not SIGKILL
    assert exited["smtp-sink"] > max(exited["notification"], exited["gateway"])
    # The others were told together: both took their 0.3 s side by side, not one after the other.
    assert abs(exited["notification"] - exited["gateway"]) < 0.25
