"""The page a transform works on (our mitmproxy `flow`), and the one parse / one serialize.

lxml needs the whole document, so HTML is buffered under a cap; it is parsed once here, every
transform edits the same tree in place, and it is serialized once as UTF-8.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree
from multidict import CIMultiDict, CIMultiDictProxy

from proxy.routing import UrlMapper
from proxy.siterules.model import DEFAULT_RULES, SiteRules
from proxy.visitor.prefs import Preferences

log = logging.getLogger(__name__)

#: characters lxml refuses in text (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F)
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: the same set without the surrogates, one character at a time (see _has_non_xml_text)
_NOT_XML_CHARS = "".join(map(chr, (*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20)))) + "\ufffe\uffff"
DOCTYPE = "<!DOCTYPE html>"  #: standards mode; our stylesheet assumes it
#: recover=True: legacy markup is broken and must still become a tree (never a 500)
_PARSER = lxml.html.HTMLParser(recover=True, remove_blank_text=False, collect_ids=False,
                               default_doctype=False, huge_tree=True)
# lxml.html's own lookup calls back into Python for every element proxy lxml creates (to hand
# <form>/<input>/<label> their own classes, whose form helpers we never use). The C-level
# default lookup gives every element the same HtmlElement (text_content, drop_tag ...
# unchanged) without that call per element.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
#: `</body>` / `</html>` before the end of the document (templates that include a whole page)
_EARLY_END_TAG = re.compile(r"</(?:body|html)\s*>", re.I)
#: what follows the first end tag on a page that closes normally
_ONLY_END_TAGS = re.compile(r"(?:</(?:body|html)\s*>|\s)*\Z", re.I)
_RAW_TEXT = re.compile(r"<(script|style|textarea)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)


def _drop_end_tags(text: str) -> str:
    """libxml2 drops everything after a `</html>` and parents content after a `</body>` outside
    the body; HTML5 parsers (browsers) put both into <body> ("after body" insertion mode), so
    the end tags say nothing and are removed -- outside scripts, styles and comments."""
    first = _EARLY_END_TAG.search(text)
    if first is None:
        return text
    if _ONLY_END_TAGS.match(text, first.start()):
        # The usual page: the end tags close it and nothing but white space follows. Nothing
        # before them can be inside a script or comment that the tags are part of, so the
        # result is the same as below without scanning the whole page for raw-text blocks
        # (that scan cost as much as lxml's parse of the page).
        return text[:first.start()] + _EARLY_END_TAG.sub("", text[first.start():])
    return _drop_end_tags_outside_raw_text(text)


def _drop_end_tags_outside_raw_text(text: str) -> str:
    """The general way: every `</body>`/`</html>` outside scripts, styles and comments goes."""
    out, pos = [], 0
    for raw in _RAW_TEXT.finditer(text):
        out += [_EARLY_END_TAG.sub("", text[pos:raw.start()]), raw.group()]
        pos = raw.end()
    out.append(_EARLY_END_TAG.sub("", text[pos:]))
    return "".join(out)


def _has_non_xml_text(text: str) -> bool:
    """`_NOT_XML_TEXT.search(text)`, without its per-character class test: a substring test
    per character runs in C at memory speed, and lone surrogates are exactly what UTF-8 cannot
    encode."""
    if any(char in text for char in _NOT_XML_CHARS):
        return True
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@dataclass
class Page:
    """Everything the pipeline knows about one HTML answer."""

    url: str  #: the origin URL of this page
    tree: Any  #: lxml root element (<html>)
    host: str = ""  #: origin host name (for logs and rule matching)
    rules: SiteRules = DEFAULT_RULES
    prefs: Preferences = field(default_factory=Preferences)
    headers: CIMultiDictProxy[str] = field(
        default_factory=lambda: CIMultiDictProxy(CIMultiDict()))  #: the origin's headers
    encoding: str = "utf-8"  #: the charset the body was decoded with
    mapper: UrlMapper | None = None  #: maps origin URLs to proxy URLs (None: no rewriting)
    prefix: str = "/_a11y/"  #: where the proxy's own routes live
    includes: dict[str, Any] = field(default_factory=dict)  #: prefetched include fragments
    #: response headers the transforms want on our answer (e.g. CSP, Vary)
    response_headers: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  #: evidence for debug logs / --explain
    #: not None: leave holes for the visitor's preferences and note here what filling them
    #: needs (proxy/visitor/splice.py); None: fill them for `prefs` at once
    splice: dict[str, Any] | None = None

    @property
    def head(self) -> Any:
        head = self.tree.find("head")
        if head is None:
            head = lxml.html.Element("head")
            self.tree.insert(0, head)
        return head

    @property
    def body(self) -> Any:
        body = self.tree.find("body")
        if body is None:
            body = etree.SubElement(self.tree, "body")
        return body


def without_xml_declaration(text: str) -> str:
    """The text without a leading `<?xml ...?>`: lxml refuses str input that carries one."""
    if text.lstrip().startswith("<?xml") and "?>" in text:
        return text[text.find("?>") + 2:]
    return text


def parse_html(text: str) -> Any:
    """Parse decoded HTML text into a tree rooted at <html>; never raises on bad markup."""
    # lxml rejects str input that carries an XML encoding declaration; the text is already
    # decoded, so the declaration is meaningless here (fix_encoding drops it from the output).
    text = without_xml_declaration(text)
    if not text.strip():
        text = "<html><head></head><body></body></html>"
    text = _drop_end_tags(text)
    if _has_non_xml_text(text):
        # libxml2 keeps control characters inside attribute names and values, where lxml can
        # then neither read nor delete them (ValueError): drop them before parsing. Browsers
        # render none of them; a `java\x01script:` URL becomes `javascript:` and is removed.
        text = _NOT_XML_TEXT.sub("", text)
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring(
            "<html><body></body></html>", parser=_PARSER)
        # lxml text must be XML-compatible: drop the control characters that broke the parse
        etree.SubElement(root.find("body"), "pre").text = _NOT_XML_TEXT.sub("", text)
    if root.tag != "html":  # a fragment-only answer: give it a document shell
        shell = lxml.html.document_fromstring("<html><body></body></html>", parser=_PARSER)
        shell.find("body").append(root)
        root = shell
    return root


def serialize(tree: Any) -> bytes:
    """Serialize once, as UTF-8, with an HTML5 doctype."""
    body = lxml.html.tostring(tree, encoding="utf-8", method="html")
    return DOCTYPE.encode() + b"\n" + body


def remove_keep_tail(node: Any) -> None:
    """Remove a node and its content but keep the text after it (lxml stores that text on the
    node itself as `.tail`, so a plain `parent.remove` would lose it)."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
