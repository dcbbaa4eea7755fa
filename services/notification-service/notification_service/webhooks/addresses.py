"""Which receiver URLs and addresses webhooks may reach (no SSRF).

Outside development only `https` URLs whose every address is public are allowed; loopback,
private, link-local (the cloud metadata address 169.254.169.254 included), CGNAT, multicast,
reserved and unspecified addresses are refused, in IPv4, IPv6 and IPv4-mapped/compatible IPv6
forms. The same check runs at registration and on every address resolved at connect time
(transport.py), so a name that turns private later (DNS rebinding) is refused when it matters.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_LOCAL_NAMES = ("localhost", "localhost.localdomain")


class AddressRefused(Exception):
    """The URL or one of its addresses may not be called; the message says why (never secret)."""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (::ffff:a.b.c.d, ::a.b.c.d, 6to4, NAT64)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    packed = ip.packed
    if packed[:12] == bytes(12) and packed[12:] not in (bytes(4), b"\x00\x00\x00\x01"):
        return ipaddress.IPv4Address(packed[12:])  # deprecated IPv4-compatible form
    if ip in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(packed[12:])
    return None


def is_public(ip: IpAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return is_public(inner)
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return False
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_address(ip: IpAddress, *, allow_local: bool) -> None:
    """Raises AddressRefused unless `ip` may be called (loopback too when `allow_local`)."""
    if allow_local and ip.is_loopback:
        return
    if isinstance(ip, ipaddress.IPv6Address) and allow_local:
        inner = _embedded_ipv4(ip)
        if inner is not None and inner.is_loopback:
            return
    if not is_public(ip):
        raise AddressRefused(f"{ip} is not a public address")


def literal_ip(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str, *, allow_local: bool) -> str:
    """The URL's host if the URL may be registered, else AddressRefused. Names are resolved (and
    checked) later, at connect time; here a name only has to look like one."""
    if len(url) > MAX_URL_LENGTH:
        raise AddressRefused(f"the URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused("the URL is not valid") from exc
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise AddressRefused("the URL must be an absolute https URL")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("the URL may not carry credentials")
    if port == 0:
        raise AddressRefused("the URL's port is not valid")
    ip = literal_ip(host)
    local_name = host in _LOCAL_NAMES or host.endswith(".localhost")
    if parts.scheme == "http" and not allow_local:
        raise AddressRefused("the URL must use https")
    if ip is not None:
        check_address(ip, allow_local=allow_local)
    elif local_name and not allow_local:
        raise AddressRefused(f"{host} is a loopback name")
    elif "." not in host and not local_name:
        raise AddressRefused(f"{host} is not a public host name")
    return host
