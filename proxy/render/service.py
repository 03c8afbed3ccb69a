"""Render a page on the server: the origin's scripts run in a headless browser here, and the
DOM they produce is what the pipeline rewrites (so the visitor's browser still runs none).

The browser never reaches the network itself: every request it makes passes our route
handler, which fetches the configured origin's URLs (and its aliases') through the one origin
client, decodes the main document and every text subresource with our own charset
arbitration (so scripts that write Chinese do not write mojibake), refuses the site's own
accessibility toolbar, and aborts everything else (analytics, widgets, remote speech), unless
the site's rules allow a host. A render is bounded in time; its result is kept per page
(keyed by the origin's bytes, so a changed page is rendered again) and renders of one URL in
flight are shared. Any failure falls back to the static rewrite, with a visible notice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession

from proxy.encoding.detect import decode_html, decode_text_resource
from proxy.http import bodies, upstream
from proxy.http.headers import media_type
from proxy.render.browser import BrowserPool, unavailable_reason
from proxy.render.decide import Decision, SiteMemory, decide, shows_more, url_pattern
from proxy.settings import Origin, Settings
from proxy.siterules.model import SiteRules

log = logging.getLogger(__name__)

#: rendered pages kept per process (each a page of HTML text)
CACHED_RENDERS = 64
#: subresource types whose text goes through our charset arbitration
TEXT_RESOURCES = {"document": "html", "script": "text", "stylesheet": "text"}
#: what a render does not load: pictures, sound and fonts change no text, and the visitor's own
#: browser loads them from the proxy anyway (an aborted picture fires `onerror`, as offline)
SKIPPED_RESOURCES = frozenset({"image", "media", "font"})
#: after `load`, how long late scripts (timers, lazy tabs) get before the DOM is taken
SETTLE_SECONDS = 0.5


@dataclass
class RenderStats:
    renders: int = 0
    failures: int = 0
    cached: int = 0
    seconds: float = 0.0
    last_decisions: OrderedDict[str, str] = field(default_factory=OrderedDict)

    def decided(self, url: str, decision: Decision) -> None:
        self.last_decisions[url] = f"{'browser' if decision.render else 'static'}: " \
                                   f"{decision.why}"
        while len(self.last_decisions) > 20:
            self.last_decisions.popitem(last=False)


class Renderer:
    """One per worker process (the app's cleanup context makes and closes it)."""

    def __init__(self, settings: Settings, session: ClientSession) -> None:
        self.settings = settings
        self.session = session
        render = settings.render
        self.pool = BrowserPool(render.pool_size, render.max_renders, render.max_rss_bytes)
        self.timeout = render.timeout
        self.memory: dict[str, SiteMemory] = {}
        self.stats = RenderStats()
        self._done: OrderedDict[str, str] = OrderedDict()
        self._flying: dict[str, asyncio.Future[str | None]] = {}

    def decision(self, rules: SiteRules, url: str, tree: Any) -> Decision:
        found = decide(rules.render, url, tree, self.memory.setdefault(rules.name, SiteMemory()))
        self.stats.decided(url, found)
        return found

    def learn(self, rules: SiteRules, url: str, static_chars: int, rendered_chars: int) -> None:
        self.memory.setdefault(rules.name, SiteMemory()).record(
            url_pattern(url), shows_more(static_chars, rendered_chars))

    async def render(self, origin: Origin, rules: SiteRules, url: str, body: bytes,
                     content_type: str | None) -> str | None:
        """The rendered page's HTML, or None (the caller serves the static rewrite)."""
        key = hashlib.sha256(url.encode() + b"\0" + body).hexdigest()
        if (done := self._done.get(key)) is not None:
            self._done.move_to_end(key)
            self.stats.cached += 1
            return done
        if (flying := self._flying.get(key)) is not None:
            return await asyncio.shield(flying)
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._flying[key] = future
        try:
            html = await self._render_now(origin, rules, url, body, content_type)
            future.set_result(html)
        except BaseException as exc:
            future.set_result(None)
            if isinstance(exc, asyncio.CancelledError):
                raise
            html = None
        finally:
            del self._flying[key]
        if html is not None:
            self._done[key] = html
            while len(self._done) > CACHED_RENDERS:
                self._done.popitem(last=False)
        return html

    async def _render_now(self, origin: Origin, rules: SiteRules, url: str, body: bytes,
                          content_type: str | None) -> str | None:
        started = time.monotonic()
        document = decode_html(body, content_type, rules.encoding).text

        async def job(page: Any) -> str:
            await page.route("**/*", lambda route: self._route(route, origin, rules, url,
                                                                document))
            await page.goto(url, wait_until="load", timeout=self.timeout * 1000)
            await page.wait_for_timeout(SETTLE_SECONDS * 1000)
            return await page.content()

        try:
            html = await self.pool.run(job, self.timeout + SETTLE_SECONDS + 1)
        except Exception as exc:  # noqa: BLE001 - any render failure: the static page instead
            self.stats.failures += 1
            log.warning("render failed host=%s url=%s: %r", origin.host, url, exc)
            return None
        self.stats.renders += 1
        self.stats.seconds += time.monotonic() - started
        return html

    async def _route(self, route: Any, origin: Origin, rules: SiteRules, page_url: str,
                     document: str) -> None:
        request = route.request
        url = request.url
        try:
            if url.split("#")[0] == page_url.split("#")[0] and request.resource_type == "document":
                await route.fulfill(status=200, body=document.encode("utf-8"),
                                    content_type="text/html; charset=utf-8")
                return
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            if request.resource_type in SKIPPED_RESOURCES:
                await route.abort("blockedbyclient")
            elif any(p in url for p in rules.toolbar.script_patterns + rules.toolbar.url_patterns):
                await route.abort("blockedbyclient")  # the site's own toolbar never loads
            elif _is_origin(origin, parts):
                await self._fulfill_from_origin(route, origin, rules, parts, request)
            elif host in rules.render.allow_hosts:
                await route.continue_()
            else:
                await route.abort("blockedbyclient")
        except Exception as exc:  # noqa: BLE001 - a closed page; the render goes on or times out
            log.debug("render route %s: %r", url, exc)

    async def _fulfill_from_origin(self, route: Any, origin: Origin, rules: SiteRules,
                                   parts: Any, request: Any) -> None:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        limits = self.settings.limits
        try:
            async with upstream.request(self.session, self.settings, origin, "GET",
                                        upstream.upstream_url(origin, path),
                                        {"Accept-Encoding": "identity"}) as resp:
                payload = await bodies.read_body(resp, limits.max_html_bytes, limits)
                status, content_type = resp.status, resp.headers.get("Content-Type")
        except (ClientError, TimeoutError, ValueError, bodies.BodyTooLarge):
            await route.abort("failed")
            return
        kind = TEXT_RESOURCES.get(request.resource_type)
        if kind is None and media_type(content_type).startswith("text/"):
            kind = "text"
        if kind == "html":
            text = decode_html(payload, content_type, rules.encoding).text
        elif kind == "text":
            text = decode_text_resource(payload, content_type, rules.encoding).text
        else:
            await route.fulfill(status=status, body=payload,
                                content_type=content_type or "application/octet-stream")
            return
        await route.fulfill(status=status, body=text.encode("utf-8"),
                            content_type=f"{media_type(content_type) or 'text/plain'}; "
                                         "charset=utf-8")

    async def close(self) -> None:
        await self.pool.close()


def _is_origin(origin: Origin, parts: Any) -> bool:
    """The configured origin itself (scheme, host and port), or one of the names its pages
    use for it (an alias, on the default port)."""
    if parts.scheme not in ("http", "https"):
        return False
    own = urlsplit(origin.url)
    if parts.netloc.lower() == own.netloc.lower():
        return True
    return parts.port is None and (parts.hostname or "").lower() in {
        a.lower() for a in origin.aliases}


def render_status(settings: Settings, renderer: Renderer | None) -> list[str]:
    """Lines for readyz: whether pages are rendered, how it went, and the latest decisions."""
    if renderer is None:
        why = "render.pool_size is 0" if settings.render.pool_size <= 0 else unavailable_reason()
        return [f"render: off ({why}); every page is rewritten statically"]
    s = renderer.stats
    lines = [f"render: on, pool {settings.render.pool_size}; {s.renders} rendered, "
             f"{s.failures} failed, {s.cached} from memory, browser restarts "
             f"{renderer.pool.restarts}"]
    lines += [f"render decision {url}: {why}" for url, why in s.last_decisions.items()]
    return lines


def renderer_for(settings: Settings, session: ClientSession) -> Renderer | None:
    """A renderer when rendering is configured and possible; None (logged once) otherwise."""
    if settings.render.pool_size <= 0:
        return None
    if (why := unavailable_reason()) is not None:
        log.warning("server rendering is off: %s; every page is rewritten statically", why)
        return None
    return Renderer(settings, session)


#: said on a page whose render failed: the visitor must know content may be missing
FALLBACK_NOTICE = ("本页有部分内容由脚本生成，服务器暂时无法显示，您看到的是不含这些内容的版本。"
                   "(Part of this page is built by scripts and could not be shown just now.)")


def add_fallback_notice(tree: Any) -> None:
    """A visible note at the start of the body (kept by every view) that content may be
    missing because the render failed."""
    import lxml.html

    body = tree.find("body")
    if body is None:
        return
    note = lxml.html.Element("p", {"class": "a11y-render-notice", "role": "note",
                                   "style": "border:2px solid;padding:.5em;margin:.5em 0"})
    note.text = FALLBACK_NOTICE
    note.tail, body.text = body.text, None
    body.insert(0, note)
