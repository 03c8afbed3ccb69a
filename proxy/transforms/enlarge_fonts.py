"""Text that really gets bigger at the visitor's text step, written once for every step.

Legacy pages fix sizes in px in `<style>`, `style=""` and `<font size>`, and lay text out in
fixed-width tables, so a root font size alone changes nothing. Measured in Chromium (see
tests/browser/test_fonts_browser.py): rewriting the page's own sizes through tinycss2
(proxy/css/fonts.py) plus a base rule for unsized text gives the step's ratio; CSS `zoom` also
scales the boxes, so every fixed-width layout scrolls sideways.

The rewrite does not depend on the step (issue 18): sizes become `calc(… * var(--a11y-text, 1))`
and the fixed boxes that must yield above 100 % are marked (`data-a11y-font`,
`data-a11y-yield`); the first `<style>` of <head> (`a11y-font-base`) sets the switches and holds
the rules for the marks, and is filled per visitor by proxy/visitor/splice.py. At 100 % the
page renders exactly as the origin made it. Linked stylesheets get the same rewrite in
proxy/http/resources.py (`scale_css_resource`).
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from proxy.css.fonts import rewrite_style_attribute, rewrite_stylesheet
from proxy.css.valid import KEYWORD_PX
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.visitor.splice import (
    BASE,
    FONT_ATTRIBUTE,
    FRAME_VAR,
    YIELD_ATTRIBUTE,
    base_css,
    placeholder,
)

#: id of our base rules; also marks a page that already went through the proxy (idempotence)
BASE_STYLE_ID = "a11y-font-base"
#: `<font size=1..7>` in CSS keywords (HTML Living Standard, "legacy font size")
FONT_SIZE_KEYWORDS = ("x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large")
DEFAULT_FONT_SIZE = 3  #: what `<font size="+1">` is relative to
#: at or above this an HTML `width` is a page frame (keep it full but let it narrow)
FRAME_WIDTH_PX = 600
#: elements with a `style` attribute, found in C (an attribute step: cheaper than `//*[@style]`)
STYLED = etree.XPath("//@style/..")
#: tags whose own text or attributes carry a size or a fixed box: found by lxml's C tag
#: iterator (the seven `//style | //font[@size] | //table[@width] | ...` branches of one query
#: each walked the whole tree)
SIZED_TAGS = ("style", "font", "table", "td", "th")


class EnlargeFonts(Transform):
    name = "enlarge_fonts"

    def finish(self, page: Page) -> None:
        sized = sized_nodes(page.tree)
        # our base rules are a <style>, and every <style> is in `sized`: looking there spares
        # a whole-tree id query (lxml's get_element_by_id)
        if any(el.tag == "style" and el.get("id") == BASE_STYLE_ID for el in sized):
            return
        # the contrast floor shares this one parse of each <style> (see ContrastFloor)
        floor = page.rules.enabled("contrast_floor")
        for el in sized:
            _rewrite_element(el, floor)
        insert_base_style(page, scaled=True, floored=floor)
        page.notes.append("enlarge_fonts: sizes follow the text step")


def insert_base_style(page: Page, scaled: bool, floored: bool) -> None:
    """The base hole: right after FixEncoding's <meta charset> (which must stay first), before
    site CSS. For a page rewritten outside the HTTP path (`page.splice` None) it is filled for
    `page.prefs` at once."""
    style = lxml.html.Element("style", id=BASE_STYLE_ID)
    if page.splice is not None:
        style.text = placeholder(BASE)
        page.splice.update(scaled=scaled, floored=floored)
    else:
        style.text = base_css(page.prefs, scaled, floored)
    head = page.head
    first = head[0] if len(head) else None
    at = 1 if first is not None and first.tag == "meta" and first.get("charset") else 0
    head.insert(at, style)


def sized_nodes(root: Any) -> list[Any]:
    """Every node that carries a size or a fixed box, once each: the styled elements in
    document order, then the other <style>, <font size>, <table width> and <td>/<th> with a
    width or nowrap. The order is free: each element's rewrite reads and changes only its own
    text and attributes."""
    styled = STYLED(root)
    seen = set(styled)  # lxml hands out one proxy per node while it is referenced
    return styled + [el for el in root.iter(*SIZED_TAGS) if el not in seen and _sized(el)]


def _sized(el: Any) -> bool:
    tag = el.tag
    if tag == "font":
        return el.get("size") is not None
    if tag == "table":
        return el.get("width") is not None
    if tag in ("td", "th"):
        return el.get("width") is not None or el.get("nowrap") is not None
    return True  # <style>


def _rewrite_element(el, floor: bool = False) -> None:
    tag = el.tag
    if tag == "style":
        if el.text:
            el.text = rewrite_stylesheet(el.text, scale=True, floor=floor)
        return
    style = el.get("style")
    if style:
        el.set("style", rewrite_style_attribute(style, tag))
    if tag == "font" and (keyword := legacy_font_keyword(el.get("size", ""))) is not None:
        # a style attribute's own font-size wins over the legacy size
        if "font-size" not in el.get("style", "").lower():
            el.set(FONT_ATTRIBUTE, keyword)
    elif tag in ("table", "td", "th"):
        _let_table_yield(el)


def _let_table_yield(el) -> None:
    """Fixed table and cell widths are marked to give way above 100 %, so bigger text wraps
    instead of spilling out (the base hole's rules undo the HTML width and nowrap then)."""
    words = ["nowrap"] if el.get("nowrap") is not None else []
    width = (el.get("width") or "").strip().lower().removesuffix("px")
    if width.replace(".", "", 1).isdigit():  # percentages and empty values already yield
        words.append("w")
        style = el.get("style", "")
        # a page frame keeps its width but may narrow; an inline width of its own wins anyway
        if el.tag == "table" and float(width) >= FRAME_WIDTH_PX and "width" not in style.lower():
            words.append("frame")
            el.set("style", f"{FRAME_VAR}:{width}px;{style}")
    if words:
        el.set(YIELD_ATTRIBUTE, " ".join(words))


def legacy_font_keyword(size: str) -> str | None:
    """`<font size>` as its CSS keyword: "2" -> small, "+1" -> large; None if invalid."""
    size = size.strip()
    try:
        number = int(size)
    except ValueError:
        return None
    if size[0] in "+-":
        number += DEFAULT_FONT_SIZE
    return FONT_SIZE_KEYWORDS[min(max(number, 1), 7) - 1]


def legacy_font_px(size: str) -> float | None:
    """`<font size>` as px at the default 16px medium: "2" -> 13, "+1" -> 18; None if invalid."""
    keyword = legacy_font_keyword(size)
    return None if keyword is None else KEYWORD_PX[keyword]
