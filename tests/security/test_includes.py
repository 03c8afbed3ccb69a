"""Server-side includes are same-origin only, bounded in size and time, and not recursive."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web

from proxy.keys import PIPELINE
from proxy.pipeline import Transform

from .hostile import raw_request

INCLUDE_LIMITS = {"max_include_bytes": 64 * 2**10, "include_timeout": 1.0}


@pytest.fixture
async def include_origin(aiohttp_server, canary):
    seen: list[str] = []
    other = canary.authority

    async def serve(request: web.Request) -> web.StreamResponse:
        seen.append(request.path_qs)
        name = request.match_info["name"]
        if name == "page":
            scripts = "".join(
                f"<div id='{i}'></div><script>$('#{i}').load('{url}');</script>"
                for i, url in (("a", f"//{other}/x"), ("b", f"http://{other}/x"),
                               ("c", "/big"), ("d", "/slow"), ("e", "/redirect"),
                               ("f", "/frag")))
            return web.Response(text=f"<html><body>{scripts}</body></html>",
                                content_type="text/html")
        if name == "big":
            return web.Response(text="<p>" + "b" * 2**20 + "</p>", content_type="text/html")
        if name == "slow":
            await asyncio.sleep(10)
        if name == "redirect":
            raise web.HTTPFound(f"http://{other}/stolen")
        if name == "frag":  # a fragment that itself loads more: must not be followed
            return web.Response(text="<p id='frag'>FRAG</p><div id='g'></div>"
                                "<script>$('#g').load('/second');</script>",
                                content_type="text/html")
        return web.Response(text="<p>SECOND</p>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/{name}", serve)
    server = await aiohttp_server(app)
    return str(server.make_url("")).rstrip("/"), seen


async def test_includes_in_a_page_stay_on_the_origin_and_are_bounded(include_origin,
                                                                    start_proxy):
    url, seen = include_origin
    proxy = await start_proxy(url, limits=INCLUDE_LIMITS)
    started = time.monotonic()
    response = await raw_request(proxy.port, b"GET /page HTTP/1.1\r\nHost: p\r\n"
                                 b"Connection: close\r\n\r\n", timeout=15)
    took = time.monotonic() - started
    assert response.status == 200
    assert took < 4, f"a slow include held the page for {took:.1f}s"
    assert "FRAG" in response.body.decode()
    assert "SECOND" not in response.body.decode()
    assert "/second" not in seen, "includes must not be recursive"
    assert "b" * 2**17 not in response.body.decode(), "an oversized fragment must be dropped"
    assert set(seen) <= {"/page", "/big", "/slow", "/redirect", "/frag"}


class FetchProbe(Transform):
    """Calls the page's fetcher with hostile paths and records what came back."""

    name = "fetch-probe"

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.results: dict[str, tuple[object, float]] = {}

    async def gather(self, page, fetch) -> None:
        for path in self.paths:
            started = time.monotonic()
            got = await fetch(path)
            self.results[path] = (got, time.monotonic() - started)


async def test_fetcher_refuses_other_hosts_and_bounds_size_and_time(include_origin, canary,
                                                                   start_proxy):
    url, seen = include_origin
    other = canary.authority
    hostile = [f"//{other}/x", f"http://{other}/x", f"https://{other}/x", f"@{other}/x",
               f"\\\\{other}/x", "/redirect", "/big", "/slow", "/frag"]
    probe = FetchProbe(hostile)
    proxy = await start_proxy(url, limits=INCLUDE_LIMITS)
    proxy.app[PIPELINE].transforms = (probe,)
    response = await raw_request(proxy.port, b"GET /plain HTTP/1.1\r\nHost: p\r\n"
                                 b"Connection: close\r\n\r\n", timeout=15)
    assert response.status == 200
    results = {path: got for path, (got, _) in probe.results.items()}
    assert all(results[p] is None for p in hostile[:5]), "other hosts are never fetched"
    assert results["/redirect"] is None, "a redirect is not followed"
    assert results["/big"] is None, "beyond max_include_bytes"
    assert results["/slow"] is None and probe.results["/slow"][1] < 2.0
    assert results["/frag"] is not None and b"FRAG" in results["/frag"][0]
    assert "/second" not in seen
