"""The site's own colours made readable in the default scheme, at every text size.

The colour schemes override every colour with `!important`; in the default scheme the site
keeps its look, but its text must reach 4.5:1 (proxy/css/contrast.py says how and which
colours are left alone). Here:
`<style>` text, `style` attributes, `<font color>` and `<body text/link/vlink/alink>`, each
against the background declared on the element or its nearest ancestor (`bgcolor`, `style`).
Linked stylesheets get the same floor in proxy/http/resources.py (`scale_css_resource`).

The floor is applied once for every visitor (issue 18): where a scheme's `!important` overrides
the colour anyway it is written as is, and where the site's colour would survive a scheme (its
own `!important`) as a switch that the base hole sets per visitor (proxy/css/fonts.py
`floor_switch`, proxy/visitor/splice.py).

`<style>` text shares one parse with EnlargeFonts: when it runs it applies the floor in its own
pass (its base style marks the page); otherwise it is done here. Links in running text are
marked for underlining (proxy/heuristics/textlinks.py), so colour is not their only cue; the
mark only shows in the default scheme without `underline` (proxy/visitor/style.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import tinycss2
from lxml import etree

from proxy.css.contrast import (
    UNKNOWN,
    Background,
    block_fixes,
    declared_background,
    floor_value,
    parse_rgb,
)
from proxy.css.fonts import floor_switch, rewrite_stylesheet
from proxy.heuristics.textlinks import mark_text_links
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.enlarge_fonts import BASE_STYLE_ID, insert_base_style

#: every `style` attribute, in document order, as lxml's smart strings (getparent() is the
#: element); `colour_styled` tests them in Python
STYLE_VALUES = etree.XPath("//@style")
#: tags whose own text or attributes carry colours: found by one walk of lxml's C tag iterator,
#: not by the `//style | //font[@color] | //body[...]` branches of one query, a walk each
COLOUR_TAGS = ("style", "font", "body")
BODY_COLOUR_ATTRIBUTES = ("text", "link", "vlink", "alink")
#: a `<style>` longer than this (a modern site's inlined bundle, not a legacy page's rules) is
#: not parsed at 100 %: pure-Python CSS parsing is slow, and its cost grows with the text
STYLE_LIMIT = 100_000
STYLE_CACHE_SIZE = 1024  #: distinct (style attribute, background) pairs remembered
#: distinct `bgcolor` and `style` values whose background is remembered (pages repeat a few
#: panel colours on every row, and each used to be parsed again for every coloured descendant)
BACKGROUND_CACHE_SIZE = 1024


class ContrastFloor(Transform):
    name = "contrast_floor"

    def finish(self, page: Page) -> None:
        coloured = coloured_nodes(page.tree)
        # EnlargeFonts's base rules are a <style>, and every <style> is in `coloured`: looking
        # there spares a whole-tree id query (lxml's get_element_by_id)
        styles_done = any(el.tag == "style" and el.get("id") == BASE_STYLE_ID for el in coloured)
        changed = 0
        for el in coloured:
            changed += _floor_element(el, styles_done)
        if not styles_done:  # EnlargeFonts is off for this site: the switches need a home
            insert_base_style(page, scaled=False, floored=True)
        marked = mark_text_links(page.tree)
        if changed or marked:
            page.notes.append(f"contrast_floor: {changed} colours, {marked} text links")


def coloured_nodes(root: Any) -> list[Any]:
    """Every node whose colours the floor may change, once each: the colour-styled elements in
    document order, then the other <style>, <font color> and coloured <body> elements.
    The order is safe: what the floor changes on an element that is not colour-styled (a
    <style>'s text, a `color`/`text`/`link` attribute) is read by no other element's floor,
    and each styled element still comes after its styled ancestors (whose `style` its
    background_of reads)."""
    styled = colour_styled(root)
    seen = set(styled)  # lxml hands out one proxy per node while it is referenced
    return styled + [el for el in root.iter(*COLOUR_TAGS)
                     if el not in seen and _carries_colour(el)]


def colour_styled(root: Any) -> list[Any]:
    """The elements whose `style` may declare a colour, in document order: what
    `//@style[contains(translate(., 'COLR', 'colr'), 'color')]/..` selects. libxml2 copies each
    value for translate() and again for contains(); reading the values once and testing them
    with str.lower() copies each once, in Python's string code. lower() is the same
    test: no other character lower-cases to c, o, l or r, and one that grows ('İ') cannot
    join or split a "color"."""
    return [value.getparent() for value in STYLE_VALUES(root) if "color" in value.lower()]


def _carries_colour(el: Any) -> bool:
    tag = el.tag
    if tag == "font":
        return el.get("color") is not None
    if tag == "body":
        return any(el.get(name) is not None for name in BODY_COLOUR_ATTRIBUTES)
    return True  # <style>


def _floor_element(el: Any, styles_done: bool) -> int:
    tag = el.tag
    if tag == "style":
        if styles_done or not el.text or len(el.text) > STYLE_LIMIT:
            return 0
        new = rewrite_stylesheet(el.text, scale=False, floor=True)
        changed = new != el.text
        el.text = new
        return int(changed)
    changed = 0
    style = el.get("style")
    if style and "color" in style.lower():
        changed += _floor_style(el, style)
    if tag == "font":
        changed += _floor_attribute(el, "color", background_of(el))
    elif tag == "body":
        own = background_of(el)
        for name in BODY_COLOUR_ATTRIBUTES:
            changed += _floor_attribute(el, name, own)
    return changed


def _floor_style(el: Any, style: str) -> int:
    new = floored_style(style, background_of(el))
    if new is None:
        return 0
    el.set("style", new)
    return 1


@lru_cache(maxsize=STYLE_CACHE_SIZE)
def floored_style(style: str, inherited: Background) -> str | None:
    """A `style` attribute with the floor applied, or None when it keeps its colours (cached:
    pages repeat the same few inline styles on every row)."""
    nodes = tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True)
    fixes = block_fixes(nodes, inherited=inherited)
    if not fixes:
        return None
    for index, fix in fixes.items():
        decl = nodes[index]
        if decl.important:  # an inline `!important` colour beats a scheme's: switch it
            floored = fix.partition(":")[2].removesuffix(" !important")
            original = tinycss2.serialize(decl.value).strip()
            fixes[index] = f"{decl.name}:{floor_switch(floored, original)} !important"
    return ";".join(fixes.get(i, node.serialize()) for i, node in enumerate(nodes)
                    if i in fixes or node.type == "declaration")


def _floor_attribute(el: Any, name: str, background: Background) -> int:
    value = el.get(name)
    new = floor_value(value, background) if value else None
    if new is None:
        return 0
    el.set(name, new)
    return 1


def background_of(el: Any) -> Background:
    """The nearest background the HTML declares on `el` or an ancestor (attributes and
    `style`; class-based CSS backgrounds are not known here)."""
    for node in (el, *el.iterancestors()):
        if node.get("background"):
            return Background(image=True)
        colour = node.get("bgcolor")
        if colour and (rgb := _attribute_rgb(colour)) is not None:
            return Background(rgb)
        style = node.get("style")
        if style and "background" in style.lower():
            found = style_background(style)
            if found != UNKNOWN:
                return found
    return UNKNOWN


@lru_cache(maxsize=BACKGROUND_CACHE_SIZE)
def _attribute_rgb(value: str) -> tuple[float, float, float] | None:
    """parse_rgb of an attribute value (cached: a pure function of the string)."""
    return parse_rgb(value)


@lru_cache(maxsize=BACKGROUND_CACHE_SIZE)
def style_background(style: str) -> Background:
    """The background a `style` attribute declares (cached: a pure function of the string;
    Background is an immutable tuple, so a shared answer cannot be changed by a caller)."""
    return declared_background(tinycss2.parse_blocks_contents(
        style, skip_comments=True, skip_whitespace=True))
