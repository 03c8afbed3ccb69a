"""The WHATWG "prescan a byte stream to determine its encoding" algorithm, plus the XML
declaration, as evidence for `proxy.encoding.detect`.

Browsers run the prescan over the first 1024 bytes only; our decoder runs it again over the
whole `<head>` when that finds nothing, because legacy CMS templates put the `<meta>` after
long scripts. Label lookup is WHATWG's table (webencodings, already a tinycss2 dependency).
Spec: https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding
"""

from __future__ import annotations

import re

import webencodings

SPEC_LIMIT = 1024  #: bytes a browser prescans
WHITESPACE = b"\t\n\x0c\r "
_META = re.compile(rb"<meta[\t\n\x0c\r /]", re.I)
_TAG_START = re.compile(rb"</?[a-zA-Z]")
_TAG_END = re.compile(rb"[\t\n\x0c\r >]")
_CHARSET_WORD = re.compile(r"charset", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""")
#: the head ends at the first of these (where a late meta can no longer be)
_HEAD_END = re.compile(rb"</head|<body", re.I)
HEAD_SCAN_LIMIT = 65536


def whatwg_name(label: str | None) -> str | None:
    """The WHATWG encoding name for a label ('GB2312' -> 'gbk'), None if unknown."""
    encoding = webencodings.lookup(label) if label else None
    return encoding.name if encoding else None


def prescan(data: bytes, limit: int = SPEC_LIMIT) -> str | None:
    """The encoding name a browser's prescan finds in `data[:limit]`, or None."""
    buf = data[:limit]
    if not _META.search(buf):
        return None  # nothing to find: skip the byte-by-byte walk
    pos = 0
    while 0 <= pos < len(buf):
        if buf.startswith(b"<!--", pos):
            end = buf.find(b"-->", pos + 2)
            pos = -1 if end < 0 else end + 3
            continue
        if _META.match(buf, pos):
            found, pos = _meta(buf, pos + 5)
            if found:
                return found
            continue
        if _TAG_START.match(buf, pos):
            end = _TAG_END.search(buf, pos)
            pos = len(buf) if end is None else end.start()
            while (attribute := _attribute(buf, pos)) is not None:
                pos = attribute[2]
        elif buf.startswith((b"<!", b"</", b"<?"), pos):
            end = buf.find(b">", pos)
            pos = -1 if end < 0 else end
        pos = buf.find(b"<", pos + 1) if pos >= 0 else -1
    return None


def _meta(buf: bytes, pos: int) -> tuple[str | None, int]:
    seen: set[str] = set()
    got_pragma, need_pragma, charset = False, None, None
    while (attribute := _attribute(buf, pos)) is not None:
        name, value, pos = attribute
        if name in seen:
            continue
        seen.add(name)
        if name == "http-equiv" and value == "content-type":
            got_pragma = True
        elif name == "content" and charset is None:
            if (found := charset_from_meta_content(value)) is not None:
                charset, need_pragma = found, True
        elif name == "charset":
            charset, need_pragma = value, False
    if need_pragma is None or (need_pragma and not got_pragma) or charset is None:
        return None, pos
    name = whatwg_name(charset)
    if name in ("utf-16le", "utf-16be"):
        name = "utf-8"  # a meta that claims UTF-16 was read as ASCII: it cannot be UTF-16
    elif name == "x-user-defined":
        name = "windows-1252"
    return name, pos


def _attribute(buf: bytes, pos: int) -> tuple[str, str, int] | None:
    """WHATWG 'get an attribute': (lowercased name, value, position after) or None."""
    n = len(buf)
    while pos < n and buf[pos] in b"\t\n\x0c\r /":
        pos += 1
    if pos >= n or buf[pos] == 0x3E:
        return None
    name = bytearray()
    while True:  # attribute name
        if pos >= n:
            return None
        c = buf[pos]
        if c == 0x3D and name:
            pos += 1
            break
        if c in WHITESPACE:
            while pos < n and buf[pos] in WHITESPACE:
                pos += 1
            if pos >= n or buf[pos] != 0x3D:
                return _decoded(name), "", pos
            pos += 1
            break
        if c in b"/>":
            return _decoded(name), "", pos
        name.append(c + 0x20 if 0x41 <= c <= 0x5A else c)
        pos += 1
    while pos < n and buf[pos] in WHITESPACE:
        pos += 1
    if pos >= n:
        return None
    value = bytearray()
    c = buf[pos]
    if c in b"\"'":
        end = buf.find(bytes([c]), pos + 1)
        if end < 0:
            return None
        return _decoded(name), _decoded(buf[pos + 1:end].lower()), end + 1
    if c == 0x3E:
        return _decoded(name), "", pos
    while pos < n and buf[pos] not in b"\t\n\x0c\r >":
        value.append(buf[pos] + 0x20 if 0x41 <= buf[pos] <= 0x5A else buf[pos])
        pos += 1
    if pos >= n:
        return None
    return _decoded(name), _decoded(value), pos


def _decoded(raw: bytes | bytearray) -> str:
    # Names and values are compared as ASCII; other bytes only need to survive the trip.
    return bytes(raw).decode("latin-1")


def charset_from_meta_content(content: str) -> str | None:
    """WHATWG 'extract a character encoding from a meta element' (content="...; charset=x")."""
    pos = 0
    while (word := _CHARSET_WORD.search(content, pos)) is not None:
        pos = word.end()
        rest = content[pos:].lstrip("\t\n\x0c\r ")
        if not rest.startswith("="):
            continue
        rest = rest[1:].lstrip("\t\n\x0c\r ")
        if rest[:1] in ("'", '"'):
            end = rest.find(rest[0], 1)
            return rest[1:end] if end > 0 else None
        value = re.split(r"[\t\n\x0c\r ;]", rest, maxsplit=1)[0]
        return value or None
    return None


def head_region(data: bytes) -> bytes:
    """The bytes up to the end of the head, where a late `<meta>` may still be."""
    end = _HEAD_END.search(data, 0, HEAD_SCAN_LIMIT)
    return data[:end.start() if end else HEAD_SCAN_LIMIT]


def xml_declaration(data: bytes) -> str | None:
    """The `encoding=` label of an XML declaration in the head region, if any."""
    found = _XML_DECL.search(data, 0, HEAD_SCAN_LIMIT) if b"<?xml" in data[:HEAD_SCAN_LIMIT] \
        else None
    return found.group(1).decode("ascii") if found else None
