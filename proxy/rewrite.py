"""Turn one origin HTML answer into our rewritten page: decode, parse, transforms, serialize."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from aiohttp import ClientResponse, web

from proxy.encoding.detect import decode_html
from proxy.http.upstream import fetcher
from proxy.keys import PIPELINE, ROUTER, RULES, SESSION, SETTINGS, SITE_CHARSETS
from proxy.page import Page, parse_html, serialize
from proxy.pipeline import RewriteAborted
from proxy.settings import Origin
from proxy.visitor.prefs import of_request

log = logging.getLogger(__name__)



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
        prefs=of_request(request),
        headers=response.headers, mapper=app[ROUTER].mapper(origin, request.host),
        prefix=app[SETTINGS].prefix)
    big = len(body) > app[SETTINGS].limits.offload_bytes
    learned: list[str] = []

    def parse() -> None:
        decoded = decode_html(body, response.headers.get("Content-Type"), rules.encoding)
        page.encoding = decoded.encoding
        if decoded.evident:
            learned.append(decoded.encoding)
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
        if learned:  # the site's charset, for its stylesheets and form bodies
            await app[SITE_CHARSETS].learn(origin.host, learned[0])
        await pipeline.gather(page, fetcher(app[SESSION], app[SETTINGS], origin))
        out = await asyncio.to_thread(transform) if big else transform()
    except RewriteAborted as exc:
        log.error("rewrite aborted host=%s url=%s: %s", origin.host, page.url, exc)
        return None
    return Rewritten(out, page.response_headers)
