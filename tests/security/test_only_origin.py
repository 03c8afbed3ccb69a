"""No open proxy: whatever a hostile client sends, requests reach only the configured origin.

Every test runs a canary server on 127.0.0.1 and names it in the attack; the canary fixture
fails the test if any byte ever reaches it. The origin records the raw path it received.
"""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from proxy.settings import Origin

from .hostile import Canary, raw_request

#: (id, expected, request line + headers): {c} is the canary's host:port; expected is "400"
#: (our page, nothing forwarded) or "origin" (the configured origin got exactly that raw path)
RAW_ATTACKS = [
    ("absolute-form", "400", "GET http://{c}/ HTTP/1.1\r\nHost: {c}\r\n"),
    ("absolute-form-own-host", "400", "GET http://{c}/x HTTP/1.1\r\nHost: p.test\r\n"),
    ("absolute-https", "400", "GET https://{c}/ HTTP/1.1\r\nHost: {c}\r\n"),
    ("connect", "400", "CONNECT {c} HTTP/1.1\r\nHost: {c}\r\n"),
    ("connect-authority-path", "400", "CONNECT /{c} HTTP/1.1\r\nHost: {c}\r\n"),
    ("asterisk", "400", "OPTIONS * HTTP/1.1\r\nHost: {c}\r\n"),
    ("no-leading-slash", "400", "GET {c}/x HTTP/1.1\r\nHost: p.test\r\n"),
    ("at-sign-target", "400", "GET @{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("host-header", "origin", "GET / HTTP/1.1\r\nHost: {c}\r\n"),
    ("host-userinfo", "origin", "GET / HTTP/1.1\r\nHost: user@{c}\r\n"),
    ("x-forwarded-host", "origin", "GET / HTTP/1.1\r\nHost: p.test\r\nX-Forwarded-Host: {c}\r\n"),
    ("forwarded", "origin", "GET / HTTP/1.1\r\nHost: p.test\r\nForwarded: host={c};proto=http\r\n"),
    ("x-original-url", "origin", "GET / HTTP/1.1\r\nHost: p.test\r\nX-Original-URL: http://{c}/\r\n"),
    ("x-rewrite-url", "origin", "GET / HTTP/1.1\r\nHost: p.test\r\nX-Rewrite-URL: http://{c}/\r\n"),
    ("double-slash", "origin", "GET //{c}/path HTTP/1.1\r\nHost: p.test\r\n"),
    ("encoded-slashes", "origin", "GET /%2F%2F{c}/path HTTP/1.1\r\nHost: p.test\r\n"),
    ("encoded-slashes-lower", "400", "GET %2f%2f{c}/path HTTP/1.1\r\nHost: p.test\r\n"),
    ("dot-segments", "origin", "GET /../../{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("dot-double-slash", "origin", "GET /..//{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("encoded-dots", "origin", "GET /%2e%2e/%2E%2E/{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("mixed-dots", "origin", "GET /.%2e//{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("backslash", "origin", "GET /\\{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("at-in-path", "origin", "GET /@{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("scheme-in-path", "origin", "GET /http://{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
    ("tab-in-path", "400", "GET /\t//{c}/ HTTP/1.1\r\nHost: p.test\r\n"),
]


@pytest.fixture
async def recording_origin(aiohttp_server):
    """An origin that answers 200 text with the raw path it saw, and records it."""
    seen: list[str] = []

    async def anything(request: web.Request) -> web.Response:
        seen.append(request.raw_path)
        return web.Response(text="ORIGIN " + request.raw_path)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", anything)
    server = await aiohttp_server(app)
    return str(server.make_url("")).rstrip("/"), seen


@pytest.mark.parametrize(("expected", "attack"), [a[1:] for a in RAW_ATTACKS],
                         ids=[a[0] for a in RAW_ATTACKS])
async def test_hostile_request_reaches_only_the_origin(expected, attack, canary,
                                                       recording_origin, start_proxy):
    origin_url, seen = recording_origin
    proxy = await start_proxy(origin_url)
    request = attack.format(c=canary.authority) + "Connection: close\r\n\r\n"
    response = await raw_request(proxy.port, request.encode("latin-1"))
    await asyncio.sleep(0.1)  # a leaked connection would have arrived by now
    assert b"CANARY" not in response.body
    if expected == "origin":
        target = request.split(" ")[1]
        assert response.status == 200, response.head
        assert seen == [target], "the origin must get the raw target unchanged, once"
    else:
        assert response.status == 400, response.head
        assert seen == [], f"a rejected request still reached the origin: {seen}"


async def test_canary_catches_a_leak():
    """The canary itself works: a direct connection is recorded (so its silence means no leak)."""
    bird = Canary()
    await bird.start()
    response = await raw_request(bird.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    bird.server.close()
    assert response.body == b"CANARY" and len(bird.leaks) == 1


async def test_unknown_host_is_421_when_only_named_sites_exist(canary, recording_origin,
                                                               start_proxy):
    origin_url, seen = recording_origin
    proxy = await start_proxy(None, sites=(Origin(origin_url, ("a.test",)),))
    for host in (canary.authority, "b.test", "a.test.evil"):
        request = f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Host: a.test\r\n" \
                  "Connection: close\r\n\r\n"
        response = await raw_request(proxy.port, request.encode())
        assert response.status == 421, host
    assert seen == []
    ok = await raw_request(proxy.port,
                           b"GET /x HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n")
    assert ok.status == 200 and seen == ["/x"]


@pytest.mark.parametrize("method", ["GET", "POST"], ids=["get", "post"])
async def test_redirect_to_another_site_is_passed_on_not_followed(method, canary, aiohttp_server,
                                                                  start_proxy):
    hits = []

    async def redirect(request: web.Request) -> web.Response:
        hits.append(request.path)
        raise web.HTTPFound(f"http://{canary.authority}/stolen")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", redirect)
    server = await aiohttp_server(app)
    proxy = await start_proxy(str(server.make_url("")).rstrip("/"))
    request = f"{method} /go HTTP/1.1\r\nHost: p.test\r\nContent-Length: 0\r\n" \
              "Connection: close\r\n\r\n"
    response = await raw_request(proxy.port, request.encode())
    assert response.status == 302
    assert response.header("Location") == f"http://{canary.authority}/stolen"
    assert hits == ["/go"]
