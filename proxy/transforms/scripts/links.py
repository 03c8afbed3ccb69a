"""Links that used script to go somewhere become real links; those that cannot, plain text.

`<a href="javascript:window.open('/x')">`, `location.href='/x'` and `onclick="location='/x'"`
have a knowable target: the literal URL. `javascript:void(0)` with a handler we remove has none:
it becomes a `<span>` with the same text, so a screen reader does not announce a dead link.
The toolbar transform turns the vendor toolbar's and font-size links into our own before this
runs; anything of theirs that still arrives here becomes plain text like the rest.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import lxml.html
from lxml import etree

from proxy.page import Page
from proxy.transforms.scripts.danger import clean_url, is_script_url

_LITERAL = r"""\s*(['"])([^'"\\]*)\1"""  # a string literal without quotes or escapes inside
#: `location = '/x'`, `window.location.href='/x'`, `top.location="/x"` (not `'/x' + id`)
_ASSIGN = re.compile(r"\b(?:(?:window|self|top|parent|document)\s*\.\s*)?location"
                     r"(?:\s*\.\s*href)?\s*=(?!=)" + _LITERAL + r"(?!\s*\+)")
#: `window.open('/x', ...)`, `location.assign('/x')`, `location.replace("/x")`
_CALL = re.compile(r"\b(?:(?:window\s*\.\s*)?open|location\s*\.\s*(?:assign|replace)|"
                   r"navigate)\s*\(" + _LITERAL + r"\s*[,)]")
#: attributes a link has and a <span> must not keep
LINK_ONLY_ATTRIBUTES = ("href", "target", "rel", "download", "hreflang", "type", "ping",
                        "referrerpolicy", "xlink:href", "accesskey")
#: a link that only carried a handler
PLACEHOLDER_HREFS = frozenset({"", "#", "#!", "#none", "#this"})
_FOREIGN = frozenset({"svg", "math"})
_FORM_CONTROLS = frozenset({"input", "button", "select", "textarea", "option", "form"})
#: a handler that submits its form: a call whose name says submit or search
_SUBMITS = re.compile(r"\b(?:this\.form\.submit|[\w$.]*(?:submit|search|sousuo)\w*)\s*\(",
                      re.I)
#: the button shows only the picture, as before (no frame or grey face of a default button)
_IMAGE_BUTTON_STYLE = "border:0;padding:0;background:none;cursor:pointer"


def script_target(code: str | None) -> str | None:
    """The one literal URL a snippet of script navigates to, or None if there is not exactly
    one (or it is itself script)."""
    if not code:
        return None
    urls = {m.group(2).strip() for m in (*_ASSIGN.finditer(code), *_CALL.finditer(code))}
    if len(urls) != 1:
        return None
    url = urls.pop()
    return url if url and not is_script_url(url) else None


def javascript_code(href: str) -> str:
    """The code of a `javascript:` URL, percent-decoded the way a browser runs it."""
    return unquote(clean_url(href).partition(":")[2])


def convert_onclick(el: Any, page: Page) -> None:
    """Before its handler is removed: give the handler's navigation to a link, or demote a
    link that only carried the handler to text."""
    tag = el.tag
    target = script_target(el.get("onclick"))
    if target and page.mapper is not None:
        target = page.mapper.to_proxy(target) or target
    if tag in ("a", "area"):
        href = el.get("href")
        placeholder = href is None or href.strip() in PLACEHOLDER_HREFS or is_script_url(href)
        if target and placeholder:
            el.set("href", target)
        elif href is not None and href.strip() in PLACEHOLDER_HREFS:
            make_plain(el)
    elif target and tag == "button":
        el.tag = "a"
        for name in ("type", "name", "value", "form", "formaction", "disabled"):
            el.attrib.pop(name, None)
        el.set("href", target)
    elif target and tag not in _FORM_CONTROLS and el.find(".//a") is None:
        _wrap_in_link(el, target)
    elif tag == "img" and _SUBMITS.search(el.get("onclick") or "") \
            and next(el.iterancestors("form"), None) is not None \
            and next(el.iterancestors("button", "a"), None) is None:
        _wrap_in_submit_button(el)


def convert_script_link(el: Any, page: Page) -> None:
    """A `javascript:` link (already judged to be one): its literal target, or text."""
    target = script_target(javascript_code(el.get("href") or ""))
    if target:
        mapped = page.mapper.to_proxy(target) if page.mapper else None
        el.set("href", mapped or target)
    else:
        make_plain(el)


def make_plain(el: Any) -> None:
    """A link without a target: its content as text (a <span>), never a dead link."""
    for name in LINK_ONLY_ATTRIBUTES:
        el.attrib.pop(name, None)
    in_foreign = any(a.tag in _FOREIGN for a in el.iterancestors())
    if el.tag == "a" and not in_foreign:
        el.tag = "span"


def _wrap_in_submit_button(img: Any) -> None:
    """A picture whose click handler submitted its form (`checkSubmit()`, `doSearch()`)
    becomes the picture inside a real submit button: the form still works without the script,
    by keyboard too. Semantics names the button by the form's function (搜索, 提交)."""
    button = lxml.html.Element("button", type="submit", style=_IMAGE_BUTTON_STYLE)
    button.tail, img.tail = img.tail, None
    img.addprevious(button)
    button.append(img)  # moves the picture in; the walk goes on after the button
    img.set("alt", "")  # the button carries the name


def _wrap_in_link(el: Any, target: str) -> None:
    link = etree.SubElement(el, "a", href=target)
    link.text, el.text = el.text, None
    for child in list(el):
        if child is not link:
            link.append(child)  # moves the child (and its tail) into the link
