"""The real client address of a request behind the configured trusted proxies.

`X-Forwarded-For` is read only when the connection comes from an address in
`TRUSTED_PROXIES` (settings, from the environment); anyone else could write any address
into it. The header is read from the right: each hop a trusted proxy appended is skipped,
and the first address that is not a trusted proxy is the client. A malformed header falls
back to the connection's own address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def parse_proxies(values: list[str]) -> list[str]:
    """Validate TRUSTED_PROXIES entries (addresses or networks); ValueError names a bad one."""
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(f"not an IP address or network: {value!r}") from None
    return values


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string ("" when the connection has none)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [part for part in forwarded[:2000].split(",") if part.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return str(remote)
        if not _trusted(address, networks):
            return str(address)
    return str(remote)


def client_key(request: HttpRequest) -> str:
    """The client as a rate-limit key: an IPv4 address, or an IPv6 address's /64 network
    (one household or device holds a whole /64, so single v6 addresses are free to rotate)."""
    text = client_ip(request)
    address = _address(text) if text else None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return text
