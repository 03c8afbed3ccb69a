"""Which origin serves a request, and how the origin's URLs map back onto this proxy.

Routing trusts only the request's own `Host` (never `X-Forwarded-Host`, which any client can
send), and only configured origins are ever reachable: an unknown host gets no origin at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from proxy.settings import Origin

#: `Router.locate` remembers this many distinct URLs (then it starts over), each at most this
#: long: a few MB at most, whatever the pages hold
MEMO_URLS = 4096
MEMO_URL_CHARS = 1024
_UNKNOWN = object()


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

    @cached_property
    def _own_addresses(self) -> tuple[tuple[Origin, str | None, int], ...]:
        """(origin, host name, port) of every origin, split once: `target` runs for every
        absolute URL of every page, and splitting the configured URLs there each time cost as
        much as splitting the page's URL itself."""
        found = []
        for origin in self.origins:
            own = urlsplit(origin.url)
            found.append((origin, own.hostname, own.port or _default_port(own.scheme)))
        return tuple(found)

    @cached_property
    def _names(self) -> tuple[str, ...] | None:
        """Every host name that can mean an origin in a URL; None when one is not ASCII (then
        `mentions_an_origin` could not judge by substring and always says yes)."""
        names = {host for _, host, _ in self._own_addresses if host is not None}
        names.update(alias for origin in self.origins for alias in origin.aliases)
        return tuple(names) if all(name.isascii() for name in names) else None

    def mentions_an_origin(self, text: str) -> bool:
        """False only when no URL in `text` (a URL, or CSS or markup holding URLs) can belong
        to an origin: most links on a page go to other sites, and this substring test costs a
        tenth of `urlsplit`. Exact because the host `urlsplit` finds is a piece of the URL
        (after it deletes tab, CR and LF, as done here too), lowercased; an ASCII name can only
        come from characters that lowercase alone (no final-sigma context), so it is then also
        a piece of the lowercased text."""
        names = self._names
        if names is None:
            return True
        if "\t" in text or "\n" in text or "\r" in text:
            text = text.replace("\t", "").replace("\n", "").replace("\r", "")
        low = text.lower()
        return any(name in low for name in names)

    @cached_property
    def _located(self) -> dict[str, tuple[Origin, str] | None]:
        """Memo of `locate` per URL string (the same links recur on a page and across a
        site's pages). Safe: the answer depends only on the URL and the origins, which a
        Router never changes; a mapper adds its own origin and port afterwards."""
        return {}

    def target(self, host: str, port: int | None) -> Origin | None:
        """The origin that serves `host` (and `port`, when the URL names one), or None."""
        for origin, own_host, own_port in self._own_addresses:
            # Legacy pages link http:// to sites now served over https (and the reverse), so a
            # URL without a port means the origin whatever its scheme; an explicit port must
            # be the origin's own (another port on the same host is another service).
            if host == own_host and port in (None, own_port):
                return origin
            if host in origin.aliases:
                return origin
        return None

    def locate(self, url: str) -> tuple[Origin, str] | None:
        """(origin, path?query#fragment) for an absolute or protocol-relative URL of a
        configured origin; None when `url` is relative or belongs to another site."""
        memo = self._located
        found = memo.get(url, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        found = self._locate(url)
        # bounded: page content is not ours to size; and only plain strings (an lxml result
        # string would keep its whole tree alive in the memo)
        if len(url) <= MEMO_URL_CHARS and url.__class__ is str:
            if len(memo) >= MEMO_URLS:
                memo.clear()
            memo[url] = found
        return found

    def _locate(self, url: str) -> tuple[Origin, str] | None:
        stripped = url.strip()
        if not stripped.startswith(("http://", "https://", "//", "HTTP://", "HTTPS://")):
            return None
        if not self.mentions_an_origin(stripped):
            return None
        try:
            parts = urlsplit(stripped if not stripped.startswith("//") else "http:" + stripped)
            host, port = (parts.hostname or "").lower(), parts.port
        except ValueError:
            return None
        target = self.target(host, port)
        if target is None:
            return None
        rest = (parts.path or "/") + (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")
        return target, rest


@dataclass(frozen=True)
class UrlMapper:
    """Rewrites one absolute URL from an origin page so that it stays inside the proxy."""

    router: Router
    origin: Origin
    port_suffix: str  #: the port visitors use for this proxy (":8080" or "")

    def to_proxy(self, url: str) -> str | None:
        """The proxy URL for `url`, or None when `url` is relative or belongs to another site."""
        located = self.router.locate(url)
        if located is None:
            return None
        target, rest = located
        if target is self.origin:
            return rest
        return f"//{target.proxy_hosts[0]}{self.port_suffix}{rest}" if target.proxy_hosts else rest

    def mentions_an_origin(self, text: str) -> bool:
        """False when `to_proxy` maps no URL found in `text` (see `Router.mentions_an_origin`)."""
        return self.router.mentions_an_origin(text)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80

#: the `url=` part of a refresh value ("5; url=/next.html")
_REFRESH_URL = re.compile(r"(url\s*=\s*['\"]?)([^'\"\s;]+)", re.I)


def rewrite_refresh(value: str, mapper: UrlMapper) -> str:
    """The URL of a `Refresh` header or `<meta http-equiv=refresh>` value, through the proxy."""
    return _REFRESH_URL.sub(lambda m: m.group(1) + (mapper.to_proxy(m.group(2)) or m.group(2)),
                            value)
