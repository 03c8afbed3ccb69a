"""ARIA that contradicts itself or the keyboard, repaired the way an author would by hand.

- `aria-hidden="true"` on a focusable element: a link or button with a name is visible and
  works, so it stops being hidden (WAI-ARIA: authors MUST NOT hide focusable content); one
  without a name, and every focusable element inside a hidden container (a closed drop-down, a
  print-only header), leaves the tab order instead (tabindex=-1), as the hidden state says.
- A positive `tabindex` (a private tab order that skips around the page) is removed: document
  order is the order a sighted user reads.
- ARIA attributes that do not exist: known misspellings are corrected (`aria-role` -> `role`,
  `aria-labeledby` -> `aria-labelledby`), the others dropped (a browser ignores them anyway).
- Roles that do not exist (`role="footer"`): the first valid fallback token is kept, a known
  synonym becomes its landmark when the page has none of that kind yet, else the role goes.
- A name on an element that cannot have one (a `div`/`span` with no role and no text): an
  empty icon keeps it as an image (`role="img"`), an empty container loses it.
- `role="tablist"` with no tab in it and `role="tab"` not owned by a tablist (another role, a
  named section, in between): the roles go (the tab script was removed with all scripts; what
  is left is plain text and links).
- A dialog without a name is named by its first heading; a script-made button or link
  (`<span role="button"><em>一键登录</em></span>`, its text hidden by the site's CSS behind an
  icon) by its own text.
Nothing is moved or restyled.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.landmarks.dom import LANDMARK_SELF
from proxy.transforms.semantics.shared import FIRST_HEADING, XML_SPACE

MAX_COMMAND_NAME = 40  #: a button's text longer than this is content, not a name
#: WAI-ARIA 1.2 (and DPUB, Graphics) roles an author may use
_ROLE_NAMES = """
alert alertdialog application article banner blockquote button caption cell checkbox code
columnheader combobox complementary contentinfo definition deletion dialog directory document
emphasis feed figure form generic grid gridcell group heading img insertion link list listbox
listitem log main marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter
navigation none note option paragraph presentation progressbar radio radiogroup region row
rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong
subscript superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip
tree treegrid treeitem graphics-document graphics-object graphics-symbol doc-abstract
doc-acknowledgments doc-afterword doc-appendix doc-backlink doc-biblioentry doc-bibliography
doc-biblioref doc-chapter doc-colophon doc-conclusion doc-cover doc-credit doc-credits
doc-dedication doc-endnote doc-endnotes doc-epigraph doc-epilogue doc-errata doc-example
doc-footnote doc-foreword doc-glossary doc-glossref doc-index doc-introduction doc-noteref
doc-notice doc-pagebreak doc-pagelist doc-part doc-preface doc-prologue doc-pullquote doc-qna
doc-subtitle doc-tip doc-toc"""
ROLES = frozenset(_ROLE_NAMES.split())
#: WAI-ARIA 1.2 states and properties
_ARIA_NAMES = """
activedescendant atomic autocomplete braillelabel brailleroledescription busy checked colcount
colindex colindextext colspan controls current describedby description details disabled
dropeffect errormessage expanded flowto grabbed haspopup hidden invalid keyshortcuts label
labelledby level live modal multiline multiselectable orientation owns placeholder posinset
pressed readonly relevant required roledescription rowcount rowindex rowindextext rowspan
selected setsize sort valuemax valuemin valuenow valuetext"""
ARIA_ATTRIBUTES = frozenset(f"aria-{name}" for name in _ARIA_NAMES.split())
#: misspelt ARIA attributes seen on real pages -> the attribute meant
MISSPELT_ATTRIBUTES = {"aria-labeledby": "aria-labelledby", "aria-lable": "aria-label",
                       "aria-labelled-by": "aria-labelledby", "aria-describeby":
                       "aria-describedby", "aria-hiden": "aria-hidden"}
#: role names CMS templates write for a landmark
ROLE_SYNONYMS = {"footer": "contentinfo", "header": "banner", "nav": "navigation",
                 "content": "main", "sidebar": "complementary", "aside": "complementary"}
LANDMARKS = frozenset({"banner", "navigation", "main", "contentinfo", "search",
                       "complementary", "region", "form"})
#: elements a browser puts in the tab order by themselves
_NATIVE_FOCUS = ("self::a[@href] or self::area[@href] or self::button or self::input or "
                 "self::select or self::textarea or self::iframe or self::summary")
_FOCUSABLE = (f"({_NATIVE_FOCUS} or @tabindex or @contenteditable='true' or "
              "@contenteditable='')][not(starts-with(normalize-space(@tabindex), '-'))]"
              "[not(@disabled)][not(self::input[translate(@type, 'HIDEN', 'hiden')='hidden'])")
#: (from <body>) every element the repairs below can touch: one with an ARIA attribute, a
#: role or a tabindex, or a <dialog>. One pass instead of nine whole-tree queries; each
#: repair then picks its elements from this list in Python, at its turn, and
#: sees the attributes the repairs before it changed. The repairs only change attributes of
#: these elements (and `tabindex="-1"`, `id` of others, which no later repair selects by), so
#: no element qualifies later that is not in the list. (A Python pass reading each element's
#: attribute names was no faster in the pipeline, though faster on freshly copied trees.)
#: Written as a union of attribute steps (`*/@role/..`), the same node-set in document order:
#: libxml2 reads the attribute nodes straight off each element instead of evaluating a
#: predicate per element.
MARKED = etree.XPath("descendant-or-self::*/@*[starts-with(name(), 'aria-')]/.. | "
                     "descendant-or-self::*/@role/.. | descendant-or-self::*/@tabindex/.. | "
                     "descendant-or-self::dialog")
FOCUSABLE_SELF = etree.XPath(f"boolean(self::*[{_FOCUSABLE}])")
FOCUSABLE_INSIDE = etree.XPath(f"descendant::*[{_FOCUSABLE}]")
NATIVE_FOCUS = etree.XPath(f"boolean({_NATIVE_FOCUS})")
POSITIVE_TABINDEX = etree.XPath("number(@tabindex) > 0")  #: XPath's number syntax, exactly
#: the landmark roles a page has, by role or by element (a nested header/footer counts too:
#: a synonym is only turned into a landmark the page surely lacks)
ROLE_VALUES = etree.XPath("//body//@role | //body//*[self::header or self::footer or "
                          "self::nav or self::main or self::aside]")
IMPLICIT_ROLES = {"header": "banner", "footer": "contentinfo", "nav": "navigation",
                  "main": "main", "aside": "complementary"}
#: a name where no role allows one: aria-label on an element without a role and without text
GENERIC_NAME_TAGS = frozenset({"div", "span", "i", "b", "u", "s", "small", "font"})
EMPTY_OF_CONTENT = etree.XPath(
    "boolean(self::*[not(normalize-space(string(.)))][not(.//img or .//svg or .//input or "
    ".//select or .//textarea or .//button or .//iframe or .//object or .//embed or "
    ".//video)])")
TAB_INSIDE = etree.XPath("boolean(descendant::*[@role='tab'])")
#: what may stand between a tab and its tablist: elements with no role of their own
_GENERIC = etree.XPath("boolean(self::*[@role='none' or @role='presentation' or not(@role) and "
                       "(self::div or self::span or self::b or self::i or self::font or "
                       "self::section[not(@aria-label or @aria-labelledby or @title)])])")
DIALOG_ROLES = ("dialog", "alertdialog")
#: widgets whose name comes from their content, which the site's CSS may hide
COMMAND_ROLES = ("button", "link", "menuitem")
IN_OR_AROUND_LANDMARK = etree.XPath(f"boolean(ancestor::*[{LANDMARK_SELF}] or "
                                    f".//*[{LANDMARK_SELF}])")
_LINK_NAME = etree.XPath("boolean(normalize-space(string(.)) or normalize-space(@title) or "
                         "normalize-space(@aria-label) or .//img[normalize-space(@alt)])")


class Aria(Transform):
    name = "semantics.aria"
    switch = "semantics"  #: `disable: [semantics]` turns every semantic repair off

    def finish(self, page: Page) -> None:
        repair(page)


def repair(page: Any) -> None:
    root = page.tree
    body = root.find("body")
    marked = MARKED(body) if body is not None else []
    # the queries this replaces selected below the body (`//body//*`), except for the ARIA
    # attribute check, which also took the body's and the root's own attributes
    inside = marked[1:] if marked and marked[0] is body else marked
    _hidden_focus(inside)
    for el in [el for el in inside if _positive_tabindex(el)]:
        if NATIVE_FOCUS(el):
            del el.attrib["tabindex"]
        else:
            el.set("tabindex", "0")
    _attributes([root, *marked])
    _roles(root, inside)
    for el in [el for el in inside if el.tag in GENERIC_NAME_TAGS and el.get("role") is None
               and _named(el) and EMPTY_OF_CONTENT(el)]:
        if len(el):
            del el.attrib["aria-label"]
        else:
            el.set("role", "img")
    for el in [el for el in inside if el.get("role") == "tab"]:
        if not _in_tablist(el):
            del el.attrib["role"]
            for attr in ("aria-selected", "aria-controls"):
                el.attrib.pop(attr, None)
    for el in [el for el in inside if el.get("role") == "tablist" and not TAB_INSIDE(el)]:
        del el.attrib["role"]
    for el in [el for el in inside if el.get("role") in COMMAND_ROLES and not _named(el)
               and el.get("aria-labelledby") is None
               and el.text_content().strip(XML_SPACE)]:
        text = " ".join(el.text_content().split())
        if len(text) <= MAX_COMMAND_NAME:
            el.set("aria-label", text)
    dialogs = [el for el in inside if (el.get("role") in DIALOG_ROLES or el.tag == "dialog")
               and not _named(el) and el.get("aria-labelledby") is None
               and not (el.get("title") or "").strip(XML_SPACE)]
    for number, dialog in enumerate(dialogs, 1):
        heading = next(iter(FIRST_HEADING(dialog)), None)
        if heading is not None and " ".join(heading.text_content().split()):
            if not heading.get("id"):
                heading.set("id", f"a11y-dialog-title-{number}")
            dialog.set("aria-labelledby", heading.get("id"))


def _named(el: Any) -> bool:
    """XPath's `normalize-space(@aria-label)`: a label with more than white space."""
    return bool((el.get("aria-label") or "").strip(XML_SPACE))


