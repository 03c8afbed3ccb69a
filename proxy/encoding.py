"""Decide a body's charset and decode it. (Minimal version; the full evidence-based decoder
replaces `decode_html`'s internals, keeping its signature.)"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*['"]?\s*([a-zA-Z0-9_.:-]+)""", re.I)
#: WHATWG label aliases that matter for legacy Chinese sites: decode as the superset
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
             "us-ascii": "cp1252", "big5": "big5hkscs"}


@dataclass
class Decoded:
    text: str
    encoding: str  #: the Python codec used
    evidence: list[str] = field(default_factory=list)


def normalize_label(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("'\"").lower()
    label = SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("'\"")
    return None


def decode_html(body: bytes, content_type: str | None = None,
                override: str | None = None) -> Decoded:
    """BOM > override > header > meta > UTF-8 > GB18030, with replacement for broken bytes."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return Decoded(body.decode(codec, "replace"), codec, ["bom"])
    meta = _META_CHARSET.search(body[:4096])
    for source, label in (("override", override), ("header", charset_from_content_type(
            content_type)), ("meta", meta.group(1).decode("ascii") if meta else None)):
        codec = normalize_label(label) if label != "auto" else None
        if codec:
            try:
                return Decoded(body.decode(codec), codec, [source])
            except UnicodeDecodeError:
                continue
    try:
        return Decoded(body.decode("utf-8"), "utf-8", ["utf-8 strict"])
    except UnicodeDecodeError:
        return Decoded(body.decode("gb18030", "replace"), "gb18030", ["fallback"])
