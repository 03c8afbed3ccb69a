"""No script of the origin runs: script is removed from the tree, then the tree is verified.

Removal happens in the pipeline's one shared walk: a tree pass is a sizeable share of
parse + serialize, so this transform takes no pass of its own for attributes. Every
element gets a cheap look (tag in a set; attribute names; values only when they hold a ':'),
and a node that needed fixing is judged again at once. `finish` sweeps the tree in C (lxml's
tag-filtered `iter`) for elements and comments that must not exist and raises if any survived:
the transform is critical, so the visitor then gets a safe error page, never the origin's
markup.

Markup is also made parse-stable: the browser re-parses our serialization, so raw-text content
that it would read differently from lxml (`<` inside a `<style>` in SVG, mutation XSS) is
escaped. What the scripts used to show is kept: `<noscript>` is unwrapped, `javascript:` links
become real links or text (`script_links`), marquee/blink stop, a timed refresh becomes a link.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from proxy.page import Page, remove_keep_tail
from proxy.pipeline import Transform
from proxy.transforms.scripts import danger
from proxy.transforms.scripts.links import convert_onclick, convert_script_link

log = logging.getLogger(__name__)

#: elements removed with their content (plugins, script, a <base> re-pointing every URL)
#: (noembed/noframes: raw text no browser shows; lxml and a browser may even split them apart)
DROP_TAGS = frozenset({"script", "object", "embed", "applet", "param", "base", "noembed",
                       "noframes"})
#: elements shown without their wrapper (their content is what a script-less visitor needs)
UNWRAP_TAGS = frozenset({"noscript"})
#: moving or raw-text elements made static and ordinary (WCAG 2.2.2)
RENAME_TAGS = {"marquee": "div", "blink": "span", "xmp": "pre", "plaintext": "pre",
               "listing": "pre"}
ANIMATION_TAGS = frozenset({"animate", "set", "animatemotion", "animatetransform",
                            "animatecolor"})
#: `<link rel>` values that load or register script
SCRIPT_LINK_RELS = frozenset({"import", "modulepreload", "serviceworker"})
SCRIPT_DESTINATIONS = frozenset({"script", "worker", "sharedworker", "serviceworker",
                                 "audioworklet", "paintworklet", "document", "embed", "object"})
JSON_SCRIPT_TYPES = frozenset({"application/ld+json"})
_ON = frozenset({"on", "On", "oN", "ON"})
#: attribute names that get a closer look besides handlers (lxml gives them in lowercase)
_CHECKED = danger.URL_ATTRIBUTES | {"style", "srcdoc"}
#: URL attributes holding one URL (the others hold lists, each item judged)
_ONE_URL = danger.URL_ATTRIBUTES - danger.MULTI_URL_ATTRIBUTES
_REFRESH = re.compile(r"""\s*(\d*(?:\.\d*)?)\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(.*?)\2\s*\Z""",
                      re.I | re.S)
#: characters lxml keeps from a parse but refuses when text is set (and CSS/JSON never need)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MOVED_TEXT = "本页面原来会自动跳转，请点这里前往 / This page moves on: continue here"

#: elements that need a look of their own (everything else only has its attributes checked)
ELEMENT_TAGS = frozenset(DROP_TAGS | UNWRAP_TAGS | set(RENAME_TAGS) | ANIMATION_TAGS
                         | {"link", "meta", "style", "textarea", "title", "iframe"})
#: the final sweep: elements that must not survive (or only as inert text), found by lxml in C
SWEPT = (*sorted(DROP_TAGS | UNWRAP_TAGS | set(RENAME_TAGS)), "style", "iframe", etree.Comment,
         etree.ProcessingInstruction)
_RELATIVE_URLS = etree.XPath("//@href | //@src | //@action | //@background | //@poster"
                             " | //@formaction | //@data")


class UnsafeTree(Exception):
    """Script survived the removal: the page must not be served."""


class StripScripts(Transform):
    """Removal in the shared walk (one look per element, in document order, so every
    transform after this one sees a script-free tree), verification in `finish`."""

    name = "strip_scripts"
    critical = True
    switchable = False

    def prepare(self, page: Page) -> None:
        _rebase(page)

    def visit(self, el: Any, page: Page) -> None:
        tag = el.tag
        if tag.__class__ is not str:  # comment or processing instruction
            remove_keep_tail(el)
            return
        fixed = tag in ELEMENT_TAGS and _element_unsafe(el, tag)
        if fixed and _fix_element(el, tag, page):
            return  # removed (its content, if kept, is visited in its turn)
        # keys, not items: most values are never needed; `in el` means children
        for name in el.keys():  # noqa: SIM118
            if name in _CHECKED:
                low = name  # the set holds lowercase names only
            elif name[:2] in _ON:
                low = name.lower()
            else:
                continue
            value = el.get(name)  # None: an earlier fix of this element removed it
            if value is None or low in _ONE_URL and _url_cannot_run(value):
                continue  # the common link or image, decided without the full look
            if _attribute_problem(tag, low, name, value, True):
                _fix_attribute(el, tag, name, page)
                fixed = True
        if fixed and (left := problems(el)):  # judged again: a fix that did not hold
            raise UnsafeTree(f"{left[0]}: {_describe(el)}")

    def finish(self, page: Page) -> None:
        left = [f"element {node.tag if isinstance(node.tag, str) else 'comment'}"
                for node in page.tree.iter(*SWEPT) if _survived(node)]
        if left:
            log.error("script survived removal host=%s url=%s: %s", page.host, page.url,
                      "; ".join(left[:10]))
            raise UnsafeTree(left[0])


def _survived(node: Any) -> bool:
    """The final sweep's verdict: structure only (attributes were judged in the walk)."""
    tag = node.tag
    if not isinstance(tag, str):
        return True
    if tag == "script":
        return _element_unsafe(node, tag)
    if tag in ("style", "iframe"):
        return "<" in (node.text or "") and tag == "style" or len(node) > 0
    return True


