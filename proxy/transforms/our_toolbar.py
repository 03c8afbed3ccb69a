"""Insert our skip link, our toolbar and the stylesheet for the visitor's preferences.

Runs last, in `finish`: what it inserts is ours and must not be changed by the other transforms.
The skip link is the first thing in <body> and targets the main landmark (Landmarks guarantees
one; it gets the id `a11y-main` if it has none), else the first heading, else the body. The
toolbar follows it (or ends the body when the site rule says `position: append`). The page is
idempotent under a second pass: our earlier insertions are removed first.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.site_toolbar import page_path
from proxy.visitor.splice import PREFS, TOOLBAR, placeholder
from proxy.visitor.style import preference_css
from proxy.visitor.toolbar import render_skip_link, toolbar_element

MAIN_ID = "a11y-main"
STYLE_ID = "a11y-prefs"
STYLESHEET_ID = "a11y-toolbar-css"
#: what an earlier pass inserted: the skip link by its class, the others by tag and id
SKIP_CLASS = "a11y-skip"
OUR_IDS = {"nav": "a11y-toolbar", "style": STYLE_ID, "link": STYLESHEET_ID}
#: the first main landmark; `role` as an attribute step (libxml2 tests only the elements
#: that have a role; the same node)
MAINS = etree.XPath("(//main | //@role[.='main']/..)[1]")
FIRST_HEADING = etree.XPath(
    "(//body//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6])[1]")


def earlier_insertions(root: Any) -> list[Any]:
    """`//nav[@id='a11y-toolbar'] | //a[@class='a11y-skip'] | //style[@id='a11y-prefs'] |
    //link[@id='a11y-toolbar-css']`, from one walk of lxml's C tag iterator (the query's
    four branches each walked the whole tree)."""
    return [el for el in root.iter("nav", "a", "style", "link")
            if (el.get("class") == SKIP_CLASS if el.tag == "a"
                else el.get("id") == OUR_IDS[el.tag])]


def skip_target(page: Page) -> str:
    """The id the skip link jumps to (given to the element when it has none)."""
    found = MAINS(page.tree) or FIRST_HEADING(page.tree) or [page.body]
    target = found[0]
    if not target.get("id"):
        target.set("id", MAIN_ID)
    return target.get("id")


def _prepend(body: Any, elements: list[Any]) -> None:
    """Insert at the very start of <body>, before any leading text."""
    for position, el in enumerate(elements):
        body.insert(position, el)
    if body.text:
        elements[-1].tail = body.text + (elements[-1].tail or "")
        body.text = None


class OurToolbar(Transform):
    name = "preferences"  #: `disable: [preferences]` turns our toolbar and styles off for a site

    def finish(self, page: Page) -> None:
        for old in earlier_insertions(page.tree):
            old.drop_tree()
        skip = lxml.html.fragment_fromstring(render_skip_link(skip_target(page)))
        first = [skip]
        if page.rules.toolbar.enabled:
            if page.splice is not None:  # the toolbar for each visitor is spliced in later
                nav = etree.Comment(placeholder(TOOLBAR))
                page.splice.update(next_path=page_path(page.url), original_url=page.url)
            else:
                nav = toolbar_element(page.prefs, page_path(page.url), page.prefix, page.url)
            if page.rules.toolbar.position == "append":
                page.body.append(nav)
            else:
                first.append(nav)
        _prepend(page.body, first)
        self._styles(page)
        if page.splice is None and not page.prefs.is_default:
            page.response_headers["Cache-Control"] = "private"

    @staticmethod
    def _styles(page: Page) -> None:
        head = page.head
        etree.SubElement(head, "link", {"rel": "stylesheet", "id": STYLESHEET_ID,
                                        "href": f"{page.prefix}toolbar.css"})
        style = etree.SubElement(head, "style", {"id": STYLE_ID})
        ours = placeholder(PREFS) if page.splice is not None \
            else preference_css(page.prefs, page.prefix)
        style.text = ours + (page.rules.css or "")
