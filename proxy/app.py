"""The aiohttp application factory: routes, shared objects, start-up and clean-up.

`create_app(settings)` builds a plain `web.Application` (no subclass). Shared objects live under
typed AppKeys (keys.py); the one ClientSession, the rule store and, for `upstream: demo`, the
embedded demo origin are made in `cleanup_ctx`, so tests and the CLI get the same lifecycle.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import ClientSession, ClientTimeout, DummyCookieJar, TCPConnector, web

from proxy.http import upstream
from proxy.http.forward import forward
from proxy.http.guards import install as install_guards
from proxy.http.tls import ssl_context
from proxy.http.upstream import upstream_url
from proxy.keys import PAGE_CHARSETS, PIPELINE, RENDERER, ROUTER, RULES, SESSION, SETTINGS
from proxy.ops import install as install_ops
from proxy.ops.metrics import origin_trace_config
from proxy.render.service import render_status, renderer_for
from proxy.routing import Router
from proxy.settings import DEMO, Settings
from proxy.siterules.store import RuleStore, watch
from proxy.transforms import default_pipeline
from proxy.visitor.errorpages import error_page
from proxy.visitor.routes import add_routes as add_a11y_routes

log = logging.getLogger(__name__)

READY_TIMEOUT = 3.0  #: seconds readyz waits for the origin before saying 503
CONNECTIONS_PER_ORIGIN = 100  #: keep-alive pool per origin: small government servers


def create_app(settings: Settings, *, demo_url: str | None = None) -> web.Application:
    app = web.Application(client_max_size=settings.limits.max_request_body)
    app[SETTINGS] = settings
    app[PIPELINE] = default_pipeline()
    app[PAGE_CHARSETS] = {}
    app.cleanup_ctx.append(_origins(demo_url))
    app.cleanup_ctx.append(_client_session)
    app.cleanup_ctx.append(_renderer)
    app.cleanup_ctx.append(_rule_store)
    prefix = settings.prefix
    app.router.add_get(prefix + "healthz", healthz)
    app.router.add_get(prefix + "readyz", readyz)
    add_a11y_routes(app)  # /_a11y/set, settings, help, our static files
    install_ops(app)  # access log, metrics (/_a11y/metrics), page cache
    install_guards(app)  # origin-form targets only; limits.max_concurrency, then 503
    # Nothing else under our prefix may ever reach the origin.
    app.router.add_route("*", prefix + "{tail:.*}", not_found)
    app.router.add_route("*", prefix.rstrip("/"), not_found)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def _origins(demo_url: str | None):
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        runner = None
        url = demo_url
        if settings.upstream == DEMO and url is None:
            from proxy.demo import start_demo_origin

            runner, url = await start_demo_origin()
            log.info("embedded demo origin at %s", url)
        app[ROUTER] = Router(settings.origins(url))
        for origin in app[ROUTER].origins:
            if not ssl_context(origin):
                log.warning("TLS verification is OFF for %s (verify_tls: false)", origin.url)
        yield
        if runner is not None:
            await runner.cleanup()

    return ctx


async def _client_session(app: web.Application) -> AsyncIterator[None]:
    # auto_decompress=False: non-HTML streams through byte-identical with its encoding, and
    # HTML is decompressed by bodies.py under bomb limits.
    connector = TCPConnector(limit=0, limit_per_host=CONNECTIONS_PER_ORIGIN,
                             enable_cleanup_closed=True)
    async with ClientSession(connector=connector, auto_decompress=False,
                             timeout=ClientTimeout(total=None),
                             cookie_jar=DummyCookieJar(),  # never keep one visitor's cookies
                             skip_auto_headers=("User-Agent",),
                             trace_configs=[origin_trace_config()]) as s:
        app[SESSION] = s
        yield


async def _renderer(app: web.Application) -> AsyncIterator[None]:
    app[RENDERER] = renderer_for(app[SETTINGS], app[SESSION])
    yield
    if app[RENDERER] is not None:
        await app[RENDERER].close()


async def _rule_store(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    store = RuleStore.from_directory(settings.rules_dir)
    for problem in store.problems:
        log.warning("rules: %s", problem)
    app[RULES] = store
    stop = asyncio.Event()
    task = asyncio.create_task(watch(store, stop)) if settings.watch_rules else None
    yield
    stop.set()
    if task:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok\n", headers={"Cache-Control": "no-store"})


async def readyz(request: web.Request) -> web.Response:
    """200 when every origin answers (any status below 500) and rules are in force."""
    session = request.app[SESSION]
    lines, ready = [], True
    for origin in request.app[ROUTER].origins:
        try:
            async with upstream.request(session, request.app[SETTINGS], origin, "HEAD",
                                        upstream_url(origin, "/"), {},
                                        timeout=ClientTimeout(total=READY_TIMEOUT)) as resp:
                ok = resp.status < 500
                lines.append(f"origin {origin.url}: {resp.status}")
        except (Exception, asyncio.CancelledError) as exc:  # noqa: BLE001 - any failure = not ready
            if isinstance(exc, asyncio.CancelledError):
                raise
            ok = False
            lines.append(f"origin {origin.url}: unreachable ({type(exc).__name__})")
        ready = ready and ok
    lines += render_status(request.app[SETTINGS], request.app[RENDERER])
    problems = request.app[RULES].problems
    lines += [f"rules warning: {p}" for p in problems] or ["rules: ok"]
    return web.Response(status=200 if ready else 503, text="\n".join(lines) + "\n",
                        headers={"Cache-Control": "no-store"})


async def not_found(request: web.Request) -> web.Response:
    return error_page(404)
