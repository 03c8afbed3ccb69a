"""Server-side rendering through the real proxy, in real Chromium: script-written content is
shown, with the right characters; the visitor still gets no script; the browser reaches only
the origin; a render that fails serves the static page with a notice."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from aiohttp import web

from proxy.keys import RENDERER
from proxy.render.service import FALLBACK_NOTICE, Renderer
from proxy.settings import Origin, Render, Settings
from proxy.siterules.file import load_rules_text
from tests.browser import requires_chromium
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, requires_chromium]

HEADER_JS = "document.write('<div id=\"head\"><h2>某某市人民政府门户网站</h2>" \
            "<a href=\"/zwgk/\">政务公开</a></div>');"
PAGE = """<html><head><meta charset="gbk"><title>首页</title>
<script src="/js/header.js"></script></head>
<body><script>document.write('<p id="written">' + '通知公告' + '</p>');</script>
<div id="main">正文内容</div>
<script src="/wza/aria.js"></script>
<script src="{third_party}/beacon.js"></script>
<img src="{third_party}/track.gif" alt="">
</body></html>"""
HANG = """<html><head><meta charset="utf-8"><title>t</title></head><body><p>静态正文</p>
<script src="/js/header.js"></script><script>while (true) {{}}</script></body></html>"""


def origin_app(hits: list[str], third_party: str) -> web.Application:
    async def page(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=PAGE.format(third_party=third_party).encode("gbk"),
                            headers={"Content-Type": "text/html"})  # no charset: a legacy server

    async def hang(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(text=HANG.format(), content_type="text/html")

    async def script(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=HEADER_JS.encode("gbk"),
                            headers={"Content-Type": "application/javascript"})

    app = web.Application()
    app.router.add_get("/index.html", page)
    app.router.add_get("/hang.html", hang)
    app.router.add_get("/js/header.js", script)
    app.router.add_get("/wza/aria.js", script)
    return app


def third_party_app(hits: list[str]) -> web.Application:
    async def anything(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(text="")

    app = web.Application()
    app.router.add_get("/{tail:.*}", anything)
    return app


@pytest.fixture
async def site(aiohttp_server):
    hits: list[str] = []
    outside: list[str] = []
    other = await aiohttp_server(third_party_app(outside))
    server = await aiohttp_server(origin_app(hits, str(other.make_url("")).rstrip("/")))
    return str(server.make_url("")).rstrip("/"), hits, outside


async def test_script_written_content_is_rendered_with_its_characters(site, make_proxy):
    origin, hits, outside = site
    client = await make_proxy(origin, render=Render(pool_size=1, timeout=8),
                              rules_dir=str(REPO / "rules"))  # default.yaml knows the toolbars
    response = await client.get("/index.html")
    text = await response.text()
    assert response.status == 200
    assert "某某市人民政府门户网站" in text and "政务公开" in text  # header.js, GBK, no label
    assert "通知公告" in text  # an inline document.write
    assert "<script" not in text.lower()  # the visitor's browser still runs no origin script
    assert "/js/header.js" in hits
    assert "/wza/aria.js" not in hits  # the site's own toolbar is never loaded
    assert outside == []  # nothing but the origin was reached


async def test_a_render_that_hangs_serves_the_static_page_with_a_notice(site, make_proxy):
    origin, hits, _ = site
    client = await make_proxy(origin, render=Render(pool_size=1, timeout=2))
    response = await client.get("/hang.html")
    text = await response.text()
    assert response.status == 200
    assert "静态正文" in text and FALLBACK_NOTICE[:20] in text


async def test_renders_of_one_page_in_flight_are_shared(site, aiohttp_client):
    origin_url, hits, _ = site
    from aiohttp import ClientSession

    settings = replace(Settings(upstream=None), render=Render(pool_size=2, timeout=8))
    origin = Origin(origin_url, (), ())
    rules = load_rules_text("hosts: [x.test]\n")
    body = PAGE.format(third_party="http://127.0.0.1:9").encode("gbk")
    async with ClientSession() as session:
        renderer = Renderer(settings, session)
        try:
            first, second = await asyncio.gather(
                renderer.render(origin, rules, origin_url + "/index.html", body, None),
                renderer.render(origin, rules, origin_url + "/index.html", body, None))
            again = await renderer.render(origin, rules, origin_url + "/index.html", body, None)
        finally:
            await renderer.close()
    assert first == second == again and "某某市人民政府门户网站" in first
    assert renderer.stats.renders == 1 and renderer.stats.cached == 1
    assert hits.count("/js/header.js") == 1


async def test_static_mode_never_renders(site, make_proxy, empty_rules):
    origin, hits, _ = site
    (empty_rules / "site.yaml").write_text("hosts: ['127.0.0.1']\nrender:\n  mode: static\n",
                                           encoding="utf-8")
    client = await make_proxy(origin, render=Render(pool_size=1, timeout=8))
    assert (await client.get("/index.html")).status == 200
    stats = client.app[RENDERER].stats
    assert stats.renders == 0 and stats.failures == 0
    assert "static: rules: render: static" in stats.last_decisions[f"{origin}/index.html"]


async def test_readyz_shows_the_renderer_and_its_decisions(site, make_proxy):
    origin, _, _ = site
    client = await make_proxy(origin, render=Render(pool_size=1, timeout=8))
    await client.get("/index.html")
    text = await (await client.get("/_a11y/readyz")).text()
    assert "render: on, pool 1; 1 rendered, 0 failed" in text
    assert "/index.html: browser: auto: frame script header.js" in text


async def test_readyz_says_when_rendering_is_off(site, make_proxy):
    origin, _, _ = site
    client = await make_proxy(origin)
    text = await (await client.get("/_a11y/readyz")).text()
    assert "render: off (render.pool_size is 0)" in text
