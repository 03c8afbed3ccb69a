"""Decompression under limits: gzip/deflate/brotli, bombs and truncation refused."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from proxy.http.bodies import BodyTooLarge, compress, decompress
from proxy.settings import Limits

LIMITS = Limits(max_decompressed_bytes=2**20, max_decompress_ratio=100)
TEXT = "统战工作 barrier free ".encode() * 100


@pytest.mark.parametrize(("coding", "packed"), [
    ("gzip", gzip.compress(TEXT)), ("deflate", zlib.compress(TEXT)),
    ("deflate", zlib.compress(TEXT)[2:-4]), ("br", brotli.compress(TEXT)), ("identity", TEXT),
], ids=["gzip", "deflate-zlib", "deflate-raw", "br", "identity"])
def test_round_trip(coding, packed):
    assert decompress(packed, coding, LIMITS) == TEXT


@pytest.mark.parametrize(("coding", "packer"), [
    ("gzip", gzip.compress), ("br", brotli.compress),
], ids=["gzip-bomb", "brotli-bomb"])
def test_bombs_are_stopped(coding, packer):
    bomb = packer(b"\0" * (50 * 2**20))
    with pytest.raises(BodyTooLarge):
        decompress(bomb, coding, LIMITS)


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_truncated_bodies_are_errors(coding):
    packed = gzip.compress(TEXT) if coding == "gzip" else brotli.compress(TEXT)
    with pytest.raises(ValueError):
        decompress(packed[: len(packed) // 2], coding, LIMITS)


def test_unknown_coding_is_an_error():
    with pytest.raises(ValueError):
        decompress(TEXT, "zstd", LIMITS)


@pytest.mark.parametrize("coding", ["gzip", "br", None])
def test_compress_for_the_visitor(coding):
    assert decompress(compress(TEXT, coding), coding or "", LIMITS) == TEXT


async def test_read_body_reads_under_the_cap_and_decompresses(aiohttp_server):
    from aiohttp import ClientSession, web

    from proxy.http.bodies import read_body

    async def page(request):
        return web.Response(body=gzip.compress(TEXT), headers={"Content-Encoding": "gzip"})

    app = web.Application()
    app.router.add_get("/", page)
    server = await aiohttp_server(app)
    async with ClientSession(auto_decompress=False) as session:
        async with session.get(server.make_url("/")) as response:
            assert await read_body(response, 2**20, LIMITS) == TEXT
        async with session.get(server.make_url("/")) as response:
            with pytest.raises(BodyTooLarge):
                await read_body(response, 10, LIMITS)
