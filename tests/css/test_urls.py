"""css.urls: url() and @import in CSS text point at the proxy; nothing else in the CSS changes."""

from __future__ import annotations

import pytest

from proxy.css.urls import rewrite_css_urls
from proxy.routing import Router
from proxy.settings import Origin

ORIGIN = Origin("http://127.0.0.1:8001", (), ("www.site.gov.cn",))
MAPPER = Router((ORIGIN,)).mapper(ORIGIN, "proxy.local")


@pytest.mark.parametrize(("css", "expected"), [
    ("a{background:url(http://www.site.gov.cn/i.png)}", "a{background:url(/i.png)}"),
    ("a{background:url( '//www.site.gov.cn/i.png' )}", "a{background:url( '/i.png' )}"),
    ('@import "http://www.site.gov.cn/base.css";', '@import "/base.css";'),
    ("a{background:url(http://cdn.other.cn/i.png)}", "a{background:url(http://cdn.other.cn/i.png)}"),
    ("a{background:url(img/i.png)}", "a{background:url(img/i.png)}"),
], ids=["absolute", "protocol-relative quoted", "import", "other host", "relative"])
def test_css_urls(css, expected):
    assert rewrite_css_urls(css, MAPPER.to_proxy) == expected


def test_css_without_absolute_urls_is_returned_as_is():
    css = "p { color: red }"
    assert rewrite_css_urls(css, MAPPER.to_proxy) is css
