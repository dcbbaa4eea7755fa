"""Who is the client: the TCP peer, or the address a trusted proxy (ingress, load balancer) saw.

X-Forwarded-For is written by whoever sends it, so it is only believed hop by hop from the right
while each hop is one of the configured trusted proxies (GATEWAY_TRUSTED_PROXIES). By default no
proxy is trusted and the peer address is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ClientAddress:
    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        self._trusted: list[Network] = [
            ipaddress.ip_network(c.strip(), strict=False) for c in trusted_proxies if c.strip()
        ]

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self._trusted)

    def of(self, scope: Scope) -> str:
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if not self._trusted or not self._is_trusted(peer):
            return peer
        forwarded: list[str] = []
        for key, value in scope["headers"]:
            if key == b"x-forwarded-for":
                forwarded.extend(part.strip() for part in value.decode("latin-1").split(","))
        address = peer
        for hop in reversed(forwarded):
            if not hop:
                continue
            address = hop
            if not self._is_trusted(hop):
                break
        return address


def rate_key(address: str) -> str:
    """The key a per-address quota counts under: the address, or its /64 for IPv6."""
    if ":" not in address:
        return address
    try:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    except ValueError:
        return address
