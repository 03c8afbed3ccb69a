"""Host routing and the origin-URL -> proxy-URL mapping (virtual hosting included)."""

from __future__ import annotations

import pytest

from proxy.routing import Router, split_host
from proxy.settings import Origin

DEFAULT = Origin("http://127.0.0.1:8001", (), ("www.site.gov.cn", "site.gov.cn"))
COUNTY = Origin("https://www.county.gov.cn", ("county.a11y.org",), ("county.gov.cn",))
ROUTER = Router((COUNTY, DEFAULT))


@pytest.mark.parametrize(("host", "expected"), [
    ("county.a11y.org", COUNTY), ("COUNTY.a11y.org:8080", COUNTY), ("anything.else", DEFAULT),
], ids=["exact", "case-and-port", "default"])
def test_origin_for_host(host, expected):
    assert ROUTER.origin_for(host) is expected


def test_without_a_default_unknown_hosts_get_no_origin():
    assert Router((COUNTY,)).origin_for("evil.example") is None


@pytest.mark.parametrize(("url", "expected"), [
    ("http://www.site.gov.cn/a?b=1#c", "/a?b=1#c"),
    ("//www.site.gov.cn/tzb/", "/tzb/"),
    ("https://site.gov.cn", "/"),
    ("http://127.0.0.1:8001/x", "/x"),
    ("http://127.0.0.1:9999/x", None),  # same host, other port: another service
    ("http://www.county.gov.cn/y", "//county.a11y.org:8080/y"),
    ("http://www.gov.cn/", None),
    ("relative/path", None),
    ("/rooted", None),
    ("javascript:alert(1)", None),
    ("http://[::1:bad/", None),
], ids=lambda v: str(v))
def test_to_proxy(url, expected):
    assert ROUTER.mapper(DEFAULT, "proxy.local:8080").to_proxy(url) == expected


@pytest.mark.parametrize(("header", "expected"), [
    ("Example.ORG:80", ("example.org", ":80")), ("[::1]:8080", ("[::1]", ":8080")),
    ("plain", ("plain", "")),
], ids=["port", "ipv6", "bare"])
def test_split_host(header, expected):
    assert split_host(header) == expected
