"""The WHATWG prescan against html5lib-tests' encoding cases, one test id per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.encoding.detect import decode_html
from proxy.encoding.prescan import charset_from_meta_content, prescan

DATA = Path(__file__).parents[1] / "data" / "encoding" / "html5lib"
#: scripted/ needs a document.write of a meta: no server-side decoder can pass it
DAT_FILES = sorted(DATA.glob("*.dat"))
#: the tests' fallback when nothing is declared
DEFAULT = "windows-1252"


def read_cases(path: Path) -> list[tuple[bytes, str]]:
    cases = []
    for chunk in path.read_bytes().split(b"#data\n")[1:]:
        data, _, rest = chunk.partition(b"\n#encoding\n")
        cases.append((data, rest.split(b"\n", 1)[0].decode().strip().lower()))
    return cases


CASES = [(f"{path.stem}-{n}", data, expected)
         for path in DAT_FILES for n, (data, expected) in enumerate(read_cases(path))]


def test_all_cases_were_read():
    assert len(CASES) == 82


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_decoder_finds_what_a_browser_finds(data: bytes, expected: str):
    """The evidence `decode_html` finds: the BOM and a meta after long comments count too
    (html5lib reads past the 1024 bytes a browser prescans; our decoder scans the head)."""
    decoded = decode_html(data)
    found = next((e.partition("=")[2] for e in decoded.evidence if e.startswith("meta=")), None)
    if any(e.startswith("bom utf-8") for e in decoded.evidence):
        found = "utf-8"
    assert (found or DEFAULT) == expected


@pytest.mark.parametrize(("data", "expected"), [
    (b'<meta charset="gb2312">', "gbk"),
    (b"<!-- <meta charset=big5> --><meta charset=x-sjis>", "shift_jis"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk"),
    (b'<meta content="text/html; charset=gb2312">', None),  # no http-equiv: ignored
    (b'<meta charset="utf-16le">', "utf-8"),
    (b'<div title="<meta charset=big5>"><meta charset=gbk>', "gbk"),
], ids=["charset", "after-comment", "http-equiv", "content-without-pragma", "utf16-is-utf8",
        "inside-attribute"])
def test_prescan(data: bytes, expected: str | None):
    assert prescan(data) == expected


def test_prescan_stops_at_1024_bytes_like_a_browser():
    late = b"<script>" + b"x" * 1100 + b"</script><meta charset=gbk>"
    assert prescan(late) is None
    assert prescan(late, len(late)) == "gbk"


@pytest.mark.parametrize(("content", "expected"), [
    ("text/html; charset=gb2312", "gb2312"), ("text/html;charset='big5'", "big5"),
    ("text/html; charset =  gbk ;x", "gbk"), ("text/html", None), ('charset="open', None),
], ids=["plain", "quoted", "spaces", "none", "unclosed-quote"])
def test_charset_from_meta_content(content: str, expected: str | None):
    assert charset_from_meta_content(content) == expected
