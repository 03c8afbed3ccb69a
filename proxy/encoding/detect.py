"""Decide a body's charset from all the evidence and decode it; repair baked-in mojibake.

A label (rule override, HTTP header, `<meta>`, XML declaration) is a hypothesis, verified by a
decode of the whole body: strict, or with only a few broken bytes, and for the CJK double-byte
encodings a plausible share of common characters (proxy.encoding.plausibility) - Big5 and Shift_JIS
bytes decode "successfully" as GBK. Valid UTF-8 beats any legacy label (random legacy text is
practically never valid UTF-8). When the labels are missing or all wrong, charset-normalizer
guesses, and our checks verify its guess. GB2312/GBK are decoded as GB18030, their superset.
A decode never raises: the worst case is a logged best guess with U+FFFD for broken bytes.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field

import charset_normalizer
import webencodings

from proxy.encoding.mojibake import repair_mojibake
from proxy.encoding.plausibility import CJK_CODECS, HANZI, PLAUSIBLE_SHARE, common_share
from proxy.encoding.prescan import (
    HEAD_SCAN_LIMIT,
    head_region,
    prescan,
    whatwg_name,
    xml_declaration,
)

log = logging.getLogger(__name__)

#: WHATWG encoding name -> the Python codec we decode it with (supersets, so that rare
#: characters such as 䶮, 𠮷 and € survive; WHATWG itself decodes gb2312 as GBK)
PYTHON_CODECS = {"gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
                 "shift_jis": "cp932", "euc-kr": "cp949", "euc-jp": "euc_jp",
                 "windows-1252": "cp1252", "utf-8": "utf-8", "utf-16le": "utf-16-le",
                 "utf-16be": "utf-16-be", "iso-8859-8-i": "iso8859-8", "windows-874": "cp874"}
#: Python codec -> the label a form must submit with so the origin gets its own bytes
FORM_CHARSETS = {"gb18030": "gbk", "big5hkscs": "big5", "cp932": "shift_jis",
                 "cp949": "euc-kr", "euc_jp": "euc-jp"}
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
WIDE_CODECS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
#: "a few broken bytes": at most one per this many well-decoded non-ASCII characters
GOOD_PER_BAD = 10
#: a UTF-8 reading with fewer non-ASCII characters than this may be legacy bytes by chance
SHORT_UTF8_CHARS = 64
#: a single-byte label is contradicted when a CJK decode is plausible over this many chars
MIN_CJK_SAMPLE = 8
REPLACEMENT = "\ufffd"
#: the charset text resources of our (Chinese) sites most likely use, tried after every label
PRIOR = "gb18030"
_CSS_CHARSET = re.compile(rb'@charset "([A-Za-z0-9._:-]{1,40})";')
_CSS_CHARSET_TEXT = re.compile(r'\A@charset "[^"]*";\s*')


def _euro_or(replacement: str | None):
    """GBK byte 0x80 is the euro sign (cp936, WHATWG); Python's gb18030 codec rejects it."""
    def handler(err: UnicodeError) -> tuple[str, int]:
        assert isinstance(err, UnicodeDecodeError)
        if err.object[err.start] == 0x80:
            return "\u20ac", err.start + 1
        if replacement is None:
            raise err
        return replacement, err.start + 1
    return handler


codecs.register_error("a11y-gbk-strict", _euro_or(None))
codecs.register_error("a11y-gbk-replace", _euro_or(REPLACEMENT))


@dataclass
class Decoded:
    text: str
    encoding: str  #: the Python codec used
    evidence: list[str] = field(default_factory=list)
    #: False when nothing spoke for `encoding` (an unlabelled ASCII body: UTF-8 by default)
    evident: bool = True


def normalize_label(label: str | None) -> str | None:
    """The Python codec for a charset label (WHATWG label table, then Python's), or None."""
    if not label:
        return None
    label = label.strip().strip("'\"")
    name = whatwg_name(label)
    if name in ("replacement", "x-user-defined"):
        return None
    if name:
        return PYTHON_CODECS.get(name) or webencodings.lookup(name).codec_info.name
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: a NUL in the label
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("'\"")
    return None


def form_charset(codec: str | None) -> str | None:
    """The `accept-charset` that makes a browser submit in `codec`; None for UTF-8 pages."""
    return FORM_CHARSETS.get(codec or "")


def decode_html(body: bytes, content_type: str | None = None,
                override: str | None = None) -> Decoded:
    """Decode an HTML body: BOM > rule override > valid UTF-8 > header > meta > XML
    declaration > detection, each label verified against the bytes."""
    labels = _given_labels(content_type, override)
    if not _bom(body):
        meta = prescan(body)
        if meta is None and _meta_may_matter(body):
            meta = prescan(head_region(body), HEAD_SCAN_LIMIT)
        if meta:
            labels.append(("meta", meta))
        if xml := xml_declaration(body):
            labels.append(("xml", xml))
    return decode_bytes(body, labels)


