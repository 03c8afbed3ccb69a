"""The site file's own edits: `remove` selectors and lol-html-style `actions`.

Runs early (before script removal), so HTML an admin inserts is checked by the same security
boundary as the origin's markup. Selectors were compiled when the rules loaded.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from proxy.page import Page, remove_keep_tail
from proxy.pipeline import Transform
from proxy.siterules.model import Action


def _staged(action: Action) -> Any:
    """Inserted content in a holder element: escaped text by default (it becomes a text node),
    parsed HTML only with `type: html`."""
    holder = lxml.html.Element("span")
    if action.content_type == "html":
        for node in lxml.html.fragments_fromstring(action.content or ""):
            if isinstance(node, str):
                _add_text(holder, node)
            else:
                holder.append(node)
    else:
        holder.text = action.content or ""
    return holder


def _add_text(holder: Any, text: str) -> None:
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "") + text
    else:
        holder.text = (holder.text or "") + text


def _place(el: Any, staged: Any, where: str) -> None:
    """Move the staged text and children before/after/into `el`, keeping every text node in
    document order (lxml keeps text as .text/.tail, so each case differs)."""
    children, text = list(staged), staged.text or ""
    if where in ("prepend", "append"):
        if where == "append":
            for child in children:
                el.append(child)
            last = children[0].getprevious() if children else (el[-1] if len(el) else None)
            if last is not None:
                last.tail = (last.tail or "") + text
            else:
                el.text = (el.text or "") + text
            return
        old_text, el.text = el.text or "", text
        for index, child in enumerate(children):
            el.insert(index, child)
        if children:
            children[-1].tail = (children[-1].tail or "") + old_text
        else:
            el.text += old_text
        return
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    if where == "before":
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        for offset, child in enumerate(children):
            parent.insert(index + offset, child)
        return
    old_tail, el.tail = el.tail or "", text
    for offset, child in enumerate(children):
        parent.insert(index + 1 + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + old_tail
    else:
        el.tail += old_tail


def apply_action(el: Any, action: Action) -> None:
    verb = action.verb
    if verb == "remove":
        remove_keep_tail(el)
    elif verb == "remove_and_keep_content":
        el.drop_tag()
    elif verb == "set_attribute":
        el.set(action.name, action.value or "")
    elif verb == "remove_attribute":
        el.attrib.pop(action.name, None)
    elif verb == "rename":
        el.tag = action.name
    elif verb == "set_inner_content":
        for child in list(el):
            el.remove(child)
        el.text = None
        _place(el, _staged(action), "append")
    elif verb == "replace":
        _place(el, _staged(action), "before")
        remove_keep_tail(el)
    else:  # before / after / prepend / append
        _place(el, _staged(action), verb)


#: marks a page whose site-file edits are done: a page proxied twice (a proxy behind a proxy, or
#: a stored copy re-served) must not get its `before`/`append` content a second time
APPLIED_MARK = "a11y-rule-actions"
_ALREADY = etree.XPath(f"/html/head/meta[@name='{APPLIED_MARK}']")


class RuleActions(Transform):
    name = "actions"

    def prepare(self, page: Page) -> None:
        root = page.tree
        if not (page.rules.remove or page.rules.actions) or _ALREADY(root):
            return
        etree.SubElement(page.head, "meta", name=APPLIED_MARK, content=page.rules.name)
        for selector in page.rules.remove:
            for el in selector(root):
                if el.tag not in ("html", "body", "head"):
                    remove_keep_tail(el)
        for action in page.rules.actions:
            for el in action.selector(root):
                apply_action(el, action)
