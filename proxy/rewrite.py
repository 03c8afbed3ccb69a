"""Turn one origin HTML answer into our rewritten page: decode, parse, transforms, serialize."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import ClientError, ClientResponse, ClientTimeout, web
from yarl import URL

from . import bodies
from .encoding import decode_html
from .keys import PAGE_CHARSETS, PIPELINE, ROUTER, RULES, SESSION, SETTINGS
from .page import Page, parse_html, serialize
from .pipeline import RewriteAborted
from .prefs import COOKIE_NAME, Preferences
from .settings import Origin
from .tls import ssl_context

log = logging.getLogger(__name__)

#: fetch(path) -> (body bytes, content type) or None; same-origin only, bounded
Fetch = Callable[[str], Awaitable[tuple[bytes, str | None] | None]]


@dataclass
class Rewritten:
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


async def rewrite_html(request: web.Request, response: ClientResponse, origin: Origin,
                       body: bytes) -> Rewritten | None:
    """Rewrite `body`; None when the page cannot be made safe (a critical transform failed)."""
    app = request.app
    rules = app[RULES].for_host(origin.host)
    pipeline = app[PIPELINE]
    page = Page(
        url=str(response.url), tree=None, host=origin.host, rules=rules,
        prefs=Preferences.from_cookie(request.cookies.get(COOKIE_NAME)),
        headers=response.headers, mapper=app[ROUTER].mapper(origin, request.host),
        prefix=app[SETTINGS].prefix)
    big = len(body) > app[SETTINGS].limits.offload_bytes

    def parse() -> None:
        decoded = decode_html(body, response.headers.get("Content-Type"), rules.encoding)
        page.encoding = decoded.encoding
        app[PAGE_CHARSETS][origin.host] = decoded.encoding
        page.notes.extend(decoded.evidence)
        page.tree = parse_html(decoded.text)

    def transform() -> bytes:
        pipeline.run(page)
        return serialize(page.tree)

    try:
        if big:
            await asyncio.to_thread(parse)
        else:
            parse()
        await pipeline.gather(page, make_fetcher(request, origin))
        out = await asyncio.to_thread(transform) if big else transform()
    except RewriteAborted as exc:
        log.error("rewrite aborted host=%s url=%s: %s", origin.host, page.url, exc)
        return None
    return Rewritten(out, page.response_headers)


def make_fetcher(request: web.Request, origin: Origin) -> Fetch:
    """A same-origin, size- and time-bounded GET for server-side includes (never recursive:
    the fragment is inserted as it is, and its own scripts are removed with the page's)."""
    settings = request.app[SETTINGS]
    session = request.app[SESSION]

    async def fetch(path: str) -> tuple[bytes, str | None] | None:
        if not path.startswith("/") or path.startswith("//"):
            return None  # only paths on the origin: never another host
        timeout = ClientTimeout(total=settings.limits.include_timeout)
        try:
            async with session.get(URL(origin.url + path, encoded=False), timeout=timeout,
                                   allow_redirects=False, ssl=ssl_context(origin),
                                   headers={"Accept-Encoding": "identity"}) as resp:
                if resp.status != 200:
                    return None
                body = await bodies.read_body(resp, settings.limits.max_include_bytes,
                                              settings.limits)
                return body, resp.headers.get("Content-Type")
        except (ClientError, TimeoutError, ValueError, bodies.BodyTooLarge) as exc:
            log.warning("include failed host=%s path=%s: %r", origin.host, path, exc)
            return None

    return fetch