def decode_text_resource(body: bytes, content_type: str | None = None,
                         override: str | None = None, referrer: str | None = None) -> Decoded:
    """Decode CSS or plain text: BOM > override > header > `@charset` > the referring page's
    charset (what browsers use for an unlabelled stylesheet; verified like any label) > the
    language prior > the bytes. The `@charset` rule is dropped from the text, which is served
    as UTF-8.

    The prior: a stylesheet holds a few words (font names, `content:` strings, comments),
    too few for a statistical guess, which then picks any single-byte codec (宋体 in GBK reads
    as Thai). The sites we serve are Chinese, so GB18030 is the last label: it wins only when
    its strict decode is common Chinese (the plausibility test), which text in another codec
    practically never is."""
    labels = _given_labels(content_type, override)
    if found := _CSS_CHARSET.match(body):
        labels.append(("@charset", found.group(1).decode("ascii")))
    if referrer:
        labels.append(("referrer", referrer))
    labels.append(("prior", PRIOR))
    decoded = decode_bytes(body, labels)
    if decoded.text.startswith("@charset"):
        decoded.text = _CSS_CHARSET_TEXT.sub("", decoded.text, count=1)
    return decoded


def _meta_may_matter(body: bytes) -> bool:
    """A late meta can change the decision only for ASCII bodies (the charset forms submit
    in) or bodies that are not valid UTF-8; the whole-head scan is skipped otherwise."""
    if body.isascii():
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _given_labels(content_type: str | None, override: str | None) -> list[tuple[str, str]]:
    labels = []
    if override and override.lower() != "auto":
        labels.append(("override", override))
    if header := charset_from_content_type(content_type):
        labels.append(("header", header))
    return labels


def _bom(body: bytes) -> tuple[bytes, str] | None:
    return next(((bom, codec) for bom, codec in BOMS if body.startswith(bom)), None)


def decode_bytes(body: bytes, labels: list[tuple[str, str]]) -> Decoded:
    """The verified decision for `body` given `(source, label)` pairs in priority order."""
    evidence = [f"{source}={label}" for source, label in labels]
    try:
        decoded = _decide(body, labels, evidence)
    except Exception:  # a decode problem must never become a 500
        log.exception("charset decision failed; decoding as UTF-8 with replacement")
        decoded = Decoded(body.decode("utf-8", "replace"), "utf-8", evidence + ["error"])
    # a UTF-8 reading of the whole body without U+FFFD replaced nothing: the body is the
    # text's UTF-8, which the mojibake checks would otherwise encode again
    utf8 = body if decoded.encoding == "utf-8" and not body.startswith(codecs.BOM_UTF8) \
        and "\ufffd" not in decoded.text else None
    decoded.text, repairs = repair_mojibake(decoded.text, utf8)
    decoded.evidence.extend(repairs)
    return decoded


def _decide(body: bytes, labels: list[tuple[str, str]], evidence: list[str]) -> Decoded:
    if bom := _bom(body):
        return Decoded(body[len(bom[0]):].decode(bom[1], "replace"), bom[1],
                       evidence + [f"bom {bom[1]}"])
    candidates = _candidates(body, labels, evidence)
    if body.isascii():
        codec = next((c for _, c in candidates if c not in WIDE_CODECS), None)
        return Decoded(body.decode("ascii"), codec or "utf-8", evidence + ["ascii"],
                       evident=codec is not None)
    for source, codec in candidates[:1]:
        if source == "override" and (text := _verified(body, codec, evidence)) is not None:
            return Decoded(text, codec, evidence + [f"chose override {codec}"])
    if (text := _verified(body, "utf-8", evidence)) is not None:
        if (label := _short_utf8_label(body, text, candidates, evidence)) is not None:
            return label
        return _chosen(text, "utf-8", "bytes", candidates, evidence)
    for source, codec in candidates:
        if codec == "utf-8" or (text := _verified(body, codec, evidence)) is None:
            continue
        if source == "prior" and common_share(text, HANZI)[0] < PLAUSIBLE_SHARE:
            evidence.append("prior: not common hanzi")
            continue
        if codec not in CJK_CODECS and _looks_cjk(body):
            evidence.append(f"{source} {codec} contradicted by CJK bytes")
            break
        return _chosen(text, codec, source, candidates, evidence)
    return _detect(body, candidates, evidence)


