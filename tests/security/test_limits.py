"""Bounded resources: every limit in settings.Limits answered with a clear status, in bounded
time, without the origin getting what was refused."""

from __future__ import annotations

import asyncio
import gzip
import resource
import socket
import time

import brotli
import pytest
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.http_parser import HttpRequestParserC, HttpRequestParserPy

from proxy.http.limits import head_error_status
from proxy.visitor.errorpages import MESSAGES

from .hostile import HEAD_END, http_ok, raw_request

ORIGIN_SCRIPT = b"<script>alert('origin')</script>"


@pytest.fixture
async def counting_origin(aiohttp_server):
    """Origin recording complete requests and bytes received; /slow waits for `release`."""
    state = {"complete": [], "bytes": 0, "started": 0, "release": asyncio.Event()}

    async def anything(request: web.Request) -> web.Response:
        state["started"] += 1
        if request.path == "/slow":
            await state["release"].wait()
        async for chunk in request.content.iter_chunked(65536):
            state["bytes"] += len(chunk)
        state["complete"].append((request.method, request.path))
        return web.Response(text="ok " + request.path)

    app = web.Application(client_max_size=2**31)
    app.router.add_route("*", "/{tail:.*}", anything)
    # heads far larger than the proxy's limits: what is refused, the proxy refused
    server = await aiohttp_server(app, max_line_size=2**17, max_field_size=2**17)
    yield str(server.make_url("")).rstrip("/"), state
    state["release"].set()


LONG = 20000  #: over the default max_field_size (16 KiB), which also bounds the request line


@pytest.mark.parametrize(("target", "head", "status", "why"), [
    ("/", "X-Big: " + "a" * LONG + "\r\n", 431, "one header line over max_field_size"),
    ("/", "X-Path: /" + "a" * LONG + "\r\n", 431, "a long header value that looks like a path"),
    ("/", "Referer: http://p/" + "a" * LONG + "\r\n", 431, "a long header value that is a URL"),
    ("/", "Cookie: " + "; ".join(f"c{i}=" + "v" * 200 for i in range(100)) + "\r\n", 431,
     "cookies piled up over the limit"),
    ("/", "X-" + "N" * LONG + ": v\r\n", 431, "a long header name"),
    ("/", "".join(f"X-H{i}: v\r\n" for i in range(200)), 431, "more headers than allowed"),
    ("/" + "a" * LONG, "", 414, "a request target over the line limit"),
    ("/search?q=" + "%E7" * (LONG // 3), "", 414, "a long query string"),
    ("http://p/" + "a" * LONG, "", 414, "a long absolute-form target"),
    ("/", "Bad Header: x\r\n", 400, "a header name with a space: malformed, not too long"),
    ("/", "X-Big: " + "a" * 64 * 2**10 + "\r\n", 431, "one 64 KiB header"),
    ("/", "".join(f"X-Part{i}: " + "a" * 8 * 2**10 + "\r\n" for i in range(8)), 431,
     "64 KiB of headers, each line short enough: over max_header_bytes together"),
], ids=["long-header", "long-header-with-path", "long-referer", "many-cookies", "long-name",
        "many-headers", "long-uri", "long-query", "long-absolute-uri", "malformed-header",
        "64KiB-header", "64KiB-over-eight-headers"])
async def test_oversized_request_head_gets_our_page(target, head, status, why, counting_origin,
                                                    start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url)
    request = f"GET {target} HTTP/1.1\r\nHost: p\r\n{head}Connection: close\r\n\r\n"
    response = await raw_request(proxy.port, request.encode())
    assert response.status == status, why
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    page = response.body.decode()
    assert '<html lang="zh-CN">' in page and "<main>" in page and "<h1>" in page
    assert MESSAGES[status][0] in page and MESSAGES[status][2] in page  # zh and en titles
    assert "a" * 100 not in page, "nothing of the refused head is echoed"
    assert state["started"] == 0


@pytest.mark.parametrize("parser", [HttpRequestParserC, HttpRequestParserPy],
                         ids=["llhttp", "pure-python"])
@pytest.mark.parametrize(("head", "status"), [
    (b"GET /" + b"a" * LONG + b" HTTP/1.1\r\nHost: p\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: p\r\nX-Path: /" + b"a" * LONG + b"\r\n\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: p\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(200))
     + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
], ids=["target", "header-value-like-a-path", "header-count", "malformed"])
def test_head_error_status_with_either_aiohttp_parser(parser, head, status):
    """aiohttp uses llhttp when its C extension is built, else its Python parser: both are
    told apart the same way."""
    protocol = type("Protocol", (), {})()
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(HttpProcessingError) as refused:
            parser(protocol, loop, 2**16, max_line_size=16384, max_field_size=16384,
                   max_headers=128).feed_data(head)
    finally:
        loop.close()
    assert head_error_status(refused.value) == status


async def test_head_limit_follows_max_field_size(counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"max_field_size": 64 * 2**10})
    fits = f"GET / HTTP/1.1\r\nHost: p\r\nX-Big: {'a' * LONG}\r\nConnection: close\r\n\r\n"
    assert (await raw_request(proxy.port, fits.encode())).status == 200
    too_long = f"GET /{'a' * 70000} HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n"
    assert (await raw_request(proxy.port, too_long.encode())).status == 414
    assert state["complete"] == [("GET", "/")]


async def test_header_total_follows_max_header_bytes(counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"max_header_bytes": 4 * 2**10, "max_field_size": 2**11})
    lines = "".join(f"X-Part{i}: " + "a" * 1000 + "\r\n" for i in range(3))
    fits = f"GET /fits HTTP/1.1\r\nHost: p\r\n{lines}Connection: close\r\n\r\n"
    assert (await raw_request(proxy.port, fits.encode())).status == 200
    over = fits.replace("/fits", "/over").replace("\r\n\r\n", "\r\nX-More: " + "a" * 1500
                                                  + "\r\n\r\n")
    refused = await raw_request(proxy.port, over.encode())
    assert refused.status == 431 and MESSAGES[431][0] in refused.body.decode()
    assert refused.header("Connection") == "close"
    assert state["complete"] == [("GET", "/fits")]


async def test_after_a_refused_head_the_next_connection_is_served(counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url)
    refused = f"GET /{'a' * LONG} HTTP/1.1\r\nHost: p\r\n\r\nGET / HTTP/1.1\r\nHost: p\r\n\r\n"
    assert (await raw_request(proxy.port, refused.encode())).status == 414
    fine = b"GET /next HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n"
    response = await raw_request(proxy.port, fine)
    assert response.status == 200 and response.body == b"ok /next"
    assert state["complete"] == [("GET", "/next")], "the pipelined request is never served"


async def test_declared_oversized_body_is_413_before_the_origin(counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"max_request_body": 2**20})
    request = (b"POST /upload HTTP/1.1\r\nHost: p\r\nContent-Length: 5000000\r\n"
               b"Connection: close\r\n\r\n" + b"x" * 1000)
    response = await raw_request(proxy.port, request)
    assert response.status == 413
    assert "没有发送给网站" in response.body.decode()
    assert state["started"] == 0


