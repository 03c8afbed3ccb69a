"""Lazy-loaded images: the real address in data-src & co. replaces a placeholder src."""

from __future__ import annotations

import pytest
from lxml import etree

from proxy.page import Page, parse_html
from proxy.routing import Router
from proxy.settings import Origin
from proxy.transforms.semantics.lazy_images import (
    LAZY_SOURCES,
    _is_placeholder,
    _load_lazy,
    load_lazy_images,
)

URL = "http://www.example.gov.cn/art/1.html"
SPACERS = ("spacer.gif",)
#: the query the caller's images replaced, kept here as the oracle of their filter
LAZY = etree.XPath("//body//img[" + " or ".join(f"@{a}" for a in LAZY_SOURCES) + "]")


def run(body: str) -> Page:
    origin = Origin("http://www.example.gov.cn", (), ("www.example.gov.cn",))
    page = Page(url=URL, tree=parse_html(f"<html><body>{body}</body></html>"),
                mapper=Router((origin,)).mapper(origin, "proxy.test"))
    load_lazy_images(page, SPACERS, list(page.tree.find("body").iter("img")))
    return page


@pytest.mark.parametrize(("body", "src"), [
    ('<img data-src="/real.jpg">', "/real.jpg"),
    ('<img src="/js/lazyload/grey.gif" original="/real.jpg">', "/real.jpg"),
    ('<img src="data:image/gif;base64,R0lGOD" data-original="/real.jpg">', "/real.jpg"),
    ('<img src="/img/image-lazy.png" data-src="/real.jpg">', "/real.jpg"),
    ('<img src="/images/spacer.gif" data-echo="/real.jpg">', "/real.jpg"),
    ('<img src="/shown.jpg" data-src="/other.jpg">', "/shown.jpg"),
    ('<img src="data:image/gif;base64,R0lGOD" data-src="javascript:alert(1)">',
     "data:image/gif;base64,R0lGOD"),
    ('<img data-original="true">', None),
    ('<img data-src="http://www.example.gov.cn/p/real.jpg">', "/p/real.jpg"),
], ids=["missing-src", "placeholder-file", "data-uri-placeholder", "lazy-word", "spacer",
        "real-src-kept", "script-address-refused", "flag-is-no-address", "origin-address-proxied"])
def test_a_lazy_image_gets_its_real_address(body, src):
    img = run(body).tree.find(".//img")
    assert img.get("src") == src


def test_the_callers_images_are_the_ones_looked_at():
    """Given the body's images (semantics_images walks them anyway), only those with a lazy
    loader's attribute change, as with the query of its own."""
    body = ('<img id="a" data-src="/a.jpg"><img id="b" src="/b.jpg">'
            '<img id="c" src="/img/loading.gif" data-original="/c.jpg">')
    walked = run(body)
    queried = run_queried(body)
    for key in "abc":
        assert walked.tree.get_element_by_id(key).get("src") == \
            queried.tree.get_element_by_id(key).get("src")
    assert [walked.tree.get_element_by_id(k).get("src") for k in "abc"] == \
        ["/a.jpg", "/b.jpg", "/c.jpg"]


def run_queried(body: str) -> Page:
    page = Page(url=URL, tree=parse_html(f"<html><body>{body}</body></html>"))
    for img in LAZY(page.tree):
        _load_lazy(img, page, SPACERS)
    return page


@pytest.mark.parametrize(("src", "placeholder"), [
    ("data:image/gif;base64,R0lGOD", True), ("/images/Spacer.gif", True),
    ("/js/lazyload/grey.gif?v=1", True), ("/photo/grey-wolf.jpg", True),
    ("/photo/2024/a.jpg", False), ("/lazy/a.jpg", False),
], ids=["data-uri", "spacer-any-case", "grey-with-query", "placeholder-word", "photo",
        "word-in-the-directory-only"])
def test_placeholder_addresses(src, placeholder):
    assert _is_placeholder(src, SPACERS) is placeholder
