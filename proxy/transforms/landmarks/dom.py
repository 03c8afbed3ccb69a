"""Tree surgery for landmarks: give an element a landmark role without breaking the layout.

Where the role goes depends on the element (HTML-ARIA's allowed roles, and layout tables):
- a `div`/`span`/`section` gets the `role` attribute (no tag change, so tag-qualified site CSS
  such as `div.top` keeps matching); a `form` takes `search` the same way;
- a table cell, list item or body gets a new wrapper *inside* it (a `<td>` cannot become
  `<main>`, and a role on a layout table's cell is wrong);
- anything else (tables, lists, paragraphs, links ...) gets a new wrapper *around* it.
New wrappers are HTML5 elements (`main`, `nav`, `header`, `footer`, `aside`, `section`), or a
`span` with a role in inline context, so no block box breaks a line of text.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

#: the wrapper element per role (HTML5 element with that implicit role)
WRAPPER_TAG = {"main": "main", "navigation": "nav", "banner": "header", "contentinfo": "footer",
               "complementary": "aside", "region": "section", "search": "div"}
#: elements whose implicit role is the landmark (so they only need a name, never a role)
IMPLICIT = {"main": "main", "nav": "navigation", "aside": "complementary", "search": "search"}
#: elements that may carry any landmark role attribute (ARIA in HTML)
ROLE_ANY = frozenset({"div", "span", "section"})
#: elements whose content is wrapped from the inside (their box and semantics stay)
WRAP_INSIDE = frozenset({"td", "th", "li", "dd", "dt", "body", "caption", "center", "blockquote",
                         "fieldset"})
#: containers whose children cannot be wrapped by a new element (table and list structure)
RIGID = frozenset({"table", "tbody", "thead", "tfoot", "tr", "ul", "ol", "dl", "select",
                   "optgroup", "colgroup", "menu", "datalist", "map", "frameset"})
TABLE_PARTS = frozenset({"tbody", "thead", "tfoot", "tr"})
#: phrasing elements: a wrapper of these is a `span`
INLINE = frozenset({"a", "span", "font", "b", "strong", "i", "em", "u", "small", "big", "img",
                    "input", "select", "label", "abbr", "code", "sub", "sup", "br", "button",
                    "textarea", "cite", "q", "s", "strike", "tt", "var", "kbd", "mark"})
LANDMARK_ROLES = ("banner", "navigation", "main", "contentinfo", "search", "complementary",
                  "region")

_ROLE_TEST = " or ".join(f"@role='{r}'" for r in LANDMARK_ROLES)
#: an element that is (or is treated as) a landmark: header/footer count even when nested in
#: sectioning content, since text inside them is inside that outer landmark anyway
LANDMARK_SELF = (f"self::main or self::nav or self::aside or self::header or self::footer "
                  f"or self::search or self::section[@aria-label] or {_ROLE_TEST}")
IN_LANDMARK = etree.XPath(f"boolean(ancestor-or-self::*[{LANDMARK_SELF}])")
LANDMARK_TAGS = ("main", "nav", "aside", "header", "footer", "search")


#: the landmarks by role attribute, as attribute steps (cheaper in libxml2 than a predicate
#: per element); landmarks_and_tagged finds the others
_ROLE_LANDMARKS = etree.XPath(
    "descendant::*/@role[{}]/..".format(" or ".join(f".='{r}'" for r in LANDMARK_ROLES)))
_ROW_CELLS = etree.XPath("./td | ./th | ./tr/td | ./tr/th")
#: the proxy's own UI (skip link, toolbar), in or out of a landmark: never restructured
OURS_ID, OURS_CLASS = "a11y-toolbar", "a11y-skip"
OURS_SELF = (f"@id='{OURS_ID}' or "
             f"contains(concat(' ', normalize-space(@class), ' '), ' {OURS_CLASS} ')")
IS_OURS = etree.XPath(f"boolean(ancestor-or-self::*[{OURS_SELF}])")
#: a node-set handed in as a variable comes back as XPath node-sets do: in document order,
#: without duplicates (libxml2 sorts the few nodes in C; no walk over the page)
_IN_DOCUMENT_ORDER = etree.XPath("$nodes | $nodes")


def in_document_order(context: Any, elements: list[Any]) -> list[Any]:
    """`elements` (of `context`'s document) sorted into document order, each once."""
    return _IN_DOCUMENT_ORDER(context, nodes=elements) if elements else []


def landmarks_and_tagged(body: Any, tag: str) -> tuple[list[Any], list[Any]]:
    """The landmarks below `body` (`.//*[LANDMARK_SELF]`) and its `tag` elements, both in
    document order. A union query of attribute and name steps walks the page once per branch
    (8 times); here one walk in C over the element names (lxml's iter) finds the landmark
    tags and `tag`, and one query the role attributes; libxml2 puts the two kinds of
    landmark in document order."""
    by_tag: list[Any] = []
    by_name: list[Any] = []
    for el in body.iter(*LANDMARK_TAGS, "section", tag):
        if el is body:
            continue
        if el.tag == tag:
            by_tag.append(el)
        if el.tag in LANDMARK_TAGS or (el.tag == "section" and el.get("aria-label") is not None):
            by_name.append(el)
    by_role = _ROLE_LANDMARKS(body)
    if by_role and by_name:
        return in_document_order(body, by_role + by_name), by_tag
    return by_role or by_name, by_tag


def is_landmark(el: Any) -> bool:
    """Whether an element is LANDMARK_SELF, from its tag and attributes (an XPath evaluation
    has a fixed set-up cost, which adds up over every landmark of every page)."""
    tag = el.tag
    return tag in LANDMARK_TAGS or el.get("role") in LANDMARK_ROLES \
        or (tag == "section" and el.get("aria-label") is not None)


def role_of(el: Any) -> str | None:
    """The landmark role an element has now (explicit role first), or None."""
    role = (el.get("role") or "").strip().split(" ")[0]
    if role in LANDMARK_ROLES:
        return role
    if el.tag in IMPLICIT:
        return IMPLICIT[el.tag]
    if el.tag in ("header", "footer"):
        return "banner" if el.tag == "header" else "contentinfo"
    if el.tag == "section" and el.get("aria-label"):
        return "region"
    return None


def name(el: Any, label: str | None) -> None:
    if label and not (el.get("aria-label") or el.get("aria-labelledby")):
        el.set("aria-label", label)


def host(el: Any, role: str, label: str | None = None) -> Any:
    """Make `el` (or a wrapper in or around it) the landmark `role`; returns the landmark."""
    if el.tag in TABLE_PARTS:
        el = _table_part_host(el)
    current = role_of(el)
    if current == role:
        landmark = el
    elif el.tag in ROLE_ANY and current is None and not el.get("role"):
        el.set("role", role)
        landmark = el
    elif el.tag == "form" and role == "search":
        el.set("role", "search")
        landmark = el
    elif el.tag in WRAP_INSIDE:
        landmark = wrap_inside(el, _wrapper(role, el, inline=_inline_content(el)))
    else:
        landmark = wrap_around(el, _wrapper(role, el, inline=el.tag in INLINE))
    name(landmark, label)
    return landmark


def _table_part_host(el: Any) -> Any:
    """A row (group) cannot hold a landmark: use its one cell, else its table."""
    cells = _ROW_CELLS(el)
    if len(cells) == 1:
        return cells[0]
    table = next(el.iterancestors("table"), None)
    return table if table is not None else el


def _wrapper(role: str, near: Any, inline: bool) -> Any:
    if inline:
        wrapper = lxml.html.Element("span", role=role)
    else:
        tag = WRAPPER_TAG[role]
        wrapper = lxml.html.Element(tag)
        if tag == "div" or (role in ("banner", "contentinfo") and _in_sectioning(near)):
            wrapper.tag = "div"
            wrapper.set("role", role)
    return wrapper


def top_level(el: Any) -> bool:
    """A header/footer element nested in sectioning content is no banner/contentinfo (ARIA)."""
    return el.tag not in ("header", "footer") or bool(el.get("role")) or not _in_sectioning(el)


def _in_sectioning(el: Any) -> bool:
    return any(a.tag in ("article", "aside", "main", "nav", "section") or role_of(a)
               for a in el.iterancestors())


def _inline_content(el: Any) -> bool:
    return all(isinstance(c.tag, str) and c.tag in INLINE or not isinstance(c.tag, str)
               for c in el) and el.tag not in ("td", "th", "body", "li", "center")


def wrap_inside(el: Any, wrapper: Any) -> Any:
    """Move all of `el`'s content (text and children) into `wrapper`, the only child of `el`."""
    wrapper.text, el.text = el.text, None
    for child in list(el):
        wrapper.append(child)  # lxml moves the tail along with the child
    el.append(wrapper)
    return wrapper


def wrap_around(el: Any, wrapper: Any) -> Any:
    """Put `wrapper` where `el` is and move `el` into it (el's tail stays outside)."""
    parent = el.getparent()
    wrapper.tail, el.tail = el.tail, None
    parent.insert(parent.index(el), wrapper)
    wrapper.append(el)
    return wrapper


def wrap_run(parent: Any, start: int, end: int, leading_text: bool, wrapper: Any) -> Any:
    """Wrap parent's children [start, end) (and the text before them, if `leading_text`)."""
    children = list(parent)[start:end]
    if leading_text:
        if start == 0:
            wrapper.text, parent.text = parent.text, None
        else:
            prev = parent[start - 1]
            wrapper.text, prev.tail = prev.tail, None
    parent.insert(start, wrapper)
    for child in children:
        wrapper.append(child)  # each child's tail belongs to the run and moves with it
    return wrapper
