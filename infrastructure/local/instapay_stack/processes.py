"""Supervising child processes: start with a clear error when a port is taken, wait until ready,
restart one that dies (with a RestartPolicy: compose's `restart: unless-stopped`), stop them all
(SIGTERM, then SIGKILL) and never leave orphans behind, even if we are killed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import deque
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
    # Restarted when it dies (once it has been ready: a process failing its first start is a start
    # error for the caller, not a crash to heal).
    watched: bool = False
    # Stopped on purpose (`Supervisor.kill`): left down, like `docker stop` under `unless-stopped`.
    held: bool = False
    restart_at: float | None = None  # dead, restart due at this monotonic time
    awaiting_ready: bool = False  # restarted by the supervisor, not yet ready again


@dataclass(frozen=True)
class RestartPolicy:
    """What happens when a process dies: compose's `restart: unless-stopped` (any exit, a clean one
    too, except a stop asked for), with systemd's start-rate limit (`StartLimitBurst`) so a process
    that keeps crashing stops the stack instead of looping forever."""

    first_delay: float = 0.5  # doubled on each exit within `window`: 0.5, 1, 2, 4, 8 s
    max_delay: float = 30.0
    max_restarts: int = 5  # one more exit within `window` and the supervisor gives up on it
    window: float = 60.0

    def delay(self, recent_exits: int) -> float:
        return min(self.max_delay, self.first_delay * 2.0 ** max(0, recent_exits - 1))


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


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


def stamp() -> str:
    return time.strftime("%H:%M:%S")


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Supervisor:
    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: dict[str, Child] = {}
        # Restarts (see `supervise`): the watcher thread and the caller's thread share the children.
        self._lock = threading.RLock()
        self._policy: RestartPolicy | None = None
        self._events: Progress = lambda _m: None
        self._exits: dict[str, deque[float]] = {}
        self._watcher: threading.Thread | None = None
        self._quit = threading.Event()
        self._stopping = False
        # (monotonic time, name, exit code) of every exit the supervisor restarted or gave up on.
        self.exits: list[tuple[float, str, int]] = []
        # Set when a process kept crashing (more than policy.max_restarts exits within policy.window):
        # the message naming it. `make up` then stops the stack.
        self.gave_up: str | None = None

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
        with self._lock:
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
                    child.watched = True
                    progress(f"  {name} ready ({time.monotonic() - child.started_at:.1f}s)")
            if pending and time.monotonic() > deadline:
                details = "\n".join(
                    f"--- {n} ({self.children[n].log_path}):\n{tail(self.children[n].log_path)}" for n in pending
                )
                raise StackError(f"not ready after {timeout:.0f}s: {', '.join(pending)}\n{details}")
            time.sleep(0.1)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stops `name` on purpose: under supervision it stays down until `start`/`restart` (the
        fault tests kill and restart processes themselves). A kill from outside (`kill -9 <pid>`)
        is a crash, and is restarted."""
        with self._lock:
            child = self.children[name]
            child.held = True
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
        with self._lock:
            self._stopping = True  # no restart from here on
        first = {name: c for name, c in self.children.items() if name not in last}
        self._stop(list(first.values()), grace)
        self._stop([c for name, c in self.children.items() if name in last], grace)
        # The watcher ends only now: the kernel's parent-death signal (see _die_with_parent) goes
        # to a child when the *thread* that started it ends, so the processes it restarted are
        # already stopped, in order, when it does.
        self._quit.set()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=10)

    # ---- restarts ----

    def supervise(self, policy: RestartPolicy | None = None, *, events: Progress = print) -> None:
        """From now on, a process that dies after it was ready is started again per `policy`, in a
        background thread; `events` gets one line per exit, restart and return to readiness."""
        self._policy = policy or RestartPolicy()
        self._events = events
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="supervisor", daemon=True)
            self._watcher.start()

    def _watch(self, tick: float = 0.2) -> None:
        while not self._quit.wait(tick):
            try:
                self._tick()
            except Exception as exc:
                self._events(f"supervisor: {type(exc).__name__}: {exc}")

    def _tick(self) -> None:
        policy = self._policy
        assert policy is not None
        returning: list[Child] = []
        with self._lock:
            if self._stopping:
                return
            now = time.monotonic()
            for name, child in list(self.children.items()):
                if not child.watched or child.held:
                    continue
                if child.restart_at is None:
                    code = child.proc.poll()
                    if code is None:
                        if child.awaiting_ready:
                            returning.append(child)
                        continue
                    self._on_exit(name, child, code, now, policy)
                elif now >= child.restart_at:
                    self._respawn(name, child, now, policy)
        # Readiness over HTTP outside the lock: a slow answer must not hold up a `kill` meanwhile.
        for child in returning:
            if self.is_ready(child):
                child.awaiting_ready = False
                took = time.monotonic() - child.started_at
                self._events(f"{stamp()} {child.spec.name} ready again ({took:.1f}s after restart)")

    def _on_exit(self, name: str, child: Child, code: int, now: float, policy: RestartPolicy) -> None:
        self.exits.append((now, name, code))
        recent = self._exits.setdefault(name, deque())
        recent.append(now)
        while recent and now - recent[0] > policy.window:
            recent.popleft()
        if len(recent) > policy.max_restarts:
            child.held = True
            self.gave_up = (
                f"{name} keeps crashing: {len(recent)} exits within {policy.window:.0f}s (last: "
                f"{describe_exit(code)}); not restarting it. Last log lines ({child.log_path}):\n{tail(child.log_path)}"
            )
            self._events(
                f"{stamp()} {name} {describe_exit(code)}; gave up: {len(recent)} exits within {policy.window:.0f}s"
            )
            return
        delay = policy.delay(len(recent))
        child.restart_at = now + delay
        self._events(
            f"{stamp()} {name} (pid {child.proc.pid}) {describe_exit(code)}; restarting in {delay:g}s "
            f"(restart {len(recent)} of at most {policy.max_restarts} within {policy.window:.0f}s)"
        )

    def _respawn(self, name: str, child: Child, now: float, policy: RestartPolicy) -> None:
        try:
            new = self.start(child.spec)
        except (StackError, OSError) as exc:
            # Its port still taken, say: counted as another exit, so it backs off (or gives up).
            self._events(f"{stamp()} {name} could not be restarted: {exc}")
            child.restart_at = None
            self._on_exit(name, child, 1, now, policy)
            return
        new.watched = True
        new.awaiting_ready = new.spec.ready_path is not None and new.spec.port is not None
        self._events(f"{stamp()} restarted {name} (pid {new.proc.pid})")

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
