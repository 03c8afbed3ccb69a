"""Header filters: hop-by-hop, X-Forwarded-*, Location/Refresh rewrite, cookie Domain, CSP."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.http.headers import (
    add_document_protection,
    choose_coding,
    response_headers,
    strip_cookie_domain,
    upstream_request_headers,
)
from proxy.routing import Router
from proxy.settings import Origin

ORIGIN = Origin("http://origin.test", (), ("www.origin.test",))
MAPPER = Router((ORIGIN,)).mapper(ORIGIN, "proxy.local")


def proxy_of(pairs) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


def test_request_headers_drop_hop_by_hop_and_set_forwarded():
    out = upstream_request_headers(
        proxy_of([("Connection", "close, X-Private"), ("X-Private", "1"), ("TE", "trailers"),
                  ("Host", "proxy.local"), ("X-Forwarded-For", "1.2.3.4"), ("Cookie", "a=b"),
                  ("Accept-Encoding", "gzip, zstd, br")]),
        client_ip="10.0.0.7", scheme="https", host="proxy.local")
    assert "Host" not in out and "X-Private" not in out and "TE" not in out
    assert out["X-Forwarded-For"] == "10.0.0.7"
    assert out["X-Forwarded-Proto"] == "https" and out["X-Forwarded-Host"] == "proxy.local"
    assert out["Cookie"] == "a=b"
    assert out["Accept-Encoding"] == "gzip, br"  # only codings we can undo for HTML


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("Location", "http://www.origin.test/a", "/a"),
    ("Location", "https://elsewhere.test/a", "https://elsewhere.test/a"),
    ("Content-Location", "//origin.test/b", "/b"),
    ("Refresh", "5; url=http://origin.test/c", "5; url=/c"),
    ("Set-Cookie", "s=1; Domain=.origin.test; Path=/; Secure", "s=1; Path=/; Secure"),
], ids=["location", "foreign-location", "content-location", "refresh", "cookie"])
def test_response_headers_rewrite(name, value, expected):
    assert response_headers(proxy_of([(name, value)]), MAPPER)[name] == expected


def test_response_hop_by_hop_dropped_and_multiple_cookies_kept():
    out = response_headers(proxy_of([("Transfer-Encoding", "chunked"), ("Keep-Alive", "5"),
                                     ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]), MAPPER)
    assert list(out.items()) == [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]


def test_cookie_domain_attribute_in_any_case():
    assert strip_cookie_domain("x=1;domain=origin.test;HttpOnly") == "x=1;HttpOnly"


@pytest.mark.parametrize(("content_type", "csp"), [
    ("text/html", True), ("image/svg+xml", True), ("application/xml", True), ("", True),
    ("image/png", False), ("application/pdf", False),
], ids=["html", "svg", "xml", "unknown", "png", "pdf"])
def test_document_protection(content_type, csp):
    headers: CIMultiDict[str] = CIMultiDict()
    add_document_protection(headers, content_type)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert ("Content-Security-Policy" in headers) is csp


@pytest.mark.parametrize(("accept", "expected"), [
    ("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip;q=0.5", "gzip"), ("", None),
], ids=["br", "gzip", "q0", "none"])
def test_choose_coding(accept, expected):
    assert choose_coding(accept) == expected
