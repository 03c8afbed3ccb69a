"""proxy/css/fonts.py: px/pt sizes scaled, fixed boxes yield, everything else kept."""

from __future__ import annotations

import pytest

from proxy.css.fonts import rewrite_style_attribute, rewrite_stylesheet, scaled_px
from proxy.http.resources import ResourceContext, scale_css_resource
from proxy.routing import UrlMapper
from proxy.visitor.prefs import Preferences

STYLESHEET_CASES = [
    ('body{font-size:12px}',
     'body{font-size:calc(12px * var(--a11y-text, 1))}'),
    ('p{font-size:9pt}',
     'p{font-size:calc(9pt * var(--a11y-text, 1))}'),
    ('p{FONT-SIZE:12PX}',
     'p{FONT-SIZE:calc(12px * var(--a11y-text, 1))}'),
    ('p{font-size:small}',
     'p{font-size:var(--a11y-fs-small, small)}'),
    ('p{font-size:1.2em}',
     'p{font-size:1.2em}'),
    ('p{font:bold 12px/20px 宋体}',
     'p{font:bold calc(12px * var(--a11y-text, 1))/calc(20px * var(--a11y-text, 1)) 宋体}'),
    ('p{font:12px/1.5 Arial}',
     'p{font:calc(12px * var(--a11y-text, 1))/1.5 Arial}'),
    ('p{line-height:26px}',
     'p{line-height:calc(26px * var(--a11y-text, 1))}'),
    ('p{text-indent:24px;letter-spacing:1px}',
     'p{text-indent:calc(24px * var(--a11y-text, 1));'
     'letter-spacing:calc(1px * var(--a11y-text, 1))}'),
    ('p{font-size:12px !important}',
     'p{font-size:calc(12px * var(--a11y-text, 1)) !important}'),
    ('.w{width:1000px;margin:0 auto}',
     '.w{width:var(--a11y-auto, 1000px);'
     'max-width:calc(1000px + var(--a11y-uncap, 100000px));margin:0 auto}'),
    ('.w{width:50%}',
     '.w{width:50%}'),
    ('.icon{width:16px}',
     '.icon{width:16px}'),
    ('.nav{height:34px}',
     '.nav{height:var(--a11y-auto, 34px);min-height:calc(34px * var(--a11y-on, 0))}'),
    ('.box{max-height:100px}',
     '.box{max-height:calc(100px * var(--a11y-text, 1))}'),
    ('li{white-space:nowrap}',
     'li{white-space:var(--a11y-wrap, nowrap)}'),
    ('.logo img{width:200px;height:80px}',
     '.logo img{width:200px;height:80px}'),
    ('html{font-size:62.5%}',
     'html{font-size:calc(62.5% * var(--a11y-text, 1))}'),
    ('html body{font-size:62.5%}',
     'html body{font-size:62.5%}'),
    ('@media screen{.a{font-size:12px}}',
     '@media screen{.a{font-size:calc(12px * var(--a11y-text, 1))}}'),
    ('@font-face{font-family:x;src:url(a.woff)}',
     '@font-face{font-family:x;src:url(a.woff)}'),
    ('a{color:red} /* keep */ b{font-size:10px}',
     'a{color:red} /* keep */ b{font-size:calc(10px * var(--a11y-text, 1))}'),
    ('p{*zoom:1;font-size:12px}',
     'p{font-size:calc(12px * var(--a11y-text, 1))}'),
    ('a{color:red}}p{font-size:12px}',
     'a{color:red}}p{font-size:calc(12px * var(--a11y-text, 1))}'),
    ('p{font:12px}', 'p{font:12px}'),  # invalid (no family): the browser drops it, so do we
    ('p{font-size:-2px}', 'p{font-size:-2px}'),
    ('p{font-size:12px 13px}', 'p{font-size:12px 13px}'),
]


@pytest.mark.parametrize(("css", "expected"), STYLESHEET_CASES,
                         ids=[css[:40] for css, _ in STYLESHEET_CASES])
def test_stylesheet_sizes_follow_the_text_switch(css, expected):
    assert rewrite_stylesheet(css) == expected
    assert rewrite_stylesheet(css, scale=False) == css


ATTRIBUTE_CASES = [
    ("font-size:14px;line-height:28px", "div",
     "font-size:calc(14px * var(--a11y-text, 1));line-height:calc(28px * var(--a11y-text, 1))"),
    ("position:absolute;width:110px;font-size:12px", "div",
     "position:absolute;width:var(--a11y-auto, 110px);"
     "max-width:calc(110px + var(--a11y-uncap, 100000px));"
     "font-size:calc(12px * var(--a11y-text, 1))"),
    ("width:700px;height:100px", "img", "width:700px;height:100px"),
    ("width:700px;max-width:90%", "div", "width:var(--a11y-auto, 700px);max-width:90%"),
    ("color:red", "div", "color:red"),
    ("", "div", ""),
]


@pytest.mark.parametrize(("style", "tag", "expected"), ATTRIBUTE_CASES,
                         ids=[f"{tag}:{style[:30] or 'empty'}"
                              for style, tag, _ in ATTRIBUTE_CASES])
def test_style_attribute_sizes_follow_the_text_switch(style, tag, expected):
    assert rewrite_style_attribute(style, tag) == expected


def test_unchanged_blocks_keep_their_text():
    css = "a { color : red }\n.b{background:url(x.png)}"
    assert rewrite_stylesheet(css) == css


def test_scaled_px_has_no_float_noise():
    assert scaled_px(40 / 3, 2) == "26.667px"
    assert scaled_px(12, 1.75) == "21px"


def _resource(text: int, media_type: str = "text/css") -> ResourceContext:
    mapper = UrlMapper.__new__(UrlMapper)  # the font filter never maps URLs
    return ResourceContext("http://origin/css/style.css", media_type, mapper,
                           prefs=Preferences(text=text))


@pytest.mark.parametrize("text", [100, 200])
def test_linked_stylesheet_is_the_same_for_every_visitor(text):
    ctx = _resource(text)
    assert scale_css_resource("body{font-size:12px}", ctx) == \
        "body{font-size:calc(12px * var(--a11y-text, 1))}"
    assert ctx.response_headers == {}


def test_plain_text_resources_are_not_css():
    ctx = _resource(200, "text/plain")
    assert scale_css_resource("font-size:12px", ctx) == "font-size:12px"
    assert ctx.response_headers == {}


async def test_a_linked_stylesheet_through_the_proxy_is_one_copy_for_every_visitor(
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
    assert await default.text() == await large.text() == \
        "body{font-size:calc(12px * var(--a11y-text, 1))}"
    for answer in (default, large):
        assert "Cookie" not in answer.headers.get("Vary", "")
        assert answer.headers["Cache-Control"] == "public, max-age=600"


def test_style_attribute_answers_are_remembered_per_replaced_kind():
    style = "font-size:12px;width:800px"
    for _ in range(2):  # the second round comes from the cache: the same answers
        assert rewrite_style_attribute(style, "div") == \
            "font-size:calc(12px * var(--a11y-text, 1));width:var(--a11y-auto, 800px);" \
            "max-width:calc(800px + var(--a11y-uncap, 100000px))"
        assert rewrite_style_attribute(style, "img") == \
            "font-size:calc(12px * var(--a11y-text, 1));width:800px"