def _describe(node: Any) -> str:
    if not isinstance(node.tag, str):
        return "comment"
    return f"<{node.tag} {' '.join(node.attrib.keys())}>"


def problems(node: Any) -> list[str]:
    """Why this node is unsafe (empty when it is fine)."""
    if not isinstance(node.tag, str):
        return ["comment or processing instruction"]
    tag = node.tag.lower()
    found = [f"element {tag}"] if _element_unsafe(node, tag) else []
    found += [f"{reason} {name}" for name, value in node.items()
              if (reason := _attribute_problem(tag, name.lower(), name, value))]
    return found


def _element_unsafe(el: Any, tag: str) -> bool:
    if tag == "script":
        return (el.get("type") or "").strip().lower() not in JSON_SCRIPT_TYPES \
            or "<" in (el.text or "") or len(el) > 0
    if tag in DROP_TAGS or tag in UNWRAP_TAGS or tag in RENAME_TAGS:
        return True
    if tag == "link":
        return _script_link(el)
    if tag == "meta":
        return _refresh(el) is not None and _refresh(el)[1] != "keep"
    if tag in ANIMATION_TAGS:
        return _animates_script(el)
    if tag == "style":
        text = el.text or ""
        return "<" in text or len(el) > 0 or danger.stylesheet_dangerous(text)
    if tag in ("textarea", "title"):
        return len(el) > 0
    if tag == "iframe":  # its content is raw text a browser never shows
        return bool(el.text) or len(el) > 0
    return False


def _attribute_problem(tag: str, low: str, name: str, value: str,
                       cleaning: bool = False) -> str | None:
    """The reason an attribute is unsafe, or None. Cheap for the common case: most values
    have no ':' or start with http or /, and then cannot be script."""
    if low.startswith("on"):
        return "handler"
    if low == "srcdoc":
        return "attribute"
    if low == "style":  # cleaning rewrites any hint (junk too); the verdict needs a real one
        hint = danger.css_may_be_dangerous if cleaning else danger.declarations_dangerous
        return "css" if hint(value) else None
    if low not in danger.URL_ATTRIBUTES or ":" not in value \
            or low in _ONE_URL and _url_cannot_run(value):
        return None
    return "script url" if danger.is_script_url(value, tag, low) else None


def _url_cannot_run(value: str) -> bool:
    """A single URL without ':', or starting with http or /, names no scheme that runs script
    (a browser reads `http...:` as http(s) or as a relative path, `/...` as a path)."""
    return ":" not in value or value.startswith(("http", "/"))


def _fix_attribute(el: Any, tag: str, name: str, page: Page) -> None:
    low, value = name.lower(), el.get(name)
    if low == "onclick":
        convert_onclick(el, page)  # a handler that navigates leaves its URL to a link
    elif low == "style":
        cleaned = danger.clean_declarations(value)
        if cleaned and not danger.declarations_dangerous(cleaned):
            el.set(name, cleaned)
            return
    elif low == "href" and tag in ("a", "area") and danger.is_script_url(value):
        convert_script_link(el, page)  # a real link to its literal target, or plain text
        if el.get(name) is None or not danger.is_script_url(el.get(name)):
            return
    el.attrib.pop(name, None)


