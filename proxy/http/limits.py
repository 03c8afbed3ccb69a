"""Bounded resources at the socket and request level: no client or burst can exhaust a worker.

Three guards, all configured in `settings.Limits`:

- `backpressure` middleware: at most `max_concurrency` requests are handled at once; a request
  waits at most `busy_wait` seconds for a slot, then gets 503 with `Retry-After` (a bounded,
  honest answer instead of an unbounded queue that makes every visitor wait).
- `GuardedRunner`: wraps every accepted connection in `_GuardedProtocol`, which caps open
  connections per client IP (429 + Retry-After, written before the request is read) and cuts a
  visitor who leaves our answer unread for `client_send_timeout` seconds (a slow reader would
  otherwise pin an origin connection and our buffers). aiohttp's own `keepalive_timeout` is set
  to `client_header_timeout`: it closes a connection that has not completed a request head in
  that time (slowloris) and an idle keep-alive connection.
- `client_chunks`: the visitor's upload, streamed (never buffered) with an idle timeout between
  chunks; `client_fault` tells the handler when an origin-side error was really the visitor's.

A request head over aiohttp's `max_line_size` / `max_field_size` / header count (set from
`max_field_size` in server.py) gets our accessible page with 414 or 431, not aiohttp's plain 400;
so do header lines that are each short enough but together over `max_header_bytes` (aiohttp
has no such total: they would reach the origin, whose own limits answer with its plain 400).
"""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage, HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestHandler

from proxy.keys import SETTINGS
from proxy.settings import Limits
from proxy.visitor.errorpages import error_page

log = logging.getLogger(__name__)

RETRY_AFTER = "5"  #: seconds a busy visitor is asked to wait (Retry-After header)
#: seconds aiohttp keeps reading (and discarding) a refused upload before closing (default 10)
LINGERING_SECONDS = 2.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RequestTooSlow(Exception):
    """The visitor's upload stalled longer than `client_body_timeout`."""


class RequestTooLarge(Exception):
    """The visitor's upload went past `max_request_body`."""


# -- request level -------------------------------------------------------------------------


def busy_page(status: int = 503) -> web.Response:
    page = error_page(status)
    page.headers["Retry-After"] = RETRY_AFTER
    return page


def backpressure(limits: Limits, exempt: frozenset[str]) -> Any:
    """Middleware: a bounded number of requests in flight, a bounded wait for a slot."""
    slots = asyncio.Semaphore(limits.max_concurrency)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in exempt:
            return await handler(request)
        if slots.locked():
            try:
                async with asyncio.timeout(limits.busy_wait):
                    await slots.acquire()
            except TimeoutError:
                log.warning("busy: %s requests in flight, 503 for %s", limits.max_concurrency,
                            request.path)
                return busy_page(503)
        else:
            await slots.acquire()
        try:
            return await handler(request)
        finally:
            slots.release()

    return middleware


def header_total(limits: Limits) -> Any:
    """Middleware: 431 (our page) for a request whose header lines together are over
    `max_header_bytes`; one line `max_field_size` allows is never refused by the total."""
    cap = max(limits.max_header_bytes, limits.max_field_size)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        # as sent: `name: value\r\n` per line
        size = sum(len(name) + len(value) + 4 for name, value in request.raw_headers)
        if size > cap:
            log.warning("refused request head from %s: 431 (%d header bytes, over %d)",
                        request.remote, size, cap)
            page = error_page(431)
            page.force_close()
            return page
        return await handler(request)

    return middleware


def install(app: web.Application) -> None:
    """Add the request-level guards to an app being built (called from `create_app`)."""
    settings = app[SETTINGS]
    exempt = frozenset({settings.prefix + "healthz"})
    app.middlewares.append(header_total(settings.limits))
    app.middlewares.append(backpressure(settings.limits, exempt))


async def client_chunks(request: web.Request, limit: int, idle: float,
                        chunk_size: int) -> AsyncIterator[bytes]:
    """The visitor's body in chunks, unchanged; stops past `limit` bytes or after `idle`
    seconds without data, so a slow or endless upload never pins an origin connection."""
    total = 0
    chunks = request.content.iter_chunked(chunk_size).__aiter__()
    while True:
        try:
            async with asyncio.timeout(idle):
                chunk = await chunks.__anext__()
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise RequestTooSlow from None
        total += len(chunk)
        if total > limit:
            raise RequestTooLarge
        yield chunk


def client_fault(exc: BaseException) -> int | None:
    """413 or 408 when an error while talking to the origin was caused by the visitor's
    upload (aiohttp wraps exceptions raised by the body generator), else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, RequestTooLarge):
            return 413
        if isinstance(exc, RequestTooSlow):
            return 408
        exc = exc.__cause__ or exc.__context__
    return None


# -- connection level ----------------------------------------------------------------------


class ClientBook:
    """Open connections per client IP, shared by every connection of one worker."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self.open: Counter[str] = Counter()

    def admit(self, ip: str) -> bool:
        if self.per_client and self.open[ip] >= self.per_client:
            return False
        self.open[ip] += 1
        return True

    def leave(self, ip: str) -> None:
        self.open[ip] -= 1
        if self.open[ip] <= 0:
            del self.open[ip]


