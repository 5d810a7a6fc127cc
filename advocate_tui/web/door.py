"""Which pages may talk to ``advocate serve``: its own address(es), nothing else.

A browser sends the ``Origin`` of the page that opens a websocket (always, on every websocket
handshake). Another site's page (``https://evil.example``) opening ``ws://127.0.0.1:8000/ws`` would
otherwise start a desk and type into it; the server refuses any websocket whose ``Origin`` is not the
address it serves (its host and port, ``localhost`` when that is loopback, and ``--public-url``), and
any request whose ``Host`` is not one of those (a page on a rebound DNS name). Plain functions, no
aiohttp: the server (:mod:`.server`) applies them.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
#: the names a browser on this machine may use for a loopback server
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """True for "every address of this machine" (0.0.0.0, ::)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL or Origin header, lower-cased, default port filled in;
    None for anything else (``null``, ``file://``, garbage)."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        return scheme, parts.hostname.lower(), parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        return None


def url_for(host: str, port: int) -> str:
    """``http://host:port`` (brackets around an IPv6 address)."""
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}"


class Door:
    """The origins (scheme, host, port) the server answers to; checks Origin and Host headers."""

    def __init__(self, host: str, port: int, public_url: str | None = None):
        host = host.strip("[]").lower()
        if is_wildcard(host):
            names = set(LOOPBACK_NAMES)  # other machines come in through --public-url
        elif host == "localhost":
            names = set(LOOPBACK_NAMES)
        else:
            names = {host} | ({"localhost"} if is_loopback(host) else set())
        self.origins = {("http", name, port) for name in names}
        if public_url and (public := origin_of(public_url)):
            self.origins.add(public)

    def allows_origin(self, origin: str | None) -> bool:
        """True for an ``Origin`` header naming one of the server's own addresses."""
        return origin is not None and origin_of(origin) in self.origins

    def allows_host(self, host_header: str | None) -> bool:
        """True for a ``Host`` header naming one of the server's own addresses (without a port: one
        served on its scheme's default port, as a TLS proxy in front sends it)."""
        if not host_header:
            return False
        try:
            parts = urlsplit("//" + host_header.strip())
            name, port = (parts.hostname or "").lower(), parts.port
        except ValueError:
            return False
        if port is None:
            return any(h == name and p == DEFAULT_PORTS[s] for s, h, p in self.origins)
        return any(h == name and p == port for _, h, p in self.origins)
