"""Text resources: legacy-encoded CSS and text come out as UTF-8 with origin URLs mapped."""

from __future__ import annotations

import pytest

from proxy.http.resources import ResourceContext, rewrite_resource
from proxy.routing import Router
from proxy.settings import Origin
from proxy.visitor.prefs import Preferences

ORIGIN = Origin("http://127.0.0.1:8001", (), ("www.site.gov.cn",))
MAPPER = Router((ORIGIN,)).mapper(ORIGIN, "proxy.local")
CSS = 'body{font-family:"宋体";background:url(http://www.site.gov.cn/bg.png)}.t:before{content:"提示："}'


def ctx(media_type: str = "text/css", text: int = 100) -> ResourceContext:
    return ResourceContext("http://www.site.gov.cn/a.css", media_type, MAPPER,
                           prefs=Preferences(text=text))


@pytest.mark.parametrize(("body", "content_type"), [
    (CSS.encode("gbk"), "text/css"),
    (CSS.encode("gbk"), "text/css; charset=gbk"),
    (b'@charset "gbk";' + CSS.encode("gbk"), "text/css"),
    (CSS.encode("utf-8"), "text/css"),
    (b"\xef\xbb\xbf" + CSS.encode("utf-8"), "text/css"),
], ids=["gbk-unlabelled", "gbk-header", "gbk-at-charset", "utf8", "utf8-bom"])
def test_css_is_served_as_utf8_whatever_its_encoding(body, content_type):
    out = rewrite_resource(body, content_type, ctx()).decode("utf-8")
    assert 'font-family:"宋体"' in out and 'content:"提示："' in out
    assert "url(/bg.png)" in out
    assert "@charset" not in out


def test_short_unlabelled_text_follows_the_referring_pages_charset():
    """Too short for detection alone; browsers use the referring page's charset, so do we."""
    text = "通知 url(http://www.site.gov.cn/x)"
    context = ctx("text/plain")
    context.referrer_charset = "gb18030"
    out = rewrite_resource(text.encode("gb18030"), "text/plain", context)
    assert out.decode("utf-8") == text  # plain text: decoded, but no CSS URL rewriting


def test_css_follows_the_text_step_in_the_same_bytes_for_every_visitor():
    outs = set()
    for text in (100, 200):
        context = ctx(text=text)
        outs.add(rewrite_resource(b"p{font-size:12px}", "text/css", context).decode())
        # the page's base style sets the switches: no per-visitor copy, shared caches may keep it
        assert "Vary" not in context.response_headers
        assert "Cache-Control" not in context.response_headers
    assert outs == {"p{font-size:calc(12px * var(--a11y-text, 1))}"}


async def test_proxy_remembers_the_origins_page_charset_for_its_stylesheets(aiohttp_server,
                                                                            make_proxy):
    from aiohttp import web

    async def page(request):
        return web.Response(body="<p>统战工作的页面</p>".encode("gbk") * 20,
                            content_type="text/html")

    async def css(request):
        return web.Response(body='.t:before{content:"提示"}'.encode("gbk"),
                            content_type="text/css")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/s.css", css)
    origin = await aiohttp_server(app)
    proxy = await make_proxy(str(origin.make_url("")).rstrip("/"))
    assert (await proxy.get("/")).status == 200
    response = await proxy.get("/s.css")
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    assert '.t:before{content:"提示"}' in (await response.read()).decode("utf-8")
