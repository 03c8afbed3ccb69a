"""Pages that reflow on a phone (WCAG 1.4.10): a viewport, one column, tables that scroll alone.

Legacy pages are desktop tables 1000 px wide without a `<meta name=viewport>`: a phone lays
them out 980 px wide and shrinks the result, so text is tiny and the text-size step cannot
help. This step gives such pages a viewport (and replaces a fixed-width one), and our CSS lays
them out in one column below `BREAKPOINT_PX` (see `NARROW_CSS`): layout tables and
fixed-width boxes become full-width blocks, media fit the width, fixed heights and
positions that would make text overlap are released, floats cleared. A data table
(headers, a caption, a grid of values) keeps its columns and scrolls inside a focusable, named
region instead of widening the page. Only our CSS and markup: no script.

Tables are told apart as the semantic repair did (semantics/tables.py gives layout tables
role="presentation"); on a site whose semantic repairs are off, the reading views' test
(`is_data_table`) decides.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.keep_together import add_class
from proxy.transforms.reading_views import is_data_table

STYLE_ID = "a11y-reflow"
VIEWPORT = "width=device-width, initial-scale=1"
FLOW_CLASS = "a11y-flow"  #: a layout table laid out as blocks on a narrow screen
SCROLL_CLASS = "a11y-table-scroll"  #: the region a data table scrolls in
#: 640 CSS px: every phone in portrait and small ones in landscape; also a 1280 px window at
#: 200 % browser zoom. Narrower than this, a two-column legacy layout leaves its content column
#: fewer than ~25 characters at 16 px (about 12 at our 200 % text): one column reads better.
BREAKPOINT_PX = 640
#: legacy layouts are 960 to 1200 px wide: narrower than this (a tablet, a small window), the
#: site's layout stays but is fitted to the window (`FIT_CSS`); the desktop is left as it was
FIT_PX = 1023
#: replaced elements keep their own height (an image's is scaled by `height:auto` apart)
_OWN_HEIGHT = "img,svg,video,canvas,iframe,embed,object,input,select,textarea,button,hr"
_HIDDEN = ".a11y-visually-hidden"
_CELLS = (f"table.{FLOW_CLASS}, table.{FLOW_CLASS} > * , table.{FLOW_CLASS} > * > tr, "
          f"table.{FLOW_CLASS} > * > tr > td, table.{FLOW_CLASS} > * > tr > th")
#: a site's own visually hidden classes (they position text off screen): left positioned
_SITE_HIDDEN = ("[class*='sr-only' i],[class*='visually-hidden' i],[class*='screen-reader' i],"
                "[class*='offscreen' i]")
#: at every width data tables scroll in their region; below FIT_PX media and boxes are never
#: wider than their container
#: input types that are no text field
_NOT_TEXT = "[type=checkbox],[type=radio],[type=image],[type=submit],[type=button],[type=reset]," \
            "[type=hidden],[type=file],[type=color],[type=range]"
FIT_CSS = (
    f".{SCROLL_CLASS}{{overflow-x:auto;max-width:100%}}"
    ".a11y-nowrap{white-space:nowrap}"
    f"@media (max-width:{FIT_PX}px){{"
    "img,video,canvas,svg,iframe,embed,object{max-width:100%!important}"
    "img,video,canvas{height:auto!important}"
    f"body *:not({_HIDDEN}){{max-width:100%!important;box-sizing:border-box!important}}"
    # a text field's width comes from its `size`/`cols` in characters, which grow with the
    # text; a share of its cell (at most what it asked for, about) lets the table narrow
    f"textarea,input:not({_NOT_TEXT}){{width:min(100%,30em)!important}}"
    # the table's fixed width goes; its columns share the window by their content
    f"table.{FLOW_CLASS},table.{FLOW_CLASS} > * > tr > td,table.{FLOW_CLASS} > * > tr > th"
    "{width:auto!important}"
    "}"
)
#: inline elements keep their side margins (the space between links in a menu)
_INLINE = "a,span,img,input,button,select,label,b,i,em,strong,font,small,sup,sub,br"
#: white space kept as written: preformatted text and form fields
_AS_WRITTEN = "pre,pre *,textarea,code,code *"
NARROW_CSS = (
    f"@media (max-width:{BREAKPOINT_PX}px){{"
    "html,body{width:auto!important;min-width:0!important;max-width:none!important;"
    "margin-left:0!important;margin-right:0!important}"
    "body{overflow-wrap:anywhere}"
    f"body *:not({_HIDDEN}){{max-width:100%!important;min-width:0!important;"
    "box-sizing:border-box!important;float:none!important}"
    # a box of the full width plus a side margin would stick out by the margin
    f"body *:not({_INLINE},{_HIDDEN}),a:has(> img){{margin-left:0!important;"
    "margin-right:0!important}"
    # a box moved aside by a transform (a menu drawer off to the right) stays in the column
    f"body *:not({_HIDDEN}){{transform:none!important}}"
    f"body *:not({_OWN_HEIGHT}):not(:empty):not({_HIDDEN})"
    "{height:auto!important;max-height:none!important}"
    # positioned boxes (floating windows, a search box placed over the banner) take their
    # place in the column, as in the text-only view (visitor/style.py LINEAR_CSS)
    f"body *:not({_HIDDEN},{_SITE_HIDDEN}){{position:static!important}}"
    f"{_CELLS}{{display:block!important;width:auto!important;height:auto!important}}"
    # one-line headlines cut with an ellipsis (nowrap, overflow:hidden) wrap instead: their
    # end was hidden, and on a phone most of it would be
    f"body *:not({_AS_WRITTEN},{_HIDDEN},#a11y-toolbar *){{white-space:normal!important;"
    "text-overflow:clip!important}}"
    "pre{white-space:pre-wrap!important}"
    # a date or short phrase moves to the next line whole, and wraps only when wider than
    # the screen itself
    ".a11y-nowrap{display:inline-block!important}"
    "}"
)


class Reflow(Transform):
    name = "reflow"

    def prepare(self, page: Page) -> None:
        # a page that went through the proxy before: our CSS is inserted anew in `finish`
        # (the steps that rewrite every <style> must not see it)
        for old in [el for el in page.head.iter("style") if el.get("id") == STYLE_ID]:
            old.drop_tree()

    def finish(self, page: Page) -> None:
        head = page.head
        _viewport(head)
        body = page.body
        regions = 0
        for table in list(body.iter("table")):
            if _is_layout(table):
                add_class(table, FLOW_CLASS)
            elif not _in_scroll_region(table):
                regions += 1
                _wrap(table, regions)
        style = etree.SubElement(head, "style", {"id": STYLE_ID})
        style.text = FIT_CSS + NARROW_CSS


def _viewport(head: Any) -> None:
    """A viewport as wide as the device, unless the page has one that already is."""
    for meta in head.iter("meta"):
        if (meta.get("name") or "").lower() != "viewport":
            continue
        content = meta.get("content") or ""
        if "device-width" not in content.replace(" ", "").lower():
            meta.set("content", VIEWPORT)  # no viewport width, or a fixed number of px
        return
    head.append(lxml.html.Element("meta", {"name": "viewport", "content": VIEWPORT}))


def _is_layout(table: Any) -> bool:
    role = (table.get("role") or "").strip().lower()
    if role:
        return role in ("presentation", "none")
    return not is_data_table(table)


def _in_scroll_region(table: Any) -> bool:
    return any(SCROLL_CLASS in (a.get("class") or "").split() for a in table.iterancestors("div"))


def _wrap(table: Any, number: int) -> None:
    """`<div role=region tabindex=0 aria-label="…表格">` around the table: it scrolls inside
    (keyboard users scroll it once it has focus) instead of widening the page."""
    region = lxml.html.Element("div", {"class": SCROLL_CLASS, "role": "region", "tabindex": "0",
                                       "aria-label": _table_label(table, number),
                                       "style": "overflow-x:auto;max-width:100%"})
    table.addprevious(region)
    region.tail, table.tail = table.tail, None
    region.append(table)


def _table_label(table: Any, number: int) -> str:
    """The caption's or summary's words, else the table's place: every region's name is its
    own (two regions of one name cannot be told apart)."""
    caption = table.find("caption")
    name = " ".join((caption.text_content() if caption is not None else
                     table.get("summary") or "").split())[:40]
    return f"{name} 第{number}个表格" if name else f"第{number}个数据表格"
