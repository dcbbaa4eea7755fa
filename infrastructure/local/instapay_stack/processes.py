"""Supervising child processes: start with a clear error when a port is taken, wait until ready,
stop them all (SIGTERM, then SIGKILL) and never leave orphans behind, even if we are killed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_PDEATHSIG = 1

# Where progress lines go (`print` on the command line, a no-op in tests).
Progress = Callable[[str], None]


class StackError(RuntimeError):
    """A failure the user can act on; the message says what to do."""


@dataclass
class ProcessSpec:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    port: int | None = None
    host: str = "127.0.0.1"
    ready_path: str | None = "/readyz"


@dataclass
class Child:
    spec: ProcessSpec
    proc: subprocess.Popen[bytes]
    log_path: Path
    started_at: float = field(default_factory=time.monotonic)


def _die_with_parent() -> None:
    # Linux: the kernel sends SIGTERM to the child when the launcher dies, even by SIGKILL.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass
    os.setsid()  # own session: a terminal Ctrl-C reaches the launcher, which stops children in order


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _ephemeral_low(default: int = 32768) -> int:
    """Lowest port the kernel hands out for outgoing connections (ours must stay below it)."""
    try:
        return int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    except (OSError, ValueError, IndexError):
        return default


def free_port_base(count: int, start: int = 10000, end: int | None = None) -> int:
    """A base port with `count` consecutive free ports (for tests running beside other stacks).

    Chosen below the ephemeral range: a port there can be taken at any moment by some process's
    outgoing connection between our check and the service's bind.
    """
    import random

    end = end or _ephemeral_low()
    for _ in range(200):
        base = random.randrange(start, end - count)  # noqa: S311 - not security relevant
        if all(port_is_free("127.0.0.1", base + i) for i in range(count)):
            return base
    raise StackError("no free block of ports found")


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Supervisor:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: dict[str, Child] = {}

    def start(self, spec: ProcessSpec) -> Child:
        if spec.port is not None and not port_is_free(spec.host, spec.port):
            raise StackError(
                f"port {spec.port} for {spec.name} is already in use. Stop whatever listens there "
                f"(`ss -ltnp 'sport = :{spec.port}'`) or choose other ports with INSTAPAY_PORT_BASE=9000."
            )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{spec.name}.log"
        log = open(log_path, "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            spec.argv,
            cwd=spec.cwd,
            env=spec.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        log.close()
        child = Child(spec, proc, log_path)
        self.children[spec.name] = child
        return child

    def is_ready(self, child: Child) -> bool:
        spec = child.spec
        if spec.port is None or spec.ready_path is None:
            return child.proc.poll() is None
        try:
            url = f"http://{spec.host}:{spec.port}{spec.ready_path}"
            with urllib.request.urlopen(url, timeout=1) as resp:
                status: int = resp.status
                return status == 200
        except (urllib.error.URLError, OSError, TimeoutError):
            return False

    def wait_ready(self, names: list[str], timeout: float, progress: Progress = print) -> None:
        deadline = time.monotonic() + timeout
        pending = list(names)
        while pending:
            for name in list(pending):
                child = self.children[name]
                code = child.proc.poll()
                if code is not None:
                    raise StackError(
                        f"{name} exited with code {code} while starting. Last log lines "
                        f"({child.log_path}):\n{tail(child.log_path)}"
                    )
                if self.is_ready(child):
                    pending.remove(name)
                    progress(f"  {name} ready ({time.monotonic() - child.started_at:.1f}s)")
            if pending and time.monotonic() > deadline:
                details = "\n".join(
                    f"--- {n} ({self.children[n].log_path}):\n{tail(self.children[n].log_path)}" for n in pending
                )
                raise StackError(f"not ready after {timeout:.0f}s: {', '.join(pending)}\n{details}")
            time.sleep(0.1)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        child = self.children[name]
        if child.proc.poll() is None:
            child.proc.send_signal(sig)
            child.proc.wait(timeout=15)

    def restart(self, name: str, *, timeout: float = 30) -> None:
        spec = self.children[name].spec
        self.kill(name)
        self.start(spec)
        self.wait_ready([name], timeout, progress=lambda _m: None)

    def stop_all(self, grace: float = 8.0, *, last: tuple[str, ...] = ()) -> None:
        """SIGTERM to every child at once (a clean stop in about the time of the slowest), SIGKILL
        after `grace`. The children named in `last` are stopped only once the others are gone: what
        the others still use while they shut down (the SMTP sink the notification service is
        delivering to) outlives them."""
        first = {name: c for name, c in self.children.items() if name not in last}
        self._stop(list(first.values()), grace)
        self._stop([c for name, c in self.children.items() if name in last], grace)

    @staticmethod
    def _stop(children: list[Child], grace: float) -> None:
        live = [c for c in children if c.proc.poll() is None]
        for c in live:
            c.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for c in live:
            try:
                c.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                c.proc.kill()
                c.proc.wait(timeout=5)
