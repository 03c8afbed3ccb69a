"""Form bodies posted in UTF-8 reach a legacy origin in its own charset, as a browser sends them.

Our pages ask browsers to submit in the origin's charset (`accept-charset`, fix_encoding); a
client that ignores it (a script, an app, a browser extension) posts UTF-8, and a GBK origin
would store mojibake. Such bodies are converted with the browser's encoder for the origin's
charset: a character the charset cannot hold becomes a numeric character reference `&#N;`.

Which text is UTF-8: a `charset=utf-8` label on the body (or on a multipart part) says so when
the bytes are valid UTF-8; unlabelled text is UTF-8 when it is valid UTF-8 and its reading in
the origin's charset is not common text (proxy.encoding.plausibility): real GBK text is
practically never both, so bytes already in the origin's charset are left alone. File parts and
anything that is not a form stay byte for byte. Only `urlencoded` and `multipart/form-data`
bodies up to `MAX_FORM_BYTES` are buffered; a larger one streams through unchanged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from urllib.parse import quote_from_bytes, unquote_to_bytes

from proxy.encoding.detect import charset_from_content_type, form_charset
from proxy.encoding.plausibility import CJK_CODECS, PLAUSIBLE_SHARE, common_share

log = logging.getLogger(__name__)

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
#: a form body up to this size is buffered to be converted (text fields are small; a larger
#: body is an upload, whose files are never converted anyway)
MAX_FORM_BYTES = 1024 * 1024
#: Python codec of a page -> the codec of the browser's form encoder for it (WHATWG: the
#: GBK encoder never writes GB18030's four-byte sequences; Big5 without HKSCS)
ENCODERS = {"gb18030": "gbk", "big5hkscs": "big5", "cp932": "cp932", "cp949": "cp949",
            "euc_jp": "euc_jp"}
_ESCAPED_RUN = re.compile(rb"(?:%[89A-Fa-f][0-9A-Fa-f]|[\x80-\xff])+")
_CHARSET_PARAM = re.compile(r"(;\s*charset\s*=\s*)(\"?)[^;\"]*\2", re.I)
_PART_CHARSET = re.compile(rb"(;\s*charset\s*=\s*)(\"?)[^;\"\r\n]*\2", re.I)
_BOUNDARY = re.compile(r"boundary\s*=\s*(?:\"([^\"]{1,70})\"|([^;\s]{1,70}))", re.I)
_FILENAME = re.compile(rb";\s*filename\*?\s*=", re.I)
_PART_TYPE = re.compile(rb"^content-type\s*:\s*([^\r\n]*)", re.I | re.M)


def media(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def is_form(content_type: str | None) -> bool:
    return media(content_type) in (URLENCODED, MULTIPART)


def needs_conversion(codec: str | None) -> bool:
    """Only an origin known to use a charset other than UTF-8 gets bodies converted."""
    return codec is not None and codec not in ("utf-8", "ascii")


def convert(body: bytes, content_type: str, codec: str) -> tuple[bytes, str]:
    """(body, Content-Type) for an origin decoding forms as `codec`; unchanged when no text
    of the body is UTF-8 to convert."""
    encoder = ENCODERS.get(codec, codec)
    label = form_charset(codec) or codec
    labelled = (charset_from_content_type(content_type) or "").lower().replace("_", "-")
    says_utf8 = labelled in ("utf-8", "utf8")
    if media(content_type) == URLENCODED:
        converted = _urlencoded(body, encoder, codec, says_utf8)
    else:
        converted = _multipart(body, content_type, encoder, codec, label, says_utf8)
    if converted is None:
        return body, content_type
    if labelled:  # the body no longer is what its label says
        content_type = _CHARSET_PARAM.sub(lambda m: f"{m.group(1)}{label}", content_type, 1)
    return converted, content_type


def is_utf8_text(raw: bytes, codec: str, labelled: bool) -> bool:
    """Is `raw` UTF-8 text (to convert), rather than text already in `codec`?"""
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if labelled:
        return True
    try:
        theirs = raw.decode(codec)
    except UnicodeDecodeError:
        return True
    if codec not in CJK_CODECS:
        return True  # any bytes read as a single-byte charset: valid UTF-8 decides
    return common_share(theirs, codec)[0] < PLAUSIBLE_SHARE


def _encode(text: str, encoder: str) -> bytes:
    """The browser's form encoder: what the charset cannot hold becomes `&#N;`."""
    return text.encode(encoder, "xmlcharrefreplace")


def _urlencoded(body: bytes, encoder: str, codec: str, says_utf8: bool) -> bytes | None:
    runs = [unquote_to_bytes(m.group()) for m in _ESCAPED_RUN.finditer(body)]
    if not runs or not is_utf8_text(b" ".join(runs), codec, says_utf8):
        return None

    def recode(match: re.Match[bytes]) -> bytes:
        raw = unquote_to_bytes(match.group())
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return match.group()
        return quote_from_bytes(_encode(text, encoder), safe="").encode("ascii")

    return _ESCAPED_RUN.sub(recode, body)


def _multipart(body: bytes, content_type: str, encoder: str, codec: str, label: str,
               says_utf8: bool) -> bytes | None:
    found = _BOUNDARY.search(content_type)
    if not found:
        return None
    delimiter = b"\r\n--" + (found.group(1) or found.group(2)).encode("latin-1")
    pieces = (b"\r\n" + body).split(delimiter)
    changed = False
    for index, piece in enumerate(pieces[1:], 1):
        head, separator, data = piece.partition(b"\r\n\r\n")
        if piece.startswith(b"--") or not separator or _FILENAME.search(head):
            continue  # the closing delimiter, a malformed part, a file: byte for byte
        part_type = _PART_TYPE.search(head)
        part_label = charset_from_content_type(part_type.group(1).decode("latin-1")) \
            if part_type else None
        if part_type and not part_type.group(1).lower().startswith(b"text/"):
            continue
        utf8 = says_utf8 if part_label is None else part_label.lower() in ("utf-8", "utf8")
        if not is_utf8_text(data, codec, utf8):
            continue
        if part_label is not None:
            head = _PART_CHARSET.sub(lambda m: m.group(1) + label.encode("ascii"), head, 1)
        pieces[index] = head + separator + _encode(data.decode("utf-8"), encoder)
        changed = True
    return delimiter.join(pieces)[2:] if changed else None


async def buffered(chunks: AsyncIterator[bytes], limit: int) -> tuple[bytes, bool]:
    """(the body read so far, whether that is all of it): stops once past `limit` bytes."""
    got: list[bytes] = []
    size = 0
    async for chunk in chunks:
        got.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(got), False
    return b"".join(got), True


async def chained(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """A body whose start was buffered in vain: that start, then the rest as it streams."""
    yield first
    async for chunk in rest:
        yield chunk