def _positive_tabindex(el: Any) -> bool:
    """`number(@tabindex) > 0`. Most values are "-1" or "0": a value with no digit 1-9, or
    a minus sign first, is no positive number, so only the rest is asked of libxml2 (whose
    number syntax, exponents included, it then follows exactly)."""
    value = el.get("tabindex")
    if value is None or value.lstrip(XML_SPACE).startswith("-") or \
            not any(digit in value for digit in "123456789"):
        return False
    return POSITIVE_TABINDEX(el)


def _in_tablist(tab: Any) -> bool:
    """Is the tab owned by a tablist (only role-less elements between them)?"""
    for el in tab.iterancestors():
        if not _GENERIC(el):
            return el.get("role") == "tablist"
    return False


def _hidden_focus(inside: list[Any]) -> None:
    # `aria-hidden="true"` elements not inside another one (the ancestors up to the root)
    hidden = [el for el in inside if el.get("aria-hidden") == "true" and not any(
        up.get("aria-hidden") == "true" for up in el.iterancestors())]
    for el in hidden:
        if FOCUSABLE_SELF(el):
            if _LINK_NAME(el):  # a visible, working control: it is not hidden
                del el.attrib["aria-hidden"]
                continue
            el.set("tabindex", "-1")
        for inner in FOCUSABLE_INSIDE(el):
            inner.set("tabindex", "-1")


