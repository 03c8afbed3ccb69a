"""Keep visitors inside the barrier-free mode: origin URLs in the page point at the proxy.

Absolute (`http://origin/x`) and protocol-relative (`//origin/x`) URLs of the origin (or its
aliases, or another site this deployment serves) become proxy URLs; relative URLs already
resolve against the proxy and are left alone; other sites' links stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..headers import rewrite_refresh
from ..page import Page
from ..pipeline import Transform

#: attributes that hold one URL (HTML 4/5, SVG); `srcset` and meta refresh are handled apart
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "background", "cite",
                  "longdesc", "codebase", "usemap", "manifest", "icon",
                  "{http://www.w3.org/1999/xlink}href")
_SINGLE_URL = frozenset(URL_ATTRIBUTES)
#: CSS `url(...)` and `@import "..."`. A regular expression is enough here because only the
#: URL token is replaced, never CSS structure (font sizes are rewritten with tinycss2 elsewhere).
CSS_URL = re.compile(r"""(url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)
#: only elements that can hold an absolute or protocol-relative URL; evaluated in C by libxml2,
#: so the Python loop below touches a handful of elements instead of every one (written as an
#: attribute step, `//@*[...]/..`: the same node-set, ~40 % faster than a predicate per element)
CANDIDATES = etree.XPath("//@*[contains(., '//')]/.. | //style")


def rewrite_css_urls(css: str, to_proxy) -> str:
    """Rewrite every url()/@import in a CSS text; unchanged text if nothing matches."""
    if "//" not in css:
        return css
    return CSS_URL.sub(lambda m: m.group(1) + (to_proxy(m.group(2)) or m.group(2)), css)


class RewriteUrls(Transform):
    name = "rewrite_urls"

    def prepare(self, page: Page) -> None:
        if page.mapper is None:
            return
        for el in CANDIDATES(page.tree):
            self.rewrite(el, page)

    def rewrite(self, el: Any, page: Page) -> None:
        to_proxy = page.mapper.to_proxy
        # one pass over the element's own attributes instead of a lookup per known name: a
        # lookup costs as much as reading them all, and most elements here hold one or two
        for name, value in el.items():
            if "//" not in value:
                continue
            if name in _SINGLE_URL:
                if (new := to_proxy(value)) is not None:
                    el.set(name, new)
            elif name == "srcset":
                el.set(name, ", ".join(
                    _rewrite_srcset_item(item, to_proxy) for item in value.split(",")))
            elif name == "style":
                el.set(name, rewrite_css_urls(value, to_proxy))
        tag = el.tag
        if tag == "style" and el.text:
            el.text = rewrite_css_urls(el.text, to_proxy)
        elif tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            # the same syntax as the HTTP Refresh header: one rewrite for both
            el.set("content", rewrite_refresh(el.get("content") or "", page.mapper))


def _rewrite_srcset_item(item: str, to_proxy) -> str:
    parts = item.strip().split(None, 1)
    if not parts:
        return item
    parts[0] = to_proxy(parts[0]) or parts[0]
    return " ".join(parts)
