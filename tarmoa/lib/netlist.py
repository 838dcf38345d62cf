"""IP address lists from settings (addresses or CIDR ranges), checked at start-up."""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(name: str, values: list[str]) -> list[Network]:
    """Addresses or CIDR ranges from a setting; a malformed one stops start-up naming it."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be IP addresses or ranges like 127.0.0.1,10.0.0.0/8, not {value!r}"
            ) from None
    return networks


def address_in(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
