"""Structure that assistive technology reads as a list or a listbox, repaired where it is safe.

- Markup inside `<select>`/`<option>` (links in options, a legacy "friendly links" jump menu):
  HTML5 parsers ignore those tags there (the "in select" insertion mode), so the browser shows
  plain options; lxml keeps them, which would serve links nested in an option. They are
  unwrapped, keeping their text: the tree becomes what the browser would have built.
- A list item outside a list: its parent, when it holds nothing but list items and has no
  semantics of its own (div/span), becomes `role="list"`; otherwise the item is `role="none"`
  (it never was part of a list a screen reader could announce).
- A list with other children (a div, a link, text): a plain div/span child becomes
  `role="listitem"`; when any other child breaks the list, the list and its items are
  `role="none"` -- announcing a list whose count and items are wrong is worse than none.
- A list item whose list was given another role (`<ul role="navigation">`) is no longer in a
  list: it becomes `role="none"` (the links stay in the navigation landmark).
- An empty divider item (`<li role="separator">`) is hidden from assistive technology: it is a
  line, and a list may only hold items.
- A description list that is not one (only `dt`s, only `dd`s, text or links among its groups)
  becomes `role="none"`: a screen reader would announce terms without definitions.
Nothing is moved or restyled, so the page looks the same.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

SELECT_MARKUP = etree.XPath("//body//select//*[not(self::option or self::optgroup or "
                            "self::script or self::template or self::hr)]")
STRAY_ITEMS = etree.XPath("//body//li[not(@role)][not(parent::ul or parent::ol or "
                          "parent::menu) or parent::*[@role][not(@role='list' or "
                          "@role='none' or @role='presentation')]]")
DLS = etree.XPath("//body//dl[not(@role)]")
#: an empty divider drawn as a list item (Bootstrap's `<li role="separator" class="divider">`):
#: a list may only hold items, and a line says nothing
#: (from the role attribute: the few items that have one, not every element; 0.26 -> 0.10 ms)
SEPARATOR_ITEMS = etree.XPath("//body//li/@role[.='separator']/parent::*[parent::ul or "
                              "parent::ol][not(parent::*/@role)][not(*)][not(normalize-space())]")
#: a description list's children: groups of terms and definitions (perhaps each in a div)
DL_SHAPED = etree.XPath(
    "not(text()[normalize-space()] or *[not(self::dt or self::dd or self::div or "
    "self::script or self::template)] or div[text()[normalize-space()] or "
    "*[not(self::dt or self::dd or self::script or self::template)]])")
#: its terms and definitions, in order
DL_ITEMS = etree.XPath("./dt | ./dd | ./div/dt | ./div/dd")
#: lists without a role that hold more than list items and blank text (a superset of those
#: _list changes: Python's strip() also drops non-XML whitespace such as U+3000); the plain
#: ones, most of a page's, are not visited child by child in Python
#: (named steps, not a test of every element: 0.38 -> 0.17 ms per page)
LISTS = etree.XPath("(//body//ul | //body//ol | //body//menu)[not(@role)]"
                    "[*[not(self::li)] or text()[normalize-space()]]")
#: children a list may have besides its items
NOT_ITEMS = frozenset({"script", "template"})
#: elements that may take role="list"/"listitem" without changing what they are
NEUTRAL = frozenset({"div", "span"})
_ITEMS_IN = etree.XPath("./li")


def repair(page: Any) -> None:
    root = page.tree
    for el in reversed(SELECT_MARKUP(root)):  # innermost first
        el.drop_tag()
    for item in STRAY_ITEMS(root):
        _stray_item(item)
    for lst in LISTS(root):
        _list(lst)
    for item in SEPARATOR_ITEMS(root):
        item.set("aria-hidden", "true")
    for dl in DLS(root):
        if not _is_description_list(dl):
            dl.set("role", "none")


def _is_description_list(dl: Any) -> bool:
    """Empty, or shaped like one with a term before a definition (what axe and screen readers
    expect: `dt`s then `dd`s)."""
    if not DL_SHAPED(dl):
        return False
    tags = [el.tag for el in DL_ITEMS(dl)]
    return not tags or "dt" in tags and "dd" in tags[tags.index("dt"):]


def _stray_item(item: Any) -> None:
    parent = item.getparent()
    siblings = [c for c in parent if isinstance(c.tag, str) and c.tag not in NOT_ITEMS]
    if parent.tag in NEUTRAL and not parent.get("role") and not (parent.text or "").strip() \
            and all(c.tag == "li" and not (c.tail or "").strip() for c in siblings):
        parent.set("role", "list")
    elif parent.get("role") != "list":
        item.set("role", "none")


def _list(lst: Any) -> None:
    if (lst.text or "").strip():
        _not_a_list(lst)
        return
    others = []
    for child in lst:
        if (child.tail or "").strip():
            _not_a_list(lst)
            return
        if not isinstance(child.tag, str) or child.tag == "li" or child.tag in NOT_ITEMS \
                or child.get("role") == "listitem" or _hidden(child):
            continue
        if child.tag not in NEUTRAL or child.get("role") or _ITEMS_IN(child):
            _not_a_list(lst)
            return
        others.append(child)
    for child in others:
        child.set("role", "listitem")


def _not_a_list(lst: Any) -> None:
    lst.set("role", "none")
    for child in lst:
        if isinstance(child.tag, str) and child.tag == "li" and not child.get("role"):
            child.set("role", "none")


def _hidden(el: Any) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.get("hidden") is not None or el.get("aria-hidden") == "true" or \
        "display:none" in style
