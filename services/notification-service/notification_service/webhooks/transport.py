"""The sender's HTTP client: every address a receiver's name resolves to is checked at connect
time (addresses.check_address), and the connection goes to that checked address while the request
keeps the URL's Host header and TLS server name (aiohttp connects to what its resolver returns
and uses the URL's host for both). No DNS cache, no proxies from the environment, no redirects
(the caller passes allow_redirects=False): nothing can swap the checked address for another.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from notification_service.webhooks.addresses import AddressRefused, check_address, literal_ip

# host, port -> the addresses the name has now (tests install a resolver of their own here).
Lookup = Callable[[str, int], Awaitable[list[str]]]


async def system_lookup(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressBook:
    """The one name lookup of registration and sending; tests swap `lookup` for a resolver of their
    own (names that change their address between registration and sending, offline)."""

    def __init__(self, lookup: Lookup = system_lookup) -> None:
        self.lookup = lookup

    async def __call__(self, host: str, port: int) -> list[str]:
        return await self.lookup(host, port)


async def check_name(book: Lookup, host: str, *, allow_local: bool) -> None:
    """Registration's check of a name's present addresses: refuses one that resolves to a refused
    address; a name that does not resolve (yet) passes, as sending checks again at connect time."""
    if literal_ip(host) is not None:
        return
    try:
        found = await book(host, 443)
    except OSError:
        return
    for text in found:
        ip = literal_ip(text)
        if ip is not None:
            check_address(ip, allow_local=allow_local)


class CheckedResolver(AbstractResolver):
    """Resolves with `lookup` and refuses the name if any of its addresses is refused: one bad
    address is enough for a rebinding attack, so none of them is used."""

    def __init__(self, *, allow_local: bool, lookup: Lookup = system_lookup) -> None:
        self.allow_local = allow_local
        self.lookup = lookup

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            found = await self.lookup(host, port)
        except OSError as exc:
            raise AddressRefused(f"{host} does not resolve") from exc
        results: list[ResolveResult] = []
        for text in found:
            ip = literal_ip(text)
            if ip is None:
                raise AddressRefused(f"{host} resolved to something that is not an address")
            check_address(ip, allow_local=self.allow_local)
            results.append(
                ResolveResult(
                    hostname=host,
                    host=str(ip),
                    port=port,
                    family=socket.AF_INET6 if ip.version == 6 else socket.AF_INET,
                    proto=0,
                    flags=socket.AI_NUMERICHOST,
                )
            )
        if not results:
            raise AddressRefused(f"{host} has no address")
        return results

    async def close(self) -> None:
        return None


def checked_session(*, allow_local: bool, lookup: Lookup = system_lookup, limit: int = 100) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(
        resolver=CheckedResolver(allow_local=allow_local, lookup=lookup),
        use_dns_cache=False,
        limit=limit,
        limit_per_host=8,
    )
    # trust_env=False: HTTP(S)_PROXY would connect somewhere other than the checked address.
    return aiohttp.ClientSession(connector=connector, trust_env=False, auto_decompress=False)
