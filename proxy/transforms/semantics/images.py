"""Text alternatives for images, image buttons and image-map areas; nothing invented.

First, lazy-loaded images get their real address (lazy_images.py), and an `alt` of only
spaces (the author's "no text", which screen readers may read as "space") becomes `alt=""`.

Order for an image without `alt`:
1. the site rule's `alt`;
2. no picture at all: no `src`, or a known tracking pixel (TRACKING_HOSTS) -> `alt=""`;
3. a spacer or shim (a side <= MAX_SPACER_PX, from attributes or style; SPACER_IMAGES) -> "";
4. its `title`;
5. inside a link (or button) that has other text or another named image, `alt=""`: the link
   says it, and a second name would be read twice;
6. the only content of a link whose address a nearby text link also has (the picture-news
   pattern `<li><a href=X><img></a><a href=X>标题</a></li>`): `alt=""`, and the image link
   leaves the tab order and the accessibility tree -- the text link names the destination once
   (WCAG H2: adjacent image and text links for the same resource are one link);
7. the only content of a link: the link's title, its target page's title (fetched before the
   rewrite, see semantics_links.gather_titles), else a readable form of its URL ("weibo.com",
   "bszs.conac.cn/sitename", "zwgk/tzgg") -- where following the link goes is what the image
   stands for, and the address is a fact, not a description;
8. a figure's caption;
9. a well-known service's logo or QR code named by its own file or class name, or its
   wrapper's class (`IMAGE_SERVICE_NAMES`: wechat/weixin/wx -> 微信, tsina -> 新浪微博,
   qrcode/ewm -> 二维码 ...): that name, less what the short text beside it already says
   (nothing left: `alt=""`). It is the label the file carries, not a description of the picture;
10. a caption right after the image's paragraph: the next block has a caption class
   (CAPTION_CLASSES: desc, caption, tuzhu ...) or reads like one (starts with 图为/图：/▲ ...,
   ends with 摄/供图 ...; CAPTION_STARTS, CAPTION_ENDS), at most MAX_CAPTION characters;
11. a short label in the same small box (the image's nearest ancestor with text, within
   MAX_CLIMB levels, holds no other image and at most MAX_LABEL characters: the icon before
   当前位置, a QR code above 官方微信, an icon in 手机版): `alt=""`, the label is read right there;
12. decoration: an icon-sized image (every known side <= MAX_ICON_PX) or one whose file or class
   name says icon/arrow/bullet/background (DECORATION_WORDS) gets `alt=""`.

A content image with no name source at all keeps NO alt (a carousel slide, an article photo
without a caption, a sliced layout graphic that may hold text, an image map's picture whose
purpose nothing states). Reason: the HTML standard's case of "images whose contents are not
known" (HTML 4.8.4.4.13) -- a placeholder such as "图片" would claim a text alternative that
does not exist, `alt=""` would hide a picture that may carry information, and a description
would be invented. Left as it is, assistive technology reports an unlabelled image and audits
(axe image-alt) keep showing the gap to whoever can fix the source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from proxy.heuristics.hints import Hints, words
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.semantics.forms import button_function, has_named_image, search_words_of
from proxy.transforms.semantics.image_text import (
    MAX_CLIMB,
    has_other_image,
    has_own_text,
    label_of,
    squashed,
)
from proxy.transforms.semantics.lazy_images import load_lazy_images
from proxy.transforms.semantics.shared import XML_SPACE
from proxy.transforms.semantics.titles import target_title, url_name

#: the elements named here, found in one walk of the body (one whole-tree XPath query per
#: kind cost as much as that walk each)
WALKED_TAGS = ("img", "input", "area")
#: `type` of an image button as XPath's translate() lower-cases it (the letters of "image" only)
_IMAGE_TYPE_CASE = str.maketrans("IMAGE", "image")
CAPTION = etree.XPath("normalize-space(ancestor::figure[1]/figcaption)")
#: an image this small (either side, in px) is a spacer or a rule line, not content
MAX_SPACER_PX = 4
#: an image this small on every known side, outside a link, is an icon beside text
MAX_ICON_PX = 16
#: a caption under a photo is at most this long
MAX_CAPTION = 120
_CSS_SIDE = re.compile(r"(?<![-\w])(width|height)\s*:\s*(\d+)(?:\.\d+)?px", re.I)
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


class Images(Transform):
    name = "semantics.images"
    switch = "semantics"  #: `disable: [semantics]` turns every semantic repair off

    def finish(self, page: Page) -> None:
        repair(page)


def repair(page: Page) -> None:
    root = page.tree
    known = Hints.of(page.rules).derived("images", _Known)
    images, image_buttons, areas = _walk(root)
    load_lazy_images(page, known.spacers, images)
    for img in images:
        alt = img.get("alt")
        if alt and _says_nothing(alt):  # only spaces: the author's "no text"
            img.set("alt", "")
    for selector, text in page.rules.alt:
        for img in selector(root):
            img.set("alt", text)
    for img in images:
        # read here, not in the walk: the rules above may have named it; naming one image
        # never adds an alt to another
        if img.get("alt") is None:
            alt = _alt_for(img, page, known)
            if alt is not None:
                img.set("alt", alt)
    for button in image_buttons:
        if _says_nothing(button.get("alt")):
            button.set("alt", button.get("title") or button.get("value") or button_function(
                button, Hints.of(page.rules).derived("search_words", search_words_of)))
    for area in areas:
        if _says_nothing(area.get("alt")):
            name = area.get("title") or target_title(page, area.get("href")) or \
                url_name(page.url, area.get("href"))
            if name:
                area.set("alt", name)


def _walk(root: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """The body's images, image buttons and linked map areas, in document order. The HTML
    parser puts <body> directly under <html> (as Page.body assumes)."""
    images: list[Any] = []
    image_buttons: list[Any] = []
    areas: list[Any] = []
    for body in root.iterchildren("body"):
        for el in body.iterdescendants(*WALKED_TAGS):
            if el.tag == "img":
                images.append(el)
            elif el.tag == "area":
                if el.get("href") is not None:
                    areas.append(el)
            elif (el.get("type") or "").translate(_IMAGE_TYPE_CASE) == "image":
                image_buttons.append(el)
    return images, image_buttons, areas


def _says_nothing(value: str | None) -> bool:
    """No value, or only spaces, as XPath's normalize-space() sees it."""
    return not (value or "").strip(XML_SPACE)


