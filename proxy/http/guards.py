"""Request validation before anything else runs: only origin-form targets (`/path`) are served.

A reverse proxy must never act as a forward proxy: absolute-form targets (`GET http://x/`),
authority-form (`CONNECT host:port`) and asterisk-form (`OPTIONS *`) get our 400 page before
routing, so no route or middleware ever sees a target that could name another host. (The
forward handler checks this too; this answers with the accessible page for every method, where
the router would otherwise give a bare 404/405.)
"""

from __future__ import annotations

from aiohttp import web

from proxy.http import limits
from proxy.visitor.errorpages import error_page

FORWARD_PROXY_METHODS = frozenset({"CONNECT"})


def is_origin_form(request: web.BaseRequest) -> bool:
    return request.method not in FORWARD_PROXY_METHODS and request.raw_path.startswith("/")


@web.middleware
async def origin_form_only(request: web.Request, handler: limits.Handler) -> web.StreamResponse:
    if not is_origin_form(request):
        return error_page(400)
    return await handler(request)


def install(app: web.Application) -> None:
    """All request guards, in order: target validation, then backpressure (limits.py)."""
    app.middlewares.append(origin_form_only)
    limits.install(app)
