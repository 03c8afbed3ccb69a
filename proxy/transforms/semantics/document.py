"""Document-level repairs: a viewport that lets the reader zoom, and no moving text.

A `<meta name=viewport>` that forbids zooming (`user-scalable=no`, `maximum-scale`) keeps
low-vision readers from enlarging the page (WCAG 1.4.4); `<marquee>` and `<blink>` move text
nobody can stop (WCAG 2.2.2): they become still `<div>`s with their content.
"""

from __future__ import annotations

import re
from typing import Any

from proxy.page import Page
from proxy.pipeline import Transform

#: the parts of a viewport's content that stop the reader from zooming
_ZOOM_BLOCKERS = re.compile(r"\s*(user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*[\d.]+|"
                            r"minimum-scale\s*=\s*[\d.]+)\s*,?", re.I)
#: attributes that only make a <marquee> move
MOTION_ATTRIBUTES = ("scrollamount", "direction", "behavior", "loop", "scrolldelay")


class Document(Transform):
    name = "semantics.document"
    switch = "semantics"

    def finish(self, page: Page) -> None:
        metas, moving = document_tags(page.tree)
        allow_zoom(metas)
        for el in moving:  # moving text (axe: marquee); its content stays, still
            el.tag = "div"
            for attr in MOTION_ATTRIBUTES:
                el.attrib.pop(attr, None)


def document_tags(root: Any) -> tuple[list[Any], list[Any]]:
    """Every <meta> of the document and the moving text (<marquee>, <blink>) of the body, from
    one C-level pass (lxml's iter by tag makes proxies only for them)."""
    body = root.find("body")
    metas: list[Any] = []
    moving: list[Any] = []
    for child in root:
        if child is not body:
            metas.extend(child.iter("meta"))
            continue
        for el in body.iter("meta", "marquee", "blink"):
            (metas if el.tag == "meta" else moving).append(el)
    return metas, moving


def allow_zoom(metas: list[Any]) -> None:
    """A viewport that lets the reader zoom. `metas`: the document's <meta>s (`document_tags`)."""
    # `translate(@name, 'VIEWPORT', 'viewport') = 'viewport'`: no other character lowers to
    # one of these letters, so str.lower says the same of the name
    for meta in metas:
        if (meta.get("name") or "").lower() != "viewport":
            continue
        content = meta.get("content") or ""
        fixed = _ZOOM_BLOCKERS.sub("", content).strip().strip(",").strip()
        if fixed != content.strip():
            meta.set("content", fixed or "width=device-width, initial-scale=1")
