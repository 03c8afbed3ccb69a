"""RewriteUrls: origin URLs in every URL-bearing place point at the proxy; others untouched."""

from __future__ import annotations

import pytest

from proxy.page import Page, parse_html
from proxy.routing import Router
from proxy.settings import Origin
from proxy.transforms.rewrite_urls import RewriteUrls

ORIGIN = Origin("http://127.0.0.1:8001", (), ("www.site.gov.cn",))
MAPPER = Router((ORIGIN,)).mapper(ORIGIN, "proxy.local")


def rewritten(html: str) -> Page:
    page = Page(url="http://www.site.gov.cn/", tree=parse_html(html), mapper=MAPPER)
    RewriteUrls().prepare(page)
    return page


@pytest.mark.parametrize(("html", "xpath", "expected"), [
    ('<a href="http://www.site.gov.cn/a">x</a>', "//a/@href", "/a"),
    ('<a href="//www.site.gov.cn/tzb/">x</a>', "//a/@href", "/tzb/"),
    ('<a href="HTTP://WWW.SITE.GOV.CN/A">x</a>', "//a/@href", "/A"),
    ('<a href="http://www.gov.cn/">x</a>', "//a/@href", "http://www.gov.cn/"),
    ('<form action="http://www.site.gov.cn/s"></form>', "//form/@action", "/s"),
    ('<button formaction="//www.site.gov.cn/f">b</button>', "//button/@formaction", "/f"),
    ('<video poster="http://www.site.gov.cn/p.jpg"></video>', "//video/@poster", "/p.jpg"),
    ('<object data="http://www.site.gov.cn/o.swf"></object>', "//object/@data", "/o.swf"),
    ('<table background="//www.site.gov.cn/bg.gif"></table>', "//table/@background",
     "/bg.gif"),
    ('<blockquote cite="http://www.site.gov.cn/q"></blockquote>', "//blockquote/@cite", "/q"),
    ('<img longdesc="http://www.site.gov.cn/d" src="a.gif">', "//img/@longdesc", "/d"),
    ('<img srcset="http://www.site.gov.cn/a.png 1x, //www.site.gov.cn/b.png 2x">',
     "//img/@srcset", "/a.png 1x, /b.png 2x"),
    ('<meta http-equiv="refresh" content="3; url=http://www.site.gov.cn/new">',
     "//meta/@content", "3; url=/new"),
    ('<div style="background:url(http://www.site.gov.cn/x.png)"></div>', "//div/@style",
     "background:url(/x.png)"),
], ids=["abs", "proto-relative", "upper-case", "other-site", "action", "formaction", "poster",
        "data", "background", "cite", "longdesc", "srcset", "meta-refresh", "style-url"])
def test_url_attributes(html, xpath, expected):
    assert rewritten(html).tree.xpath(xpath) == [expected]


def test_style_element_urls_and_imports():
    page = rewritten('<style>@import "//www.site.gov.cn/a.css"; '
                     'p{background:url("http://www.site.gov.cn/b.png")}</style>')
    assert page.tree.findtext(".//style") == '@import "/a.css"; p{background:url("/b.png")}'


def test_relative_urls_stay_relative():
    page = rewritten('<a href="page.html">x</a><img src="/img/a.png">')
    assert page.tree.xpath("//a/@href | //img/@src") == ["page.html", "/img/a.png"]


def test_stylesheets_naming_no_origin_are_left_alone_and_the_others_rewritten():
    page = rewritten('<style>a{background:url(http://www.gov.cn/x.png)}</style>'
                     '<style>\nb{background:url(HTTP://WWW.SITE.GOV.CN/y.png)}</style>'
                     '<p style="background:url(//cdn.example/z.png)">p</p>'
                     '<p style="background:url(//Www.Site.Gov.Cn/z.png)">q</p>')
    assert [s.text for s in page.tree.iter("style")] == [
        "a{background:url(http://www.gov.cn/x.png)}", "\nb{background:url(/y.png)}"]
    assert page.tree.xpath("//p/@style") == ["background:url(//cdn.example/z.png)",
                                              "background:url(/z.png)"]


def test_a_refresh_is_rewritten_once_whichever_of_its_values_holds_the_url():
    page = rewritten('<meta http-equiv="refresh" content="0;url=http://www.site.gov.cn/n" '
                     'data-x="//www.site.gov.cn/q"><meta http-equiv="Refresh" name="//x">')
    assert page.tree.xpath("//meta/@content") == ["0;url=/n", ""]
