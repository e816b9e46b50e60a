"""The client's IP address, for rate limits and logs.

``X-Forwarded-For`` is believed only as far as it was written by proxies we run: the chain is
walked from the right (the hop nearest to us) and the first address that is not a trusted
proxy is the client. Without trusted proxies the TCP peer is the client, whatever the header
says, so a caller cannot pick its own rate-limit key::

    trusted = parse_networks("10.0.0.0/8, 127.0.0.1")
    client_ip(request, trusted)        # "203.0.113.7"
    rate_limit_bucket("2001:db8:1:2::7")   # "2001:db8:1:2::/64": rate limits count an IPv6 /64
    resolve_client_ip("10.0.0.5", ["203.0.113.7, 10.0.0.9"], trusted)   # "203.0.113.7"
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from litestar import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"

__all__ = ["UNKNOWN", "Network", "client_ip", "parse_networks", "rate_limit_bucket", "resolve_client_ip"]

#: An IPv6 host gets a whole /64 (SLAAC, privacy addresses): rate limits count the /64.
IPV6_BUCKET_PREFIX = 64


def parse_networks(raw: str) -> tuple[Network, ...]:
    """Comma-separated addresses or CIDR blocks; raises ``ValueError`` naming the bad entry."""
    networks: list[Network] = []
    for part in raw.split(","):
        entry = part.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or CIDR block: {entry!r}") from None
    return tuple(networks)


def _address(raw: str) -> Address | None:
    value = raw.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5678"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)


def resolve_client_ip(peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """The client address given the TCP ``peer``, the ``X-Forwarded-For`` header values (in
    order) and the trusted proxies."""
    peer_address = _address(peer) if peer else None
    if peer_address is None:
        return peer or UNKNOWN
    if not _trusted(peer_address, trusted):
        return str(peer_address)
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    nearest = peer_address
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Our own proxy wrote something unreadable: stop at the last hop we can vouch for.
            return str(nearest)
        if not _trusted(address, trusted):
            return str(address)
        nearest = address
    return str(nearest)  # every hop is one of ours: the request started inside


def client_ip(request: Request[Any, Any, Any], trusted: Sequence[Network]) -> str:
    """The client address of ``request`` (see the module docstring)."""
    peer = request.client.host if request.client else None
    return resolve_client_ip(peer, request.headers.getall("x-forwarded-for", []), trusted)


def rate_limit_bucket(ip: str) -> str:
    """The rate-limit key part of a client address: an IPv6 address counts as its /64
    (``"2001:db8:1:2::/64"``), since one host can rotate through 2^64 addresses of its own
    prefix; an IPv4 address (and an IPv4-mapped IPv6 one) as itself; anything unreadable
    (``"unknown"``) unchanged."""
    address = _address(ip)
    if address is None:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_BUCKET_PREFIX), strict=False))
    return str(address)