def _refusal(status: int) -> bytes:
    page = busy_page(status)
    body = page.body if isinstance(page.body, bytes) else b""
    head = (f"HTTP/1.1 {status} {page.reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nRetry-After: {RETRY_AFTER}\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


class _GuardedProtocol(asyncio.Protocol):
    """Wraps aiohttp's RequestHandler for one connection: per-IP cap and slow-reader cut."""

    def __init__(self, inner: Any, book: ClientBook, send_timeout: float) -> None:
        self._inner = inner
        self._book = book
        self._send_timeout = send_timeout
        self._ip: str | None = None
        self._transport: asyncio.Transport | None = None
        self._stalled: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        peer = transport.get_extra_info("peername")
        ip = str(peer[0]) if peer else ""
        if not self._book.admit(ip):
            log.warning("client %s has %s connections open: refused", ip, self._book.per_client)
            transport.write(_refusal(429))
            transport.close()
            self._inner = None
            return
        self._ip, self._transport = ip, transport
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_stall()
        if self._ip is not None:
            self._book.leave(self._ip)
            self._ip = None
        if self._inner is not None:
            self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner is not None else None

    def pause_writing(self) -> None:
        # The visitor is not reading: give them `send_timeout` seconds, then cut.
        if self._stalled is None and self._transport is not None:
            loop = asyncio.get_running_loop()
            self._stalled = loop.call_later(self._send_timeout, self._cut_slow_reader)
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._cancel_stall()
        if self._inner is not None:
            self._inner.resume_writing()

    def _cancel_stall(self) -> None:
        if self._stalled is not None:
            self._stalled.cancel()
            self._stalled = None

    def _cut_slow_reader(self) -> None:
        self._stalled = None
        if self._transport is not None and not self._transport.is_closing():
            log.warning("client %s read nothing for %ss: connection cut", self._ip,
                        self._send_timeout)
            self._transport.abort()


# -- request heads aiohttp's parser refuses --------------------------------------------------

#: a request line as the pure-Python parser reports it (`GET /...`); header lines have a colon
_REQUEST_LINE = re.compile(rb"^[A-Z]+ ")


def head_error_status(exc: BaseException) -> int:
    """414 for an over-long request target, 431 for an over-long header line or too many
    headers, 400 for any other malformed head. aiohttp reports all of them as one 400; llhttp
    (its C parser) raises LineTooLong for the target from its URL callback."""
    if isinstance(exc, LineTooLong):
        names = {frame.f_code.co_name for frame, _ in traceback.walk_tb(exc.__traceback__)}
        line = exc.args[0] if exc.args and isinstance(exc.args[0], bytes | bytearray) else b""
        in_target = any(name.endswith("cb_on_url") for name in names) \
            or _REQUEST_LINE.match(line) is not None
        return 414 if in_target else 431
    if isinstance(exc, BadHttpMessage) and "Too many headers" in exc.message:
        return 431
    return 400


class _AccessibleHeadErrors(RequestHandler):
    """aiohttp's protocol with our accessible page (lang, main, both languages) for a request
    head it cannot parse, instead of its plain-text 400. Same slots: set as `__class__`."""

    __slots__ = ()

    def handle_error(self, request: Any, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        if status != 400 or not isinstance(exc, HttpProcessingError) \
                or request.writer.output_size > 0:
            return super().handle_error(request, status, exc, message)
        answer = head_error_status(exc)
        log.warning("refused request head from %s: %s (%s)", request.remote, answer,
                    type(exc).__name__)
        page = error_page(answer)
        page.force_close()
        return page


class _GuardedServer:
    """aiohttp's Server (the protocol factory) with every connection wrapped; everything else
    (shutdown, connection list, request counts) is the real server's."""

    def __init__(self, server: web.Server, book: ClientBook, send_timeout: float) -> None:
        self._server = server
        self.book = book
        self._send_timeout = send_timeout

    def __call__(self) -> _GuardedProtocol:
        handler = self._server()
        handler.__class__ = _AccessibleHeadErrors  # a subclass without new state
        return _GuardedProtocol(handler, self.book, self._send_timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._server, name)


class GuardedRunner(web.AppRunner):
    """An AppRunner whose connections are guarded (see module doc)."""

    def __init__(self, app: web.Application, limits: Limits, **kwargs: Any) -> None:
        kwargs.setdefault("keepalive_timeout", limits.client_header_timeout)
        kwargs.setdefault("lingering_time", LINGERING_SECONDS)
        super().__init__(app, **kwargs)
        self.book = ClientBook(limits.max_client_connections)
        self._send_timeout = limits.client_send_timeout

    async def _make_server(self) -> Any:
        server = await super()._make_server()
        return _GuardedServer(server, self.book, self._send_timeout)
