"""Operations features around the proxy, installed with one call from `create_app`:
structured access log (outermost, so it times everything), metrics, the page cache."""

from __future__ import annotations

from aiohttp import web

from proxy.cache import middleware as cache
from proxy.ops import accesslog, metrics


def install(app: web.Application) -> None:
    accesslog.install(app)  # first: its middleware wraps the others and opens the request record
    metrics.install(app)
    cache.install(app)