def _fix_element(el: Any, tag: str, page: Page) -> bool:
    """Make one unsafe element safe; True when it was removed from the tree."""
    if tag == "script" and (el.get("type") or "").strip().lower() in JSON_SCRIPT_TYPES:
        el.text = _CONTROL.sub("", (el.text or "").replace("<", "\\u003c"))  # data, not markup
        for child in list(el):
            el.remove(child)
        return False
    if tag in DROP_TAGS or tag == "link" or tag in ANIMATION_TAGS:
        remove_keep_tail(el)
        return True
    if tag in UNWRAP_TAGS:
        parent = el.getparent()
        if parent is not None and parent.tag == "head":  # only elements belong in <head>
            el.text = None
            for child in el:
                child.tail = None
        _unwrap(el)
        return True
    if tag in RENAME_TAGS:
        el.tag = RENAME_TAGS[tag]
        for name in list(el.attrib):
            if name not in ("id", "class", "style", "lang", "dir", "title"):
                del el.attrib[name]
        return False
    if tag == "meta":
        return _fix_refresh(el, page)
    if tag == "style":
        el.text = _safe_stylesheet(el.text or "")
        for child in list(el):
            el.remove(child)
        return False
    text = el.text_content() if tag != "iframe" else None  # textarea/title: text only
    for child in list(el):
        el.remove(child)
    el.text = _CONTROL.sub("", text) if text else None
    return False


def _safe_stylesheet(text: str) -> str:
    if danger.stylesheet_dangerous(text):
        text = danger.clean_stylesheet(text)
    # CDO/CDC are ignored by CSS; any other `<` is escaped so no parser reads markup here
    # (inside <svg> or <math> a browser parses <style> content as elements)
    return _CONTROL.sub("", text.replace("<!--", "").replace("-->", "").replace("<", "\\3c "))


def _script_link(el: Any) -> bool:
    rels = set((el.get("rel") or "").lower().split())
    if rels & SCRIPT_LINK_RELS:
        return True
    as_ = (el.get("as") or "").strip().lower()
    return bool(rels & {"preload", "prefetch", "prerender"}) and as_ in SCRIPT_DESTINATIONS


def _animates_script(el: Any) -> bool:
    """SVG animation that writes a link or handler attribute (`values=javascript:...`)."""
    target = (el.get("attributename") or el.get("attributeName") or "").strip().lower()
    return target.rpartition(":")[2] in ("href", "src", "action", "formaction", "data") \
        or target.startswith("on") or "xlink" in target


def _refresh(el: Any) -> tuple[str, str] | None:
    """(url, verdict) for a meta refresh: 'keep' an immediate redirect, else 'script'/'timed'."""
    if (el.get("http-equiv") or "").strip().lower() != "refresh":
        return None
    match = _REFRESH.match(el.get("content") or "")
    delay_text, url = (match.group(1), match.group(3).strip()) if match else ("", "")
    if url and danger.is_script_url(url):
        return url, "script"
    delay = float(delay_text) if delay_text not in ("", ".") else 0.0
    return url, "keep" if url and delay == 0 else "timed"


def _fix_refresh(el: Any, page: Page) -> bool:
    url, verdict = _refresh(el) or ("", "keep")
    remove_keep_tail(el)
    if verdict == "timed" and url:  # WCAG 2.2.1: the visitor decides when to go on
        notice = lxml.html.Element("p", {"class": "a11y-moved", "role": "note"})
        href = page.mapper.to_proxy(url) if page.mapper else None
        etree.SubElement(notice, "a", href=href or url).text = MOVED_TEXT
        page.body.insert(0, notice)
    return True


def _rebase(page: Page) -> None:
    """A same-site `<base href>` is removed with the others (CSP forbids it anyway), so the
    relative URLs it re-pointed are resolved against it first and keep their targets."""
    base_el = page.tree.find("head/base[@href]")
    if base_el is None:
        return
    base = urljoin(page.url, base_el.get("href").strip())
    if urlsplit(base).netloc != urlsplit(page.url).netloc or danger.is_script_url(base):
        return
    for attr in _RELATIVE_URLS(page.tree):
        value = str(attr).strip()
        if value and not value.startswith("#") and ":" not in value.split("/", 1)[0]:
            attr.getparent().set(attr.attrname, urljoin(base, value))


def _unwrap(el: Any) -> None:
    """Replace an element by its content."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    prev = el.getprevious()
    lead = (el.text or "")
    if prev is not None:
        prev.tail = (prev.tail or "") + lead
    else:
        parent.text = (parent.text or "") + lead
    children = list(el)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + (el.tail or "")
    elif el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    el.tail = None
    parent.remove(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