def _short_utf8_label(body: bytes, text: str, candidates: list[tuple[str, str]],
                      evidence: list[str]) -> Decoded | None:
    """A few legacy CJK bytes can pass as UTF-8 by chance (GBK 通知 = D6AA CDA8 is valid
    UTF-8 for two rare combining marks); over a long text that chance vanishes. So a short
    UTF-8 reading loses to a CJK label whose reading is common Chinese/Japanese/Korean."""
    if len(body) - len(text) >= 3 * SHORT_UTF8_CHARS:
        # a non-ASCII character (or U+FFFD) takes at most 3 bytes more than it counts in
        # `text`: so many extra bytes mean enough of them, without a pass over the text
        return None
    if len(text) - len(text.encode("ascii", "ignore")) >= SHORT_UTF8_CHARS:
        return None
    for source, codec in candidates:
        if codec not in CJK_CODECS or source == "prior":  # a prior is no evidence against bytes
            continue
        alternative, bad = _decode(body, codec)
        share, sampled = common_share(alternative, codec)
        if not bad and sampled and share >= PLAUSIBLE_SHARE:
            evidence.append(f"short text valid as utf-8 but common {codec}: {source} kept")
            return Decoded(alternative, codec, evidence + [f"chose {source} {codec}"])
    return None


def _candidates(body: bytes, labels: list[tuple[str, str]],
                evidence: list[str]) -> list[tuple[str, str]]:
    found = []
    for source, label in labels:
        codec = normalize_label(label)
        if codec is None:
            evidence.append(f"{source} label {label!r} unknown")
        elif codec in WIDE_CODECS and b"\x00" not in body[:1024]:
            evidence.append(f"{source} {codec} impossible without NUL bytes")
        elif (source, codec) not in found:
            found.append((source, codec))
    return found


def _verified(body: bytes, codec: str, evidence: list[str]) -> str | None:
    """The decoded text if `codec` fits the bytes (few broken bytes, plausible text)."""
    text, bad = _decode(body, codec)
    if bad:
        good = len(text) - len(text.encode("ascii", "ignore")) - bad
        if good < bad * GOOD_PER_BAD:
            evidence.append(f"{codec}: {bad} broken sequences")
            return None
        evidence.append(f"{codec}: {bad} broken sequences replaced")
    share, sampled = common_share(text, codec)
    if sampled and share < PLAUSIBLE_SHARE:
        evidence.append(f"{codec}: implausible ({share:.0%} common characters)")
        return None
    return text


def _decode(body: bytes, codec: str) -> tuple[str, int]:
    """(text, count of broken sequences replaced by U+FFFD)."""
    strict, replace = ("a11y-gbk-strict", "a11y-gbk-replace") if codec == "gb18030" \
        else ("strict", "replace")
    try:
        return body.decode(codec, strict), 0
    except UnicodeDecodeError:
        text = body.decode(codec, replace)
    try:
        already = body.count(REPLACEMENT.encode(codec))
    except UnicodeEncodeError:
        already = 0
    return text, text.count(REPLACEMENT) - already


def _looks_cjk(body: bytes) -> bool:
    """Do the bytes read as plausible Chinese text? (a single-byte label is then a lie)"""
    try:
        text = body.decode("gb18030", "a11y-gbk-strict")
    except UnicodeDecodeError:
        return False
    share, sampled = common_share(text, "gb18030")
    return sampled >= MIN_CJK_SAMPLE and share >= PLAUSIBLE_SHARE


def _detect(body: bytes, candidates: list[tuple[str, str]], evidence: list[str]) -> Decoded:
    """No label survived: charset-normalizer's guess (verified), then GB18030, then a guess."""
    best = charset_normalizer.from_bytes(body).best()
    guess = normalize_label(best.encoding) if best else None
    evidence.append(f"charset-normalizer: {guess}")
    tried = [guess] if guess else []
    tried += [c for c in ("gb18030",) if c != guess]
    for codec in tried:
        if (text := _verified(body, codec, evidence)) is not None:
            return _chosen(text, codec, "detected", candidates, evidence)
    labelled = [c for source, c in candidates if source != "prior"]
    codec = labelled[0] if labelled else guess or "gb18030"
    text, _ = _decode(body, codec)
    log.warning("charset uncertain, best guess %s: %s", codec, "; ".join(evidence))
    return Decoded(text, codec, evidence + [f"best guess {codec}"], evident=False)


def _chosen(text: str, codec: str, source: str, candidates: list[tuple[str, str]],
            evidence: list[str]) -> Decoded:
    wrong = [f"{s}={c}" for s, c in candidates if c != codec]
    evidence.append(f"chose {codec} ({source})")
    if wrong:
        log.debug("charset label overruled: %s; evidence: %s", ", ".join(wrong),
                  "; ".join(evidence))
    return Decoded(text, codec, evidence)
