"""The one origin client: only the origin's own paths, no redirect followed, bounded reads."""

from __future__ import annotations

from dataclasses import replace

from aiohttp import ClientSession, web

from proxy.http import upstream
from proxy.settings import Limits, Origin, Settings


def origin_app(hits: list[str]) -> web.Application:
    async def page(request: web.Request) -> web.Response:
        hits.append(request.path_qs)
        return web.Response(body="<p>片段</p>".encode("gbk"),
                            headers={"Content-Type": "text/html; charset=gbk"})

    async def moved(request: web.Request) -> web.Response:
        hits.append(request.path_qs)
        raise web.HTTPFound("/fragment.html")

    async def big(request: web.Request) -> web.Response:
        hits.append(request.path_qs)
        return web.Response(body=b"x" * 4096, headers={"Content-Type": "text/html"})

    app = web.Application()
    app.router.add_get("/fragment.html", page)
    app.router.add_get("/moved", moved)
    app.router.add_get("/big.html", big)
    return app


async def test_fetch_reads_a_same_origin_path(aiohttp_server):
    hits: list[str] = []
    server = await aiohttp_server(origin_app(hits))
    origin = Origin(str(server.make_url("")).rstrip("/"), (), ())
    async with ClientSession() as session:
        fetch = upstream.fetcher(session, Settings(upstream=None), origin)
        body, content_type = await fetch("/fragment.html")
    assert body.decode("gbk") == "<p>片段</p>" and "gbk" in content_type
    assert hits == ["/fragment.html"]


async def test_fetch_never_leaves_the_origin_nor_follows_redirects(aiohttp_server):
    hits: list[str] = []
    server = await aiohttp_server(origin_app(hits))
    origin = Origin(str(server.make_url("")).rstrip("/"), (), ())
    async with ClientSession() as session:
        fetch = upstream.fetcher(session, Settings(upstream=None), origin)
        assert await fetch("//evil.example/x") is None
        assert await fetch("http://evil.example/x") is None
        assert await fetch("/moved") is None  # a redirect is an answer, not a hop to follow
    assert hits == ["/moved"]


async def test_fetch_is_capped(aiohttp_server):
    hits: list[str] = []
    server = await aiohttp_server(origin_app(hits))
    origin = Origin(str(server.make_url("")).rstrip("/"), (), ())
    settings = replace(Settings(upstream=None), limits=Limits(max_include_bytes=1024))
    async with ClientSession() as session:
        assert await upstream.fetcher(session, settings, origin)("/big.html") is None


async def test_a_path_stays_a_path_on_the_origin():
    origin = Origin("http://origin.test", (), ())
    assert str(upstream.upstream_url(origin, "//other.test/x")) == "http://origin.test//other.test/x"


async def test_request_hands_back_the_redirect(aiohttp_server):
    hits: list[str] = []
    server = await aiohttp_server(origin_app(hits))
    origin = Origin(str(server.make_url("")).rstrip("/"), (), ())
    settings = Settings(upstream=None)
    async with ClientSession() as session, upstream.request(
            session, settings, origin, "GET", upstream.upstream_url(origin, "/moved"), {}) as resp:
        assert resp.status == 302 and resp.headers["Location"] == "/fragment.html"
