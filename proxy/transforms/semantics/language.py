"""Language: `<html lang>` says the language the page is written in.

Screen readers choose their voice by `lang`; legacy pages have none, or `en` on Chinese text.
The language is detected from the body's text (the title's when the body has none); a right
but misspelt tag (`zh_cn`) is written as BCP 47 (`zh-CN`), and `xml:lang` says the same.
"""

from __future__ import annotations

import functools
from typing import Any

from lxml import etree

from proxy.heuristics import langdetect
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.semantics.shared import XML_SPACE

# plain strings (smart_strings=False): only the characters are read, and a smart string is a
# Python object tied to its text node; `descendant::` is a step cheaper than `//`
TITLE_TEXT = etree.XPath("//head/title//text()", smart_strings=False)
#: elements whose text is not the page's (code, or shown only without scripts)
NOT_TEXT = ("script", "style", "noscript")
STRING_VALUE = etree.XPath("string()", smart_strings=False)
XML_LANG = "xml:lang"  #: as the HTML parser stores it (a plain name, no namespace)


class Language(Transform):
    name = "semantics.language"
    switch = "semantics"

    def finish(self, page: Page) -> None:
        set_lang(page.tree, not_text_tags(page.tree))


def not_text_tags(root: Any) -> frozenset[str]:
    """The `NOT_TEXT` tags the body has, from one C-level pass (lxml's iter by tag)."""
    body = root.find("body")
    return frozenset(el.tag for el in body.iter(*NOT_TEXT)) if body is not None else frozenset()


def set_lang(root: Any, not_text: frozenset[str]) -> None:
    """`lang` from the text (the title's when the body has none); a right but misspelt tag
    (`zh_cn`) is written as BCP 47 (`zh-CN`), and `xml:lang` says the same as `lang`.
    `not_text`: the `NOT_TEXT` tags in the body (`not_text_tags`)."""
    text = _body_text(root, not_text) or "".join(TITLE_TEXT(root))
    detected = langdetect.detect(text)
    existing = (root.get("lang") or root.get(XML_LANG) or "").strip()
    if detected is not None and (not existing or not langdetect.agrees(existing, detected)):
        root.set("lang", detected)
    elif existing:
        root.set("lang", bcp47(existing))
    if root.get(XML_LANG) is not None and root.get("lang"):
        root.set(XML_LANG, root.get("lang"))


def bcp47(tag: str) -> str:
    """`zh_cn` -> `zh-CN`, `ZH-hans-cn` -> `zh-Hans-CN`: the case and separator BCP 47 writes."""
    parts = [p for p in tag.replace("_", "-").split("-") if p]
    out = parts[:1] and [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 and part.isalpha() else
                   part.upper() if len(part) == 2 else part.lower())
    return "-".join(out) or tag


def _body_text(root: Any, present: frozenset[str]) -> str:
    """The body's text for langdetect: its non-blank text nodes outside `NOT_TEXT` elements,
    joined, up to the first past langdetect.SAMPLE characters; "" if there is none.
    `present`: the `NOT_TEXT` tags the body has (`not_text_tags`)."""
    body = root.find("body")
    if body is None:
        return ""
    # a test `not(ancestor::x)` for each text node is most of the query's time: only the tags
    # the body has are tested (`not_text_tags` found them)
    if not present:
        text = STRING_VALUE(body)
        if len(text) <= langdetect.SAMPLE:
            # all of the body's text nodes: the blank ones add only white space, which
            # langdetect neither counts nor (the whole text fits the sample) is cut by
            return text if text.strip(XML_SPACE) else ""
    return "".join(_limited(_text_nodes(present)(body)))


@functools.cache
def _text_nodes(not_text: frozenset[str]) -> Any:
    """The query for the non-blank text nodes not inside an element of these tags."""
    outside = "".join(f"[not(ancestor::{tag})]" for tag in sorted(not_text))
    return etree.XPath(f"descendant::text()[normalize-space()]{outside}", smart_strings=False)


def _limited(texts: list, limit: int = langdetect.SAMPLE) -> list:
    out, size = [], 0
    for t in texts:
        out.append(t)
        size += len(t)
        if size > limit:
            break
    return out
