"""Decompression under limits: gzip/deflate/brotli, bombs and truncation refused."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from proxy.bodies import BodyTooLarge, compress, decompress
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
