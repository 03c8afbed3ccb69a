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

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.semantics.shared import XML_SPACE

#: the markup a browser ignores in a select, within one select (asked of the body's selects the
#: walk found, not by `//body//select//*[...]`, which walked the whole tree again)
MARKUP_IN_SELECT = etree.XPath("descendant::*[not(self::option or self::optgroup or "
                               "self::script or self::template or self::hr)]")
#: an empty divider drawn as a list item (Bootstrap's `<li role="separator" class="divider">`):
#: a list may only hold items, and a line says nothing; tested on the few items whose role is
#: separator
SEPARATOR = etree.XPath("boolean(self::*[parent::ul or parent::ol][not(parent::*/@role)]"
                        "[not(*)][not(normalize-space())])")
#: a description list's children: groups of terms and definitions (perhaps each in a div)
DL_SHAPED = etree.XPath(
    "not(text()[normalize-space()] or *[not(self::dt or self::dd or self::div or "
    "self::script or self::template)] or div[text()[normalize-space()] or "
    "*[not(self::dt or self::dd or self::script or self::template)]])")
#: its terms and definitions, in order
DL_ITEMS = etree.XPath("./dt | ./dd | ./div/dt | ./div/dd")
#: the tags this step looks at, found in one walk of the body (one whole-tree XPath query per
#: kind cost as much as the walk each: five walks per page became one)
LIST_TAGS = ("ul", "ol", "menu")
WALKED_TAGS = ("select", "li", "dl", *LIST_TAGS)
#: roles of a list item's parent that keep it in a list
LIST_ROLES = frozenset({"list", "none", "presentation"})
#: children a list may have besides its items
NOT_ITEMS = frozenset({"script", "template"})
#: elements that may take role="list"/"listitem" without changing what they are
NEUTRAL = frozenset({"div", "span"})
_ITEMS_IN = etree.XPath("./li")


class Lists(Transform):
    name = "semantics.lists"
    switch = "semantics"  #: `disable: [semantics]` turns every semantic repair off

    def finish(self, page: Page) -> None:
        repair(page)


def repair(page: Any) -> None:
    root = page.tree
    found = _walk(root)
    if found["select"] and _drop_select_markup(found["select"]):
        found = _walk(root)  # dropped elements are out of the tree: walk it again
    separators = []
    for item in found["li"]:
        role = item.get("role")
        if role is None:
            if _is_stray(item):
                _stray_item(item)
        elif role == "separator":
            separators.append(item)
    for lst in found["list"]:
        # only lists without a role that hold more than items and blank text can change (a
        # superset of those _list changes: it also drops non-XML space such as U+3000)
        if lst.get("role") is None and _has_non_items(lst):
            _list(lst)
    for item in separators:  # after _list: a list it made role="none" keeps its divider
        if SEPARATOR(item):
            item.set("aria-hidden", "true")
    for dl in found["dl"]:
        if dl.get("role") is None and not _is_description_list(dl):
            dl.set("role", "none")


def _walk(root: Any) -> dict[str, list[Any]]:
    """The body's selects, list items, lists (ul/ol/menu) and description lists, in document
    order. The HTML parser puts <body> directly under <html> (as Page.body assumes)."""
    found: dict[str, list[Any]] = {"select": [], "li": [], "list": [], "dl": []}
    for body in root.iterchildren("body"):
        for el in body.iterdescendants(*WALKED_TAGS):
            tag = el.tag
            found["list" if tag in LIST_TAGS else tag].append(el)
    return found


def _drop_select_markup(selects: list[Any]) -> bool:
    """Unwrap the markup a browser ignores in these selects (the body's, in document order);
    False when there was none."""
    markup = _select_markup(selects)
    for el in reversed(markup):  # innermost first
        el.drop_tag()
    return bool(markup)


def _select_markup(selects: list[Any]) -> list[Any]:
    """The markup a browser ignores in these selects (the body's, in document order)."""
    # the outermost selects' subtrees are disjoint and in document order, so their markup,
    # joined, is `//body//select//*[...]`'s node-set in its order (a nested select's markup
    # is in its outer select's)
    return [el for select in selects if next(select.iterancestors("select"), None) is None
            for el in MARKUP_IN_SELECT(select)]


def _is_stray(item: Any) -> bool:
    """An item (without a role) outside a list, or in one given another role."""
    parent = item.getparent()
    if parent.tag not in LIST_TAGS:
        return True
    role = parent.get("role")
    return role is not None and role not in LIST_ROLES


def _has_non_items(lst: Any) -> bool:
    """Any child element but a list item, or text that is not blank (as XPath's
    normalize-space sees it: the text before the first child and after each child)."""
    if (lst.text or "").strip(XML_SPACE):
        return True
    for child in lst:
        if (isinstance(child.tag, str) and child.tag != "li") or \
                (child.tail or "").strip(XML_SPACE):
            return True
    return False


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
