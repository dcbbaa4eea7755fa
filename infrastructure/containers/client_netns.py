"""Clients with addresses of their own, for what a proxy must get right about client addresses.

Every request a test sends from the host to a published port arrives from one address (podman
rewrites loopback traffic to its bridge's gateway), so per-address quotas cannot be told apart that
way. Each `NetnsClient` is a network namespace (`ip netns add`) joined to the host by a veth pair
on a /30 of its own: its requests to the host's end of the pair reach the published port from the
namespace's address, as a client on another machine would. Requests are made with curl inside the
namespace (`ip netns exec`). Needs root, as podman here does.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Private range for the pairs: away from podman's networks (10.88.0.0/16, 10.89.0.0/16).
POOL = ipaddress.ip_network("10.231.0.0/16")


def _ip(*args: str) -> None:
    proc = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {proc.stderr.strip()}")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class NetnsClient:
    namespace: str
    address: str  # the client's own address, as the server should see it
    host_address: str  # the host's end of the pair: where published ports are reached

    def request(
        self,
        method: str,
        url: str,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        cacert: Path,
        resolve: str = "localhost",
    ) -> Answer:
        """One HTTPS request with curl from inside the namespace; `resolve` (the URL's host name)
        is sent to the host's end of the pair, so TLS and Host stay those of the URL."""
        port = url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
        argv = ["ip", "netns", "exec", self.namespace, "curl", "-sS", "-X", method, "--max-time", "20"]
        argv += ["--cacert", str(cacert), "--resolve", f"{resolve}:{port}:{self.host_address}", "-D", "-"]
        for name, value in (headers or {}).items():
            argv += ["-H", f"{name}: {value}"]
        if body is not None:
            argv += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
        # Bytes: text mode would turn the header block's CRLFs into LFs.
        proc = subprocess.run([*argv, url], capture_output=True, timeout=30, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"curl in {self.namespace} ({self.address}): {proc.stderr.decode().strip()}")
        head, _, rest = proc.stdout.decode().partition("\r\n\r\n")
        while head.startswith("HTTP/") and " 100 " in head.split("\r\n", 1)[0]:  # 100 Continue
            head, _, rest = rest.partition("\r\n\r\n")
        lines = head.split("\r\n")
        status = int(lines[0].split()[1])
        parsed = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        return Answer(status, {k.strip().lower(): v.strip() for k, v in parsed.items()}, rest)


@contextmanager
def netns_clients(count: int) -> Iterator[list[NetnsClient]]:
    """`count` namespaces, each with its own address; all removed afterwards (also on failure)."""
    tag = os.getpid() % 100_000
    # One /30 per client, picked from the pool by process id so parallel runs do not collide.
    subnets = list(POOL.subnets(new_prefix=30))
    first = (tag * count) % (len(subnets) - count)
    created: list[tuple[str, str]] = []  # (namespace, host end of its pair)
    clients: list[NetnsClient] = []
    try:
        for n in range(count):
            net = subnets[first + n]
            host_end, client_end = (str(a) for a in list(net.hosts())[:2])
            namespace, host_if, ns_if = f"instapay-c{tag}-{n}", f"ipc{tag}h{n}", f"ipc{tag}n{n}"
            _ip("netns", "add", namespace)
            created.append((namespace, host_if))
            _ip("link", "add", host_if, "type", "veth", "peer", "name", ns_if, "netns", namespace)
            _ip("addr", "add", f"{host_end}/30", "dev", host_if)
            _ip("link", "set", host_if, "up")
            _ip("-n", namespace, "addr", "add", f"{client_end}/30", "dev", ns_if)
            _ip("-n", namespace, "link", "set", ns_if, "up")
            _ip("-n", namespace, "link", "set", "lo", "up")
            _ip("-n", namespace, "route", "add", "default", "via", host_end)
            clients.append(NetnsClient(namespace, client_end, host_end))
        yield clients
    finally:
        for namespace, host_if in created:
            # Deleting one end of a pair deletes both (at once; a namespace's own links go lazily).
            with suppress(RuntimeError):
                _ip("link", "delete", host_if)
            with suppress(RuntimeError):
                _ip("netns", "delete", namespace)
