"""The mini-PC's address on the gerai's LAN, for the links Perangkat hands out (Cek harga,
Layar pelanggan): a manager on the mini-PC's own browser opens 127.0.0.1, which a shelf tablet
or a customer screen cannot use.  Found without sending anything: connecting a UDP socket
only asks the kernel which source address would reach a private network; then the addresses
the computer's name resolves to.  No Flask here."""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

# one address in each private range: a route to it names the interface facing the LAN
PRIVATE_TARGETS = ("10.255.255.255", "172.31.255.255", "192.168.255.255")


def is_loopback(host: str) -> bool:
    """``host`` as a request names it (``127.0.0.1:8000``, ``localhost``, ``[::1]:8000``)."""
    name = _hostname(host)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        return host.partition(":")[0]
    return host   # a name, an IPv4 address, or a bare IPv6 address


def route_source(target: str) -> str:
    """The source address the kernel would use towards ``target`` (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect((target, 9))
        return probe.getsockname()[0]


def named_addresses() -> list[str]:
    """The IPv4 addresses this computer's name resolves to (``/etc/hosts``, mDNS...)."""
    try:
        return socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return []


def lan_addresses(probe: Callable[[str], str] = route_source,
                  named: Callable[[], Iterable[str]] = named_addresses) -> list[str]:
    """The mini-PC's IPv4 addresses a LAN device can reach, the routed ones first; no
    loopback, link-local or unspecified address, none twice."""
    found: list[str] = []
    for target in PRIVATE_TARGETS:
        try:
            found.append(probe(target))
        except OSError:
            continue
    found.extend(named())
    usable: list[str] = []
    for text in found:
        try:
            address = ipaddress.IPv4Address(text)
        except ValueError:
            continue
        if address.is_loopback or address.is_link_local or address.is_unspecified:
            continue
        if text not in usable:
            usable.append(text)
    return usable


def on_address(url: str, address: str) -> str:
    """``url`` with its host replaced by ``address``, the port, path and query kept."""
    parts = urlsplit(url)
    netloc = f"{address}:{parts.port}" if parts.port else address
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def at_base(url: str, base: str) -> str:
    """``url`` at ``base`` (``https://kasir.gerai.lan``, ``POS_PUBLIC_URL``): its scheme, host
    and port, the path and query of ``url`` kept."""
    start, parts = urlsplit(base), urlsplit(url)
    return urlunsplit((start.scheme, start.netloc, parts.path, parts.query, parts.fragment))