def _attributes(elements: list[Any]) -> None:
    # every ARIA attribute with its value, read before any is changed (as a query result was)
    found = [(el, name, value) for el in elements for name, value in el.items()
             if name.startswith("aria-")]
    for el, name, value in found:
        if name in ARIA_ATTRIBUTES:
            continue
        del el.attrib[name]
        if name == "aria-role":
            _role_from_aria_role(el, value)
            continue
        meant = MISSPELT_ATTRIBUTES.get(name)
        if meant and not el.get(meant):
            el.set(meant, value)


def _role_from_aria_role(el: Any, value: str) -> None:
    role = value.strip().lower()
    if el.get("role") or role not in ROLES:
        return
    if role in LANDMARKS and IN_OR_AROUND_LANDMARK(el):
        return  # the page's landmarks are already in place: no nested duplicate
    el.set("role", role)


def _roles(root: Any, inside: list[Any]) -> None:
    present = None
    for el in [el for el in inside if el.get("role") is not None]:
        tokens = (el.get("role") or "").lower().split()
        if not tokens or tokens[0] in ROLES:
            continue
        valid = next((t for t in tokens if t in ROLES), None)
        if valid is None and tokens[0] in ROLE_SYNONYMS:
            if present is None:
                present = {IMPLICIT_ROLES[v.tag] if hasattr(v, "tag") else v.strip()
                           for v in ROLE_VALUES(root)}
            landmark = ROLE_SYNONYMS[tokens[0]]
            if landmark not in present and not IN_OR_AROUND_LANDMARK(el):
                valid = landmark
                present.add(landmark)
        if valid:
            el.set("role", valid)
        else:
            del el.attrib["role"]
