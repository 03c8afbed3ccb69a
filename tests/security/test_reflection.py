"""Nothing from the request is reflected unescaped, and the toolbar's `next` never leaves the
proxy (no open redirect)."""

from __future__ import annotations

import pytest
from aiohttp import web

from .hostile import raw_request

XSS = "%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
RAW_XSS = "\"><script>alert(1)</script>"


@pytest.fixture
async def failing_origin(aiohttp_server):
    async def fail(request: web.Request) -> web.Response:
        raise web.HTTPServiceUnavailable()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fail)
    server = await aiohttp_server(app)
    return str(server.make_url("")).rstrip("/")


PROXY_PAGES = [
    ("404-under-prefix", f"/_a11y/{XSS}?q={XSS}"),
    ("settings-next", f"/_a11y/settings?next=/{XSS}"),
    ("help-next", f"/_a11y/help?next=/x{XSS}"),
    ("raw-quote-in-query", "/_a11y/nothing?a=\"'><svg/onload=alert(1)>"),
]


@pytest.mark.parametrize("path", [p[1] for p in PROXY_PAGES], ids=[p[0] for p in PROXY_PAGES])
async def test_our_pages_escape_the_request(path, failing_origin, start_proxy):
    proxy = await start_proxy(failing_origin)
    response = await raw_request(proxy.port, f"GET {path} HTTP/1.1\r\nHost: p\r\n"
                                 "Connection: close\r\n\r\n".encode())
    text = response.body.decode()
    assert response.status in (200, 404)
    assert "<script>alert" not in text and "<svg/onload" not in text


@pytest.mark.parametrize("method", ["GET", "POST"], ids=["get", "post"])
async def test_error_page_link_to_origin_is_escaped(method, failing_origin, start_proxy):
    """The 502 page links to the original URL, built from the request path: escaped."""
    proxy = await start_proxy(failing_origin, timeouts={"read": 1.0})
    # an origin that fails outright (refused port) gives our error page with the link
    proxy_dead = await start_proxy("http://127.0.0.1:9", timeouts={"connect": 1.0})
    for port in (proxy.port, proxy_dead.port):
        response = await raw_request(port, f"{method} /a{XSS}?b={XSS}'x HTTP/1.1\r\nHost: p\r\n"
                                     "Content-Length: 0\r\nConnection: close\r\n\r\n".encode())
        text = response.body.decode("utf-8", "replace")
        assert "<script>alert" not in text


NEXT_VALUES = [
    ("protocol-relative", f"//{'evil.example'}/x"),
    ("absolute", "http://evil.example/x"),
    ("scheme-relative-backslash", "/\\evil.example/x"),
    ("encoded-slashes", "/%2F%2Fevil.example/x"),
    ("encoded-backslash", "/%5Cevil.example"),
    ("javascript", "javascript:alert(1)"),
    ("crlf-header-injection", "/x%0d%0aSet-Cookie:%20a=b"),
    ("tab-then-slashes", "/%09/evil.example"),
    ("userinfo", "/@evil.example"),
    ("empty", ""),
]


@pytest.mark.parametrize("value", [v[1] for v in NEXT_VALUES], ids=[v[0] for v in NEXT_VALUES])
async def test_toolbar_next_stays_on_the_proxy(value, failing_origin, start_proxy):
    proxy = await start_proxy(failing_origin)
    response = await raw_request(proxy.port, f"GET /_a11y/set?text=150&next={value} HTTP/1.1\r\n"
                                 "Host: p\r\nConnection: close\r\n\r\n".encode())
    assert response.status == 303
    location = response.header("Location") or ""
    assert location.startswith("/") and not location.startswith("//"), location
    assert "\\" not in location and "evil.example" not in location.split("/")[1:2]
    assert response.header("Set-Cookie") is None or "a=b" not in response.header("Set-Cookie")
    assert "\r" not in location and "\n" not in location


async def test_toolbar_next_keeps_a_plain_path(failing_origin, start_proxy):
    """The control for the table above: a real path on this proxy is kept."""
    proxy = await start_proxy(failing_origin)
    response = await raw_request(proxy.port, b"GET /_a11y/set?text=150&next=/col/a.html?x=1 "
                                 b"HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n")
    assert response.status == 303 and response.header("Location") == "/col/a.html?x=1"
