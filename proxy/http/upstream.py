"""The one origin client: every request the proxy makes to an origin goes through here.

Forwarding a visitor's request, server-side includes and link titles all reach the origin with
the same rules: only a configured origin (the URL is the origin's plus a path, never joined),
never following a redirect (the visitor's browser follows it, through the proxy), the origin's
TLS settings, the configured timeouts, and a capped read for bodies we buffer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import ClientError, ClientResponse, ClientSession, ClientTimeout
from yarl import URL

from proxy.http import bodies
from proxy.http.tls import ssl_context
from proxy.settings import Origin, Settings

log = logging.getLogger(__name__)

#: fetch(path) -> (body bytes, content type) or None; same-origin only, bounded
Fetch = Callable[[str], Awaitable[tuple[bytes, str | None] | None]]


def upstream_url(origin: Origin, raw_path: str) -> URL:
    # String concatenation, never URL joining: `//other/x` must stay a path on the origin.
    return URL(origin.url + raw_path, encoded=True)


@asynccontextmanager
async def request(session: ClientSession, settings: Settings, origin: Origin, method: str,
                  target: URL | str, headers: Mapping[str, str], data: Any = None,
                  timeout: ClientTimeout | None = None) -> AsyncIterator[ClientResponse]:
    """One request to the origin, redirects not followed; the caller reads the answer."""
    timeout = timeout or ClientTimeout(total=None, connect=settings.timeouts.connect,
                                       sock_read=settings.timeouts.read)
    async with session.request(method, target, headers=headers, data=data,
                               allow_redirects=False, timeout=timeout,
                               ssl=ssl_context(origin)) as response:
        yield response


def fetcher(session: ClientSession, settings: Settings, origin: Origin) -> Fetch:
    """A same-origin, size- and time-bounded GET for what the server fetches for a page
    (includes, link titles): never another host, never recursive, None on any failure."""

    async def fetch(path: str) -> tuple[bytes, str | None] | None:
        if not path.startswith("/") or path.startswith("//"):
            return None  # only paths on the origin: never another host
        timeout = ClientTimeout(total=settings.limits.include_timeout)
        try:
            async with request(session, settings, origin, "GET",
                               URL(origin.url + path, encoded=False),
                               {"Accept-Encoding": "identity"}, timeout=timeout) as resp:
                if resp.status != 200:
                    return None
                body = await bodies.read_body(resp, settings.limits.max_include_bytes,
                                              settings.limits)
                return body, resp.headers.get("Content-Type")
        except (ClientError, TimeoutError, ValueError, bodies.BodyTooLarge) as exc:
            log.warning("include failed host=%s path=%s: %r", origin.host, path, exc)
            return None

    return fetch
