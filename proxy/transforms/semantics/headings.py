"""Headings: every page gets one level-1 heading and a title that says what the page is.

An existing `<h1>` is kept; else the site rule's `heading` selector, else an article title the
page shows (a subheading, or text styled as a title) is promoted with a role, so it keeps its
look; else the document's title is inserted as a heading read but not shown. A title a CMS left
generic ("无标题文档") is replaced by that heading. Nothing is invented.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from proxy.heuristics.hints import words
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.semantics.shared import SR_ONLY, SR_ONLY_CLASS

# role queries start from the attribute: libxml2 then tests the few elements that have one,
# not every element of the page (H1S and MAIN from <body>: `descendant::` without `//body`'s
# pass over the whole tree). Only the first is used, and `(a | b)[1]` lets libxml2 stop the
# second pass at the first of `a`
H1S = etree.XPath("(descendant::h1 | descendant::*/@role[.='heading']/parent::*"
                  "[@aria-level='1'])[1]")
MAIN = etree.XPath("(descendant::main | descendant::*/@role[.='main']/..)[1]")
#: the subheadings that may be a page's title, in document order (`.//h2 | .//h3`): lxml's
#: iter by tag reads them in one lazy C-level pass, stopped at the first that fits, where the
#: union walked the scope twice and sorted every heading
SUBHEADING_TAGS = ("h2", "h3")
# `descendant::*[..]`, not `.//*[..]`: with a predicate libxml2 does not shorten `//`, and
# first gathers every node of the subtree (the same for the per-element queries elsewhere)
STYLED_TITLES = etree.XPath("descendant::*[self::p or self::font or self::td or self::div or "
                            "self::span or self::b or self::strong][@class or @id or @size or "
                            "@style]")
_LINKS_IN = etree.XPath(".//a")
#: titles that say nothing (CMS defaults); they are replaced by the page's heading
GENERIC_TITLES = frozenset({"", "无标题文档", "无标题页", "untitled document", "untitled",
                            "untitled page", "new page 1", "document", "index", "网页", "首页",
                            "home"})
#: class/id words of an article title that is not a heading element
TITLE_WORDS = frozenset({"tit", "bt", "biaoti", "h1", "headline"})
TITLE_SUFFIX = "title"  #: arttitle, boxtitle, newsTitle ...
#: a heading is between these many characters long
MIN_HEADING, MAX_HEADING = 2, 80
#: paths of a site's home page, whose level-1 heading is the site's name (from the <title>)
HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp",
                        "/index.php", "/index.asp", "/index.aspx", "/default.htm",
                        "/default.html", "/default.aspx", "/default.asp"})
#: font size that marks a styled title (px in style, or <font size>)
MIN_TITLE_PX, MIN_FONT_SIZE = 18, 5
_PX = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)px", re.I)


class Headings(Transform):
    name = "semantics.headings"
    switch = "semantics"

    def finish(self, page: Page) -> None:
        set_title(page, ensure_h1(page))


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def ensure_h1(page: Page) -> Any | None:
    """The page's level-1 heading: an existing one, the rule's, or a promoted article title."""
    root = page.tree
    body = root.find("body")
    existing = H1S(body) if body is not None else []
    if existing:
        return existing[0]
    candidate = None
    if page.rules.heading is not None:
        candidate = next(iter(page.rules.heading(root)), None)
    if candidate is None and urlsplit(page.url).path.lower() not in HOME_PATHS:
        candidate = _heuristic_title(root)
    if candidate is None:
        return _hidden_h1(page)
    return _promote(candidate)


def _hidden_h1(page: Page) -> Any | None:
    """No title on the page itself: the document's title, as a heading read but not shown, at
    the start of the main content (a home page's heading is the site's name)."""
    title = page.head.find("title")
    text = _clean("".join(title.itertext())) if title is not None else ""
    body = page.tree.find("body")
    mains = MAIN(body) if body is not None else []
    if not text or not mains:
        return None
    h1 = lxml.html.Element("h1", {"class": SR_ONLY_CLASS, "style": SR_ONLY})
    h1.text = text
    mains[0].insert(0, h1)
    h1.tail, mains[0].text = mains[0].text, None
    return h1


def _heuristic_title(root: Any) -> Any | None:
    body = root.find("body")
    mains = MAIN(body) if body is not None else []
    scope = mains[0] if mains else body
    if scope is None:
        return None
    for el in scope.iterdescendants(*SUBHEADING_TAGS):
        if MIN_HEADING <= len(_clean("".join(el.itertext()))) <= MAX_HEADING:
            return el
    for el in STYLED_TITLES(scope):
        # the title test of the class/id words and the size test's attributes come first:
        # most styled elements fail them, and reading the text is the costly part
        titled = _is_titled(f"{el.get('class') or ''} {el.get('id') or ''}")
        if not titled and not _may_look_big(el):
            continue
        text = _clean("".join(el.itertext()))
        if not MIN_HEADING <= len(text) <= MAX_HEADING or _LINKS_IN(el):
            continue
        if titled or _looks_big(el):
            return el
    return None


@functools.lru_cache(maxsize=4096)
def _is_titled(marks: str) -> bool:
    """Do these class and id values name an article title (`TITLE_WORDS`, `...title`)? A pure
    function of the string, and a page's styled elements repeat a few class values (splitting
    one into words is most of the test): memoised."""
    found = words(marks)
    return bool(set(found) & TITLE_WORDS) or any(w.endswith(TITLE_SUFFIX) for w in found)


def _may_look_big(el: Any) -> bool:
    """Does `_looks_big` have anything to go by (a px font size, a <font size>)? Asked first
    because it cannot fail: `_looks_big` itself is asked only where it was before."""
    return _PX.search(el.get("style") or "") is not None or (
        el.tag == "font" and el.get("size") is not None)


def _looks_big(el: Any) -> bool:
    m = _PX.search(el.get("style") or "")
    if m and float(m.group(1)) >= MIN_TITLE_PX:
        return True
    size = (el.get("size") or "").strip().lstrip("+")
    return el.tag == "font" and size.isdigit() and int(size) >= MIN_FONT_SIZE


def _promote(el: Any) -> Any:
    """Level 1 without touching the look: a role on the element (so the site's CSS for
    `h2.title` still applies), or a heading wrapper inside a table cell."""
    if el.tag in ("td", "th"):
        inner = lxml.html.Element("div")
        inner.text, el.text = el.text, None
        for child in list(el):
            inner.append(child)
        el.append(inner)
        el = inner
    el.set("role", "heading")
    el.set("aria-level", "1")
    return el


def set_title(page: Page, heading: Any | None) -> None:
    head = page.head
    title = head.find("title")
    if title is None:
        title = etree.SubElement(head, "title")
    current = _clean("".join(title.itertext()))
    if current.lower() not in GENERIC_TITLES:
        return
    text = _clean("".join(heading.itertext())) if heading is not None else ""
    if text:
        title.text = text
        for child in list(title):
            title.remove(child)
