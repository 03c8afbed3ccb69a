"""Names for form controls and buttons, from the site rule or the text a sighted user reads.

A control without a label gets, in order: the rule's `labels` text; the visible text just before
it (in its cell, or the previous cell of its row: the 姓名：[____] pattern); its `placeholder`;
its `title`; for the only field of a form, the form's button (搜索). Rule labels also name
other elements (regions, links) that have no name.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..page import Page

CONTROLS = etree.XPath(
    "//body//input[not(@type) or not(contains(' hidden submit reset button image ', "
    "concat(' ', translate(@type, 'HIDENSUBMTRAGBUOIMG', 'hidensubmtragbuoimg'), ' ')))] | "
    "//body//select | //body//textarea")
BUTTONS = etree.XPath("//body//input[contains(' submit reset button ', concat(' ', "
                      "translate(@type, 'SUBMITRESTBUON', 'submitrestbuon'), ' '))]"
                      "[not(normalize-space(@value))] | "
                      "//body//button[not(normalize-space(string(.)))]"
                      "[not(.//img[normalize-space(@alt)!=''])]")
FORM_FIELDS = etree.XPath(".//input[not(@type) or contains(' text search tel email number "
                          "url password ', concat(' ', translate(@type, 'TEXSRCHLMAIUBPWDNO', "
                          "'texsrchlmaiubpwdno'), ' '))] | .//select | .//textarea")
FORM_BUTTONS = etree.XPath(".//button | .//input[contains(' submit image button ', concat(' ', "
                           "translate(@type, 'SUBMITAGEBUON', 'submitagebuon'), ' '))]")
LABEL_FOR = etree.XPath("//label[@for]/@for")
PRECEDING_TEXT = etree.XPath("preceding-sibling::node()")
PREVIOUS_CELL = etree.XPath("ancestor::td[1]/preceding-sibling::td[1] | "
                            "ancestor::th[1]/preceding-sibling::*[1]")
#: what a label's text ends with that is not part of the name
_DECORATION = re.compile(r"^[\s*＊:：·•]+|[\s*＊:：]+$")
#: a label read from the text around a control is at most this long
MAX_LABEL = 30
#: default names of a button with no text, by type
BUTTON_NAMES = {"submit": "提交", "reset": "重置", "button": "按钮"}
_LANDMARK_CHILD = etree.XPath("./*[@role or self::nav or self::main]")
_CONTROLS_IN = etree.XPath(".//input | .//select | .//textarea")


def repair(page: Page) -> None:
    root = page.tree
    for selector, text in page.rules.labels:
        for el in selector(root):
            if not _named(el, set()) and text and not _is_landmark_host(el):
                el.set("aria-label", text)
    labelled = set(LABEL_FOR(root))
    for control in CONTROLS(root):
        if _named(control, labelled):
            continue
        label = _nearby_text(control) or (control.get("placeholder") or "").strip() \
            or _adjacent_button(control)
        if label:
            control.set("aria-label", label)
    for button in BUTTONS(root):
        if (button.get("title") or "").strip():
            continue
        kind = (button.get("type") or "submit").lower()
        button.set("aria-label", BUTTON_NAMES.get(kind, BUTTON_NAMES["button"]))


def _adjacent_button(control: Any) -> str:
    """The only field of a form is named by the form's button (WCAG technique G167: a search
    box and its 搜索 button); the button's text, value or image alt is what a sighted user reads."""
    form = next(control.iterancestors("form"), None)
    if form is None or len(FORM_FIELDS(form)) != 1:
        return ""
    for button in FORM_BUTTONS(form):
        text = _clean(button.text_content() if button.tag == "button" else
                      button.get("value") or button.get("alt") or button.get("title") or "")
        if text:
            return text
    return ""


def _is_landmark_host(el: Any) -> bool:
    """Landmark labels from the rules were put on the landmark (perhaps a wrapper) already."""
    return el.tag in ("td", "th", "table", "tr") or bool(_LANDMARK_CHILD(el))


def _named(el: Any, labelled: set[str]) -> bool:
    if (el.get("aria-label") or "").strip() or el.get("aria-labelledby"):
        return True
    if el.get("id") and el.get("id") in labelled:
        return True
    if next(el.iterancestors("label"), None) is not None:
        return True
    return bool((el.get("title") or "").strip())


def _nearby_text(control: Any) -> str:
    texts = []
    for node in reversed(PRECEDING_TEXT(control)):
        if isinstance(node, str):
            texts.append(str(node))
        elif isinstance(node.tag, str) and node.tag in ("input", "select", "textarea", "br"):
            break
        elif isinstance(node.tag, str):
            texts.append(node.text_content())  # its tail is the text node after it
        if _clean("".join(reversed(texts))):
            break
    label = _clean("".join(reversed(texts)))
    if not label:
        cells = PREVIOUS_CELL(control)
        if cells and not _CONTROLS_IN(cells[0]):
            label = _clean(cells[0].text_content())
    return label if len(label) <= MAX_LABEL else ""


def _clean(text: str) -> str:
    return _DECORATION.sub("", " ".join(text.split()))
