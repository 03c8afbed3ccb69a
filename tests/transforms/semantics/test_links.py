"""semantics_links: a link without a name is named from where it goes, never from nothing."""

from __future__ import annotations

import asyncio

import pytest

from proxy.page import Page, parse_html
from proxy.transforms.semantics import images as semantics_images
from proxy.transforms.semantics import links as semantics_links
from proxy.transforms.semantics import titles as semantics_titles
from tests.factories import page_from_body

URL = "http://www.example.gov.cn/art/1.html"


def links(body: str) -> list:
    page = page_from_body(body, URL)
    semantics_links.repair(page)
    return page.tree.findall(".//a")


@pytest.mark.parametrize(("body", "name"), [
    ('<a href="#" class="top"><img src="/images/dib.png"></a>', "返回顶部"),
    ('<a href="#inner-header"><img id="footerTopIcon" src="/i/top.png"></a>'
     '<div id="inner-header"></div>', "返回顶部"),
    ('<div id="notice"><h2>通知公告</h2></div><a href="#notice"><img src="/i/more.png"></a>',
     "通知公告"),
    ('<ul id="m" aria-label="科学"></ul><a href="#m"><svg></svg></a>', "科学"),
    ('<div><a href="/ciencia">ciência</a> <a href="#sub" aria-controls="sub" '
     'data-toggle="collapse"><svg></svg></a></div><ul id="sub"><li>x</li></ul>', "ciência"),
    ('<a href="#opinions"><svg></svg></a><div id="opinions"></div>', None),
], ids=["top-by-class", "top-by-icon", "target-heading", "target-name", "collapse-toggle",
        "empty-target-says-nothing"])
def test_a_link_within_the_page_is_named_by_where_it_goes(body, name):
    named = [a for a in links(body) if a.get("href", "").startswith("#")]
    assert [a.get("aria-label") for a in named] == [name]
    # a picture in a link named this way is not read a second time
    assert all(img.get("alt") == "" for a in named if name for img in a.iter("img"))


@pytest.mark.parametrize(("body", "name", "hidden"), [
    ('<a href="/news/">新闻</a><a href="/news/"><img src="/i/n.png"></a>', "新闻", None),
    ('<a href="/news/" aria-label="新闻中心"><svg></svg></a><a href="/news/"><img src="/n.png">'
     "</a>", "新闻中心", None),
    ('<a href="/news/">新闻</a><a href="/news/"><span>&#160;</span></a>', None, "true"),
    ('<a href="https://www.facebook.com/share.php?u=1"><svg><defs><style>.a{fill:#fff}</style>'
     "</defs><path/></svg></a>", "facebook.com/share", None),
], ids=["icon-twin-of-a-text-link", "twin-of-a-labelled-link", "blank-link-stays-a-leftover",
        "svg-css-is-not-a-name"])
def test_an_icon_link_takes_its_twins_name(body, name, hidden):
    last = links(body)[-1]
    assert (last.get("aria-label"), last.get("aria-hidden")) == (name, hidden)


@pytest.mark.parametrize(("href", "name"), [
    ("mailto:sxmuxfxx@163.com", "sxmuxfxx@163.com"),
    ("mailto:xf%40example.gov.cn?subject=%E4%BF%A1", "xf@example.gov.cn"),
    ("tel:+86-10-12345678", "+86-10-12345678"),
    ("mailto:", None),
    ("javascript:void(0)", None),
    ("http://weibo.com/gov", "weibo.com/gov"),
], ids=["mailto", "mailto-escaped-with-query", "tel", "mailto-without-address",
        "script-url-says-nothing", "other-site"])
def test_url_name_is_where_following_the_link_goes(href, name):
    assert semantics_titles.url_name(URL, href) == name


def test_an_image_map_area_to_an_address_is_named_by_it():
    page = Page(url=URL, tree=parse_html(
        '<html><head><title>t</title></head><body><img src="/m.jpg" usemap="#m">'
        '<map name="m"><area shape="rect" coords="1,1,9,9" href="mailto:xf@163.com"></map>'
        "</body></html>"))
    semantics_images.repair(page)
    assert page.tree.find(".//area").get("alt") == "xf@163.com"


