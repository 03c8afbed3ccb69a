"""Dates and short link phrases are never broken inside ("2019-09-/26", "加入收/藏").

The cause: to keep a long URL from widening a layout table, our text-size CSS lets a line break
anywhere (`overflow-wrap: anywhere`, EnlargeFonts and Reflow), which also makes every word's
narrowest width a single character; a fixed table then squeezes a date column or a short link
to one or two characters a line. Chinese text has no spaces to break at, so `word-break:
keep-all` would keep whole sentences together instead. What must stay whole is small and
recognisable: a date, and a link (or a bare span, what a script link leaves) of a few
characters (a menu item, 加入收藏). They get
`white-space: nowrap` (the class `a11y-nowrap`, styled by Reflow), which also makes the table
give them their whole width.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform

NOWRAP_CLASS = "a11y-nowrap"
#: a link this short (non-blank characters, no inner space) is a phrase, kept on one line;
#: at 200 % text eight CJK characters take under 260 px, inside a 320 px phone
SHORT_LINK = 8
#: 2019-09-26, 2019/9/26, 2019.09.26, 2019年9月26日 (a time after a date stays with it)
DATE = re.compile(r"(?:19|20)\d\d(?:([-/.])\d{1,2}\1\d{1,2}|年\d{1,2}月(?:\d{1,2}日)?)"
                  r"(?:[ T]\d{1,2}:\d\d(?::\d\d)?)?")
#: text nodes that may hold a date: one of the separators, found by libxml2's substring search
#: (a `translate()` of every text node to find digits copied each one, a whole page of text)
_MAY_HOLD_DATE = etree.XPath(
    "//body//text()[contains(., '-') or contains(., '/') or contains(., '.') or "
    "contains(., '年')][not(ancestor::script or ancestor::style or ancestor::textarea or "
    "ancestor::option or ancestor::title)]")
_SHORT_LINKS = etree.XPath(
    # a link, or what is left of a script's one (not a note that is read but not shown)
    "//body//*[self::a or self::span[not(*)][not(@class='a11y-visually-hidden')]]"
    # the raw length first: it rules out most headlines without normalising them
    f"[string-length(.) <= {SHORT_LINK * 8}]"
    f"[string-length(normalize-space(.)) > 1][string-length(normalize-space(.)) <= {SHORT_LINK}]"
    "[not(contains(normalize-space(.), ' '))][not(.//img or .//table or .//div)]"
    # ours, on a page proxied twice: the toolbar keeps its own layout
    "[not(@class='a11y-skip')][not(ancestor::nav[@id='a11y-toolbar'])]")


class KeepTogether(Transform):
    name = "keep_together"

    def finish(self, page: Page) -> None:
        for link in _SHORT_LINKS(page.tree):
            add_class(link, NOWRAP_CLASS)
        for text in _MAY_HOLD_DATE(page.tree):
            _wrap_dates(text)


def add_class(el: Any, name: str) -> None:
    classes = (el.get("class") or "").split()
    if name not in classes:
        el.set("class", " ".join([*classes, name]))


def _wrap_dates(text: Any) -> None:
    """Each date in the text node in a nowrap span; a parent that holds the date alone gets
    the class itself."""
    value = str(text)
    first = DATE.search(value)
    if first is None:
        return
    parent = text.getparent()
    if not text.is_tail and value.strip() == first.group() and len(parent) == 0:
        add_class(parent, NOWRAP_CLASS)
        return
    pieces: list[Any] = []  # str between dates, span per date
    last = 0
    for match in DATE.finditer(value):
        span = lxml.html.Element("span", {"class": NOWRAP_CLASS})
        span.text = match.group()
        pieces += [value[last:match.start()], span]
        last = match.end()
    _replace_text(parent, text.is_tail, pieces, value[last:])


def _replace_text(parent: Any, is_tail: bool, pieces: list[Any], rest: str) -> None:
    """Put `pieces` (text, span, text, span ...) then `rest` where the text node was."""
    if is_tail:  # the text after `parent`'s end tag, inside its parent
        parent.tail = pieces[0] or None
        anchor = parent
    else:
        parent.text = pieces[0] or None
        anchor = None
    spans = pieces[1::2]
    texts = [*pieces[2::2], rest]
    for span, after in zip(spans, texts, strict=True):
        span.tail = after or None
        if anchor is None:
            parent.insert(0, span)
        else:
            anchor.addnext(span)
        anchor = span
