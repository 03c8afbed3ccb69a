"""Which origin serves a request, and how the origin's URLs map back onto this proxy.

Routing trusts only the request's own `Host` (never `X-Forwarded-Host`, which any client can
send), and only configured origins are ever reachable: an unknown host gets no origin at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .settings import Origin


def split_host(host_header: str) -> tuple[str, str]:
    """'Example.org:8080' -> ('example.org', ':8080'); IPv6 literals keep their brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[: end + 1], host[end + 1:]
    name, sep, port = host.partition(":")
    return name, (sep + port if sep else "")


@dataclass(frozen=True)
class Router:
    """Maps proxy host names to origins; the site without `proxy_hosts` is the default."""

    origins: tuple[Origin, ...]

    def origin_for(self, host_header: str) -> Origin | None:
        name, _ = split_host(host_header)
        default = None
        for origin in self.origins:
            if name in origin.proxy_hosts:
                return origin
            if not origin.proxy_hosts and default is None:
                default = origin
        return default

    def mapper(self, origin: Origin, request_host: str) -> UrlMapper:
        return UrlMapper(self, origin, split_host(request_host)[1])


@dataclass(frozen=True)
class UrlMapper:
    """Rewrites one absolute URL from an origin page so that it stays inside the proxy."""

    router: Router
    origin: Origin
    port_suffix: str  #: the port visitors use for this proxy (":8080" or "")

    def _target(self, host: str, port: int | None) -> Origin | None:
        for origin in self.router.origins:
            own = urlsplit(origin.url)
            # Legacy pages link http:// to sites now served over https (and the reverse), so a
            # URL without a port means the origin whatever its scheme; an explicit port must
            # be the origin's own (another port on the same host is another service).
            if host == own.hostname and port in (None, own.port or _default_port(own.scheme)):
                return origin
            if host in origin.aliases:
                return origin
        return None

    def to_proxy(self, url: str) -> str | None:
        """The proxy URL for `url`, or None when `url` is relative or belongs to another site."""
        stripped = url.strip()
        if not stripped.startswith(("http://", "https://", "//", "HTTP://", "HTTPS://")):
            return None
        try:
            parts = urlsplit(stripped if not stripped.startswith("//") else "http:" + stripped)
            host, port = (parts.hostname or "").lower(), parts.port
        except ValueError:
            return None
        target = self._target(host, port)
        if target is None:
            return None
        rest = (parts.path or "/") + (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")
        if target is self.origin:
            return rest
        return f"//{target.proxy_hosts[0]}{self.port_suffix}{rest}" if target.proxy_hosts else rest


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80
