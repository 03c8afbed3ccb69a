"""Hostile peers on 127.0.0.1 for the security tests: raw origins that misbehave on purpose,
a canary that must never be reached, and a raw-socket client that sends what browsers won't."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

HEAD_END = b"\r\n\r\n"
READ_LIMIT = 2**20  #: bytes of a request head a raw origin reads before giving up

#: script(reader, writer, head) -> None: what a raw origin does after reading a request head
Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter, bytes], Awaitable[None]]


@dataclass
class RawOrigin:
    """A TCP server that reads one request head per connection and then runs `script`."""

    script: Script
    heads: list[bytes] = field(default_factory=list)  #: every request head received
    connections: int = 0
    server: asyncio.AbstractServer | None = None

    @property
    def hits(self) -> int:
        return len(self.heads)

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            # wait_closed() waits for every handler in 3.12+; a stalled script must not block
            await asyncio.sleep(0)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:  # keep-alive: one script run per request head
                try:
                    head = await reader.readuntil(HEAD_END)
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                        ConnectionError):
                    return
                self.heads.append(head)
                await _read_body(reader, head)
                await self.script(reader, writer, head)
                if writer.is_closing():
                    return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


async def _read_body(reader: asyncio.StreamReader, head: bytes) -> None:
    """Consume the request body (Content-Length or chunked), so the next head is a head."""
    lower = head.lower()
    if b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return
    if b"content-length:" in lower:
        length = int(lower.split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)


@dataclass
class Canary:
    """A server that no request may ever reach: any connection is recorded as a leak."""

    leaks: list[bytes] = field(default_factory=list)
    server: asyncio.AbstractServer | None = None
    port: int = 0

    @property
    def authority(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            data = await asyncio.wait_for(reader.read(4096), 2)
        except (TimeoutError, ConnectionError):
            data = b"(connection without data)"
        self.leaks.append(data or b"(connection without data)")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nCANARY")
        writer.close()


@dataclass
class RawResponse:
    status: int
    head: str
    body: bytes

    def header(self, name: str) -> str | None:
        for line in self.head.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None


def parse_response(data: bytes) -> RawResponse:
    head, _, body = data.partition(HEAD_END)
    first = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = first.split(" ")
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return RawResponse(status, head.decode("latin-1"), body)


async def raw_request(port: int, request: bytes, *, timeout: float = 10.0) -> RawResponse:
    """Send raw bytes to the proxy; read one answer (to its Content-Length, else to EOF)."""
    data = b""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(timeout):
            while chunk := await reader.read(65536):
                data += chunk
                if _complete(data):
                    break
    except ConnectionResetError:
        pass
    finally:
        writer.close()
    return parse_response(data)


def _complete(data: bytes) -> bool:
    """True once a response with a Content-Length has all its body."""
    if HEAD_END not in data:
        return False
    response = parse_response(data)
    length = response.header("Content-Length")
    return length is not None and len(response.body) >= int(length)


def http_ok(body: bytes, content_type: str = "text/html; charset=utf-8",
            extra: str = "") -> bytes:
    return (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}\r\n").encode() + body
