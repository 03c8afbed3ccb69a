"""Faults survived: a broken origin gives the visitor a clear answer in bounded time, the proxy
keeps serving everyone else, and a failed POST is never retried and is reported as not sent."""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import time

import pytest
from aiohttp import web

from proxy.visitor.errorpages import POST_NOT_SENT

from .hostile import http_ok, raw_request

PAGE = b"<html><body><p>hello</p></body></html>"
NOT_SENT_ZH = POST_NOT_SENT[0]
TIMEOUTS = {"connect": 1.0, "read": 1.0, "total": 3.0}


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST instead of FIN (SO_LINGER 0)."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _reset_mid_body(reader, writer, head):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000\r\n\r\n"
                 + b"<html><body>" + b"x" * 500)
    await writer.drain()
    await asyncio.sleep(0.05)
    _reset(writer)


async def _stall(reader, writer, head):
    await asyncio.sleep(30)


async def _garbage(reader, writer, head):
    writer.write(b"\x00\xff\xfeNOT HTTP AT ALL\r\n\r\n<html>")
    await writer.drain()
    writer.close()


async def _truncated_gzip(reader, writer, head):
    body = gzip.compress(PAGE * 100)[:-40]
    writer.write(http_ok(body, extra="Content-Encoding: gzip\r\n"))
    await writer.drain()


async def _conflicting_length(reader, writer, head):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\n"
                 b"Content-Length: 38\r\n\r\n" + PAGE)
    await writer.drain()


async def _close_without_answer(reader, writer, head):
    writer.close()


async def _truncated_body(reader, writer, head):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n"
                 + PAGE)
    await writer.drain()
    writer.close()


FAULTS = [
    ("reset-mid-body", _reset_mid_body, 502),
    ("stall", _stall, 504),
    ("garbage", _garbage, 502),
    ("truncated-gzip", _truncated_gzip, 502),
    ("conflicting-content-length", _conflicting_length, 502),
    ("close-without-answer", _close_without_answer, 502),
    ("truncated-body", _truncated_body, 502),
]