@pytest.mark.parametrize(("body", "kept_links"), [
    ('<a class="tweet-profile-picture" href="#"><img src="/avatar.png"></a>', []),
    ('<a href=""><img src="/avatar.png"></a>', []),
    ('<a href="#" title="返回顶部"><img src="/avatar.png"></a>', ["返回顶部"]),
    ('<a href="#" class="gotop"><img src="/up.png"></a>', ["返回顶部"]),
], ids=["hash-hook-is-content", "empty-href-is-content", "titled-hash-stays-a-link",
        "top-by-class-stays-a-link"])
def test_a_nameless_placeholder_link_becomes_content(body, kept_links):
    page = Page(url=URL, tree=parse_html(
        f"<html><head><title>t</title></head><body>{body}</body></html>"))
    semantics_links.repair(page)
    assert [a.get("aria-label") or a.get("title") for a in page.tree.iter("a")] == kept_links
    assert page.tree.find(".//img") is not None  # the picture itself stays


@pytest.mark.parametrize("href", [
    "/files/a.pdf", "/files/a.PDF", "/a.p\tdf", "/a.d\noc", "/a\r.xls", "/index.html",
    "/a.txt?x=1", "", "/docs/", "/a.7z#p"])
def test_the_attachment_test_ignores_what_urlsplit_drops(href):
    # the short way (no copy without tab/CR/LF unless the href has one) agrees with the long
    assert semantics_links._may_be_attachment(href) is bool(
        semantics_links._MAY_BE_ATTACHMENT.search(href.translate(semantics_links._URL_IGNORED)))


@pytest.mark.parametrize(("body", "nameless"), [
    ("<a href='/a'>新闻</a>", False),
    ("<a href='/a'>&#160;\u3000 </a>", True),
    ("<a href='/a' aria-label=' '></a>", True),
    ("<a href='/a' aria-label='名'></a>", False),
    ("<a href='/a' aria-labelledby=''></a>", False),
    ("<a href='/a'><img src='/i.png' alt=' '></a>", True),
    ("<a href='/a'><img src='/i.png' alt='图'></a>", False),
    ("<a href='/a'><svg><style>.a{}</style></svg></a>", True),
    ("<a href='/a'><span>字</span></a>", False),
], ids=["text", "blank-spaces", "blank-label", "label", "labelledby", "blank-alt", "alt",
        "style-only", "text-in-span"])
def test_the_python_link_tests_agree_with_the_xpath(body, nameless):
    link = parse_html(f"<html><body>{body}</body></html>").find(".//a")
    assert semantics_links._is_nameless(link) is nameless
    assert semantics_links._is_nameless(link) is semantics_links.IS_NAMELESS(link)


@pytest.mark.parametrize(("body", "name"), [
    ("<a href='/a'>新闻 中心</a>", "新闻 中心"),
    ("<a href='/a'>&#160;</a>", ""),
    ("<a href='/a' aria-label=' 要闻 '>x</a>", "要闻"),
    ("<a href='/a' aria-label='\u3000'>新闻</a>", "新闻"),
    ("<a href='/a'><svg><style>.a{}</style></svg></a>", ""),
    ("<a href='/a'><b>新</b>闻</a>", "新闻"),
], ids=["text", "blank", "label", "blank-looking-label", "style-only", "text-in-elements"])
def test_a_twin_is_named_by_label_or_text(body, name):
    link = parse_html(f"<html><body>{body}</body></html>").find(".//a")
    assert semantics_links._twin_name(link, link.get("aria-label") or "") == name


@pytest.mark.parametrize(("body", "asked"), [
    ('<a href="/a.html"><img src="/a.png"></a><a href="/b.html">有字</a><a href="/c.html"></a>',
     ["/a.html", "/c.html"]),
    ('<a href="/a.html"></a><iframe src="/f.html"></iframe><map><area href="/m.html"></map>'
     '<a href="/c.html"></a>', ["/a.html", "/f.html", "/m.html", "/c.html"]),
], ids=["links-only", "with-frames-and-areas"])
def test_target_titles_are_asked_in_document_order(body, asked):
    # a body without <area>/<iframe> asks the links-only query; the order is the document's
    page = Page(url=URL, tree=parse_html(f"<html><body>{body}</body></html>"))
    seen = []

    async def fetch(path):
        seen.append(path)

    asyncio.run(semantics_titles.gather_titles(page, fetch))
    assert seen == asked
