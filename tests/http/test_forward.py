"""The forward handler through real sockets: a purpose-built origin, the real proxy."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import os
from pathlib import Path

import lxml.html
import pytest
from aiohttp import web

from proxy.settings import Origin

BINARY = os.urandom(5 * 2**20)  # 5 MB of incompressible bytes
SEEN: web.AppKey[list] = web.AppKey("seen", list)
NAME: web.AppKey[str] = web.AppKey("name", str)
ORIGIN_PAGE = """<html><head><title>t</title></head><body>
<a id="abs" href="http://{host}/a/b?x=1">abs</a>
<a id="proto" href="//{host}/tzb/">proto</a>
<a id="alias" href="http://www.origin.example/c">alias</a>
<a id="other" href="http://www.gov.cn/">other</a>
<a id="rel" href="rel/page.html">rel</a>
<img id="img" src="http://{host}/i.png" srcset="http://{host}/i2.png 2x, small.png 1x">
<form id="f" action="http://{host}/search"></form>
<div id="st" style="background:url('//{host}/bg.png')"></div>
</body></html>"""


def make_origin() -> web.Application:
    seen: list[dict] = []

    async def page(request: web.Request) -> web.Response:
        seen.append({"headers": dict(request.headers), "path_qs": request.raw_path})
        return web.Response(text=ORIGIN_PAGE.format(host=request.host), content_type="text/html")

    async def gz(request: web.Request) -> web.Response:
        body = gzip.compress(ORIGIN_PAGE.format(host=request.host).encode())
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8",
                                                "Content-Encoding": "gzip"})

    async def binary(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.content_length = len(BINARY)
        await response.prepare(request)
        for start in range(0, len(BINARY), 100_000):
            await response.write(BINARY[start:start + 100_000])
        return response

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        return web.json_response({"sha": hashlib.sha256(body).hexdigest(), "len": len(body),
                                  "raw": request.raw_path, "method": request.method,
                                  "chunked": "Transfer-Encoding" in request.headers})

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://{request.host}/landing?from=old")

    async def external_redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://www.gov.cn/")

    async def cookie(request: web.Request) -> web.Response:
        response = web.Response(text="ok")
        response.headers.add("Set-Cookie", "sid=1; Domain=.origin.example; Path=/; HttpOnly")
        return response

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="late")

    async def static(request: web.Request) -> web.FileResponse:
        return web.FileResponse(__file__)

    app = web.Application(client_max_size=2**30)
    app[SEEN] = seen
    app.router.add_get("/page", page)
    app.router.add_get("/gz", gz)
    app.router.add_get("/bin", binary)
    app.router.add_route("*", "/echo", echo)
    app.router.add_get("/old", redirect)
    app.router.add_get("/ext", external_redirect)
    app.router.add_get("/cookie", cookie)
    app.router.add_get("/slow", slow)
    app.router.add_get("/static.py", static)
    return app


@pytest.fixture
async def origin(aiohttp_server):
    return await aiohttp_server(make_origin())


@pytest.fixture
async def proxy(origin, make_proxy):
    return await make_proxy(str(origin.make_url("")).rstrip("/"),
                            upstream_aliases=("www.origin.example",))


async def fetch_tree(proxy, path: str):
    response = await proxy.get(path)
    assert response.status == 200
    return response, lxml.html.fromstring(await response.read())


@pytest.mark.parametrize(("element_id", "attribute", "expected"), [
    ("abs", "href", "/a/b?x=1"),
    ("proto", "href", "/tzb/"),
    ("alias", "href", "/c"),
    ("other", "href", "http://www.gov.cn/"),
    ("rel", "href", "rel/page.html"),
    ("img", "src", "/i.png"),
    ("img", "srcset", "/i2.png 2x, small.png 1x"),
    ("f", "action", "/search"),
    ("st", "style", "background:url('/bg.png')"),
], ids=lambda v: str(v))
async def test_origin_urls_in_html_point_at_the_proxy(proxy, element_id, attribute, expected):
    _, tree = await fetch_tree(proxy, "/page")
    assert tree.get_element_by_id(element_id).get(attribute) == expected


async def test_gzip_html_is_decompressed_rewritten_and_recompressed(proxy):
    response = await proxy.get("/gz", headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert response.headers["Content-Encoding"] == "gzip"
    raw = await response.read()
    assert int(response.headers["Content-Length"]) == len(raw)
    tree = lxml.html.fromstring(gzip.decompress(raw))
    assert tree.get_element_by_id("abs").get("href") == "/a/b?x=1"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]


async def test_redirect_to_origin_is_rewritten_and_never_followed(proxy):
    response = await proxy.get("/old", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "/landing?from=old"


async def test_redirect_to_another_site_reaches_visitor_unchanged(proxy):
    response = await proxy.get("/ext", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "http://www.gov.cn/"


async def test_large_binary_streams_byte_identical(proxy):
    response = await proxy.get("/bin")
    assert response.status == 200
    assert int(response.headers["Content-Length"]) == len(BINARY)
    assert hashlib.sha256(await response.read()).digest() == hashlib.sha256(BINARY).digest()


async def test_post_body_and_raw_query_arrive_byte_identical(proxy):
    body = os.urandom(300 * 1024)
    raw_query = "/echo?q=%CD%B3%D5%BD&a=1&a=2&empty=&plus=a+b"
    response = await proxy.post(raw_query, data=body,
                                headers={"Content-Type": "application/octet-stream"})
    seen = await response.json()
    assert seen == {"sha": hashlib.sha256(body).hexdigest(), "len": len(body), "raw": raw_query,
                    "method": "POST", "chunked": False}


async def test_set_cookie_loses_origin_domain_keeps_the_rest(proxy):
    response = await proxy.get("/cookie")
    assert response.headers["Set-Cookie"] == "sid=1; Path=/; HttpOnly"


async def test_forwarding_headers(proxy, origin):
    await proxy.get("/page", headers={"Connection": "keep-alive, X-Secret",
                                      "X-Secret": "hop", "X-Forwarded-For": "6.6.6.6",
                                      "Accept-Language": "zh-CN"})
    seen = origin.app[SEEN][-1]["headers"]
    assert seen["Host"] == f"{origin.host}:{origin.port}"
    assert seen["X-Forwarded-For"] == "127.0.0.1"  # the client's own claim is not passed on
    assert seen["X-Forwarded-Proto"] == "http"
    assert "X-Secret" not in seen  # named in Connection: hop-by-hop
    assert seen["Accept-Language"] == "zh-CN"


@pytest.mark.parametrize(("headers", "status"), [
    ({"Range": "bytes=0-9"}, 206),
    ({}, 200),
], ids=["range", "plain"])
async def test_range_requests_pass_through(proxy, headers, status):
    response = await proxy.get("/static.py", headers=headers)
    assert response.status == status
    if status == 206:
        assert await response.read() == Path(__file__).read_bytes()[:10]


async def test_conditional_get_and_head_pass_through(proxy):
    first = await proxy.get("/static.py")
    etag = first.headers["ETag"]
    again = await proxy.get("/static.py", headers={"If-None-Match": etag})
    assert again.status == 304
    head = await proxy.head("/static.py")
    assert head.status == 200 and int(head.headers["Content-Length"]) > 0


async def test_dead_origin_gives_accessible_502(make_proxy, unused_tcp_port):
    proxy = await make_proxy(f"http://127.0.0.1:{unused_tcp_port}")
    response = await proxy.get("/anything")
    assert response.status == 502
    tree = lxml.html.fromstring(await response.read())
    assert tree.get("lang") == "zh-CN"
    assert tree.find(".//main") is not None and tree.findtext(".//title")


async def test_slow_origin_gives_504_in_bounded_time(proxy_settings, make_proxy, origin):
    from proxy.settings import Timeouts

    proxy = await make_proxy(str(origin.make_url("")).rstrip("/"),
                             timeouts=Timeouts(connect=1, read=0.5, total=1))
    started = asyncio.get_running_loop().time()
    response = await proxy.get("/slow")
    assert response.status == 504
    assert asyncio.get_running_loop().time() - started < 3


@pytest.mark.parametrize(("path", "status"), [
    ("/_a11y/healthz", 200), ("/_a11y/readyz", 200), ("/_a11y/nothing", 404), ("/_a11y", 404),
], ids=["healthz", "readyz", "unknown-own-route", "bare-prefix"])
async def test_own_routes_never_reach_the_origin(proxy, origin, path, status):
    before = len(origin.app[SEEN])
    response = await proxy.get(path)
    assert response.status == status
    assert len(origin.app[SEEN]) == before


async def test_readyz_is_503_when_origin_is_down(make_proxy, unused_tcp_port):
    proxy = await make_proxy(f"http://127.0.0.1:{unused_tcp_port}")
    response = await proxy.get("/_a11y/readyz")
    assert response.status == 503


async def test_virtual_hosting_routes_by_host_and_links_between_sites_stay_inside(
        aiohttp_server, make_proxy):
    async def county(request: web.Request) -> web.Response:
        html = f'<p id="who">{request.app[NAME]}</p><a id="next" href="http://www.c2.gov.cn/x">n</a>'
        return web.Response(text=html, content_type="text/html")

    servers = []
    for name in ("c1", "c2"):
        app = web.Application()
        app[NAME] = name
        app.router.add_get("/", county)
        servers.append(await aiohttp_server(app))
    sites = tuple(
        Origin(str(server.make_url("")).rstrip("/"), (f"{name}.a11y.test",),
               (f"www.{name}.gov.cn",))
        for name, server in zip(("c1", "c2"), servers, strict=True))
    proxy = await make_proxy(None, sites=sites)
    response = await proxy.get("/", headers={"Host": "c1.a11y.test:8080"})
    tree = lxml.html.fromstring(await response.read())
    assert tree.get_element_by_id("who").text == "c1"
    assert tree.get_element_by_id("next").get("href") == "//c2.a11y.test:8080/x"
    unknown = await proxy.get("/", headers={"Host": "evil.test"})
    assert unknown.status == 421
