"""Reading an origin's HTML body under limits, decompressing it safely, compressing our answer.

aiohttp's client runs with `auto_decompress=False`: non-HTML bodies stream through byte for byte
(with their Content-Encoding), and for HTML we decompress here, where a bomb can be stopped by
both an absolute cap and a ratio cap before it fills memory.
"""

from __future__ import annotations

import gzip
import zlib

import brotli
from aiohttp import ClientResponse

from proxy.settings import Limits

READ_CHUNK = 64 * 1024  #: bytes per read from the origin; also the streaming chunk size


class BodyTooLarge(Exception):
    """The body (or its decompressed form) is beyond a configured limit."""


async def read_capped(response: ClientResponse, cap: int) -> bytes:
    """Read the raw (still compressed) body; raise BodyTooLarge past `cap` bytes."""
    declared = response.content_length
    if declared is not None and declared > cap:
        raise BodyTooLarge(f"declared {declared} bytes > {cap}")
    chunks, total = [], 0
    async for chunk in response.content.iter_chunked(READ_CHUNK):
        total += len(chunk)
        if total > cap:
            raise BodyTooLarge(f"more than {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_body(response: ClientResponse, cap: int, limits: Limits) -> bytes:
    """The origin's body, read under `cap` (compressed) and decompressed under `limits`."""
    raw = await read_capped(response, cap)
    return decompress(raw, response.headers.get("Content-Encoding", ""), limits)


def decompress(body: bytes, coding: str, limits: Limits) -> bytes:
    """Undo Content-Encoding with an absolute and a ratio cap (gzip/brotli bombs)."""
    coding = coding.strip().lower()
    if coding in ("", "identity"):
        return body
    cap = min(limits.max_decompressed_bytes,
              max(len(body), 1024) * limits.max_decompress_ratio)
    if coding in ("gzip", "x-gzip", "deflate"):
        return _inflate(body, coding, cap)
    if coding == "br":
        return _unbrotli(body, cap)
    raise ValueError(f"unsupported content-encoding {coding!r}")


def _inflate(body: bytes, coding: str, cap: int) -> bytes:
    # wbits: 16+ for gzip framing; deflate is zlib-wrapped by spec but often raw in practice
    attempts = (16 + zlib.MAX_WBITS,) if coding != "deflate" else (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    for wbits in attempts:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, cap + 1)
        except zlib.error:
            continue
        if len(out) > cap or inflater.unconsumed_tail:
            raise BodyTooLarge(f"decompresses beyond {cap} bytes")
        if not inflater.eof:
            raise ValueError("truncated compressed body")
        return out
    raise ValueError("corrupt compressed body")


def _unbrotli(body: bytes, cap: int) -> bytes:
    decoder = brotli.Decompressor()
    out = bytearray()
    # feed in slices so a bomb is caught after at most one slice's expansion
    for start in range(0, len(body), 4096):
        out += decoder.process(body[start:start + 4096])
        if len(out) > cap:
            raise BodyTooLarge(f"decompresses beyond {cap} bytes")
    if not decoder.is_finished():
        raise ValueError("truncated brotli body")
    return bytes(out)


def compress(body: bytes, coding: str | None) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=4)  # quality 4: most of the gain, a fraction of 11's
    if coding == "gzip":
        return gzip.compress(body, compresslevel=5, mtime=0)
    return body
