"""The text-only view and reading mode (the visitor's `view` preference).

Text only: every image is replaced by its alt text (decorative ones, alt="", go), and layout
tables are marked so our stylesheet lays them out as one column (data tables stay tables).

Reading mode: the main content alone, found by the site rule's `reading_mode` selector, else by
a readability heuristic (heuristics/readability.py), else the whole page is kept. The article title,
its date/source line, attachment links and data tables near the content are always kept with
it: losing them would lose information, not clutter.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from proxy.heuristics.readability import find_content
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.landmarks.dom import in_document_order

ALT_CLASS = "a11y-alt"
LINEAR_CLASS = "a11y-linear"
MAIN_ID = "a11y-main"
IMAGES = etree.XPath("//img | //input[@type='image']")
TABLES = etree.XPath("//table")
#: a table is data (kept a table) when it has one of these of its own (not a nested table's)
DATA_PARTS = etree.XPath(".//th | .//caption | .//thead")
#: `role` as an attribute step: the node-set of `//main | //*[@role='main']`, but libxml2
#: tests only the elements that have a role
MAINS = etree.XPath("//main | //@role[.='main']/..")
TITLE = etree.XPath("(//h1)[1]")
#: without an <h1> or a heading rule: the closest heading before the content
NEAREST_HEADING = etree.XPath("preceding::*[self::h1 or self::h2 or self::h3][1]")
#: the article's date/source line: the smallest element saying when or from whom
#: (written for libxml2's evaluation, the same elements: the innermost-block test first, so
#: each text test, which builds the element's whole string, runs on the innermost blocks only;
#: 信息来源 is not tested apart, as it holds 来源)
META_LINE = etree.XPath(
    ".//*[self::p or self::div or self::td or self::span or self::li or self::dd]"
    "[not(.//p or .//div or .//td or .//table)]"
    "[contains(., '发布日期') or contains(., '发布时间') or contains(., '来源') or "
    "contains(., '日期：') or contains(., '时间：')]")
#: an attachment's file name (what `re:test(@href, ..., 'i')` tested in the query: lxml ran
#: that EXSLT test as a Python call per link; a plain search over the hrefs needs none)
ATTACHMENT_HREF = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|wps|et|zip|rar|7z|ofd|txt)(\?|#|$)",
                             re.IGNORECASE)
LINKS = etree.XPath("//a")
LINKS_NEAR_ATTACHMENT_WORD = etree.XPath("//a[contains(string(..), '附件')]")
#: how far up from an attachment link we look for its block (p, li, div, td)
ATTACHMENT_BLOCKS = ("p", "li", "div", "td", "dd", "ul", "ol")
TABLE_PARTS = frozenset({"td", "th", "tr", "tbody", "thead", "tfoot", "caption"})
META_TEXT_LIMIT = 200  #: a longer block is content, not a date/source line
_ALT_SPACE = re.compile(r"\s+")


class ReadingViews(Transform):
    name = "reading_views"

    def prepare(self, page: Page) -> None:
        view = page.prefs.view
        if view == "text":
            _text_only(page)
        elif view == "reading":
            _reading_mode(page)
            _linearise(page)


def is_data_table(table: Any) -> bool:
    """Headers, a caption or a summary of its own, or a visible border (articles often have
    td-only data tables with border="1"; layout tables have border="0" or none)."""
    if (table.get("summary") or "").strip() or (table.get("border") or "0").strip() not in (
            "0", "", "none"):
        return True
    return any(next(part.iterancestors("table"), None) is table for part in DATA_PARTS(table))


def _linearise(page: Page) -> None:
    for table in TABLES(page.tree):
        if not is_data_table(table):
            table.set("class", f"{table.get('class', '')} {LINEAR_CLASS}".strip())
            table.set("role", "presentation")


def _text_only(page: Page) -> None:
    for img in IMAGES(page.tree):
        alt = _ALT_SPACE.sub(" ", img.get("alt") or "").strip()
        if img.tag == "input":  # an image button stays a button, with its text
            img.set("type", "submit")
            img.set("value", alt or "提交")
            continue
        if alt:
            span = lxml.html.Element("span", {"class": ALT_CLASS})
            span.text = f"[{alt}]"
            span.tail = img.tail
            img.getparent().replace(img, span)
        else:
            img.drop_tree()
    _linearise(page)


def _reading_mode(page: Page) -> None:
    content = _content(page)
    if content is None:
        page.notes.append("reading_views: no main content found; whole page kept")
        return
    kept = [content]
    title = (TITLE(page.tree) or (page.rules.heading(page.tree)[:1] if page.rules.heading
                                  else []) or NEAREST_HEADING(content))
    kept += [el for el in title if not _inside(el, content)]
    scope = next((m for m in MAINS(page.tree) if _inside(content, m)), page.body)
    kept += [el for el in META_LINE(scope)
             if len(el.text_content()) <= META_TEXT_LIMIT and not _inside(el, content)][:1]
    kept += [_block(a) for a in attachment_links(page.tree) if not _inside(a, content)]
    kept += [t for t in TABLES(page.tree) if is_data_table(t) and not _inside(t, content)]
    kept = _outermost(kept)
    body = page.body
    main = lxml.html.Element("main", {"id": MAIN_ID, "class": "a11y-reading"})
    for el in in_document_order(page.body, kept):
        el.tail = None
        if el.tag in TABLE_PARTS:  # a cell alone is no longer in a table
            el.tag = "div"
        main.append(el)  # moves the element out of its old place
    for child in list(body):
        body.remove(child)
    body.text = None
    body.append(main)
    for inner in MAINS(main):  # one main only: a kept element may have been the old one
        if inner is not main:
            if inner.get("role") == "main":
                del inner.attrib["role"]
            if inner.tag == "main":
                inner.tag = "div"
    page.notes.append(f"reading_views: kept {len(kept)} blocks")


def attachment_links(root: Any) -> list[Any]:
    """Links to a document file or next to the word 附件, in document order."""
    near_word = set(LINKS_NEAR_ATTACHMENT_WORD(root))  # one proxy per node while referenced
    return [a for a in LINKS(root)
            if ATTACHMENT_HREF.search(a.get("href") or "") or a in near_word]


def _content(page: Page) -> Any:
    selector = page.rules.reading_mode
    if selector is not None and (found := selector(page.tree)):
        return found[0]
    return find_content(page.body, page.rules.tunables)


def _inside(el: Any, container: Any) -> bool:
    return any(ancestor is container for ancestor in el.iterancestors()) or el is container


def _block(link: Any) -> Any:
    for ancestor in link.iterancestors():
        if ancestor.tag in ATTACHMENT_BLOCKS:
            return ancestor
        if ancestor.tag == "body":
            break
    return link


def _outermost(elements: list[Any]) -> list[Any]:
    """Drop duplicates, elements inside another kept element, and <body> itself."""
    # lxml hands out one proxy per node while it is referenced: a dict of them is a set of
    # nodes, in first-seen order; one look up the ancestors of each (not a test against
    # every other kept element)
    unique = dict.fromkeys(el for el in elements if el.tag != "body")
    return [el for el in unique if not any(ancestor in unique for ancestor in el.iterancestors())]
