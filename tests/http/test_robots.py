"""X-Robots-Tag through the real proxy: on proxied copies of every kind, and on our own pages
only when configured so."""

from __future__ import annotations

import pytest
from aiohttp import web

from proxy.http.robots import wants_noindex
from proxy.settings import Robots

PAGE = "<html><head><title>t</title></head><body><main><p>正文</p></main></body></html>"


def make_origin() -> web.Application:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def said(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html",
                            headers={"X-Robots-Tag": "noarchive"})

    async def image(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "image/png"})
        await response.prepare(request)
        await response.write(b"\x89PNG" + bytes(5000))
        return response

    async def style(request: web.Request) -> web.Response:
        return web.Response(text="p { font-size: 12px }", content_type="text/css")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/said.html", said)
    app.router.add_get("/i.png", image)
    app.router.add_get("/s.css", style)
    return app


@pytest.fixture
async def origin_url(aiohttp_server):
    server = await aiohttp_server(make_origin())
    return str(server.make_url("")).rstrip("/")


PROXIED = ["/", "/i.png", "/s.css", "/missing"]
OURS = ["/_a11y/help", "/_a11y/settings", "/_a11y/statement", "/_a11y/nothing"]


@pytest.mark.parametrize("path", PROXIED)
async def test_proxied_copies_are_noindex_by_default(make_proxy, origin_url, path):
    proxy = await make_proxy(origin_url)
    response = await proxy.get(path)
    await response.read()
    assert response.headers.get("X-Robots-Tag") == "noindex"


@pytest.mark.parametrize("path", OURS)
async def test_our_own_pages_are_indexable_by_default(make_proxy, origin_url, path):
    proxy = await make_proxy(origin_url)
    response = await proxy.get(path)
    await response.read()
    assert "X-Robots-Tag" not in response.headers


async def test_both_switches_from_config(make_proxy, origin_url):
    proxy = await make_proxy(origin_url, robots=Robots(noindex=False, noindex_own_pages=True))
    copy, help_ = await proxy.get("/"), await proxy.get("/_a11y/help")
    assert (copy.status, help_.status) == (200, 200)
    assert "X-Robots-Tag" not in copy.headers
    assert help_.headers["X-Robots-Tag"] == "noindex"


async def test_the_origins_own_robots_words_are_kept(make_proxy, origin_url):
    proxy = await make_proxy(origin_url)
    response = await proxy.get("/said.html")
    assert response.headers.getall("X-Robots-Tag") == ["noarchive, noindex"]


async def test_a_cached_copy_still_says_noindex(make_proxy, origin_url):
    proxy = await make_proxy(origin_url)
    for _ in range(2):
        response = await proxy.get("/")
        assert response.headers["X-Robots-Tag"] == "noindex"


def test_the_prefix_itself_is_ours():
    assert not wants_noindex("/_a11y", "/_a11y/", True, False)
    assert wants_noindex("/_a11yx", "/_a11y/", True, False)
