"""Semantics: repair what assistive technology reads, by rule first and heuristic second.

This module does the document level: `<html lang>` from the text, a `<title>`, one level-1
heading, a viewport that allows zoom, no moving `<marquee>`. Images, forms, links/frames and
tables have their own modules (semantics_*.py), called from here in one `finish`.
Nothing is invented: names come from the page, its rules, or the pages it links to.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from .. import langdetect
from ..page import Page
from ..pipeline import Transform
from . import (
    semantics_aria,
    semantics_forms,
    semantics_images,
    semantics_links,
    semantics_lists,
    semantics_prompts,
    semantics_tables,
)
from .hints import words
from .semantics_links import SR_ONLY, SR_ONLY_CLASS, XML_SPACE

# plain strings (smart_strings=False): only the characters are read, and a smart string is a
# Python object tied to its text node; `descendant::` is a step cheaper than `//`
TITLE_TEXT = etree.XPath("//head/title//text()", smart_strings=False)
#: elements whose text is not the page's (code, or shown only without scripts)
NOT_TEXT = ("script", "style", "noscript")
STRING_VALUE = etree.XPath("string()", smart_strings=False)
XML_LANG = "xml:lang"  #: as the HTML parser stores it (a plain name, no namespace)
# role queries start from the attribute: libxml2 then tests the few elements that have one,
# not every element of the page (H1S and MAIN: 0.26 -> 0.15, 0.39 -> 0.16 ms per page)
# (H1S and MAIN from <body>: `descendant::` without `//body`'s pass over the whole tree). Only
# the first is used, and `(a | b)[1]` lets libxml2 stop the second pass at the first of `a`
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
_ZOOM_BLOCKERS = re.compile(r"\s*(user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*[\d.]+|"
                            r"minimum-scale\s*=\s*[\d.]+)\s*,?", re.I)


class Semantics(Transform):
    name = "semantics"

    def __init__(self) -> None:
        #: per pipeline (one per app): titles of linked pages, so views do not refetch them
        self.titles = semantics_links.TitleCache()

    async def gather(self, page: Page, fetch: Any) -> None:
        await semantics_links.gather_titles(page, fetch, self.titles)

    def finish(self, page: Page) -> None:
        root = page.tree
        tags = _DocumentTags(root)
        set_lang(root, tags.not_text)
        heading = ensure_h1(page)
        set_title(page, heading)
        allow_zoom(tags.metas)
        for el in tags.moving:  # moving text (axe: marquee); its content stays, still
            el.tag = "div"
            for attr in ("scrollamount", "direction", "behavior", "loop", "scrolldelay"):
                el.attrib.pop(attr, None)
        semantics_lists.repair(page)
        semantics_images.repair(page)
        semantics_prompts.repair(page)  # before labels: a placeholder can name a field
        semantics_forms.repair(page)
        semantics_links.repair(page)
        semantics_tables.repair(page)
        semantics_aria.repair(page)


class _DocumentTags:
    """The elements of the few tags the document-level steps look for, from one C-level pass
    (lxml's iter by tag makes proxies only for them) instead of one query per step: every
    <meta> (`//meta`), and in the body the moving text (<marquee>, <blink>) and the tags of
    `NOT_TEXT`. The steps that use them run first and insert none of these tags."""

    def __init__(self, root: Any) -> None:
        body = root.find("body")
        self.metas: list[Any] = []
        self.moving: list[Any] = []
        not_text = set()
        for child in root:
            if child is not body:
                self.metas.extend(child.iter("meta"))
                continue
            for el in body.iter("meta", "marquee", "blink", *NOT_TEXT):
                if el.tag == "meta":
                    self.metas.append(el)
                elif el.tag in NOT_TEXT:
                    not_text.add(el.tag)
                else:
                    self.moving.append(el)
        self.not_text = frozenset(not_text)  #: the `NOT_TEXT` tags the body has


def set_lang(root: Any, not_text: frozenset[str]) -> None:
    """`lang` from the text (the title's when the body has none); a right but misspelt tag
    (`zh_cn`) is written as BCP 47 (`zh-CN`), and `xml:lang` says the same as `lang`.
    `not_text`: the `NOT_TEXT` tags in the body (`_DocumentTags`)."""
    text = _body_text(root, not_text) or "".join(TITLE_TEXT(root))
    detected = langdetect.detect(text)
    existing = (root.get("lang") or root.get(XML_LANG) or "").strip()
    if detected is not None and (not existing or not langdetect.agrees(existing, detected)):
        root.set("lang", detected)
    elif existing:
        root.set("lang", bcp47(existing))
    if root.get(XML_LANG) is not None and root.get("lang"):
        root.set(XML_LANG, root.get("lang"))


def bcp47(tag: str) -> str:
    """`zh_cn` -> `zh-CN`, `ZH-hans-cn` -> `zh-Hans-CN`: the case and separator BCP 47 writes."""
    parts = [p for p in tag.replace("_", "-").split("-") if p]
    out = parts[:1] and [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 and part.isalpha() else
                   part.upper() if len(part) == 2 else part.lower())
    return "-".join(out) or tag


def _body_text(root: Any, present: frozenset[str]) -> str:
    """The body's text for langdetect: its non-blank text nodes outside `NOT_TEXT` elements,
    joined, up to the first past langdetect.SAMPLE characters; "" if there is none.
    `present`: the `NOT_TEXT` tags the body has (`_DocumentTags`)."""
    body = root.find("body")
    if body is None:
        return ""
    # a test `not(ancestor::x)` for each text node is most of the query's time: only the tags
    # the body has are tested (_DocumentTags' one C-level pass found them)
    if not present:
        text = STRING_VALUE(body)
        if len(text) <= langdetect.SAMPLE:
            # all of the body's text nodes: the blank ones add only white space, which
            # langdetect neither counts nor (the whole text fits the sample) is cut by
            return text if text.strip(XML_SPACE) else ""
    return "".join(_limited(_text_nodes(present)(body)))


@functools.cache
def _text_nodes(not_text: frozenset[str]) -> Any:
    """The query for the non-blank text nodes not inside an element of these tags."""
    outside = "".join(f"[not(ancestor::{tag})]" for tag in sorted(not_text))
    return etree.XPath(f"descendant::text()[normalize-space()]{outside}", smart_strings=False)


def _limited(texts: list, limit: int = langdetect.SAMPLE) -> list:
    out, size = [], 0
    for t in texts:
        out.append(t)
        size += len(t)
        if size > limit:
            break
    return out


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


def allow_zoom(metas: list[Any]) -> None:
    """A viewport that lets the reader zoom. `metas`: the document's <meta>s (`_DocumentTags`)."""
    # `translate(@name, 'VIEWPORT', 'viewport') = 'viewport'`: no other character lowers to
    # one of these letters, so str.lower says the same of the name
    for meta in metas:
        if (meta.get("name") or "").lower() != "viewport":
            continue
        content = meta.get("content") or ""
        fixed = _ZOOM_BLOCKERS.sub("", content).strip().strip(",").strip()
        if fixed != content.strip():
            meta.set("content", fixed or "width=device-width, initial-scale=1")
