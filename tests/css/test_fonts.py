"""proxy/css/fonts.py: px/pt sizes scaled, fixed boxes yield, everything else kept."""

from __future__ import annotations

import pytest

from proxy.css.fonts import scale_style_attribute, scale_stylesheet, scaled_px
from proxy.http.resources import ResourceContext, scale_css_resource
from proxy.routing import UrlMapper
from proxy.visitor.prefs import Preferences

STYLESHEET_CASES = [
    ("body{font-size:12px}", 2, "body{font-size:24px}"),
    ("p{font-size:9pt}", 1.5, "p{font-size:13.5pt}"),
    ("p{FONT-SIZE:12PX}", 2, "p{FONT-SIZE:24px}"),
    ("p{font-size:small}", 2, "p{font-size:26px}"),
    ("p{font-size:1.2em}", 2, "p{font-size:1.2em}"),  # relative: follows the root size
    ("p{font:bold 12px/20px 宋体}", 2, "p{font:bold 24px/40px 宋体}"),
    ("p{font:12px/1.5 Arial}", 2, "p{font:24px/1.5 Arial}"),
    ("p{line-height:26px}", 1.25, "p{line-height:32.5px}"),
    ("p{text-indent:24px;letter-spacing:1px}", 2, "p{text-indent:48px;letter-spacing:2px}"),
    ("p{font-size:12px !important}", 2, "p{font-size:24px !important}"),
    (".w{width:1000px;margin:0 auto}", 2, ".w{width:auto;max-width:1000px;margin:0 auto}"),
    (".w{width:50%}", 2, ".w{width:50%}"),
    (".icon{width:16px}", 2, ".icon{width:16px}"),
    (".nav{height:34px}", 2, ".nav{height:auto;min-height:34px}"),
    (".box{max-height:100px}", 2, ".box{max-height:200px}"),
    ("li{white-space:nowrap}", 2, "li{white-space:normal}"),
    (".logo img{width:200px;height:80px}", 2, ".logo img{width:200px;height:80px}"),
    ("html{font-size:62.5%}", 2, "html{font-size:125%}"),
    ("html body{font-size:62.5%}", 2, "html body{font-size:62.5%}"),
    ("@media screen{.a{font-size:12px}}", 2, "@media screen{.a{font-size:24px}}"),
    ("@font-face{font-family:x;src:url(a.woff)}", 2, "@font-face{font-family:x;src:url(a.woff)}"),
    ("a{color:red} /* keep */ b{font-size:10px}", 2, "a{color:red} /* keep */ b{font-size:20px}"),
    ("p{*zoom:1;font-size:12px}", 2, "p{font-size:24px}"),  # IE hacks: browsers drop them too
    ("a{color:red}}p{font-size:12px}", 2, "a{color:red}}p{font-size:24px}"),
    ("body{font-size:12px}", 1, "body{font-size:12px}"),
]


@pytest.mark.parametrize(("css", "factor", "expected"), STYLESHEET_CASES,
                         ids=[f"{css[:40]}@{factor}" for css, factor, _ in STYLESHEET_CASES])
def test_stylesheet_is_scaled(css, factor, expected):
    assert scale_stylesheet(css, factor) == expected


ATTRIBUTE_CASES = [
    ("font-size:14px;line-height:28px", "div", "font-size:28px;line-height:56px"),
    ("position:absolute;width:110px;font-size:12px", "div",
     "position:absolute;width:auto;max-width:110px;font-size:24px"),
    ("width:700px;height:100px", "img", "width:700px;height:100px"),
    ("color:red", "div", "color:red"),
    ("", "div", ""),
]


@pytest.mark.parametrize(("style", "tag", "expected"), ATTRIBUTE_CASES,
                         ids=[f"{tag}:{style[:30] or 'empty'}"
                              for style, tag, _ in ATTRIBUTE_CASES])
def test_style_attribute_is_scaled(style, tag, expected):
    assert scale_style_attribute(style, 2, tag) == expected


def test_unchanged_blocks_keep_their_text():
    css = "a { color : red }\n.b{background:url(x.png)}"
    assert scale_stylesheet(css, 2) == css


def test_scaled_px_has_no_float_noise():
    assert scaled_px(40 / 3, 2) == "26.667px"
    assert scaled_px(12, 1.75) == "21px"


def _resource(text: int, media_type: str = "text/css") -> ResourceContext:
    mapper = UrlMapper.__new__(UrlMapper)  # the font filter never maps URLs
    return ResourceContext("http://origin/css/style.css", media_type, mapper,
                           prefs=Preferences(text=text))


@pytest.mark.parametrize(("text", "expected"), [(100, "body{font-size:12px}"),
                                                (200, "body{font-size:24px}")],
                         ids=["default-step-untouched", "step-200-scaled"])
def test_linked_stylesheet_follows_the_cookie_and_is_never_shared(text, expected):
    ctx = _resource(text)
    assert scale_css_resource("body{font-size:12px}", ctx) == expected
    assert ctx.response_headers == {"Vary": "Cookie", "Cache-Control": "private"}


def test_plain_text_resources_are_not_css():
    ctx = _resource(200, "text/plain")
    assert scale_css_resource("font-size:12px", ctx) == "font-size:12px"
    assert ctx.response_headers == {}


async def test_a_linked_stylesheet_through_the_proxy_is_scaled_per_visitor(
        aiohttp_server, make_proxy):
    from aiohttp import web

    from proxy.visitor.prefs import COOKIE_NAME

    async def stylesheet(request: web.Request) -> web.Response:
        return web.Response(text="body{font-size:12px}", content_type="text/css",
                            headers={"Cache-Control": "public, max-age=600"})

    origin = web.Application()
    origin.router.add_get("/style.css", stylesheet)
    proxy = await make_proxy(str((await aiohttp_server(origin)).make_url("/")))
    default = await proxy.get("/style.css")
    large = await proxy.get("/style.css", cookies={COOKIE_NAME: "text=200"})
    assert await default.text() == "body{font-size:12px}"
    assert await large.text() == "body{font-size:24px}"
    for answer in (default, large):
        assert answer.headers["Vary"] == "Cookie"
        assert answer.headers["Cache-Control"] == "private"


def test_style_attribute_answers_are_remembered_per_replaced_kind_and_factor():
    style = "font-size:12px;width:800px"
    for _ in range(2):  # the second round comes from the cache: the same answers
        assert scale_style_attribute(style, 1.5, "div") == \
            "font-size:18px;width:auto;max-width:800px"
        assert scale_style_attribute(style, 1.5, "img") == "font-size:18px;width:800px"
        assert scale_style_attribute(style, 2, "div").startswith("font-size:24px;")
