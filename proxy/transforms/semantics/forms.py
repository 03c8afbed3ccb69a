"""Names for form controls and buttons, from the site rule or the text a sighted user reads.

A control without a label gets, in order: the rule's `labels` text; the visible text just before
it (in its cell, or the previous cell of its row: the 姓名：[____] pattern); a `<label>` without
`for` just before the box that holds it (the form-group pattern: it gets the `for`); its
`placeholder`; for the only field of a form, the form's button (搜索); its `title` (a tooltip
is not a label: it is copied into `aria-label`); the form's function: the only text box of a
search form is 搜索, a password box 密码; a jump menu's caption option (`<option value="">省内外
高校</option>` before a list of links). Rule labels also name other elements (regions, links)
that have no name. A button without text in a search form is 搜索.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from proxy.heuristics.hints import Hints, words
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.semantics.shared import SR_ONLY_CLASS, XML_SPACE

#: the controls, buttons and labels this step looks at, found in one walk of the document
#: (one whole-tree XPath query per kind cost as much as that walk each); the controls and
#: buttons are the body's, the labels with `for` anywhere
WALKED_TAGS = ("input", "select", "textarea", "button", "label")
#: `type`s of inputs that are no field to name, and of those that are buttons (the tests
#: CONTROLS and BUTTONS were: `contains(' hidden ... image ', concat(' ', type, ' '))`, with
#: the type lower-cased by translate() in the letters of these words only)
NOT_FIELD_TYPES, BUTTON_TYPES = " hidden submit reset button image ", " submit reset button "
_FIELD_TYPE_CASE = str.maketrans("HIDENSUBMTRAGBUOIMG", "hidensubmtragbuoimg")
_BUTTON_TYPE_CASE = str.maketrans("SUBMITRESTBUON", "submitrestbuon")
FORM_FIELDS = etree.XPath(".//input[not(@type) or contains(' text search tel email number "
                          "url password ', concat(' ', translate(@type, 'TEXSRCHLMAIUBPWDNO', "
                          "'texsrchlmaiubpwdno'), ' '))] | .//select | .//textarea")
FORM_BUTTONS = etree.XPath(".//button | .//input[contains(' submit image button ', concat(' ', "
                           "translate(@type, 'SUBMITAGEBUON', 'submitagebuon'), ' '))]")
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
#: a `<label>` without `for` right before the box that holds only this control
_ORPHAN_LABEL = etree.XPath("preceding-sibling::*[1][self::label][not(@for)]"
                            "[not(.//input or .//select or .//textarea)]")
_ALONE_IN_PARENT = etree.XPath("boolean(parent::*[count(.//input[not(@type='hidden')] | "
                               ".//select | .//textarea) = 1][not(text()[normalize-space()])])")
#: how far up from a control its holder box or search scope is looked for
MAX_CLIMB = 3
_HINTED_IN = etree.XPath("descendant-or-self::*[@id or @class or @name or @action]")
_IN_FORM = etree.XPath("boolean(ancestor::form or @form)")
_IN_SEARCH = etree.XPath("boolean(ancestor::*[@role='search' or self::search])")
#: an <input> that is a one-line text box (no type, text or search, in any case)
TEXT_BOX_TEST = ("not(@type) or contains(' text search ', "
                 "concat(' ', translate(@type, 'TEXSARCH', 'texsarch'), ' '))")
_TEXT_BOX = etree.XPath(f"boolean(self::input[{TEXT_BOX_TEST}])")
OPTIONS = etree.XPath("./option | ./optgroup/option")
SEARCH_NAME, PASSWORD_NAME = "搜索", "密码"
#: words of an option value that is a place to go (a jump menu's entries)
_URLISH = ("http:", "https:", "/", "www.", "./", "../")


class Forms(Transform):
    name = "semantics.forms"
    switch = "semantics"  #: `disable: [semantics]` turns every semantic repair off

    def finish(self, page: Page) -> None:
        repair(page)


def repair(page: Page) -> None:
    root = page.tree
    for selector, text in page.rules.labels:
        for el in selector(root):
            if not _named(el, set()) and text and not _is_landmark_host(el):
                el.set("aria-label", text)
    controls, buttons, labelled = _walk(root)
    search_words = Hints.of(page.rules).derived("search_words", search_words_of)
    for control in controls:
        if _named(control, labelled):
            continue
        if _label_for(control, labelled):
            continue
        label = _nearby_text(control) or (control.get("placeholder") or "").strip() \
            or _adjacent_button(control) or (control.get("title") or "").strip() \
            or _function(control, search_words)
        if label:
            control.set("aria-label", label)
    for button in buttons:
        if (button.get("title") or "").strip() or not _is_empty_button(button):
            continue
        button.set("aria-label", button_function(button, search_words))


def _walk(root: Any) -> tuple[list[Any], list[Any], set[str]]:
    """The body's controls (fields to name) and buttons, in document order, and the `for` of
    every label. The HTML parser puts <body> directly under <html> (as Page.body assumes)."""
    controls: list[Any] = []
    buttons: list[Any] = []
    labelled: set[str] = set()
    for top in root:  # <head>, <body>
        if top.tag != "body":
            labelled.update(label.get("for") for label in top.iter("label")
                            if label.get("for") is not None)
            continue
        for el in top.iterdescendants(*WALKED_TAGS):
            tag = el.tag
            if tag == "label":
                if el.get("for") is not None:
                    labelled.add(el.get("for"))
            elif tag == "button":
                buttons.append(el)
            elif tag != "input":
                controls.append(el)
            else:
                kind = f" {el.get('type') or ''} "
                if el.get("type") is None or kind.translate(_FIELD_TYPE_CASE) not in \
                        NOT_FIELD_TYPES:
                    controls.append(el)
                elif kind.translate(_BUTTON_TYPE_CASE) in BUTTON_TYPES and \
                        not (el.get("value") or "").strip(XML_SPACE):
                    buttons.append(el)
    return controls, buttons, labelled


def _is_empty_button(button: Any) -> bool:
    """An input button (found without a value) or a <button> without text or a named image,
    as XPath's normalize-space() sees them."""
    if button.tag != "button":
        return True
    return not any(chunk.strip(XML_SPACE) for chunk in button.itertext()) and \
        not has_named_image(button)


