"""Text alternatives for images, image buttons and image-map areas; nothing invented.

Order for an image without `alt`: the site rule's `alt`; a spacer or shim (1x1, 2px lines,
known file names) gets `alt=""`; its `title`; inside a link that has other text, `alt=""` (the
link says it); inside a link with nothing else, the link's title or its target page's title
(fetched before the rewrite, see semantics_links.gather_titles); a figure's caption. An image
with none of these keeps no alt: we do not describe pictures we cannot see.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..page import Page
from .hints import Hints
from .semantics_links import target_title

NO_ALT = etree.XPath("//body//img[not(@alt)]")
IMAGE_INPUTS = etree.XPath("//body//input[translate(@type,'IMAGE','image')='image']"
                           "[not(@alt) or normalize-space(@alt)='']")
AREAS = etree.XPath("//body//area[@href][not(@alt) or normalize-space(@alt)='']")
LINK = etree.XPath("ancestor::a[@href][1]")
OTHER_TEXT = etree.XPath("normalize-space(string(.))")
NAMED_IMAGES = etree.XPath(".//img[normalize-space(@alt)!='']")
CAPTION = etree.XPath("normalize-space(ancestor::figure[1]/figcaption)")
#: an image this small (either side, in px) is a spacer or a rule line, not content
MAX_SPACER_PX = 2
#: the function of an image button, when it has no text: what its form does
SUBMIT_NAME, SEARCH_NAME = "提交", "搜索"


def repair(page: Page) -> None:
    root = page.tree
    for selector, text in page.rules.alt:
        for img in selector(root):
            img.set("alt", text)
    spacers = tuple(s.lower() for s in Hints.of(page.rules).texts("SPACER_IMAGES"))
    for img in NO_ALT(root):
        alt = _alt_for(img, page, spacers)
        if alt is not None:
            img.set("alt", alt)
    for button in IMAGE_INPUTS(root):
        button.set("alt", button.get("title") or button.get("value") or _form_function(button))
    for area in AREAS(root):
        name = area.get("title") or target_title(page, area.get("href"))
        if name:
            area.set("alt", name)


def _alt_for(img: Any, page: Page, spacers: tuple[str, ...]) -> str | None:
    if _is_spacer(img, spacers):
        return ""
    if (img.get("title") or "").strip():
        return img.get("title").strip()
    links = LINK(img)
    if links:
        link = links[0]
        if OTHER_TEXT(link) or len(NAMED_IMAGES(link)):
            return ""
        name = (link.get("title") or "").strip() or target_title(page, link.get("href"))
        if name:
            return name
    caption = CAPTION(img)
    return caption or None


def _is_spacer(img: Any, spacers: tuple[str, ...]) -> bool:
    src = urlsplit(img.get("src") or "").path.lower()
    if src.rsplit("/", 1)[-1] in spacers:
        return True
    sizes = [_px(img.get("width")), _px(img.get("height"))]
    return any(s is not None and s <= MAX_SPACER_PX for s in sizes)


def _px(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else None


def _form_function(button: Any) -> str:
    form = next(button.iterancestors("form"), None)
    if form is not None and (form.get("role") == "search" or "search" in (
            form.get("action") or "").lower()):
        return SEARCH_NAME
    return SUBMIT_NAME
