"""The page leaves as UTF-8, and what the visitor sends goes back in the origin's charset.

- One `<meta charset="utf-8">`, first in `<head>`; the origin's charset metas and XML
  declarations (which would contradict our UTF-8) are removed.
- Origin forms on a legacy-charset page get `accept-charset` with that charset: browsers then
  submit (GET query or POST body, urlencoded or multipart) exactly the bytes the original page
  produced. Characters outside the charset become `&#N;`, as they did on the original page.
- Links whose query holds non-ASCII text get it percent-encoded in the origin's charset, as the
  browser did when the page was GBK (now that it is UTF-8, it would use UTF-8).

Forms and links are handled in `finish`, so fragments that later transforms include are covered;
our own forms and links (under the proxy prefix) are left alone: our routes speak UTF-8.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import lxml.html
from lxml import etree

from proxy.encoding.detect import form_charset
from proxy.page import Page, remove_keep_tail
from proxy.pipeline import Transform

#: an XML declaration as older libxml2 HTML parsers kept it: a processing instruction "xml"
XML_DECLARATION = "xml"
_CONTENT_TYPE_CASE = str.maketrans("CONTENT-YP", "content-yp")  #: XPath translate()'s table
_FORMS = etree.XPath("//form[not(@accept-charset)]")
_LINKS_WITH_QUERY = etree.XPath("//a[contains(@href, '?')] | //area[contains(@href, '?')]")
#: what stays literal in a query (WHATWG query percent-encode set, minus non-ASCII)
QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "\"#<>'")


class FixEncoding(Transform):
    name = "fix_encoding"

    def prepare(self, page: Page) -> None:
        _declare_utf8(page)

    def finish(self, page: Page) -> None:
        charset = form_charset(page.encoding)
        for node in charset_metas(page.tree)[1:]:  # included fragments may bring their own
            node.getparent().remove(node)
        if charset is None:
            return
        for form in _FORMS(page.tree):
            if not _ours(form.get("action") or "", page):
                form.set("accept-charset", charset)
        for link in _LINKS_WITH_QUERY(page.tree):
            href = link.get("href")
            if not href.isascii() and not _ours(href, page):
                link.set("href", encode_query(href, page.encoding))


def charset_metas(root: Any) -> list[Any]:
    """`//meta[@charset] | //meta[translate(@http-equiv, 'CONTENT-YP', 'content-yp') =
    'content-type']`, from lxml's C tag iterator (a page has a few metas; the query's two
    branches each walked the whole tree)."""
    return [meta for meta in root.iter("meta") if _declares_charset(meta)]


def _declares_charset(meta: Any) -> bool:
    return meta.get("charset") is not None or (
        meta.get("http-equiv") or "").translate(_CONTENT_TYPE_CASE) == "content-type"


def charset_declarations(root: Any) -> list[Any]:
    """charset_metas(root) + `//processing-instruction('xml')`, from one C walk (with the
    root's siblings, which the query also reaches outside the root's subtree). lxml's HTML
    parser reads `<?xml ...?>` as a comment nowadays, so there are seldom any."""
    metas, declarations = [], []
    for node in root.iter("meta", etree.ProcessingInstruction):
        if node.tag == "meta":  # a processing instruction's tag is a function, not a name
            if _declares_charset(node):
                metas.append(node)
        elif node.target == XML_DECLARATION:
            declarations.append(node)
    before = [node for node in root.itersiblings(etree.ProcessingInstruction, preceding=True)
              if node.target == XML_DECLARATION]
    after = [node for node in root.itersiblings(etree.ProcessingInstruction)
             if node.target == XML_DECLARATION]
    return metas + before[::-1] + declarations + after


def _declare_utf8(page: Page) -> None:
    for node in charset_declarations(page.tree):
        remove_keep_tail(node)
    head = page.head
    meta = lxml.html.Element("meta", charset="utf-8")
    meta.tail = head.text
    head.text = None
    head.insert(0, meta)


def _ours(url: str, page: Page) -> bool:
    return page.prefix in url


def encode_query(url: str, codec: str) -> str:
    """Percent-encode the non-ASCII text of a URL's query (and fragment-less tail) in `codec`,
    the way a browser does for a page in that charset."""
    base, _, rest = url.partition("?")
    query, hash_mark, fragment = rest.partition("#")
    encoded = quote(query, safe=QUERY_SAFE, encoding=codec, errors="xmlcharrefreplace")
    return f"{base}?{encoded}{hash_mark}{fragment}"
