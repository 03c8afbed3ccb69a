"""Keep visitors inside the barrier-free mode: origin URLs in the page point at the proxy.

Absolute (`http://origin/x`) and protocol-relative (`//origin/x`) URLs of the origin (or its
aliases, or another site this deployment serves) become proxy URLs; relative URLs already
resolve against the proxy and are left alone; other sites' links stay as they are.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from proxy.css.urls import rewrite_css_urls
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.routing import rewrite_refresh

#: attributes that hold one URL (HTML 4/5, SVG); `srcset` and meta refresh are handled apart
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "background", "cite",
                  "longdesc", "codebase", "usemap", "manifest", "icon",
                  "{http://www.w3.org/1999/xlink}href")
_SINGLE_URL = frozenset(URL_ATTRIBUTES)
#: every attribute value that can hold an absolute or protocol-relative URL (one with `//`),
#: found in C by libxml2, so Python touches a few thousand values instead of every attribute.
#: The attribute nodes themselves, not their elements (`/..`): no duplicate removal and no
#: second lookup per element.
URL_VALUES = etree.XPath("//@*[contains(., '//')]")


class RewriteUrls(Transform):
    name = "rewrite_urls"

    def prepare(self, page: Page) -> None:
        if page.mapper is None:
            return
        to_proxy, mentions_an_origin = page.mapper.to_proxy, page.mapper.mentions_an_origin
        refreshes: dict[Any, None] = {}  # <meta> with a `//` value, once each, in order
        for found in URL_VALUES(page.tree):
            el, name = found.getparent(), found.attrname
            # a plain copy: lxml's result string keeps the whole tree alive (as a memo key)
            value = str(found)
            if name in _SINGLE_URL:
                if (new := to_proxy(value)) is not None:
                    el.set(name, new)
            elif name == "srcset":
                el.set(name, ", ".join(
                    _rewrite_srcset_item(item, to_proxy) for item in value.split(",")))
            elif name == "style" and mentions_an_origin(value):
                el.set(name, rewrite_css_urls(value, to_proxy))
            if el.tag == "meta":
                refreshes[el] = None
        for el in refreshes:
            if (el.get("http-equiv") or "").lower() == "refresh":
                # the same syntax as the HTTP Refresh header: one rewrite for both
                el.set("content", rewrite_refresh(el.get("content") or "", page.mapper))
        for style in page.tree.iter("style"):
            # a stylesheet that names no origin has no URL to rewrite: one substring test
            # instead of a regular-expression scan of often 10-100 KB of CSS
            if style.text and mentions_an_origin(style.text):
                style.text = rewrite_css_urls(style.text, to_proxy)


def _rewrite_srcset_item(item: str, to_proxy) -> str:
    parts = item.strip().split(None, 1)
    if not parts:
        return item
    parts[0] = to_proxy(parts[0]) or parts[0]
    return " ".join(parts)