def has_named_image(el: Any) -> bool:
    """An image inside with an alt of more than white space (`.//img[normalize-space(@alt)]`)."""
    return any((img.get("alt") or "").strip(XML_SPACE) for img in el.iterdescendants("img"))


def search_words_of(hints: Hints) -> frozenset[str]:
    return frozenset(h.lower() for h in hints.texts("SEARCH_HINTS"))


def button_function(button: Any, search_words: frozenset[str]) -> str:
    """What a button without text does, as its name: 搜索 in a site search, else by its type
    (an image button submits). A submit button outside any form submits nothing (no form, and
    the site's scripts that gave it a job are gone): calling it 提交 would promise what it does
    not do, so it is a plain 按钮."""
    kind = (button.get("type") or "submit").lower()
    if kind == "image":
        kind = "submit"
    if kind == "submit" and not _IN_FORM(button):
        kind = "button"
    if kind != "reset" and _is_search(button, search_words):
        return SEARCH_NAME
    return BUTTON_NAMES.get(kind, BUTTON_NAMES["button"])


def _label_for(control: Any, labelled: set[str]) -> bool:
    """The form-group pattern: `<label>手机：</label><div><input id=tel></div>`. The label
    gets the `for` (clicking it then focuses the box, as its author meant)."""
    el = control
    for _ in range(MAX_CLIMB):
        # the query only when the nearest element before is a label: rare, and looking at
        # that sibling costs less than the query
        before = next(el.itersiblings(etree.Element, preceding=True), None)
        found = _ORPHAN_LABEL(el) if before is not None and before.tag == "label" else []
        if found and _clean(found[0].text_content()):
            if control.get("id"):
                found[0].set("for", control.get("id"))
                labelled.add(control.get("id"))
            else:
                control.set("aria-label", _clean(found[0].text_content())[:MAX_LABEL])
            return True
        if not _ALONE_IN_PARENT(el):
            return False
        el = el.getparent()
    return False


def _function(control: Any, search_words: frozenset[str]) -> str:
    """What the control is for, when its form says so and nothing visible names it."""
    if control.tag == "select":
        return _caption_option(control)
    kind = (control.get("type") or "text").lower()
    if kind == "password":
        return PASSWORD_NAME
    if _TEXT_BOX(control) and _is_search(control, search_words):
        return SEARCH_NAME
    return ""


def _is_search(control: Any, search_words: frozenset[str]) -> bool:
    """Is this the only text box, or a button, of a site search (a search landmark, or a form
    or small box whose id/class/name/action says search)?"""
    scope = next(control.iterancestors("form"), None)
    if scope is None:
        scope = control
        for _ in range(MAX_CLIMB):
            scope = scope.getparent()
            if scope is None or len(scope) > 1:
                break
    if scope is None or len(FORM_FIELDS(scope)) != 1:
        return False
    if _IN_SEARCH(control):
        return True
    for el in _HINTED_IN(scope):
        value = " ".join(el.get(a) or "" for a in ("id", "class", "name", "action"))
        if _names_search(value, search_words):
            return True
    return False


@lru_cache(maxsize=4096)
def _names_search(value: str, search_words: frozenset[str]) -> bool:
    """Does a word of these id/class/name/action values say search? (A pure function of its
    arguments, and a site's class names recur on every page: memoised.)"""
    return any(_hinted(w, search_words) for w in words(value))


def _hinted(word: str, hints: frozenset[str]) -> bool:
    return word in hints or any(len(h) > 2 and (word.startswith(h) or word.endswith(h))
                                for h in hints)


def _caption_option(select: Any) -> str:
    """A jump menu's first option that names the menu instead of being a choice: no value
    (or "#"), or not a place to go while the other options are."""
    options = OPTIONS(select)
    if len(options) < 2:
        return ""
    first = options[0]
    value = (first.get("value") or "").strip()
    text = _clean(first.text_content())
    others_go = all((o.get("value") or "").strip().lower().startswith(_URLISH)
                    for o in options[1:] if (o.get("value") or "").strip())
    is_caption = value in ("", "#") and first.get("value") is not None or \
        others_go and not value.lower().startswith(_URLISH) and any(
            (o.get("value") or "").strip() for o in options[1:])
    return text if is_caption and len(text) <= MAX_LABEL else ""


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
    return next(el.iterancestors("label"), None) is not None


def _nearby_text(control: Any) -> str:
    texts = []
    for node in reversed(PRECEDING_TEXT(control)):
        if isinstance(node, str):
            texts.append(str(node))
        elif isinstance(node.tag, str) and node.tag in ("input", "select", "textarea", "br"):
            break
        elif isinstance(node.tag, str) and node.get("class") == SR_ONLY_CLASS:
            continue  # our own note for screen readers (the page's title as <h1>), no label
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
