"""Lazy-loaded images: the real address in data-src & co. replaces a placeholder src."""

from __future__ import annotations

import pytest

from proxy.page import Page, parse_html
from proxy.routing import Router
from proxy.settings import Origin
from proxy.transforms.lazy_images import load_lazy_images

URL = "http://www.example.gov.cn/art/1.html"
SPACERS = ("spacer.gif",)


def run(body: str) -> Page:
    origin = Origin("http://www.example.gov.cn", (), ("www.example.gov.cn",))
    page = Page(url=URL, tree=parse_html(f"<html><body>{body}</body></html>"),
                mapper=Router((origin,)).mapper(origin, "proxy.test"))
    load_lazy_images(page, SPACERS)
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
