"""Turn one origin HTML answer into our rewritten page: decode, parse, transforms, serialize.

The result is a template for every visitor (proxy/visitor/splice.py): only the view (text-only,
reading), which changes the content, is rewritten apart; the other preferences are spliced in.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from aiohttp import ClientResponse, web

from proxy.encoding.detect import decode_html
from proxy.http.upstream import fetcher
from proxy.keys import PIPELINE, RENDERER, ROUTER, RULES, SESSION, SETTINGS, SITE_CHARSETS
from proxy.ops.metrics import count_render
from proxy.page import Page, parse_html, serialize
from proxy.pipeline import RewriteAborted
from proxy.render.decide import visible_chars
from proxy.render.service import add_fallback_notice
from proxy.settings import Origin
from proxy.visitor.prefs import Preferences, of_request
from proxy.visitor.splice import Template, content_prefs, make_template, splice

log = logging.getLogger(__name__)


@dataclass
class Rewritten:
    template: Template  #: the page for every visitor with the same view
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, prefs: Preferences) -> bytes:
        return splice(self.template, prefs)


async def rewrite_html(request: web.Request, response: ClientResponse, origin: Origin,
                       body: bytes) -> Rewritten | None:
    """Rewrite `body`; None when the page cannot be made safe (a critical transform failed)."""
    app = request.app
    rules = app[RULES].for_host(origin.host)
    pipeline = app[PIPELINE]
    page = Page(
        url=str(response.url), tree=None, host=origin.host, rules=rules,
        prefs=content_prefs(of_request(request)), splice={},
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

    def transform() -> Template:
        pipeline.run(page)
        return make_template(serialize(page.tree), prefix=page.prefix, **(page.splice or {}))

    try:
        if big:
            await asyncio.to_thread(parse)
        else:
            parse()
        if learned:  # the site's charset, for its stylesheets and form bodies
            await app[SITE_CHARSETS].learn(origin.host, learned[0])
        await _render_if_needed(app, page, origin, body, response.headers.get("Content-Type"))
        await pipeline.gather(page, fetcher(app[SESSION], app[SETTINGS], origin))
        out = await asyncio.to_thread(transform) if big else transform()
    except RewriteAborted as exc:
        log.error("rewrite aborted host=%s url=%s: %s", origin.host, page.url, exc)
        return None
    return Rewritten(out, page.response_headers)


async def _render_if_needed(app: web.Application, page: Page, origin: Origin, body: bytes,
                            content_type: str | None) -> None:
    """Replace the static tree with the DOM the origin's scripts build, where the page needs
    them and a renderer is configured (proxy/render/)."""
    renderer = app[RENDERER]
    if renderer is None:
        return
    decision = renderer.decision(page.rules, page.url, page.tree)
    if not decision.render:
        count_render("static")
        return
    page.notes.append(f"render: {decision.why}")
    started = time.monotonic()
    html = await renderer.render(origin, page.rules, page.url, body, content_type)
    if html is None:
        count_render("failed")
        add_fallback_notice(page.tree)
        return
    count_render("rendered", time.monotonic() - started)
    rendered = parse_html(html)
    renderer.learn(page.rules, page.url, visible_chars(page.tree), visible_chars(rendered))
    page.tree = rendered
