"""`python -m proxy check --explain URL`: fetch one page from the configured origin and show
which rules matched which elements (and which matched nothing), before any transform runs."""

from __future__ import annotations

import asyncio
from typing import Any, TextIO
from urllib.parse import urlsplit

from aiohttp import ClientSession, ClientTimeout

from proxy.cli.check import explain
from proxy.encoding.detect import decode_html
from proxy.http import upstream
from proxy.http.bodies import read_body
from proxy.page import parse_html
from proxy.render.browser import unavailable_reason
from proxy.render.decide import SiteMemory, decide
from proxy.routing import Router
from proxy.settings import DEMO, Settings
from proxy.siterules.model import SiteRules
from proxy.siterules.store import RuleStore


def render_line(settings: Settings, rules: SiteRules, url: str, tree: Any) -> str:
    """Whether the proxy would render this page in its browser first, and why."""
    decision = decide(rules.render, url, tree, SiteMemory())
    verdict = "browser" if decision.render else "static"
    if decision.render and settings.render.pool_size <= 0:
        return f"render: {verdict} ({decision.why}), but render.pool_size is 0: served static"
    if decision.render and (why := unavailable_reason()):
        return f"render: {verdict} ({decision.why}), but {why}: served static"
    return f"render: {verdict} ({decision.why})"


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


async def explain_url(settings: Settings, url: str, out: TextIO) -> int:
    """Print the explanation; 0 when the page was fetched, 1 otherwise."""
    runner, demo_url = None, None
    if settings.upstream == DEMO:
        from proxy.demo import start_demo_origin

        runner, demo_url = await start_demo_origin()
    try:
        router = Router(settings.origins(demo_url))
        host = urlsplit(url).netloc or ""
        origin = router.origin_for(host) if host else None
        origin = origin or (router.origins[-1] if router.origins else None)
        if origin is None:
            print(f"{url}: no configured origin serves this host", file=out)
            return 1
        store = RuleStore.from_directory(settings.rules_dir)
        rules = store.for_host(origin.host)
        target = origin.url + _path_of(url)  # as typed: aiohttp quotes what needs it
        timeout = ClientTimeout(total=settings.timeouts.total, connect=settings.timeouts.connect)
        async with ClientSession(auto_decompress=False) as session, \
                upstream.request(session, settings, origin, "GET", target, {},
                                 timeout=timeout) as resp:
            body = await read_body(resp, settings.limits.max_html_bytes, settings.limits)
            content_type = resp.headers.get("Content-Type")
        decoded = decode_html(body, content_type, rules.encoding)
        print(f"page: {target} ({resp.status}, {content_type or 'no content type'}, "
              f"decoded as {decoded.encoding})", file=out)
        tree = parse_html(decoded.text)
        for line in explain(rules, tree):
            print(line, file=out)
        print(render_line(settings, rules, target, tree), file=out)
        for problem in store.problems:
            print(f"rules problem: {problem}", file=out)
        return 0
    except Exception as exc:  # noqa: BLE001 - an admin tool: say what failed, never a traceback
        print(f"{url}: could not fetch the page: {exc!r}", file=out)
        return 1
    finally:
        if runner is not None:
            await runner.cleanup()


def run_explain(settings: Settings, url: str, out: TextIO) -> int:
    return asyncio.run(explain_url(settings, url, out))