@pytest.mark.parametrize(("script", "status"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("method", ["GET", "POST"], ids=["get", "post"])
async def test_origin_fault_gives_a_clear_answer_in_bounded_time(script, status, method,
                                                                 raw_origin, start_proxy):
    origin, url = await raw_origin(script)
    proxy = await start_proxy(url, timeouts=TIMEOUTS)
    body = b"name=%E5%BC%A0&msg=hello"
    request = (f"{method} /liuyan HTTP/1.1\r\nHost: p\r\nContent-Length: "
               f"{len(body) if method == 'POST' else 0}\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\n"
               "Connection: close\r\n\r\n").encode() + (body if method == "POST" else b"")
    started = time.monotonic()
    response = await raw_request(proxy.port, request)
    assert response.status == status, response.head
    assert time.monotonic() - started < 5
    text = response.body.decode()
    assert "<main>" in text and "<h1>" in text
    if method == "POST":
        assert origin.hits == 1, origin.heads
        assert NOT_SENT_ZH in text
    else:
        assert origin.hits in (1, 2)  # aiohttp may retry an idempotent GET once on a new socket


async def test_refused_connection_is_502(start_proxy):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    proxy = await start_proxy(f"http://127.0.0.1:{port}", timeouts=TIMEOUTS)
    response = await raw_request(proxy.port, b"POST /liuyan HTTP/1.1\r\nHost: p\r\n"
                                 b"Content-Length: 3\r\nConnection: close\r\n\r\na=1")
    assert response.status == 502
    assert NOT_SENT_ZH in response.body.decode()


async def test_streamed_download_cut_by_origin_is_cut_for_the_visitor(raw_origin, start_proxy):
    """Non-HTML is streamed: once headers are sent, the honest answer is a cut connection
    (the visitor's client sees a short body), never a fake complete file."""
    async def script(reader, writer, head):
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n"
                     b"Content-Length: 100000\r\n\r\n" + b"%PDF" + b"0" * 20000)
        await writer.drain()
        _reset(writer)

    _, url = await raw_origin(script)
    proxy = await start_proxy(url, timeouts=TIMEOUTS)
    response = await raw_request(proxy.port, b"GET /f.pdf HTTP/1.1\r\nHost: p\r\n\r\n")
    assert response.status == 200
    assert len(response.body) < 100000


async def test_keep_alive_closed_early_never_duplicates_a_post(raw_origin, start_proxy):
    """The origin answers once, keeps the socket 'alive', then drops the next request unanswered:
    the POST on the reused socket fails and is not resent on a fresh one."""
    async def script(reader, writer, head):
        if head.startswith(b"GET"):
            writer.write(http_ok(b"ok", "text/plain"))  # keep-alive: no Connection: close
            await writer.drain()
            return
        writer.close()  # the body has been read (RawOrigin): drop it unanswered

    origin, url = await raw_origin(script)
    proxy = await start_proxy(url, timeouts=TIMEOUTS)
    first = await raw_request(proxy.port,
                              b"GET /a HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n")
    assert first.status == 200
    response = await raw_request(proxy.port, b"POST /liuyan HTTP/1.1\r\nHost: p\r\n"
                                 b"Content-Length: 3\r\nConnection: close\r\n\r\na=1")
    assert response.status == 502
    assert NOT_SENT_ZH in response.body.decode()
    assert [h.split(b" ")[0] for h in origin.heads] == [b"GET", b"POST"], origin.heads
    assert origin.connections == 1


async def test_stalled_path_does_not_slow_healthy_paths(raw_origin, start_proxy):
    async def script(reader, writer, head):
        if head.startswith(b"GET /stall"):
            await asyncio.sleep(30)
        writer.write(http_ok(PAGE))
        await writer.drain()

    _, url = await raw_origin(script)
    proxy = await start_proxy(url, timeouts={"read": 5.0, "total": 10.0},
                              limits={"max_client_connections": 100})
    close = b" HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n"
    stalled = [asyncio.create_task(raw_request(proxy.port, b"GET /stall" + close, timeout=20))
               for _ in range(20)]
    await asyncio.sleep(0.2)
    started = time.monotonic()
    healthy = await asyncio.gather(*(raw_request(proxy.port, b"GET /ok" + close)
                                     for _ in range(20)))
    took = time.monotonic() - started
    assert [r.status for r in healthy] == [200] * 20
    assert took < 3, f"healthy pages took {took:.1f}s while 20 requests were stalled"
    assert {r.status for r in await asyncio.gather(*stalled)} == {504}


async def test_origin_restart_under_load(aiohttp_server, start_proxy):
    """Requests in flight while the origin goes away all get an answer; service then resumes."""
    async def page(request: web.Request) -> web.Response:
        await asyncio.sleep(0.05)
        return web.Response(body=PAGE, content_type="text/html")

    def make_app() -> web.Application:
        app = web.Application()
        app.router.add_get("/{tail:.*}", page)
        return app

    server = await aiohttp_server(make_app())
    port = server.port
    proxy = await start_proxy(f"http://127.0.0.1:{port}", timeouts=TIMEOUTS,
                              limits={"max_client_connections": 100})
    close = b" HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n"

    async def load(n: int) -> list[int]:
        return [r.status for r in await asyncio.gather(
            *(raw_request(proxy.port, b"GET /p%d" % i + close, timeout=10) for i in range(n)))]

    during = asyncio.create_task(load(60))
    await asyncio.sleep(0.02)
    await server.close()
    await asyncio.sleep(0.3)
    statuses = await during
    assert set(statuses) <= {200, 502, 504}
    assert 502 in statuses or 504 in statuses, "the restart window was not hit"
    restarted = await aiohttp_server(make_app(), port=port)
    try:
        assert await load(20) == [200] * 20
    finally:
        await restarted.close()
