"""Content the origin loads by script from itself is fetched on the server and put in place.

Declared by a site rule (`include: [{selector, url, position}]`) or found in inline scripts where
the pattern is unambiguous: `$.get('/x', function(d){ $('#id').html(d) })` and
`$('#id').load('/x')` with a literal same-origin URL. Bounded: at most `MAX_INCLUDES` fetches
per page, each capped in size and time by the fetcher, and never recursive (a fragment's own
scripts are removed with the page's, and includes are gathered once, before any insertion).
"""

from __future__ import annotations

import asyncio
import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from proxy.encoding.detect import decode_html
from proxy.page import Page, parse_html
from proxy.pipeline import Transform

MAX_INCLUDES = 8  #: fetches per page: a page that loads more is not a menu, it is an app
#: parsed fragments kept (per body, type, encoding rule and link base): a site's nav fragment is
#: the same on every page, and decoding + parsing it for each page would repeat the same work
PARSED_FRAGMENTS = 32
#: answers we insert as markup (jQuery's .html()/.load() would parse these too)
FRAGMENT_TYPES = ("text/html", "text/plain", "application/xhtml+xml", "")
_JQ = r"(?:\$|jQuery)"
_STR = r"""(['"])([^'"\\\s]+)"""  # a literal URL without quotes, escapes or spaces
#: $.get('/x', function(data){ $('#id').html(data) ...
_GET_HTML = re.compile(
    _JQ + r"\s*\.\s*get\s*\(\s*" + _STR + r"\1\s*,\s*function\s*\(\s*(\w+)\s*\)\s*\{\s*"
    + _JQ + r"""\s*\(\s*(['"])#([\w-]+)\4\s*\)\s*\.\s*html\s*\(\s*\3\s*\)""")
#: $('#id').load('/x') (no fragment selector after the URL: that would be a part of it)
_LOAD = re.compile(_JQ + r"""\s*\(\s*(['"])#([\w-]+)\1\s*\)\s*\.\s*load\s*\(\s*""" + _STR
                   + r"\3\s*[,)]")
#: the method calls the patterns need, literal-led: sre scans for a literal prefix far faster
#: than for _JQ's `$`/`j` (inline scripts are mostly library code full of both)
_GET_CALL = re.compile(r"get\s*\(\s*['\"]")
_LOAD_CALL = re.compile(r"load\s*\(\s*['\"]")
_BY_ID = etree.XPath("//*[@id=$id]")


#: set on what an include filled or inserted: a page proxied twice is not filled again
INCLUDED = "data-a11y-included"


@dataclass(frozen=True)
class Fetched:
    """A fragment fetched in `gather`, waiting to be inserted in `prepare`."""

    target: Any  #: the element it goes into (found before any change to the tree)
    path: str
    position: str
    body: bytes
    content_type: str | None


class Includes(Transform):
    name = "includes"

    async def gather(self, page: Page, fetch: Any) -> None:
        wanted = _wanted(page)[:MAX_INCLUDES]
        answers = await asyncio.gather(*(fetch(path) for _, path, _ in wanted))
        found = page.includes.setdefault(self.name, [])
        for (target, path, position), answer in zip(wanted, answers, strict=True):
            if answer is None:
                page.notes.append(f"include {path}: not fetched")
                continue
            body, content_type = answer
            found.append(Fetched(target, path, position, body, content_type))

    def prepare(self, page: Page) -> None:
        for item in page.includes.get(self.name, ()):
            kind = (item.content_type or "").split(";")[0].strip().lower()
            if kind not in FRAGMENT_TYPES:
                page.notes.append(f"include {item.path}: {kind} is not markup")
                continue
            nodes = _parse_fragment(item, page)
            if item.position == "replace":
                for node in nodes:
                    if not isinstance(node, str):
                        node.set(INCLUDED, item.path)
            else:
                item.target.set(INCLUDED, item.path)
            _insert(item.target, nodes, item.position)
            page.notes.append(f"include {item.path} -> {item.position} #{item.target.get('id')}")


