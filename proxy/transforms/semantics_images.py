"""Text alternatives for images, image buttons and image-map areas; nothing invented.

Order for an image without `alt`:
1. the site rule's `alt`;
2. a spacer or shim (1x1, 2px lines, known file names) gets `alt=""`;
3. its `title`;
4. inside a link (or button) that has other text or another named image, `alt=""`: the link
   says it, and a second name would be read twice;
5. the only content of a link: the link's title, its target page's title (fetched before the
   rewrite, see semantics_links.gather_titles), else a readable form of its URL ("weibo.com",
   "bszs.conac.cn/sitename", "zwgk/tzgg") -- where following the link goes is what the image
   stands for, and the address is a fact, not a description;
6. a figure's caption;
7. decoration: an icon-sized image (both known sides <= MAX_ICON_PX) or one whose file or class
   name says icon/arrow/bullet/background (DECORATION_WORDS) gets `alt=""`.

A content image with no name source at all keeps NO alt. Reason: the HTML standard's case of
"images whose contents are not known" (HTML 4.8.4.4.13) -- a placeholder such as "图片" would
claim a text alternative that does not exist, `alt=""` would hide a picture that may carry
information, and a description would be invented. Left as it is, assistive technology reports an
unlabelled image and audits (axe image-alt) keep showing the gap to whoever can fix the source.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..page import Page
from .hints import Hints, words
from .semantics_links import SR_ONLY_CLASS, target_title, url_name

NO_ALT = etree.XPath("//body//img[not(@alt)]")
IMAGE_INPUTS = etree.XPath("//body//input[translate(@type,'IMAGE','image')='image']"
                           "[not(@alt) or normalize-space(@alt)='']")
AREAS = etree.XPath("//body//area[@href][not(@alt) or normalize-space(@alt)='']")
LINK = etree.XPath("ancestor::*[self::a[@href] or self::button][1]")
#: the link's own text, without the notes we add for screen readers (new window, file type)
OWN_TEXT = etree.XPath(f".//text()[not(ancestor::*[@class='{SR_ONLY_CLASS}'])]")
NAMED_IMAGES = etree.XPath(".//img[normalize-space(@alt)!='']")
CAPTION = etree.XPath("normalize-space(ancestor::figure[1]/figcaption)")
#: an image this small (either side, in px) is a spacer or a rule line, not content
MAX_SPACER_PX = 2
#: an image this small on both known sides, outside a link, is an icon beside text
MAX_ICON_PX = 16
#: the function of an image button, when it has no text: what its form does
SUBMIT_NAME, SEARCH_NAME = "提交", "搜索"


def repair(page: Page) -> None:
    root = page.tree
    for selector, text in page.rules.alt:
        for img in selector(root):
            img.set("alt", text)
    hints = Hints.of(page.rules)
    spacers = tuple(s.lower() for s in hints.texts("SPACER_IMAGES"))
    decoration = frozenset(w.lower() for w in hints.texts("DECORATION_WORDS"))
    for img in NO_ALT(root):
        alt = _alt_for(img, page, spacers, decoration)
        if alt is not None:
            img.set("alt", alt)
    for button in IMAGE_INPUTS(root):
        button.set("alt", button.get("title") or button.get("value") or _form_function(button))
    for area in AREAS(root):
        name = area.get("title") or target_title(page, area.get("href")) or \
            url_name(page.url, area.get("href"))
        if name:
            area.set("alt", name)


def _alt_for(img: Any, page: Page, spacers: tuple[str, ...],
             decoration: frozenset[str]) -> str | None:
    if _is_spacer(img, spacers):
        return ""
    if (img.get("title") or "").strip():
        return img.get("title").strip()
    links = LINK(img)
    if links:
        link = links[0]
        if "".join(OWN_TEXT(link)).strip() or len(NAMED_IMAGES(link)):
            return ""
        href = link.get("href")
        name = (link.get("title") or "").strip() or target_title(page, href) or \
            url_name(page.url, href)
        if name:
            return name
    caption = CAPTION(img)
    if caption:
        return caption
    if not links and _is_decoration(img, decoration):
        return ""
    return None


def _is_spacer(img: Any, spacers: tuple[str, ...]) -> bool:
    src = urlsplit(img.get("src") or "").path.lower()
    if src.rsplit("/", 1)[-1] in spacers:
        return True
    sizes = [_px(img.get("width")), _px(img.get("height"))]
    return any(s is not None and s <= MAX_SPACER_PX for s in sizes)


def _is_decoration(img: Any, decoration: frozenset[str]) -> bool:
    sizes = [_px(img.get("width")), _px(img.get("height"))]
    known = [s for s in sizes if s is not None]
    if len(known) == 2 and max(known) <= MAX_ICON_PX:
        return True
    file_name = urlsplit(img.get("src") or "").path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return bool(set(words(f"{file_name} {img.get('class') or ''}")) & decoration)


def _px(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else None


def _form_function(button: Any) -> str:
    form = next(button.iterancestors("form"), None)
    if form is not None and (form.get("role") == "search" or "search" in (
            form.get("action") or "").lower()):
        return SEARCH_NAME
    return SUBMIT_NAME
