"""Text that really gets bigger at the visitor's text step (`page.prefs.text`, in percent).

Legacy pages fix sizes in px in `<style>`, `style=""` and `<font size>`, and lay text out in
fixed-width tables, so a root font size alone changes nothing. Measured in Chromium (see
tests/browser/test_fonts_browser.py and the report in the commit): rewriting the page's own
sizes through tinycss2 (proxy/css/fonts.py) plus a base rule for unsized text gives the step's
ratio; CSS `zoom` also scales the boxes, so every fixed-width layout scrolls sideways.

At 100 % the page is left exactly as the origin made it. Linked stylesheets get the same
rewrite in proxy/http/resources.py (`scale_css_resource`).
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from proxy.css.fonts import KEYWORD_PX, scale_style_attribute, scale_stylesheet, scaled_px
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.visitor.schemes import colours

#: id of our base rules; also marks a page that already went through the proxy (idempotence)
BASE_STYLE_ID = "a11y-font-base"
#: Chromium's UA sheet gives form controls a fixed 13.333px that the root size does not reach
FORM_CONTROL_PX = 40 / 3
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
        factor = page.prefs.text / 100
        if factor == 1:
            return
        sized = sized_nodes(page.tree)
        # our base rules are a <style>, and every <style> is in `sized`: looking there spares
        # a whole-tree id query (lxml's get_element_by_id)
        if any(el.tag == "style" and el.get("id") == BASE_STYLE_ID for el in sized):
            return
        # the contrast floor shares this one parse of each <style> (see ContrastFloor)
        floor = colours(page.prefs.scheme) is None
        for el in sized:
            _rewrite_element(el, factor, floor)
        head = page.head
        # right after FixEncoding's <meta charset> (which must stay first), before site CSS
        first = head[0] if len(head) else None
        at = 1 if first is not None and first.tag == "meta" and first.get("charset") else 0
        head.insert(at, _base_style(factor))
        page.notes.append(f"enlarge_fonts: text scaled x{factor:g}")


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


def _rewrite_element(el, factor: float, floor: bool = False) -> None:
    tag = el.tag
    if tag == "style":
        if el.text:
            el.text = scale_stylesheet(el.text, factor, floor)
        return
    style = el.get("style")
    if style:
        el.set("style", scale_style_attribute(style, factor, tag))
    if tag == "font" and (px := legacy_font_px(el.get("size", ""))) is not None:
        # a style attribute's own font-size (already scaled) wins over the legacy size
        declared = el.get("style", "")
        if "font-size" not in declared.lower():
            el.set("style", f"font-size:{scaled_px(px, factor)};{declared}")
    elif tag in ("table", "td", "th"):
        _let_table_yield(el)


def _let_table_yield(el) -> None:
    """Fixed table and cell widths give way, so bigger text wraps instead of spilling out."""
    el.attrib.pop("nowrap", None)
    width = (el.get("width") or "").strip().lower().removesuffix("px")
    if not width.replace(".", "", 1).isdigit():
        return  # percentages and empty values already yield
    del el.attrib["width"]
    if el.tag == "table" and float(width) >= FRAME_WIDTH_PX:
        el.set("style", f"width:100%;max-width:{width}px;{el.get('style', '')}")


def legacy_font_px(size: str) -> float | None:
    """`<font size>` as px at the default 16px medium: "2" -> 13, "+1" -> 18; None if invalid."""
    size = size.strip()
    try:
        number = int(size)
    except ValueError:
        return None
    if size[0] in "+-":
        number += DEFAULT_FONT_SIZE
    keyword = FONT_SIZE_KEYWORDS[min(max(number, 1), 7) - 1]
    return KEYWORD_PX[keyword]


def _base_style(factor: float) -> etree._Element:
    """Rules for text the page does not size itself; before the site's CSS, so the page's own
    (scaled) rules still win where they exist."""
    style = lxml.html.Element("style", id=BASE_STYLE_ID)
    style.text = (
        f"html{{font-size:{factor * 100:g}%}}"
        f"input,select,textarea,button{{font-size:{scaled_px(FORM_CONTROL_PX, factor)}}}"
        # a radio button or check box is drawn at a fixed 13 px whatever its font size
        "input[type=radio],input[type=checkbox]{width:1em;height:1em}"
        # a select is as wide as its longest option: a row of them would push the page wide
        "img,input,textarea{max-width:100%}img{height:auto}select{max-width:15em}"
        "pre{white-space:pre-wrap}"
        # `anywhere` (unlike break-word) also narrows auto tables: a long URL wraps instead of
        # widening its layout table past the window
        "body{overflow-wrap:anywhere}")
    return style