class _Known:
    """The vocabulary of one rule set, in the form the checks use (built once per rule set:
    `Hints.derived`)."""

    def __init__(self, hints: Hints) -> None:
        self.spacers = tuple(s.lower() for s in hints.texts("SPACER_IMAGES"))
        self.decoration = frozenset(w.lower() for w in hints.texts("DECORATION_WORDS"))
        self.trackers = tuple(h.lower() for h in hints.texts("TRACKING_HOSTS"))
        self.services = _service_table(hints.texts("IMAGE_SERVICE_NAMES"))
        self.caption_classes = frozenset(w.lower() for w in hints.texts("CAPTION_CLASSES"))
        self.caption_starts = hints.texts("CAPTION_STARTS")
        self.caption_ends = hints.texts("CAPTION_ENDS")


def _service_table(entries: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """("weixin=微信", ...) -> (("weixin", "微信"), ...), in the file's order."""
    pairs = (entry.split("=", 1) for entry in entries if "=" in entry)
    return tuple((word.strip().lower(), name.strip()) for word, name in pairs)


def _alt_for(img: Any, page: Page, known: _Known) -> str | None:
    if _shows_nothing(img, known.trackers) or _is_spacer(img, known.spacers):
        return ""
    if (img.get("title") or "").strip():
        return img.get("title").strip()
    link = _link_of(img)
    if link is not None:
        if has_own_text(link) or has_named_image(link):
            return ""
        if link.tag == "a" and _repeats_a_text_link(link):
            link.set("aria-hidden", "true")
            link.set("tabindex", "-1")
            return ""
        href = link.get("href")
        name = (link.get("title") or "").strip() or target_title(page, href) or \
            url_name(page.url, href)
        if name:
            return name
    # a caption needs a figure: looking for one is cheaper than the caption query
    caption = CAPTION(img) if next(img.iterancestors("figure"), None) is not None else ""
    if caption:
        return caption
    label = None if link is not None else label_of(img)
    service = _service_name(img, known.services, label or "")
    if service is not None and (service or link is None):
        return service
    if link is not None:
        return None
    caption = _caption_after(img, known)
    if caption:
        return caption
    if label is not None or _is_decoration(img, known.decoration):
        return ""
    return None


def _link_of(img: Any) -> Any | None:
    """The nearest link (with an address) or button around the image."""
    for ancestor in img.iterancestors("a", "button"):
        if ancestor.tag == "button" or ancestor.get("href") is not None:
            return ancestor
    return None


def _shows_nothing(img: Any, trackers: tuple[str, ...]) -> bool:
    """No picture to describe: no address at all, or a counter's invisible pixel."""
    src = (img.get("src") or "").strip()
    if not src:
        # lxml's HTML parser nests the img in <source>: any <picture> ancestor shows it
        return not (img.get("srcset") or "").strip() and \
            next(img.iterancestors("picture"), None) is None
    return _is_tracker(src, trackers)


#: entries of each memo below (addresses, file and class names, sizes): pages repeat their
#: icons, a site its logos, and working one out costs more than the lookup
MEMO_SIZE = 4096


@lru_cache(maxsize=MEMO_SIZE)
def _is_tracker(src: str, trackers: tuple[str, ...]) -> bool:
    """The address's host is a known counter's (a pure function of its arguments: memoised)."""
    try:
        host = (urlsplit(src).hostname or "").lower()
    except ValueError:
        return False
    return any(host == t or host.endswith("." + t) for t in trackers)


@lru_cache(maxsize=MEMO_SIZE)
def _file_name(src: str) -> str:
    """The last segment of the address's path: 'http://a.cn/i/logo.png?v=2' -> 'logo.png'.
    An address urlsplit refuses raises ValueError (not memoised, raised again each time)."""
    return urlsplit(src).path.rsplit("/", 1)[-1]


def _repeats_a_text_link(link: Any) -> bool:
    """A text link to the same address in the image link's item: a parent or grandparent
    whose links all go there (a site logo beside a menu's 首页 is not such an item)."""
    href = link.get("href") or ""
    if not href.strip() or href.strip().startswith("#") or \
            href.strip().lower().startswith("javascript:"):
        return False
    box = link
    for _ in range(MAX_CLIMB - 1):
        box = box.getparent()
        if box is None or box.tag in ("body", "html"):
            return False
        links = [a for a in box.iterdescendants("a") if a.get("href") is not None]
        if any(other.get("href") != href for other in links):
            return False
        if any(other is not link and has_own_text(other) for other in links):
            return True
    return False


def _service_name(img: Any, services: tuple[tuple[str, str], ...], label: str) -> str | None:
    """The service's name the file or class names, minus what the label beside it says."""
    stem = _file_name(img.get("src") or "").rsplit(".", 1)[0]
    if (img.get("src") or "").lower().startswith("data:"):
        stem = ""
    parent = img.getparent()
    names = _services_named(f"{stem} {img.get('class') or ''} {parent.get('class') or ''}",
                            services)
    if not names:
        return None
    return "".join(n for n in names if n not in label)


@lru_cache(maxsize=MEMO_SIZE)
def _services_named(value: str, services: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The services the words of a file and class names name, less a name inside another
    one's (a pure function of its arguments, which recur: memoised)."""
    said = _name_words(value)
    names = list(dict.fromkeys(name for word, name in services if word in said))
    return tuple(n for n in names if not any(n != other and n in other for other in names))


def _name_words(value: str) -> set[str]:
    """Words of file and class names: 'szf_weixin bds-tsina' -> {szf, weixin, bds, tsina};
    camelCase is split only in words of letters ('ewmWb' -> ewm, wb), so a hashed file name
    ('oBWUX_-Qq2bF') yields no accidental 'qq'."""
    found = set()
    for token in re.split(r"[\s_\-.:]+", value):
        found.add(token.lower())
        if token.isalpha():
            found.update(w.lower() for w in _CAMEL.findall(token))
    return found


def _caption_after(img: Any, known: _Known) -> str | None:
    """The caption paragraph right after the block that holds only this image."""
    block = img
    while True:
        parent = block.getparent()
        if parent is None or parent.tag in ("body", "html") or \
                any(chunk.strip() for chunk in parent.itertext()) or has_other_image(parent):
            break
        block = parent
    following = block.getnext()
    if following is None or not isinstance(following.tag, str) or (block.tail or "").strip():
        return None
    # its text_content(), read only up to a caption's length: it can be the whole article
    text = squashed(following.itertext(), MAX_CAPTION)
    if not text or len(text) > MAX_CAPTION:
        return None
    if set(words(following.get("class") or "")) & known.caption_classes:
        return text
    core = text.rstrip(_CAPTION_TRAIL)
    if text.startswith(known.caption_starts) or core.endswith(known.caption_ends):
        return text
    return None


def _sides(img: Any) -> tuple[int, ...]:
    """The sides the page gives the image, in px: attributes, else inline style."""
    return _sides_of(img.get("width"), img.get("height"), img.get("style") or "")


@lru_cache(maxsize=MEMO_SIZE)
def _sides_of(width: str | None, height: str | None, style: str) -> tuple[int, ...]:
    """_sides from the attribute values (a pure function of them, and icons of one size
    recur: memoised)."""
    found = {"width": _px(width), "height": _px(height)}
    for name, value in _CSS_SIDE.findall(style):
        found[name.lower()] = int(value)
    return tuple(s for s in found.values() if s is not None)


def _is_spacer(img: Any, spacers: tuple[str, ...]) -> bool:
    if _file_name(img.get("src") or "").lower() in spacers:
        return True
    return any(s <= MAX_SPACER_PX for s in _sides(img))


def _is_decoration(img: Any, decoration: frozenset[str]) -> bool:
    sides = _sides(img)
    if sides and max(sides) <= MAX_ICON_PX:
        return True
    file_name = _file_name(img.get("src") or "").rsplit(".", 1)[0]
    return bool(set(words(f"{file_name} {img.get('class') or ''}")) & decoration)


def _px(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else None


#: closing brackets and punctuation after a caption's last word: "（新华社记者 才扬 摄）"
_CAPTION_TRAIL = "）)】] 。."
