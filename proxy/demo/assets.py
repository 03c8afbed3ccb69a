"""Binary assets of the demo origin (images, PDF, benchmark block), generated in code."""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Callable

Pixel = tuple[int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """Encode an 8-bit RGB PNG whose colour at (x, y) is ``pixel(x, y)``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def gif(
    width: int,
    height: int,
    palette: list[Pixel],
    index: Callable[[int, int], int],
    transparent: int | None = None,
) -> bytes:
    """Encode a GIF89a with a 4-colour palette.

    The LZW stream sends a clear code before every second pixel, so every code stays
    3 bits wide: valid for every decoder, compact enough for the tiny images used here.
    """
    colours = (palette + [(0, 0, 0)] * 4)[:4]
    pixels = [index(x, y) for y in range(height) for x in range(width)]
    clear, end = 4, 5
    codes: list[int] = []
    for i, p in enumerate(pixels):
        if i % 2 == 0:
            codes.append(clear)
        codes.append(p)
    codes.append(end)
    acc = bits = 0
    data = bytearray()
    for code in codes:
        acc |= code << bits
        bits += 3
        while bits >= 8:
            data.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        data.append(acc & 0xFF)
    blocks = b"".join(
        bytes([len(data[i : i + 255])]) + bytes(data[i : i + 255]) for i in range(0, len(data), 255)
    )
    gce = b""
    if transparent is not None:
        gce = b"\x21\xf9\x04\x01\x00\x00" + bytes([transparent]) + b"\x00"
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", width, height, 0xF1, 0, 0)
        + b"".join(bytes(c) for c in colours)
        + gce
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, width, height, 0)
        + b"\x02"
        + blocks
        + b"\x00"
        + b"\x3b"
    )


def pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF 1.4 (ASCII text, Helvetica) with a correct xref table."""
    text = (
        "BT /F1 14 Tf 72 770 Td 20 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    stream = text.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (2019 Work Report) /Producer (Barrier-Free Proxy demo origin) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _qr_like(x: int, y: int) -> Pixel:
    """A QR-code look-alike: three finder squares and deterministic noise modules."""
    mx, my = (x - 6) // 4, (y - 6) // 4
    if not (0 <= mx < 22 and 0 <= my < 22):
        return (255, 255, 255)
    for fx, fy in ((0, 0), (15, 0), (0, 15)):
        dx, dy = mx - fx, my - fy
        if 0 <= dx < 7 and 0 <= dy < 7:
            ring = max(abs(dx - 3), abs(dy - 3))
            return (0, 0, 0) if ring in (0, 1, 3) else (255, 255, 255)
    dark = (mx * 7 + my * 13 + mx * my) % 5 < 2
    return (0, 0, 0) if dark else (255, 255, 255)


def _banner(x: int, y: int) -> Pixel:
    if 20 <= y < 80 and 30 <= x < 90 and (x - 60) ** 2 + (y - 50) ** 2 < 900:
        return (255, 215, 0)
    return (184 + (y * 40) // 100, 0, 0)


def build_images() -> dict[str, bytes]:
    """URL path -> image bytes for every image the demo pages reference."""
    red, white, grey, gold = (184, 0, 0), (255, 255, 255), (204, 204, 204), (255, 215, 0)
    return {
        "/images/spacer.gif": gif(1, 1, [white, white], lambda x, y: 0, transparent=0),
        "/images/dot.gif": gif(5, 5, [white, red], lambda x, y: int(0 < x < 4 and 0 < y < 4)),
        "/images/navline.gif": gif(2, 34, [red, white], lambda x, y: int(x == 1 and 8 < y < 26)),
        "/images/titlebg.gif": gif(4, 28, [(246, 246, 246), red], lambda x, y: int(y >= 26)),
        "/images/more.gif": gif(
            30, 11, [white, grey, red], lambda x, y: 2 if (x + y) % 7 == 0 else int(y in (0, 10))
        ),
        "/images/banner.png": png(700, 100, _banner),
        "/images/erweima.png": png(100, 100, _qr_like),
        "/images/ga.png": png(
            14, 14, lambda x, y: gold if (x - 7) ** 2 + (y - 7) ** 2 < 42 else white
        ),
    }


REPORT_PDF: bytes = pdf(
    [
        "Changzhou United Front Work Department",
        "2019 Work Report (demo attachment)",
        "New social strata: innovation, exploration, notable results.",
    ]
)

BIG_BLOCK_SIZE = 64 * 1024
BIG_BLOCK: bytes = random.Random(20190920).randbytes(BIG_BLOCK_SIZE)