def _wanted(page: Page) -> list[tuple[Any, str, str]]:
    """(target element, origin path, position) of every include, rules first, no duplicates."""
    wanted: list[tuple[Any, str, str]] = []
    for include in page.rules.include:
        matches = include.selector(page.tree)
        if matches and matches[0].get(INCLUDED) is None:
            wanted.append((matches[0], include.url, include.position))
    for target_id, url in _scripted(page.tree):
        path = same_origin_path(url, page.url)
        targets = _BY_ID(page.tree, id=target_id)
        if path and len(targets) == 1 and targets[0].get(INCLUDED) is None \
                and all(t is not targets[0] for t, _, _ in wanted):
            wanted.append((targets[0], path, "inner"))
    return wanted


def _scripted(root: Any) -> list[tuple[str, str]]:
    """(element id, URL) pairs that inline scripts load with jQuery."""
    found = []
    for text in _inline_script_texts(root):
        # each pattern needs its method's call: a literal-led search skips the regex scan (it
        # tries its `$`/`jQuery` alternation at every position of every script)
        if "html" in text and _GET_CALL.search(text):
            found += [(m.group(5), m.group(2)) for m in _GET_HTML.finditer(text)]
        if _LOAD_CALL.search(text):
            found += [(m.group(2), m.group(4)) for m in _LOAD.finditer(text)]
    return found


def _inline_script_texts(root: Any) -> list[str]:
    """`//script[not(@src)]/text()`: from lxml's C tag iterator, cheaper than the query.
    A parsed script holds one text node, but the tails of any children are text nodes too."""
    texts = []
    for script in root.iter("script"):
        if script.get("src") is None:
            texts += [text for text in (script.text, *(child.tail for child in script)) if text]
    return texts


def same_origin_path(url: str, page_url: str) -> str | None:
    """`url` as a path (with query) on the page's origin, or None if it leaves the origin."""
    absolute = urljoin(page_url, url.strip())
    parts, page_parts = urlsplit(absolute), urlsplit(page_url)
    if (parts.scheme, parts.netloc) != (page_parts.scheme, page_parts.netloc):
        return None
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _parse_fragment(item: Fetched, page: Page) -> list[Any]:
    base = urljoin(page.url, item.path)
    # relative URLs are the fragment's own when it lives in another directory than the page
    absolute = base if urljoin(page.url, ".") != urljoin(base, ".") else None
    parsed = _parsed_body(item.body, item.content_type, page.rules.encoding, absolute)
    if parsed is None:
        return []
    body = copy.deepcopy(parsed)  # the cached tree is never handed out
    nodes = list(body)
    return ([body.text] if body.text else []) + nodes


@lru_cache(maxsize=PARSED_FRAGMENTS)
def _parsed_body(raw: bytes, content_type: str | None, encoding: str | None,
                 absolute_base: str | None) -> Any | None:
    """The fragment's <body>, links made absolute against `absolute_base` if given."""
    text = decode_html(raw, content_type, encoding).text
    if not text.strip():
        return None
    body = parse_html(text).find("body")
    if body is not None and absolute_base is not None:
        body.make_links_absolute(absolute_base, resolve_base_href=False,
                                 handle_failures="ignore")
    return body


def _insert(target: Any, nodes: list[Any], position: str) -> None:
    """Put text and elements inside (`inner`, `append`) or instead of (`replace`) `target`."""
    if position == "inner":
        for child in list(target):
            target.remove(child)
        target.text = None
    if position == "replace":
        parent = target.getparent()
        holder = lxml.html.Element("div")  # collect, then splice into the parent in place
        _append_all(holder, nodes)
        index = parent.index(target)
        tail = target.tail
        parent.remove(target)
        _splice(parent, index, holder, tail)
        return
    _append_all(target, nodes)


def _append_all(el: Any, nodes: list[Any]) -> None:
    for node in nodes:
        if isinstance(node, str):
            if len(el):
                el[-1].tail = (el[-1].tail or "") + node
            else:
                el.text = (el.text or "") + node
        else:
            el.append(node)


def _splice(parent: Any, index: int, holder: Any, tail: str | None) -> None:
    lead = (holder.text or "")
    prev = parent[index - 1] if index > 0 else None
    if prev is not None:
        prev.tail = (prev.tail or "") + lead
    else:
        parent.text = (parent.text or "") + lead
    children = list(holder)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if tail:
        last = children[-1] if children else prev
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