async def _send_chunked(port: int, total: int, chunk: int = 2**16) -> bytes:
    """POST `total` bytes chunked (no declared length); returns whatever the proxy answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /upload HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked\r\n"
                 b"Connection: close\r\n\r\n")
    block = f"{chunk:x}\r\n".encode() + b"y" * chunk + b"\r\n"
    try:
        for _ in range(total // chunk):
            writer.write(block)
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
    except ConnectionError:
        pass  # the proxy may stop reading once it has answered 413
    try:
        async with asyncio.timeout(10):
            return await reader.read()
    except ConnectionError:
        return b""
    finally:
        writer.close()


async def test_streamed_oversized_body_is_413_and_never_completes_at_origin(counting_origin,
                                                                           start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"max_request_body": 2**20})
    answer = await _send_chunked(proxy.port, 8 * 2**20)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    await asyncio.sleep(0.2)
    assert state["complete"] == [], "the origin must never get a complete oversized upload"
    assert state["bytes"] <= 2**20 + 2**17


async def test_large_upload_streams_in_constant_memory(counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"max_request_body": 512 * 2**20})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    answer = await _send_chunked(proxy.port, 128 * 2**20, chunk=2**18)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
    assert state["bytes"] == 128 * 2**20
    assert grown_mib < 48, f"peak memory grew {grown_mib:.0f} MiB for a 128 MiB upload"


@pytest.mark.parametrize("drip", [b"", b"GET / HTTP/1.1\r\nHost: p\r\n"],
                         ids=["idle-connection", "slowloris-headers"])
async def test_slow_request_head_is_cut(drip, counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"client_header_timeout": 1.0})
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    started = time.monotonic()
    writer.write(drip)
    for _ in range(40):  # one header byte every 0.1 s: never a complete head
        await asyncio.sleep(0.1)
        if reader.at_eof() or writer.is_closing():
            break
        try:
            if drip:  # the idle case sends nothing at all
                writer.write(b"X")
                await writer.drain()
        except ConnectionError:
            break
        data = await _read_nowait(reader)
        if data is None:
            break
    closed_after = time.monotonic() - started
    writer.close()
    assert closed_after < 2.5, f"connection still open after {closed_after:.1f}s"
    assert state["started"] == 0


async def _read_nowait(reader: asyncio.StreamReader) -> bytes | None:
    """b"" if nothing to read yet, None when the peer has closed."""
    try:
        async with asyncio.timeout(0.01):
            data = await reader.read(4096)
            return data or None
    except TimeoutError:
        return b""
    except ConnectionError:
        return None


async def test_stalled_upload_gets_408(counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"client_body_timeout": 1.0})
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    writer.write(b"POST /form HTTP/1.1\r\nHost: p\r\nContent-Length: 1000\r\n\r\n" + b"a=1" * 10)
    started = time.monotonic()
    async with asyncio.timeout(10):
        head = await reader.readuntil(HEAD_END)
    writer.close()
    assert head.startswith(b"HTTP/1.1 408"), head
    assert time.monotonic() - started < 3
    assert state["complete"] == []


async def test_slow_reader_is_cut(aiohttp_server, start_proxy):
    """A visitor who never reads a big download is disconnected after client_send_timeout."""
    async def big(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        await response.prepare(request)
        for _ in range(400):
            await response.write(b"z" * 2**16)
        return response

    app = web.Application()
    app.router.add_get("/big", big)
    server = await aiohttp_server(app)
    proxy = await start_proxy(str(server.make_url("")).rstrip("/"),
                              limits={"client_send_timeout": 1.0})
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", proxy.port))
    sock.send(b"GET /big HTTP/1.1\r\nHost: p\r\n\r\n")
    book = proxy.runner.book
    for _ in range(100):
        await asyncio.sleep(0.1)
        if not book.open:
            break
    sock.close()
    assert not book.open, "the proxy still holds the slow reader's connection"


async def test_connections_per_client_are_capped(counting_origin, start_proxy):
    url, _ = counting_origin
    proxy = await start_proxy(url, limits={"max_client_connections": 4})
    held = [await asyncio.open_connection("127.0.0.1", proxy.port) for _ in range(4)]
    await asyncio.sleep(0.05)
    refused = await raw_request(proxy.port, b"GET / HTTP/1.1\r\nHost: p\r\n\r\n")
    assert refused.status == 429 and refused.header("Retry-After")
    held[0][1].close()
    await asyncio.sleep(0.1)
    again = await raw_request(proxy.port, b"GET / HTTP/1.1\r\nHost: p\r\nConnection: close\r\n\r\n")
    assert again.status == 200
    for _, writer in held[1:]:
        writer.close()


async def test_total_concurrency_answers_503_instead_of_queueing(counting_origin, start_proxy):
    url, state = counting_origin
    proxy = await start_proxy(url, limits={"max_concurrency": 2, "busy_wait": 0.2})
    close = b"Host: p\r\nConnection: close\r\n\r\n"
    stuck = [asyncio.create_task(raw_request(proxy.port, b"GET /slow HTTP/1.1\r\n" + close))
             for _ in range(2)]
    while state["started"] < 2:
        await asyncio.sleep(0.01)
    started = time.monotonic()
    busy = await raw_request(proxy.port, b"GET /other HTTP/1.1\r\n" + close)
    waited = time.monotonic() - started
    health = await raw_request(proxy.port, b"GET /_a11y/healthz HTTP/1.1\r\n" + close)
    state["release"].set()
    assert [r.status for r in await asyncio.gather(*stuck)] == [200, 200]
    assert busy.status == 503 and busy.header("Retry-After") == "5"
    assert waited < 1.0, f"the busy answer took {waited:.2f}s"
    assert health.status == 200
    assert ("GET", "/other") not in state["complete"]
    after = await raw_request(proxy.port, b"GET /other HTTP/1.1\r\n" + close)
    assert after.status == 200


def _page(size: int) -> bytes:
    return b"<html><body>" + ORIGIN_SCRIPT + b"<p>" + b"x" * size + b"</p></body></html>"


def _gzip_bomb() -> bytes:
    return gzip.compress(b"<html><body>" + ORIGIN_SCRIPT + b" " * (200 * 2**20), 9)


def _brotli_bomb() -> bytes:
    return brotli.compress(b"<html><body>" + ORIGIN_SCRIPT + b" " * (200 * 2**20), quality=5)


ORIGIN_ANSWERS = [
    ("html-over-cap-declared", lambda: http_ok(_page(2 * 2**20))),
    ("html-over-cap-chunked", lambda: b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n" + b"".join(
         f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in [_page(2**19)] * 4) + b"0\r\n\r\n"),
    ("gzip-bomb", lambda: http_ok(_gzip_bomb(), extra="Content-Encoding: gzip\r\n")),
    ("brotli-bomb", lambda: http_ok(_brotli_bomb(), extra="Content-Encoding: br\r\n")),
    ("huge-response-header", lambda: b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Big: "
     + b"h" * 200_000 + b"\r\nContent-Length: 2\r\n\r\nhi"),
]


@pytest.mark.parametrize("make_answer", [a[1] for a in ORIGIN_ANSWERS],
                         ids=[a[0] for a in ORIGIN_ANSWERS])
async def test_oversized_origin_answer_is_a_safe_502(make_answer, raw_origin, start_proxy):
    answer = make_answer()

    async def script(reader, writer, head):
        writer.write(answer)
        await writer.drain()

    origin, url = await raw_origin(script)
    proxy = await start_proxy(url, limits={"max_html_bytes": 2**20})
    started = time.monotonic()
    response = await raw_request(proxy.port, b"GET / HTTP/1.1\r\nHost: p\r\n"
                                 b"Connection: close\r\n\r\n")
    assert response.status == 502
    assert ORIGIN_SCRIPT not in response.body, "never a raw pass-through of the origin's page"
    assert "网站" in response.body.decode()
    assert time.monotonic() - started < 5
    assert origin.hits == 1
